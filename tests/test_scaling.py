"""The plan's cost grows with its length, not its square: work is counted, never timed.

Workouts here go past the 40-exercise cap of workout files (built with `model_copy`, which
does not validate), because programmes will compile many sessions into one plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, SupportsIndex, overload

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core import cues
from tempo_coach.core.cues import Cue, CuePlan
from tempo_coach.core.describe import describe_workout, next_set, plan_exercise, session_totals
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import Segment, Timeline, compile_timeline

from .conftest import BUNDLED_WORKOUTS, REPO
from .fakes import FakeClock, RecordingPlayer


class CountingSegments(tuple[Segment, ...]):
    """A timeline's segments that count every segment read, one by one or by a slice."""

    reads = 0

    def __iter__(self) -> Iterator[Segment]:
        for segment in super().__iter__():
            CountingSegments.reads += 1
            yield segment

    @overload
    def __getitem__(self, key: SupportsIndex) -> Segment: ...
    @overload
    def __getitem__(self, key: slice) -> tuple[Segment, ...]: ...
    def __getitem__(self, key: SupportsIndex | slice) -> Any:
        if isinstance(key, slice):
            some = super().__getitem__(key)
            CountingSegments.reads += len(some)
            return some
        CountingSegments.reads += 1
        return super().__getitem__(key)


def workout_of(exercises: int) -> Workout:
    base = load_workout(REPO / "workouts" / "tempoed-rdl.toml")
    exercise = base.exercises[0].model_copy(update={"sets": 3, "reps": 5})
    return base.model_copy(update={"exercises": [exercise] * exercises})


def counted(workout: Workout) -> Timeline:
    return Timeline(workout, CountingSegments(compile_timeline(workout).segments))


def reads_per_segment(exercises: int) -> float:
    """Segments read by engine construction, planning every cue, a skip and a resume,
    the set announcements of every rest and the totals of every set, per segment."""
    CountingSegments.reads = 0
    timeline = counted(workout_of(exercises))
    engine = SessionEngine(timeline, FakeClock(), RecordingPlayer())
    engine.state = "running"  # as if run() had started: skip and resume re-plan the sound
    engine.skip()
    engine.pause()
    engine.resume()
    for index in range(len(timeline.segments)):
        next_set(timeline, index)
    for exercise in range(exercises):
        for set_number in (1, 2, 3):
            timeline.tut_ms(exercise, set_number)
            timeline.eccentric_ms(exercise, set_number)
    return CountingSegments.reads / len(timeline.segments)


def test_engine_planning_jumps_and_totals_read_each_segment_a_few_times() -> None:
    small, large = reads_per_segment(10), reads_per_segment(100)
    assert large <= small * 1.1  # constant per segment: linear; quadratic would be 10×
    assert large < 30


def test_describe_reads_each_segment_a_few_times() -> None:
    def reads(exercises: int) -> float:
        CountingSegments.reads = 0
        timeline = counted(workout_of(exercises))
        # describe_workout compiles its own timeline: count what it does with one.
        for index in range(exercises):
            plan_exercise(timeline, index)
        session_totals(timeline)
        return CountingSegments.reads / len(timeline.segments)

    assert reads(100) <= reads(10) * 1.1
    assert describe_workout(workout_of(50))  # past the cap, still described


def planned_from_scratch(timeline: Timeline, from_index: int, from_ms: int) -> list[Cue]:
    """What planning cost before `CuePlan`: every segment from `from_index` on, again."""
    planned: list[Cue] = []
    for index in range(from_index, len(timeline.segments)):
        planned.extend(
            Cue(at, sound)
            for layer, at, sound in cues._segment_cues(timeline, index, None)
            if layer in ("click", "voice") and at >= from_ms
        )
        if timeline.segments[index].waits_for_ready:
            break
    return sorted(planned)


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
def test_a_cue_plan_picks_what_planning_from_scratch_would(path: Path) -> None:
    timeline = compile_timeline(load_workout(path))
    plan = CuePlan(timeline, "both")
    for index in range(0, len(timeline.segments), 3):
        start = timeline.segments[index].start_ms
        for from_ms in (start, start + 500):
            assert plan.cues(from_index=index, from_ms=from_ms) == planned_from_scratch(
                timeline, index, from_ms
            )
