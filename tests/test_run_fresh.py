"""`tempo-coach run WORKOUT --fresh` in the full-screen app: the workout given on the command
line starts over at set 1, never offering to resume its interrupted session; without
`--fresh` the app offers to resume it, as the picker does."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tempo_coach import cli
from tempo_coach.catalog import Catalog
from tempo_coach.settings import Settings
from tempo_coach.store import History, SetRecord, workout_hash
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens import ConfirmDialog

from .fakes import FakeClock, RecordingPlayer
from .tui_support import START, session_screen

NORDIC = Path(__file__).parent.parent / "workouts" / "nordic-curl.toml"
STARTED = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


def interrupt_after_set_1(history: History) -> int:
    """A Nordic session whose process died after its first set was logged."""
    session_id = history.start_session(
        workout_name="Eccentric Nordic curl",
        workout_path=str(NORDIC),
        workout_hash=workout_hash(NORDIC.read_text(encoding="utf-8")),
        started_at=STARTED,
    )
    history.record_set(
        session_id,
        SetRecord(
            exercise_index=0,
            exercise="Eccentric Nordic curl",
            side=None,
            set_number=1,
            reps_done=4,
            target_tempo="5-1-2-0",
            tut_ms=32_000,
            completed_at=STARTED,
        ),
    )
    return session_id


def app_starting_nordics(history: History, *, fresh: bool) -> TempoCoachApp:
    """The app as `tempo-coach run nordic-curl [--fresh]` makes it, on a fake clock."""
    return TempoCoachApp(
        catalog=Catalog.default(),
        clock=FakeClock(START),
        player=RecordingPlayer(),
        settings=Settings(),
        history=history,
        start_with=NORDIC,
        start_fresh=fresh,
    )


async def test_fresh_starts_the_workout_at_set_1_and_abandons_the_interrupted_one(
    tmp_path: Path,
) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        interrupted = interrupt_after_set_1(history)
        app = app_starting_nordics(history, fresh=True)
        async with app.run_test() as pilot:
            await pilot.pause()
            place = session_screen(pilot).engine.segment.place
            assert (place.exercise_index, place.set_number) == (0, 1)
        statuses = {row.id: row.status for row in history.sessions()}
        assert statuses[interrupted] == "abandoned"


async def test_without_fresh_the_app_offers_to_resume_at_set_2(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        interrupted = interrupt_after_set_1(history)
        app = app_starting_nordics(history, fresh=False)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("enter")  # "Resume" has the focus
            await pilot.pause()
            place = session_screen(pilot).engine.segment.place
            assert (place.exercise_index, place.set_number) == (0, 2)
            recorder = session_screen(pilot).recorder
            assert recorder is not None and recorder.session_id == interrupted


@pytest.mark.parametrize(("argv", "fresh"), [([], False), (["--fresh"], True)])
def test_run_at_a_terminal_hands_the_choice_to_the_app(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], fresh: bool
) -> None:
    started: list[dict[str, Any]] = []

    def run_app(**given: Any) -> int:
        started.append(given)
        return 0

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(cli, "run_app", run_app)
    assert cli.main(["run", "nordic-curl", *argv]) == 0
    assert [(given["start_with"].name, given["fresh"]) for given in started] == [
        ("nordic-curl.toml", fresh)
    ]
