"""Loads, sets ended early and notes in the session: a typed load read the short way, the
planned load and warm-ups on screen, `l`, `[`/`]`, `e` and `w` through the app on a fake
clock into a real history, and the summary's session note."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer, Input

from tempo_coach.core.entry import LoadEntryError, read_load, stepped
from tempo_coach.core.models import Load, LoadUnit
from tempo_coach.store import History, SetRow
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens import SessionScreen, SummaryScreen
from tempo_coach.tui.screens.entry import EntryScreen

from .tui_support import at, make_app, notices, shown, text

# One warm-up set (half the work load) and two work sets of 2 reps at 2-0-1-0, each with a
# 2 s setup and a 2-count count-in: warm-up 0–10 s, rest to 40 s (a warm-up's rest is the
# shorter of 60 s and the exercise's), set 1 40–50 s, rest to 80 s, set 2 80–90 s.
WORKOUT = """\
format_version = 1
name = "Loaded curl"
count_in_beats = 2

[[exercises]]
name = "Curl"
trains = "knee_flexion"
category = "assistance"
sets = 2
reps = 2
tempo = "2-0-1-0"
rest_seconds = 30
load = "60 kg"
warmup = [{ reps = 2, percent = 50 }]

[exercises.setup]
seconds = 2
"""


def kg(amount: float) -> Load:
    return Load(amount=amount, unit="kg")


@pytest.mark.parametrize(
    ("typed", "units", "load"),
    [
        ("82.5", "kg", kg(82.5)),
        ("82,5", "kg", kg(82.5)),
        (" 180 ", "lb", Load(amount=180, unit="lb")),
        ("82.5 kg", "lb", kg(82.5)),
        ("80lbs", "kg", Load(amount=80, unit="lb")),
        ("bw", "kg", Load(bodyweight=True)),
        ("BW+10", "lb", Load(bodyweight=True, amount=10, unit="lb")),
        ("bw - 20", "kg", Load(bodyweight=True, amount=-20)),
        ("bodyweight + 5 kg", "lb", Load(bodyweight=True, amount=5)),
    ],
)
def test_a_typed_load_is_read_the_short_way(typed: str, units: LoadUnit, load: Load) -> None:
    assert read_load(typed, units) == load


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Nothing typed: type a number (in kg)"),
        ("heavy", '"heavy" is not a load: type a number (in kg)'),
        ("+10", '"+10" is not a load'),
        ("0", "A weight must be more than 0 (for bodyweight, type bw)"),
        ("1500", "The weight must be between -500 and 1000"),
    ],
)
def test_a_typed_load_that_is_no_load_says_why(typed: str, reason: str) -> None:
    with pytest.raises(LoadEntryError) as raised:
        read_load(typed, "kg")
    assert str(raised.value).startswith(reason)


def test_a_plate_step_is_in_the_lifters_units() -> None:
    assert stepped(kg(60), "kg", 1) == kg(62.5)
    assert stepped(kg(60), "kg", -2) == kg(55)
    # 60 kg is 132.3 lb: a step lands on the plate grid, not beside it.
    assert stepped(kg(60), "lb", 1) == Load(amount=135, unit="lb")
    assert stepped(kg(60), "lb", -1) == Load(amount=130, unit="lb")
    assert stepped(kg(60), "lb", 2) == Load(amount=140, unit="lb")
    assert stepped(kg(2.5), "kg", -1) == kg(2.5)  # a weight never drops to nothing
    # Never past what a file may write, so a stepped load stored always reads back.
    assert stepped(kg(1000), "kg", 1) == kg(1000)
    assert stepped(Load(bodyweight=True, amount=-500), "kg", -1).amount == -500


def footer_words(app: TempoCoachApp) -> str:
    return " ".join(str(key.render()) for key in app.screen.query_one(Footer).query("FooterKey"))


def screen_now(app: TempoCoachApp) -> object:
    """The screen on top, read afresh (not narrowed by an earlier isinstance)."""
    return app.screen


async def start(app: TempoCoachApp, path: Path) -> None:
    app.start_workout(str(path))


def sets_of(history: History) -> list[SetRow]:
    (session,) = history.sessions()
    return history.sets(session.id)


@pytest.fixture
def workout(tmp_path: Path) -> Path:
    path = tmp_path / "loaded-curl.toml"
    path.write_text(WORKOUT, encoding="utf-8")
    return path


async def test_the_planned_load_and_the_warmup_are_on_screen_in_the_lifters_units(
    workout: Path,
) -> None:
    app, clock = make_app(units="lb")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"tempoed")  # the picker's plan, in lb too
        await pilot.pause()
        assert "4 × 5 @ 4-1-X-2 · 132.3 lb" in text(pilot, "#details")
        await start(app, workout)
        await at(pilot, clock, 5.0)  # the warm-up's first rep
        assert text(pilot, "#exercise-name") == "Curl · warm-up 1/1 · 66.1 lb"
        assert text(pilot, "#counters").startswith("Warm-up 1/1 · Rep 1/2")
        assert text(pilot, "#place") == "REP 1/2  WARMUP 1/1"
        await at(pilot, clock, 20.0)  # the rest after it names the first work set
        assert text(pilot, "#cue") == "Next: Curl · set 1/2 · 2 reps @ 2-0-1-0 · 132.3 lb"
        assert text(pilot, "#place") == "NEXT SET 1/2"
        await at(pilot, clock, 45.0)
        assert text(pilot, "#exercise-name") == "Curl · 132.3 lb"


async def test_the_load_is_typed_in_the_rest_while_it_counts_down(
    workout: Path, tmp_path: Path
) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await start(app, workout)
            await at(pilot, clock, 55.0)  # 5 s into the rest after work set 1
            assert "Load" in footer_words(app) and "End set" not in footer_words(app)
            await pilot.press("l", *"lots", "enter")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)  # still open, saying why
            assert shown(pilot, "#entry-error").startswith('"lots" is not a load')
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(screen_now(app), SessionScreen)
            assert sets_of(history)[1].load == kg(60)  # nothing saved
            await pilot.press("l")
            await pilot.pause()
            assert app.screen.query_one(Input).value == "60 kg"  # the plan's, ready to keep
            await pilot.press(*"62.5")  # replaces the selected plan's load
            await at(pilot, clock, 58.0)  # the rest goes on behind the input
            session = app.screen_stack[-2]
            assert isinstance(session, SessionScreen)
            assert session.engine.position_ms == 58_000
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(screen_now(app), SessionScreen)
            assert text(pilot, "#status") == "Set 1/2: 62.5 kg lifted"
            warmup, first = sets_of(history)
            assert first.load == kg(62.5) and first.planned_load == kg(60)
            assert first.rpe is None  # the digits typed rated nothing
            assert warmup.load == kg(30)  # the other sets keep the plan's load
            await pilot.press("right_square_bracket")  # one plate step heavier
            await pilot.pause()
            assert sets_of(history)[1].load == kg(65)
            await pilot.press("7")  # with the input closed, a digit rates again
            await pilot.pause()
            assert sets_of(history)[1].rpe == 7
            await at(pilot, clock, 90.5)  # the summary takes a note on the session
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("w", *"[b]5[/b]", "enter")
            await pilot.pause()
            assert isinstance(screen_now(app), SummaryScreen)
            assert shown(pilot, "#summary-note") == "Note: [b]5[/b]"  # as typed, not markup
            (done,) = history.sessions()
            assert done.note == "[b]5[/b]"
            # The last set ended the session before a rest could ask for its load.
            await pilot.press("l")
            await pilot.pause()
            assert app.screen.query_one(Input).value == "60 kg"
            await pilot.press(*"67.5", "enter")
            await pilot.pause()
            assert isinstance(screen_now(app), SummaryScreen)
            assert shown(pilot, "#summary-load") == "Last set: 67.5 kg lifted"
            assert sets_of(history)[-1].load == kg(67.5)


async def test_e_ends_the_set_with_the_reps_done_and_w_notes_it(
    workout: Path, tmp_path: Path
) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await start(app, workout)
            await at(pilot, clock, 30.0)  # the rest after the warm-up
            await pilot.press("l", *"zz")  # left open, and no load: said, not saved
            await at(pilot, clock, 41.0)
            assert isinstance(screen_now(app), SessionScreen)
            assert any(n.startswith('Not saved: "zz" is not a load') for n in notices(app))
            await at(pilot, clock, 48.0)  # rep 2 of work set 1
            assert "End set" in footer_words(app) and "Load" not in footer_words(app)
            await pilot.press("e")
            await at(pilot, clock, 48.5)
            assert text(pilot, "#phase-name") == "Rest"
            assert text(pilot, "#seconds-left") == "30"  # the whole rest, from now
            ended = sets_of(history)[1]
            assert (ended.reps_done, ended.ended_early, ended.partial) == (1, True, False)
            note = "grip [i]"  # the lifter's words, never markup
            await pilot.press("w", *note, "enter")
            await pilot.pause()
            assert text(pilot, "#status") == "Note saved with Set 1/2"
            assert sets_of(history)[1].note == note
            await pilot.press("l", *"57.5")  # left open as the rest ends (at 78.5 s)
            await at(pilot, clock, 80.0)
            # The next set is not hidden behind it: it closes, keeping what reads as a load.
            assert isinstance(screen_now(app), SessionScreen)
            assert [row.load for row in sets_of(history)] == [kg(30), kg(57.5)]
            await at(pilot, clock, 85.0)  # rep 1 of set 2 under way
            await pilot.press("e")  # ended before a rep was done: no set done
            await at(pilot, clock, 85.5)
            assert isinstance(screen_now(app), SummaryScreen)
            last = sets_of(history)[2]
            assert (last.reps_done, last.ended_early, last.partial) == (0, True, True)
            (done,) = history.sessions()
            assert done.sets_done == 1


async def test_a_load_typed_between_the_sides_is_the_whole_single_leg_sets(
    tmp_path: Path,
) -> None:
    """Typed in the switch after the left side, the load is the right side's too: one
    single-leg set is lifted with one load (and its volume counts it on both sides)."""
    path = tmp_path / "single-leg.toml"
    path.write_text(
        WORKOUT.replace("warmup = [{ reps = 2, percent = 50 }]", "unilateral = true")
        .replace("sets = 2", "sets = 1")
        .replace("rest_seconds = 30", "rest_seconds = 30\nside_switch_seconds = 20"),
        encoding="utf-8",
    )
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await start(app, path)
            await at(pilot, clock, 15.0)  # the switch after the left side (0–10 s)
            await pilot.press("l", *"65", "enter")
            await pilot.pause()
            await at(pilot, clock, 45.0)  # the right side done
            left, right = sets_of(history)
            assert (left.side, left.load) == ("left", kg(65))
            assert (right.side, right.load) == ("right", kg(65))
