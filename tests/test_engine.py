"""The session engine on a fake clock: whole workouts in milliseconds, exact event sequences,
and pause / resume / skip / restart in awkward places."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.events import (
    BeatTicked,
    Event,
    Paused,
    RepCompleted,
    RepRestarted,
    RestChanged,
    RestCountdown,
    Resumed,
    SegmentStarted,
    SessionCompleted,
    SessionStopped,
    SetCompleted,
    SetEndedEarly,
    Skipped,
    WaitingForReady,
)
from tempo_coach.core.models import Workout
from tempo_coach.core.summary import set_tut_ms, summarize
from tempo_coach.core.timeline import compile_timeline

from .conftest import BUNDLED_WORKOUTS
from .fakes import FakeClock, RecordingPlayer

START = 1000.0


def small_workout(**exercise: Any) -> Workout:
    """2 sets × 2 reps of 2-0-1-0: setup 2 s, count-in 2, rest 5 s."""
    base: dict[str, Any] = {
        "name": "Curl",
        "trains": "knee_flexion",
        "category": "assistance",
        "sets": 2,
        "reps": 2,
        "tempo": "2-0-1-0",
        "rest_seconds": 5,
        "setup": {"seconds": 2},
    }
    return Workout.model_validate(
        {"format_version": 1, "name": "W", "count_in_beats": 2, "exercises": [base | exercise]}
    )


class Session:
    """An engine on a fake clock, recording each event with the clock time it fired at."""

    def __init__(self, workout: Workout, lead_seconds: float = 0.0) -> None:
        self.clock = FakeClock(START)
        self.player = RecordingPlayer()
        self.engine = SessionEngine(
            compile_timeline(workout), self.clock, self.player, lead_seconds=lead_seconds
        )
        self.events: list[tuple[float, Event]] = []
        self.engine.subscribe(lambda event: self.events.append((self.clock.now(), event)))
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.engine.run())
        await self.clock.settle()

    async def at(self, seconds: float) -> None:
        """Advance to `seconds` after the start."""
        await self.clock.advance_to(START + seconds)

    async def finish(self) -> None:
        """Run to the end, saying ready at every manual setup."""
        assert self.task is not None
        while not self.task.done():
            await self.clock.run_until_idle()
            if self.engine.state == "waiting":
                self.engine.ready()
            await self.clock.settle()

    def of(self, kind: type[Any]) -> list[Any]:
        return [event for _, event in self.events if isinstance(event, kind)]

    def summary(self) -> list[str]:
        return list(describe(event for _, event in self.events))


def describe(events: Any) -> Iterator[str]:
    for event in events:
        match event:
            case SegmentStarted(at_ms=at, segment=segment):
                yield f"{at} start {segment.label}"
            case BeatTicked(at_ms=at, count=count):
                yield f"{at} beat {count}"
            case RepCompleted(at_ms=at, place=place):
                yield f"{at} rep {place.set_number}.{place.rep}"
            case SetCompleted(at_ms=at, place=place):
                yield f"{at} set {place.set_number} done"
            case SetEndedEarly(at_ms=at, place=place, reps_done=reps):
                side = f" {place.side}" if place.side else ""
                yield f"{at} set {place.set_number}{side} ended at rep {place.rep}, {reps} done"
            case RestCountdown(at_ms=at, seconds_left=left):
                yield f"{at} rest {left}"
            case _:
                yield f"{event.at_ms} {type(event).__name__}"


async def test_exact_event_sequence_of_a_small_workout() -> None:
    session = Session(small_workout())
    await session.start()
    await session.finish()
    assert session.summary() == [
        "0 start Setup",
        "2000 start Count-in",
        "2000 beat 1",
        "3000 beat 2",
        "4000 start Lower",
        "4000 beat 1",
        "5000 beat 2",
        "6000 start Lift",
        "6000 beat 1",
        "7000 rep 1.1",
        "7000 start Lower",
        "7000 beat 1",
        "8000 beat 2",
        "9000 start Lift",
        "9000 beat 1",
        "10000 rep 1.2",
        "10000 set 1 done",
        "10000 start Rest",
        "12000 rest 3",
        "13000 rest 2",
        "14000 rest 1",
        "15000 start Setup",
        "17000 start Count-in",
        "17000 beat 1",
        "18000 beat 2",
        "19000 start Lower",
        "19000 beat 1",
        "20000 beat 2",
        "21000 start Lift",
        "21000 beat 1",
        "22000 rep 2.1",
        "22000 start Lower",
        "22000 beat 1",
        "23000 beat 2",
        "24000 start Lift",
        "24000 beat 1",
        "25000 rep 2.2",
        "25000 set 2 done",
        "25000 SessionCompleted",
    ]
    # Every event fired exactly at its deadline: absolute times, no drift.
    assert all(fired == START + event.at_ms / 1000 for fired, event in session.events)


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
async def test_every_bundled_workout_runs_to_the_end(path: Path) -> None:
    workout = load_workout(path)
    timeline = compile_timeline(workout)
    session = Session(workout)
    await session.start()
    await session.finish()
    completed = session.of(SetCompleted)
    assert len(completed) == sum(len(e.all_reps) for e in workout.exercises)  # warm-ups too
    reps = session.of(RepCompleted)
    assert len([rep for rep in reps if not rep.place.warmup]) == timeline.reps()  # work reps
    assert [e.segment for e in session.of(SegmentStarted)] == list(timeline.segments)
    assert session.of(SessionCompleted)[0].at_ms == timeline.total_ms
    manual = timeline.manual_setups
    assert len(session.of(WaitingForReady)) == manual
    if manual == 0:  # with no waits, the session lasts exactly the planned time
        assert session.clock.now() == START + timeline.total_ms / 1000
    assert session.engine.completed_sets == completed


async def test_a_warm_up_set_reports_its_own_time_under_tension() -> None:
    """A warm-up of 3 reps is numbered 1 like the first work set of 2 reps: its TUT is its
    own, and the work sets' add up to the plan's."""
    workout = small_workout(warmup=[{"reps": 3}])
    session = Session(workout)
    await session.start()
    await session.finish()
    completed = session.of(SetCompleted)
    tuts = [(event.place.warmup, set_tut_ms(session.engine, event.place)) for event in completed]
    assert tuts == [(True, 9000), (False, 6000), (False, 6000)]
    timeline = compile_timeline(workout)
    assert sum(tut for warmup, tut in tuts if not warmup) == timeline.tut_ms()


async def test_pause_mid_phase_loses_and_doubles_no_beat() -> None:
    plain = Session(small_workout())
    await plain.start()
    await plain.finish()
    session = Session(small_workout())
    await session.start()
    await session.at(4.5)  # half-way through the first count of "Lower"
    session.engine.pause()
    await session.at(64.5)  # a minute later
    assert session.engine.position_ms == 4500
    session.engine.resume()
    await session.at(65.0)
    assert session.events[-1] == (START + 65.0, BeatTicked(5000, session.engine.segment, 2, 2))
    await session.finish()
    without_controls = [e for e in session.summary() if "Paused" not in e and "Resumed" not in e]
    assert without_controls == plain.summary()
    assert session.of(Paused) == [Paused(4500)] and session.of(Resumed) == [Resumed(4500)]
    assert session.clock.now() == START + 25.0 + 60.0


async def test_pause_exactly_on_a_beat_fires_it_once() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(5.0)  # the deadline of beat 2 of "Lower"
    session.engine.pause()
    await session.at(8.0)
    session.engine.resume()
    await session.finish()
    beats_at_5000 = [e for e in session.summary() if e.startswith("5000 beat")]
    assert beats_at_5000 == ["5000 beat 2"]


async def test_skip_a_rest_goes_straight_on_without_its_countdown() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(11.0)  # one second into the 5 s rest
    session.engine.skip()
    await session.at(11.0)
    assert session.summary()[-2:] == ["11000 Skipped", "15000 start Setup"]
    assert session.of(RestCountdown) == []
    assert session.events[-1][0] == START + 11.0  # the next setup begins now
    await session.finish()
    assert session.clock.now() == START + 25.0 - 4.0


async def test_skip_in_the_last_rest_second() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(14.5)  # after "rest 1"
    session.engine.skip()
    await session.finish()
    assert [e.seconds_left for e in session.of(RestCountdown)] == [3, 2, 1]
    assert len(session.of(SegmentStarted)) == len(session.engine.timeline.segments)
    assert session.clock.now() == START + 25.0 - 0.5


async def test_extending_a_rest_in_its_last_second_counts_down_again() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(14.5)
    session.engine.change_rest(+15)
    await session.finish()
    assert session.of(RestChanged) == [RestChanged(14500, 15)]
    assert [e.seconds_left for e in session.of(RestCountdown)] == [3, 2, 1, 3, 2, 1]
    assert session.clock.now() == START + 25.0 + 15.0


async def test_shortening_a_rest_past_its_end_skips_it() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(12.0)
    session.engine.change_rest(-15)
    await session.finish()
    assert session.of(Skipped)[0].segment.kind == "rest"
    assert session.clock.now() == START + 25.0 - 3.0


async def test_restart_a_rep_replays_its_phases_and_counts_it_once() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(6.5)  # in "Lift" of rep 1.1
    session.engine.restart_rep()
    await session.finish()
    summary = session.summary()
    assert "6500 RepRestarted" in summary
    assert summary.count("7000 rep 1.1") == 1
    assert [e.place.rep for e in session.of(RepRestarted)] == [1]
    assert summary.count("4000 start Lower") == 2
    assert session.clock.now() == START + 25.0 + 2.5


async def test_quick_restarts_of_one_rep_are_one_restart() -> None:
    """A key pressed twice (or bouncing) inside the jump's audio lead restarts the rep once
    and never pushes it later."""
    session = Session(small_workout(), lead_seconds=0.1)
    await session.start()
    await session.at(6.6)  # in "Lift" of rep 1.1 (each segment begins 0.1 s late)
    for _ in range(3):
        session.engine.restart_rep()
        await session.clock.advance(0.03)
    await session.finish()
    assert [e.place.rep for e in session.of(RepRestarted)] == [1]
    assert session.clock.now() == pytest.approx(START + 0.1 + 25.0 + 2.5 + 0.1)  # two leads


async def test_a_stopped_session_stays_where_it_stopped() -> None:
    """Lines stamped after a stop read where the lifter stopped, never the planned end."""
    session = Session(small_workout())
    await session.start()
    await session.at(6.5)
    session.engine.stop()
    await session.clock.advance(3.0)
    assert session.engine.position_ms == 6500
    assert session.engine.timeline.total_ms == 25000


async def test_restart_outside_a_rep_does_nothing() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(1.0)  # in the setup
    session.engine.restart_rep()
    await session.finish()
    assert session.of(RepRestarted) == []


async def test_a_manual_setup_waits_for_ready() -> None:
    session = Session(small_workout(setup={"mode": "manual"}))
    await session.start()
    await session.clock.run_until_idle()
    assert session.engine.state == "waiting"
    assert session.summary() == ["0 start Setup", "0 WaitingForReady"]
    await session.at(30.0)  # nothing moves while the lifter sets up
    assert len(session.events) == 2
    session.engine.toggle_pause()  # space means "ready" here
    await session.at(30.0)
    assert session.summary()[-2:] == ["0 start Count-in", "0 beat 1"]
    assert session.events[-1][0] == START + 30.0


async def test_stop_keeps_completed_sets() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(20.5)
    session.engine.stop()
    await session.clock.settle()
    assert session.task is not None and session.task.done()
    assert [s.place.set_number for s in session.engine.completed_sets] == [1]
    assert session.of(SessionStopped) == [SessionStopped(20500)]
    await session.at(100.0)
    assert session.of(SessionCompleted) == []


async def test_unilateral_sets_complete_after_the_right_side() -> None:
    session = Session(small_workout(unilateral=True, sets=1))
    await session.start()
    await session.finish()
    sides = [e.place.side for e in session.of(RepCompleted)]
    assert sides == ["left", "left", "right", "right"]
    assert [e.place.side for e in session.of(SetCompleted)] == ["right"]


async def test_audio_is_replanned_from_the_position_on_the_same_origin() -> None:
    session = Session(small_workout(), lead_seconds=0.05)
    await session.start()
    cues, origin = session.player.calls[0]
    assert origin == START + 0.05
    assert cues[0].at_ms == 0 and cues[-1].sound == "voice/workout_complete"
    await session.at(4.55)
    session.engine.pause()
    assert session.player.stops == 1
    await session.at(10.0)
    session.engine.resume()
    cues, origin = session.player.calls[-1]
    assert origin == pytest.approx(START + 10.0 + 0.05 - 4.5)
    assert min(cue.at_ms for cue in cues) >= 4500
    await session.at(10.55)
    # The beat the screen shows and the click the player was given fall on the same time.
    beat = session.events[-1]
    assert isinstance(beat[1], BeatTicked) and beat[1].at_ms == 5000
    assert any(cue.at_ms == 5000 and cue.sound == "click" for cue in cues)
    assert beat[0] == pytest.approx(origin + 5.0)


async def test_a_session_can_start_at_a_later_set() -> None:
    workout = small_workout()
    timeline = compile_timeline(workout)
    second_setup = [i for i, s in enumerate(timeline.segments) if s.kind == "setup"][1]
    session = Session(workout)
    session.engine = SessionEngine(
        timeline, session.clock, session.player, lead_seconds=0.0, start_at=second_setup
    )
    session.engine.subscribe(lambda event: session.events.append((session.clock.now(), event)))
    assert session.engine.position_ms == 15_000
    await session.start()
    await session.finish()
    assert session.summary()[0] == "15000 start Setup"
    assert [s.place.set_number for s in session.engine.completed_sets] == [2]
    assert session.clock.now() == START + 10.0  # only the second set: 25 s - 15 s
    cues, origin = session.player.calls[0]
    assert origin == START - 15.0 and cues[0].at_ms == 15_000


async def test_a_failing_listener_stops_the_session_and_run_raises_it() -> None:
    """A listener bug during a key press never reaches the key's handler; the session is
    stopped (the others hear it end) and `run()` raises the first failure."""
    clock = FakeClock(START)
    engine = SessionEngine(compile_timeline(small_workout()), clock, RecordingPlayer())
    seen: list[Event] = []
    engine.subscribe(seen.append)

    def breaks_on_pause(event: Event) -> None:
        if isinstance(event, Paused):
            raise RuntimeError("listener bug")

    engine.subscribe(breaks_on_pause)
    task = asyncio.ensure_future(engine.run())
    await clock.advance(2)
    engine.pause()  # must not raise here
    with pytest.raises(RuntimeError, match="listener bug"):
        await task
    assert engine.stopped and engine.finished
    assert [type(event) for event in seen[-2:]] == [Paused, SessionStopped]


async def test_events_that_share_a_tick_are_delivered_together() -> None:
    """No other task (the screen drawing a frame) runs between the events of one tick."""
    session = Session(small_workout())
    turns = 0

    async def other_work() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    seen: list[tuple[int, int]] = []
    session.engine.subscribe(lambda event: seen.append((event.at_ms, turns)))
    busy = asyncio.get_running_loop().create_task(other_work())
    await session.start()
    await session.finish()
    busy.cancel()
    by_tick: dict[int, set[int]] = {}
    for at_ms, turn in seen:
        by_tick.setdefault(at_ms, set()).add(turn)
    shared = [turns_seen for at_ms, turns_seen in by_tick.items() if len(turns_seen) > 1]
    assert len(by_tick) < len(seen) and shared == []


async def test_ending_a_set_early_goes_on_with_the_rest_and_keeps_zero_drift() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(7.5)  # half-way through the lowering of rep 1.2
    assert session.engine.end_set_early()
    await session.at(7.5)
    assert session.summary()[-4:] == [
        "7000 start Lower",
        "7000 beat 1",
        "7500 set 1 ended at rep 2, 1 done",
        "10000 start Rest",  # the rest begins now: its whole length
    ]
    await session.finish()
    after = session.summary()[session.summary().index("10000 start Rest") :]
    assert after[:4] == ["10000 start Rest", "12000 rest 3", "13000 rest 2", "14000 rest 1"]
    assert "10000 rep 1.2" not in session.summary()
    assert "10000 set 1 done" not in session.summary()
    assert [s.place.set_number for s in session.engine.completed_sets] == [2]
    jump = next(i for i, (_, e) in enumerate(session.events) if isinstance(e, SetEndedEarly))
    # Every later deadline is the old one moved by exactly the 2.5 s cut: no drift.
    assert all(
        fired == START + event.at_ms / 1000 - 2.5 for fired, event in session.events[jump + 1 :]
    )
    assert session.clock.now() == START + 25.0 - 2.5


async def test_a_set_ended_on_a_rep_boundary_counts_the_rep_just_done() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(7.0)  # rep 1.1 is done, rep 1.2 just begun
    assert session.engine.end_set_early()
    assert session.of(SetEndedEarly)[-1].reps_done == 1
    await session.at(17.0)  # 20 s on the timeline, 3 s having been cut
    assert session.engine.segment.place.rep == 1
    assert session.engine.end_set_early()  # rep 2.1 under way: none done
    assert session.of(SetEndedEarly)[-1].reps_done == 0


async def test_a_unilateral_left_side_ended_early_still_does_the_right() -> None:
    session = Session(small_workout(unilateral=True, sets=1))
    await session.start()
    await session.at(4.5)  # rep 1 of the left side
    assert session.engine.end_set_early()
    await session.finish()
    ended = session.of(SetEndedEarly)
    assert [(e.place.side, e.reps_done) for e in ended] == [("left", 0)]
    starts = [e.segment.kind for e in session.of(SegmentStarted)]
    assert starts[starts.index("count_in") + 1 : starts.index("count_in") + 3] == [
        "phase",
        "side_switch",
    ]
    assert [e.place.side for e in session.of(RepCompleted)] == ["right", "right"]
    assert [e.place.side for e in session.of(SetCompleted)] == ["right"]


async def test_the_last_set_ended_early_goes_to_the_next_exercise_then_the_end() -> None:
    workout = small_workout(sets=1, rest_after_seconds=0)
    second = workout.exercises[0].model_copy(update={"name": "Nordic"})
    workout = workout.model_copy(update={"exercises": [workout.exercises[0], second]})
    session = Session(workout)
    await session.start()
    await session.at(6.5)  # the lift of rep 1 of the first exercise
    assert session.engine.end_set_early()
    await session.at(6.5)
    assert session.summary()[-2:] == ["6500 set 1 ended at rep 1, 0 done", "10000 start Setup"]
    assert session.engine.segment.place.exercise_name == "Nordic"
    await session.at(11.0)  # 14.5 s on the timeline: the second exercise's first lowering
    assert session.engine.end_set_early()
    await session.clock.settle()
    assert session.summary()[-2:] == [
        "14500 set 1 ended at rep 1, 0 done",
        "20000 SessionCompleted",
    ]
    assert session.engine.finished and not session.engine.stopped
    assert session.engine.completed_sets == []


async def test_ending_a_set_early_outside_its_reps_does_nothing() -> None:
    session = Session(small_workout())
    await session.start()
    assert not session.engine.end_set_early()  # ready, not yet running
    for moment in (1.0, 3.0, 12.0):  # setup, count-in, rest
        await session.at(moment)
        assert not session.engine.end_set_early()
    await session.at(17.0)  # set 2's count-in begins
    await session.at(19.5)
    assert session.engine.end_set_early()
    assert not session.engine.end_set_early()  # the jump is under way: once only
    await session.finish()
    assert not session.engine.end_set_early()  # finished
    assert len(session.of(SetEndedEarly)) == 1


async def test_ending_a_set_early_replans_the_sound_from_what_follows() -> None:
    session = Session(small_workout(), lead_seconds=0.05)
    await session.start()
    await session.at(7.55)  # 7.5 s on the timeline
    session.engine.end_set_early()
    cues, origin = session.player.calls[-1]
    # The rest starts after the audio lead, on the origin the screen follows too.
    assert origin == pytest.approx(START + 7.55 + 0.05 - 10.0)
    assert cues and min(cue.at_ms for cue in cues) >= 10_000
    await session.at(7.6)
    fired, started = session.events[-1]
    assert isinstance(started, SegmentStarted) and started.segment.kind == "rest"
    assert fired == pytest.approx(origin + 10.0)


async def test_a_paused_set_can_be_ended_early_and_stays_paused() -> None:
    session = Session(small_workout())
    await session.start()
    await session.at(8.0)
    session.engine.pause()
    assert session.engine.end_set_early()
    assert session.engine.state == "paused" and session.engine.position_ms == 10_000
    await session.at(30.0)
    session.engine.resume()
    await session.at(30.0)
    assert session.summary()[-2:] == ["10000 Resumed", "10000 start Rest"]


async def test_the_summary_counts_a_set_ended_early_by_its_reps_done() -> None:
    session = Session(small_workout())  # 2 × 2 reps of 2-0-1-0: 3 s under tension a rep
    await session.start()
    await session.at(7.5)  # rep 1.2 under way
    session.engine.end_set_early()
    await session.finish()
    done = summarize(session.engine)
    assert (done.sets_done, done.reps_done, done.tut_ms) == (2, 3, 9000)
    assert session.engine.ended_early == session.of(SetEndedEarly)
