"""Compile a workout into the exact sequence of timed segments a session plays.

Times are whole milliseconds so that sums are exact: the segments tile the session with no
gaps or overlaps, and an engine can turn offsets into absolute deadlines without drift.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from tempo_coach.core.models import (
    CustomPhase,
    Exercise,
    ExerciseSettings,
    Load,
    PhaseKind,
    PhaseLabel,
    Workout,
)
from tempo_coach.core.tempo import EXPLOSIVE, TempoPart

SegmentKind = Literal["setup", "count_in", "phase", "side_switch", "rest"]
Side = Literal["left", "right"]
COUNTDOWN_SECONDS = 3
"""The last seconds of a rest are counted down (pips, words, a flash) so the lifter gets set."""
UNDER_TENSION: frozenset[PhaseKind] = frozenset({"eccentric", "concentric", "hold", "squeeze"})
"""Phase kinds that load the muscle; "other" (resetting, kneeling up) does not count."""


@dataclass(frozen=True)
class Place:
    """Where in the workout a segment belongs; numbers count from 1 as a lifter says them."""

    exercise_index: int
    """Index of the exercise in the workout (from 0)."""
    exercise_name: str
    set_number: int
    set_count: int
    rep: int | None
    """The rep a phase belongs to; None for setup, count-in, switches and rests."""
    rep_count: int
    """Target reps of this set (per side, for unilateral work)."""
    side: Side | None
    """"left" or "right" for unilateral work, else None."""
    load: Load | None = None
    """The load the plan gives this set, None when it gives none."""
    warmup: bool = False
    """A warm-up set: cued and counted apart from work sets, never working volume. Warm-up
    sets are numbered on their own (`set_number` of `set_count` warm-ups)."""

    @property
    def set_key(self) -> SetKey:
        """Which set this is: warm-up 1 and work set 1 share a number, so the flag is part
        of it. Compare places by this, never by the set number alone."""
        return (self.exercise_index, self.warmup, self.set_number)


SetKey = tuple[int, bool, int]
"""(exercise index, warm-up, set number): one set of the workout."""


@dataclass(frozen=True)
class Segment:
    """One stretch of the session: a setup, a count-in, one phase of a rep, a switch or a rest."""

    kind: SegmentKind
    start_ms: int
    duration_ms: int
    beats: int
    """How many counts fall in the segment, one every `beat_ms` from its start."""
    beat_ms: int
    label: str
    """The word shown and spoken: the phase name, "Setup", "Rest"..."""
    cue: str
    place: Place
    phase_kind: PhaseKind | None = None
    waits_for_ready: bool = False
    """A manual setup: zero planned length, the session waits until the lifter is ready."""

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    def countdown(self) -> list[tuple[int, int]]:
        """(time, seconds left) of each of a rest's last seconds that falls inside it."""
        if self.kind != "rest":
            return []
        return [
            (self.end_ms - left * 1000, left)
            for left in range(COUNTDOWN_SECONDS, 0, -1)
            if self.end_ms - left * 1000 > self.start_ms
        ]


