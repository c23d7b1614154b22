"""Every word a lifter writes reaches the screen as written: a workout whose names, cues and
reasons look like Textual markup (or hold emoji, wide CJK, a `$variable`) is shown letter
for letter on every screen, and nothing in it can break the app or drive the terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, OptionList, Static

from tempo_coach.catalog import load_workout
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.store import History, SetRecord, workout_hash
from tempo_coach.tui.screens import (
    ConfirmDialog,
    CustomizeScreen,
    HistoryScreen,
    PickerScreen,
    SessionScreen,
    StopwatchScreen,
    SummaryScreen,
)
from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.widgets import BigText

from .tui_support import at, drawn, make_app, notices, shown, toasts

SIZE = (260, 60)
"""Wide enough that no name wraps, so each is found whole on its line."""

NAME = "Zed [beginner] RDL [/i] [red]x[/red] [@click=app.quit]q[/] $error \\[ 💪 深蹲 (long)"
"""As long as a name may be: 80 characters."""
DESCRIPTION = "[@click=app.quit]q[/] is [b]not[/b] a link $error\nA second line \\[x] 深蹲"
SQUEEZE = "[@click=app.quit]q[/]"
HINGE = "[b]Hinge[/i]"
HINGE_CUE = "Hips back [red]x[/red] $error \\[ 💪"
SETUP_CUE = "[b]Bar[/i] at mid-thigh [@click=app.quit]q[/] 深蹲"
FIRST = "RDL [/i] [red]x[/red] $error \\[ 💪 深蹲"
SECOND = "Slow [b]lower[/b] [/] $error"
LOWER = "[/i]Lower 💪"
LOWER_CUE = "[red]slow[/red] $error \\["
HOLD = "\\[Hold] 深蹲"
REASON = "On purpose [/i] [both-functions] $error: a hinge-only day 💪"
FILE_NAME = "zed [b] [red]x $error \\[ 深蹲.toml"
"""A file name cannot hold a slash, so no closing tag; brackets it can."""
BROKEN_STEM = "oops [i] \x1b[31m"
"""A file name with an escape character in it: shown escaped, never sent as is."""

WORKOUT: dict[str, Any] = {
    "format_version": 1,
    "name": NAME,
    "description": DESCRIPTION,
    "count_in_beats": 1,
    "defaults": {"rest_seconds": 5, "rest_after_seconds": 5},
    "exercises": [
        {
            "name": FIRST,
            "trains": "hip_extension",
            "category": "compound",
            "sets": 2,
            "reps": 1,
            "tempo": "2-1-1-1",
            "setup": {"mode": "timed", "seconds": 3, "cue": SETUP_CUE},
            "phases": {
                "eccentric": {"name": HINGE, "cue": HINGE_CUE},
                "stretched": {"name": "$error 深蹲", "cue": "\\[hold] [b]"},
                "concentric": {"name": "[red]x[/red]", "cue": "[/]"},
                "contracted": {"name": SQUEEZE, "cue": "💪 [@click=app.bell]b[/]"},
            },
        },
        {
            "name": SECOND,
            "trains": "hip_extension",
            "category": "assistance",
            "sets": 1,
            "reps": 1,
            "setup": {"seconds": 2},
            "eccentric_emphasis": True,  # but lowers fast
            "custom_phases": [
                {"name": LOWER, "kind": "eccentric", "seconds": 1, "cue": LOWER_CUE},
                {"name": HOLD, "kind": "hold", "beats": 1, "cue": "[b]stay[/i]"},
                {"name": "Up", "kind": "concentric", "seconds": 1},
            ],
        },
    ],
    "silenced": [{"check": "both-functions", "reason": REASON}],
}


@pytest.fixture
def workout_file(private_user_folders: Path) -> Path:
    """The workout above in the user's folder, beside a broken file with a bracketed name."""
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    path = folder / FILE_NAME
    path.write_text(tomli_w.dumps(WORKOUT), encoding="utf-8")
    broken = {"format_version": 1, "name": "Oops", "goal": "\x1b[2Jfast", "exercises": 3}
    (folder / f"{BROKEN_STEM}.toml").write_text(tomli_w.dumps(broken), encoding="utf-8")
    return path


