"""The picker's "today": the followed programme's next session first, with its loads and
the reasons; run from there, what the session logged (an effort rated on the summary too)
moves the next "today" on by the programme's rules."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from tempo_coach.programme_store import ProgrammeStore
from tempo_coach.store import History
from tempo_coach.tui.screens import PickerScreen
from tempo_coach.tui.screens.picker import TODAY_ID
from tempo_coach.tui.screens.summary import SummaryScreen

from .conftest import REPO
from .tui_support import drawn, make_app, text

PROGRAMME = """
format_version = 1
name = "RDL test block"

[[progression]]
rule = "tempo"
exercise = "Tempoed Romanian deadlift"
ceiling = 6
load_step = 2.5

[[progression]]
rule = "effort"
max_rpe = 8.5
action = "hold"

[[blocks]]
name = "Build"
schedule = { per_week = 2 }

[[blocks.weeks]]
repeat = 2
[[blocks.weeks.sessions]]
[blocks.weeks.sessions.workout]
format_version = 1
name = "Short RDL"
defaults = { rest_seconds = 10, setup = { mode = "timed", seconds = 2 } }
silenced = [{ check = "both-functions", reason = "A test" }]
[[blocks.weeks.sessions.workout.exercises]]
name = "Tempoed Romanian deadlift"
trains = "hip_extension"
category = "compound"
sets = 2
reps = 2
tempo = "4-1-X-2"
[[blocks.weeks.sessions.exercises]]
name = "Tempoed Romanian deadlift"
load = "40 kg"
"""


def follow(data_home: Path, text_of_programme: str = PROGRAMME) -> ProgrammeStore:
    """A programme of the lifter's own, followed from today."""
    store = ProgrammeStore.default()
    store.user.mkdir(parents=True, exist_ok=True)
    (store.user / "rdl-test.toml").write_text(text_of_programme)
    store.follow("rdl-test", datetime.date.today())
    return store


async def today_row(pilot: Pilot[None], contains: str) -> str:
    """The picker's first row once it reads `contains` (the programme is read in a worker,
    after the first frame, and again when the programme's log changes)."""
    picker = next(screen for screen in pilot.app.screen_stack if isinstance(screen, PickerScreen))
    options = picker.query_one("#workouts", OptionList)
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if options.option_count and options.get_option_at_index(0).id == TODAY_ID:
            prompt = str(options.get_option_at_index(0).prompt)
            if contains in prompt + picker.programme.details():
                return prompt
    raise AssertionError(f"the picker never showed {contains!r}: {drawn(options)}")


async def test_today_is_run_from_the_picker_and_the_next_today_moves_on_by_the_rule(
    private_user_folders: Path, tmp_path: Path
) -> None:
    follow(private_user_folders)
    history = History.open(tmp_path / "history.sqlite3")
    app, clock = make_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = await today_row(pilot, "week 1, session 1")
        assert prompt == "Today · RDL test block · week 1, session 1"
        assert text(pilot, "#details").splitlines()[:3] == [
            "Today: week 1, session 1 (Build).",
            "Week 1, session 1 · Build · Short RDL",
            "  Tempoed Romanian deadlift: 2 × 2 @ 4-1-X-2 · 40 kg",
        ]
        await pilot.press("enter")
        await pilot.pause()
        await clock.run_until_idle()  # every setup counts down: the whole session runs
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        # Logged at the session's end: the picker under the summary has moved on.
        await today_row(pilot, "Lowering 5 counts (was 4)")
        picker = app.screen_stack[-2]
        assert isinstance(picker, PickerScreen)
        # The rule lengthened the lowering: the next session's workout is run at 5-1-X-2.
        assert picker.programme.details().splitlines()[2] == (
            "  Tempoed Romanian deadlift: 2 × 2 @ 5-1-X-2 · 40 kg"
            " — Lowering 5 counts (was 4): all 2 × 2 done"
        )
        # The last set rated on the summary counts once the summary is left.
        await pilot.press("9")
        await pilot.press("enter")
        prompt = await today_row(pilot, "rated RPE 9")
        assert app.screen_stack[-1] is picker
        assert prompt.startswith("RDL test block · Next: week 1, session 2 (Build) on ")
        assert text(pilot, "#details").splitlines()[2] == (
            "  Tempoed Romanian deadlift: 2 × 2 @ 4-1-X-2 · 40 kg"
            " — Hold at 40 kg: set 2 rated RPE 9, above 8.5"
        )
    session = history.sessions()[0]
    assert (session.programme, session.programme_session) == ("rdl-test", 1)
    history.close()


async def test_a_broken_programme_is_one_plain_line_in_the_picker_until_it_is_fixed(
    private_user_folders: Path,
) -> None:
    store = follow(private_user_folders, PROGRAMME.replace('load = "40 kg"', 'load = "heavy"'))
    app, _ = make_app()
    async with app.run_test() as pilot:
        prompt = await today_row(pilot, "cannot be read")
        assert prompt == "Programme cannot be read"
        assert "rdl-test.toml" in text(pilot, "#details")
        await pilot.press("enter")  # says why, starts nothing
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        (store.user / "rdl-test.toml").write_text(PROGRAMME)  # fixed while the app runs
        picker.check_folder()  # what the picker's one-second interval calls
        assert await today_row(pilot, "Today") == "Today · RDL test block · week 1, session 1"
    store.state.write_text("{ not json")
    app, _ = make_app()
    async with app.run_test() as pilot:
        await today_row(pilot, "programme start NAME")


def test_with_no_programme_followed_the_picker_never_loads_the_programme_core() -> None:
    """Most lifters follow none: then the picker only looks for the state file, and the
    programme core (a tenth of a second of imports) stays unloaded after the first frame."""
    program = textwrap.dedent("""
        import asyncio, sys
        from tests.tui_support import make_app

        async def main() -> None:
            app, _ = make_app()
            async with app.run_test() as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
            print(sorted(name for name in sys.modules if "programme" in name))

        asyncio.run(main())
    """)
    loaded = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.split()
    assert loaded == ["[]"]
