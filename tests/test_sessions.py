"""One place prepares a session: the command line wins over the workout, which wins over
the settings; --setup turns waiting setups into countdowns; resume or start over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tempo_coach.catalog import read_workout
from tempo_coach.core.engine import SessionEngine
from tempo_coach.sessions import Overrides, SessionMaker, audio_mode_for, with_timed_setups
from tempo_coach.settings import Settings
from tempo_coach.store import History

from .conftest import REPO
from .fakes import FakeClock, RecordingPlayer

NORDIC = read_workout(REPO / "workouts" / "nordic-curl.toml")


def maker(
    history: History | None, overrides: Overrides | None = None, seen: list[str] | None = None
) -> SessionMaker:
    return SessionMaker(
        clock=FakeClock(),
        player=RecordingPlayer(),
        spoken=None,
        settings=Settings(audio_mode="voice"),
        overrides=overrides or Overrides(),
        history=history,
        notify=(seen if seen is not None else []).append,
    )


def test_the_command_line_wins_then_the_workout_then_the_settings() -> None:
    workout = NORDIC.workout
    settings = Settings(audio_mode="voice")
    assert (
        audio_mode_for(workout.model_copy(update={"audio_mode": None}), settings, Overrides())
        == "voice"
    )
    assert (
        audio_mode_for(workout.model_copy(update={"audio_mode": "clicks"}), settings, Overrides())
        == "clicks"
    )
    assert (
        audio_mode_for(
            workout.model_copy(update={"audio_mode": "clicks"}),
            settings,
            Overrides(audio_mode="silent"),
        )
        == "silent"
    )


def test_setup_seconds_turn_every_waiting_setup_into_a_countdown() -> None:
    plan = maker(None, Overrides(setup_seconds=7)).plan(NORDIC)
    setups = [s for s in plan.timeline.segments if s.kind == "setup"]
    assert setups and plan.timeline.manual_setups == 0
    assert {s.duration_ms for s in setups} == {7000}
    assert (
        with_timed_setups(NORDIC.workout, 7).exercises[0].name == NORDIC.workout.exercises[0].name
    )


async def test_a_session_is_logged_and_resumable_only_when_interrupted(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        sessions = maker(history, Overrides(setup_seconds=1))
        plan = sessions.plan(NORDIC)
        assert plan.resumable is None
        started = sessions.start(plan, resume=False)
        assert isinstance(started.engine, SessionEngine)
        assert started.recorder is not None
        assert started.engine.audio_mode == "voice"


async def test_sets_done_while_the_history_cannot_be_opened_are_named_at_the_end() -> None:
    """A read-only or full disk at the start: training goes on, and the end says exactly
    which sets were not saved."""
    clock = FakeClock()
    notices: list[str] = []
    sessions = SessionMaker(
        clock=clock,
        player=RecordingPlayer(),
        spoken=None,
        settings=Settings(),
        overrides=Overrides(setup_seconds=1),
        history=None,
        notify=notices.append,
    )
    session = sessions.start(sessions.plan(NORDIC), resume=False)
    task = asyncio.ensure_future(session.engine.run())
    await clock.run_until_idle()
    await task
    said = await session.finish()
    sets = len(NORDIC.workout.exercises[0].reps_per_set)
    assert said is not None and said.startswith("Not saved to your history: Set 1/")
    assert said.count("Set ") == sets


async def test_a_workout_running_in_another_copy_is_said_not_offered(tmp_path: Path) -> None:
    """The second copy is told why it starts a new session instead of resuming."""
    with History.open(tmp_path / "h.sqlite3") as history:
        first = maker(history, Overrides(setup_seconds=1))
        running = first.start(first.plan(NORDIC), resume=False)
        assert running.recorder is not None
        await running.recorder.aclose(timeout_s=2.0)  # its session row is written
        seen: list[str] = []
        second = maker(history, Overrides(setup_seconds=1), seen)
        assert second.plan(NORDIC).resumable is None
        assert seen == [
            "Another Tempo Coach is running this workout right now; this session is logged"
            " as a new one"
        ]