async def test_the_picker_lists_and_describes_the_workout_as_written(workout_file: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press(*"zed")
        await pilot.pause()
        options = app.screen.query_one("#workouts", OptionList)
        assert f" {NAME} (yours) " in drawn(options)
        details = shown(pilot, "#details")
        for line in (
            NAME,
            *DESCRIPTION.splitlines(),
            f"1. {FIRST}: 2 × 1 @ 2-1-1-1",
            f'setup: 3 s countdown — "{SETUP_CUE}"',
            f"{HINGE} 2 s",
            f"silenced [both-functions]: {REASON}",
            f"{LOWER} 1 s",
            f"{HOLD} 1 beat",
        ):
            assert line in details

        await pilot.press("escape", *"oops")
        await pilot.pause()
        assert " oops [i] \\x1b[31m (broken) " in drawn(options)
        details = shown(pilot, "#details")
        assert "goal: must be one of" in details and '(got "\\x1b[2Jfast")' in details
        assert "\x1b" not in details
        await pilot.press("enter")  # a broken file cannot start: it says why, by its name
        await pilot.pause()
        refusal = "oops [i] \\x1b[31m.toml has errors; fix it first."
        assert refusal in notices(app)
        assert await toasts(pilot) == [refusal]


async def test_customize_shows_the_names_and_reasons_as_written(workout_file: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press(*"zed", "f4")
        await pilot.pause()
        assert isinstance(app.screen, CustomizeScreen)
        assert shown(pilot, "#customize-title") == f"Customize · {NAME} · from {FILE_NAME}"
        titles = app.screen.query(".exercise-title").results(Static)
        assert [str(title.visual) for title in titles] == [f"1. {FIRST}", f"2. {SECOND}"]
        assert shown(pilot, "#strip-title") == f"One rep of 1. {FIRST}:"
        assert shown(pilot, "#strip-caption").startswith(f"{HINGE} 2 s · $error 深蹲 1 s")
        blocks = [str(block.visual) for block in app.screen.query(".strip-phase").results(Static)]
        assert blocks[0] and HINGE.startswith(blocks[0])
        assert shown(pilot, "#warnings").startswith(
            f"warning [eccentric-emphasis] {SECOND}: the lowering takes 1 s"
        )

        tempo = app.screen.query_one("#f-exercises-0-tempo")
        tempo.focus()
        await pilot.press("ctrl+a", *"[b]-1")  # typed text is quoted back literally too
        await pilot.pause()
        assert "[b]" in shown(pilot, "#e-exercises-0-tempo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        refusal = next(notice for notice in notices(app) if "problem left" in notice)
        assert "[b]" in refusal
        assert f"Not saved\n{refusal}" in await toasts(pilot)


async def test_a_session_its_summary_and_the_history_show_the_words_as_written(
    workout_file: Path,
    tmp_path: Path,
) -> None:
    timeline = compile_timeline(load_workout(workout_file))
    with History.open(tmp_path / "history.sqlite3") as history:
        history.start_session(
            workout_name="Old \x1b[31m [b]",
            workout_path="gone.toml",
            workout_hash=workout_hash(""),
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        app, clock = make_app(history)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press(*"zed", "enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            await pilot.press("t")  # tap timing, whose verdicts name the phases
            assert shown(pilot, "#workout-name") == NAME
            for index, segment in enumerate(timeline.segments):
                await at(pilot, clock, segment.start_ms / 1000 + 0.2)
                assert shown(pilot, "#exercise-name") == (
                    f"{segment.place.exercise_name} · exercise"
                    f" {segment.place.exercise_index + 1} of {len(timeline.workout.exercises)}"
                )
                assert shown(pilot, "#counters").endswith(f" · {segment.label}")
                phase = app.screen.query_one("#phase-name", BigText)
                words = "SWITCH" if segment.kind == "side_switch" else segment.label
                drawn_phase = str(phase.render())  # block letters, or the words as text
                assert phase.value == words
                assert drawn_phase == words or set(drawn_phase) <= set("█▀▄ \n")
                next_up = shown(pilot, "#next-up")
                assert shown(pilot, "#cue") == (next_up if segment.kind == "rest" else segment.cue)
                if segment.kind == "rest":
                    following = timeline.segments[index + 1].place.exercise_name
                    assert next_up.startswith(f"Next: {following}")
                if segment.label == HINGE and segment.place.set_number == 1:
                    await pilot.press("space")  # the hinge began...
                    await at(pilot, clock, segment.start_ms / 1000 + 1.7)
                    await pilot.press("space")  # ...and ended early
                    await pilot.pause()
                    assert (
                        shown(pilot, "#tap-line")
                        == f"{HINGE} 1.5 s of 2 s — faster · adherence 0/1"
                    )
            assert {segment.cue for segment in timeline.segments} >= {
                SETUP_CUE,
                HINGE_CUE,
                LOWER_CUE,
            }

            await at(pilot, clock, timeline.total_ms / 1000 + 0.5)
            assert isinstance(app.screen, SummaryScreen)
            assert shown(pilot, "#summary-title") == f"Workout complete: {NAME}"

            await pilot.press("enter", "f3")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            sessions = drawn(app.screen.query_one("#sessions", DataTable))
            assert NAME in sessions and "Old \\x1b[31m [b]" in sessions
            assert "\x1b" not in sessions
            sets = drawn(app.screen.query_one("#sets", DataTable))
            assert FIRST in sets and SECOND in sets
            assert NAME in shown(pilot, "#sets-heading")
            assert shown(pilot, "#progress-heading") == f"Progress · {FIRST}"


async def test_the_resume_question_names_the_exercise_as_written(
    workout_file: Path,
    tmp_path: Path,
) -> None:
    text = workout_file.read_text(encoding="utf-8")
    with History.open(tmp_path / "history.sqlite3") as history:
        session_id = history.start_session(
            workout_name=NAME,
            workout_path=str(workout_file),
            workout_hash=workout_hash(text),
            started_at=datetime.now(UTC),
        )
        history.record_set(
            session_id,
            SetRecord(
                exercise_index=0,
                exercise=FIRST,
                side=None,
                set_number=1,
                reps_done=1,
                target_tempo="2-1-1-1",
                tut_ms=5000,
                completed_at=datetime.now(UTC),
            ),
        )
        app, _ = make_app(history)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press(*"zed", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert shown(pilot, "#question") == (
                f"Resume your interrupted session at set 2/2 of {FIRST} (1 set done)?"
            )


async def test_the_palette_offers_the_workout_by_its_name(workout_file: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"zed rdl")
        for _ in range(10):  # the palette searches in a worker
            await pilot.pause(0.05)
        results = drawn(app.screen.query_one(CommandList))
        assert f"Start: {NAME}" in results
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert shown(pilot, "#workout-name") == NAME


async def test_help_and_the_stopwatch_open_beside_such_a_workout(workout_file: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.action_help()  # "?" in the picker types into the filter
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert isinstance(app.screen, StopwatchScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