@dataclass(frozen=True)
class Timeline:
    """A compiled workout: its segments in order and the totals derived from them."""

    workout: Workout
    segments: tuple[Segment, ...]

    @property
    def total_ms(self) -> int:
        return self.segments[-1].end_ms if self.segments else 0

    @property
    def manual_setups(self) -> int:
        """Setups that wait for the lifter, whose length is not part of `total_ms`."""
        return sum(1 for segment in self.segments if segment.waits_for_ready)

    def ends_rep(self, index: int) -> bool:
        """Whether segment `index` is the last phase of a rep."""
        segment = self.segments[index]
        following = self.segments[index + 1] if index + 1 < len(self.segments) else None
        return segment.kind == "phase" and (
            following is None or following.kind != "phase" or following.place != segment.place
        )

    @cached_property
    def _next_phase(self) -> tuple[int | None, ...]:
        """For each segment, the index of the first phase after it: one pass from the end,
        so that asking at every segment costs nothing more."""
        following: list[int | None] = [None] * len(self.segments)
        upcoming: int | None = None
        for index in range(len(self.segments) - 1, -1, -1):
            following[index] = upcoming
            if self.segments[index].kind == "phase":
                upcoming = index
        return tuple(following)

    @cached_property
    def last_work_index(self) -> int:
        """The last segment that is not a rest (-1 if there is none): after it, only rests."""
        return next(
            (
                index
                for index in range(len(self.segments) - 1, -1, -1)
                if self.segments[index].kind != "rest"
            ),
            -1,
        )

    def next_phase(self, index: int) -> Segment | None:
        """The first phase after segment `index`, or None when no work follows."""
        following = self._next_phase[index]
        return None if following is None else self.segments[following]

    def ends_set(self, index: int) -> bool:
        """Whether segment `index` is the last phase of a set (after its last side)."""
        segment = self.segments[index]
        if segment.kind != "phase":
            return False
        next_phase = self.next_phase(index)
        return next_phase is None or next_phase.place.set_key != segment.place.set_key

    @cached_property
    def _spans(self) -> dict[SetKey | int, tuple[int, int]]:
        """Where each exercise (by its index), and each set of it (by its `set_key`), lies:
        (first index, last + 1). A set's segments are contiguous, and so are an exercise's."""
        spans: dict[SetKey | int, tuple[int, int]] = {}
        for index, segment in enumerate(self.segments):
            place = segment.place
            for key in (place.exercise_index, place.set_key):
                first, _ = spans.get(key, (index, index))
                spans[key] = (first, index + 1)
        return spans

    def select(
        self,
        exercise_index: int | None = None,
        set_number: int | None = None,
        side: Side | None = None,
        *,
        warmup: bool = False,
    ) -> Iterator[Segment]:
        """The segments of one exercise (warm-ups included), or of one set of it (a work
        set, or with `warmup` a warm-up set; or one side of that set), or all of them. With
        an exercise given, only its own stretch of the timeline is read."""
        first, end = 0, len(self.segments)
        if exercise_index is not None:
            key = exercise_index if set_number is None else (exercise_index, warmup, set_number)
            first, end = self._spans.get(key, (0, 0))
        for index in range(first, end):
            segment = self.segments[index]
            if set_number is not None and (
                segment.place.set_number != set_number or segment.place.warmup != warmup
            ):
                continue
            if side is not None and segment.place.side != side:
                continue
            yield segment

    @cached_property
    def _totals(self) -> dict[tuple[int | None, bool, int | None, Side | None], tuple[int, int]]:
        """(time under tension, eccentric time) of every exercise, set and side, and of the
        whole workout, work and warm-up sets apart, in one pass: a total asked for at every
        set costs nothing more."""
        totals: dict[tuple[int | None, bool, int | None, Side | None], tuple[int, int]] = {}
        for segment in self.segments:
            place = segment.place
            tut = segment.duration_ms if segment.phase_kind in UNDER_TENSION else 0
            eccentric = segment.duration_ms if segment.phase_kind == "eccentric" else 0
            keys = {
                (exercise, place.warmup, set_number, side)
                for exercise in (place.exercise_index, None)
                for set_number in (place.set_number, None)
                for side in (place.side, None)
            }
            for key in keys:
                old_tut, old_eccentric = totals.get(key, (0, 0))
                totals[key] = (old_tut + tut, old_eccentric + eccentric)
        return totals

    def tut_ms(
        self,
        exercise_index: int | None = None,
        set_number: int | None = None,
        side: Side | None = None,
        *,
        warmup: bool = False,
    ) -> int:
        """Time under tension: every loaded phase of every rep, pauses included. Work sets
        only (the working volume), or with `warmup` the warm-up sets only."""
        return self._totals.get((exercise_index, warmup, set_number, side), (0, 0))[0]

    def resume_point(self, done: Collection[tuple[int, int, Side | None]]) -> int | None:
        """Where to carry on when the work sets (exercise index, set number, side) in `done`
        are complete: the first segment of the first unit of work not done (its setup, or for
        a right side its switch), or None if everything is done. Warm-ups are never in
        `done`: an exercise not begun starts again at its warm-ups, one begun skips them."""
        seen: set[tuple[int, int, Side | None]] = set()
        begun = {exercise for exercise, _, _ in done}
        warmups_start: dict[int, int] = {}
        for index, segment in enumerate(self.segments):
            place = segment.place
            if place.warmup:
                warmups_start.setdefault(place.exercise_index, index)
                continue
            unit = (place.exercise_index, place.set_number, place.side)
            if segment.kind in ("setup", "side_switch", "count_in", "phase") and unit not in seen:
                seen.add(unit)
                if unit not in done:
                    if place.exercise_index in begun:
                        return index
                    return warmups_start.get(place.exercise_index, index)
        return None

    def eccentric_ms(
        self,
        exercise_index: int | None = None,
        set_number: int | None = None,
        *,
        warmup: bool = False,
    ) -> int:
        """Time spent lowering under control, in work sets (or with `warmup`, warm-ups)."""
        return self._totals.get((exercise_index, warmup, set_number, None), (0, 0))[1]

    def reps(self, exercise_index: int | None = None, *, warmup: bool = False) -> int:
        """Reps performed (each side counted separately), derived from the rep phases: in
        work sets, or with `warmup` in warm-up sets."""
        return len(
            {
                (segment.place.set_key, segment.place.side, segment.place.rep)
                for segment in self.select(exercise_index)
                if segment.kind == "phase" and segment.place.warmup == warmup
            }
        )


