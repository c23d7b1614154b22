"""Time under tension counts what was really done: a phase skipped part-way (`n`) counts the
time before the skip, a restarted rep counts once, by its last attempt, and the history
stores what the summary says, on a fake clock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.events import SegmentStarted, Skipped
from tempo_coach.core.summary import summarize
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.store import History

from .conftest import BUNDLED_WORKOUTS
from .fakes import FakeClock
from .test_engine import START, Session, small_workout
from .test_plain import loaded_session

# small_workout: 2 × 2 reps of 2-0-1-0 (3 s under tension, 2 s of it lowering, a rep); with
# no audio lead, rep 1.1 lowers from 4 s to 6 s and lifts to 7 s after the start.
PLANNED_TUT_MS = 4 * 3000
PLANNED_ECCENTRIC_MS = 4 * 2000


async def test_a_skip_mid_eccentric_counts_only_the_time_before_the_skip() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(5.25)  # 1.25 s into the 2 s lowering of rep 1.1
    session.engine.skip()
    await session.finish()
    done = summarize(session.engine)
    assert (done.sets_done, done.reps_done) == (2, 4)  # the rep still counts
    assert done.tut_ms == PLANNED_TUT_MS - 750
    assert done.eccentric_ms == PLANNED_ECCENTRIC_MS - 750


async def test_quick_skips_of_one_phase_are_one_skip_and_never_delay_the_next() -> None:
    """Three presses of `n` inside the audio lead of the jump: one skip, the lift begins
    one lead after the first press, and the lowering counts the time before it."""
    session = Session(small_workout(), lead_seconds=0.1)
    await session.start()
    await session.at(5.1)  # 1 s into the lowering (which begins 0.1 s after the start)
    for _ in range(3):
        session.engine.skip()
        await session.clock.advance(0.03)
    await session.finish()
    assert [event.segment.label for event in session.of(Skipped)] == ["Lower"]
    lift = next(
        fired
        for fired, event in session.events
        if isinstance(event, SegmentStarted) and event.index == 3  # rep 1.1's lift
    )
    assert lift == pytest.approx(START + 5.2)
    assert summarize(session.engine).eccentric_ms == PLANNED_ECCENTRIC_MS - 1000


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
async def test_a_session_without_skips_counts_exactly_the_plan(path: Path) -> None:
    workout = load_workout(path)
    timeline = compile_timeline(workout)
    session = Session(workout)
    await session.start()
    await session.finish()
    done = summarize(session.engine)
    assert (done.tut_ms, done.eccentric_ms) == (timeline.tut_ms(), timeline.eccentric_ms())


async def test_a_restarted_rep_counts_once_by_its_last_attempt() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(4.5)
    session.engine.skip()  # the first attempt's lowering cut to 0.5 s ...
    await session.at(5.0)
    session.engine.restart_rep()  # ... then, lifting, the rep begun again: done in full
    await session.at(9.5)  # the second attempt of rep 1.2 lowering, 0.5 s in
    session.engine.restart_rep()
    await session.at(10.0)
    session.engine.skip()  # its third attempt cut to 0.5 s
    await session.finish()
    done = summarize(session.engine)
    assert done.reps_done == 4
    assert done.tut_ms == PLANNED_TUT_MS - 1500
    assert done.eccentric_ms == PLANNED_ECCENTRIC_MS - 1500


async def test_a_rep_restarted_once_counts_once_in_full() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(6.5)  # lifting, rep 1.1
    session.engine.restart_rep()
    await session.finish()
    done = summarize(session.engine)
    assert (done.reps_done, done.tut_ms) == (4, PLANNED_TUT_MS)


async def at_position(engine: SessionEngine, clock: FakeClock, ms: int) -> None:
    """Advance the clock until the session is at timeline time `ms`."""
    await clock.advance((ms - engine.position_ms) / 1000)


async def test_the_history_stores_the_time_under_tension_the_summary_counts(
    tmp_path: Path,
) -> None:
    """The loaded curl, wired as the CLI wires it (with the audio lead): set 1's first
    lowering skipped half-way, set 2's first lift too, and the session stopped in the rep
    after it, so set 2 is kept as a partial set of one rep."""
    with History.open(tmp_path / "history.sqlite3") as history:
        session = loaded_session(tmp_path, history)
        engine, clock = session.engine, session.engine.clock
        assert isinstance(clock, FakeClock)
        task = asyncio.ensure_future(engine.run())
        await clock.settle()
        await at_position(engine, clock, 45_000)  # set 1, rep 1 lowers from 44 s to 46 s
        engine.skip()
        await at_position(engine, clock, 86_500)  # set 2, rep 1 lifts from 86 s to 87 s
        engine.skip()
        await at_position(engine, clock, 88_000)
        engine.stop()
        await task
        done = summarize(engine)
        await session.finish()
        rows = [row for row in history.sets(history.sessions()[0].id) if not row.warmup]
        assert [(row.reps_done, row.tut_ms) for row in rows] == [(2, 6000 - 1000), (1, 3000 - 500)]
        assert done.tut_ms == sum(row.tut_ms for row in rows) == 7500
        assert done.reps_done == sum(row.reps_done for row in rows) == 3