@dataclass(frozen=True)
class RepPhase:
    """A phase of one rep before it is placed on the timeline."""

    label: PhaseLabel
    kind: PhaseKind
    duration_ms: int
    beats: int


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def rep_phases(exercise: Exercise, settings: ExerciseSettings) -> list[RepPhase]:
    """The phases of one rep of the exercise, in the order they are done; empty ones dropped."""
    beat_ms = _ms(settings.beat_seconds)
    if exercise.custom_phases is not None:
        return [_custom(phase, settings, beat_ms) for phase in exercise.custom_phases]
    assert exercise.tempo is not None  # an exercise has a tempo or custom phases
    tempo, labels = exercise.tempo, exercise.phases
    ordered: list[tuple[PhaseLabel, PhaseKind, TempoPart]] = [
        (labels.eccentric, "eccentric", tempo.eccentric),
        (labels.stretched, "hold", tempo.stretched_pause),
        (labels.concentric, "concentric", tempo.concentric),
        (labels.contracted, "squeeze", tempo.contracted_pause),
    ]
    if exercise.starts_with == "concentric":
        ordered = ordered[2:] + ordered[:2]
    phases = []
    for label, kind, part in ordered:
        beats = settings.explosive_beats if part == EXPLOSIVE else float(part)
        if beats > 0:
            duration_ms = _ms(beats * settings.beat_seconds)
            phases.append(RepPhase(label, kind, duration_ms, max(1, int(beats))))
    return phases


def _custom(phase: CustomPhase, settings: ExerciseSettings, beat_ms: int) -> RepPhase:
    label = PhaseLabel(name=phase.name, cue=phase.cue)
    if phase.beats is not None:
        duration_ms = _ms(phase.beats * settings.beat_seconds)
    else:
        assert phase.seconds is not None  # a custom phase has beats or seconds
        duration_ms = _ms(phase.seconds)
    return RepPhase(label, phase.kind, duration_ms, max(1, duration_ms // beat_ms))


class _Builder:
    """Lays segments end to end so that each starts exactly where the last one ended."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.now_ms = 0

    def add(
        self,
        kind: SegmentKind,
        duration_ms: int,
        label: str,
        place: Place,
        *,
        beats: int = 0,
        beat_ms: int = 1000,
        cue: str = "",
        phase_kind: PhaseKind | None = None,
        waits_for_ready: bool = False,
    ) -> None:
        if duration_ms <= 0 and not waits_for_ready:
            return
        self.segments.append(
            Segment(
                kind,
                self.now_ms,
                duration_ms,
                beats,
                beat_ms,
                label,
                cue,
                place,
                phase_kind,
                waits_for_ready,
            )
        )
        self.now_ms += duration_ms


def compile_timeline(workout: Workout) -> Timeline:
    """Every segment of the workout, in order: setup, count-in, each phase of each rep (per
    side), side switches and rests; an exercise's warm-up sets come before its work sets,
    each set a `Place` with its planned load."""
    builder = _Builder()
    last_exercise = len(workout.exercises) - 1
    for index, exercise in enumerate(workout.exercises):
        settings = exercise.settings(workout.defaults)
        beat_ms = _ms(settings.beat_seconds)
        phases = rep_phases(exercise, settings)
        sides: tuple[Side | None, ...] = ("left", "right") if exercise.unilateral else (None,)
        warmups = len(exercise.warmup)
        work_sets = len(exercise.reps_per_set)
        sets = [
            Place(index, exercise.name, number, warmups, None, warmup.reps, sides[0], load, True)
            for number, (warmup, load) in enumerate(
                zip(exercise.warmup, exercise.warmup_loads, strict=True), start=1
            )
        ] + [
            Place(index, exercise.name, number, work_sets, None, reps, sides[0], load)
            for number, (reps, load) in enumerate(
                zip(exercise.reps_per_set, exercise.set_loads, strict=True), start=1
            )
        ]
        for set_place in sets:
            rep_count = set_place.rep_count
            setup = settings.setup
            builder.add(
                "setup",
                0 if setup.mode == "manual" else _ms(setup.seconds),
                "Setup",
                set_place,
                cue=setup.cue,
                waits_for_ready=setup.mode == "manual",
            )
            for side in sides:
                side_place = replace(set_place, side=side)
                if side != sides[0]:
                    builder.add(
                        "side_switch", _ms(settings.side_switch_seconds), "Switch sides", side_place
                    )
                builder.add(
                    "count_in",
                    workout.count_in_beats * beat_ms,
                    "Count-in",
                    side_place,
                    beats=workout.count_in_beats,
                    beat_ms=beat_ms,
                )
                for rep in range(1, rep_count + 1):
                    rep_place = replace(side_place, rep=rep)  # one per rep: `replace` is slow
                    for phase in phases:
                        builder.add(
                            "phase",
                            phase.duration_ms,
                            phase.label.name,
                            rep_place,
                            beats=phase.beats,
                            beat_ms=beat_ms,
                            cue=phase.label.cue,
                            phase_kind=phase.kind,
                        )
            rest_seconds = (
                exercise.warmup_rest_seconds(settings)
                if set_place.warmup
                else settings.rest_seconds
                if set_place.set_number < work_sets
                else settings.rest_after_seconds
                if index != last_exercise
                else 0
            )
            builder.add("rest", _ms(rest_seconds), "Rest", replace(set_place, side=sides[-1]))
    return Timeline(workout, tuple(builder.segments))
