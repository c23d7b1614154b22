"""What a session amounted to, for the summary screen and the plain mode's last line, and
the one definition of a set that the summary, the history and the export all count by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tempo_coach.core.events import Event, RepRestarted, Skipped
from tempo_coach.core.timeline import UNDER_TENSION, Place, Segment, Side, Timeline

if TYPE_CHECKING:  # the engine keeps a `TimeDone`, so it imports this module
    from tempo_coach.core.engine import SessionEngine


@dataclass(frozen=True)
class UnitDone:
    """One side of a set (the whole set, for bilateral work), done in full or cut short."""

    exercise_index: int
    set_number: int
    side: Side | None
    partial: bool = False
    warmup: bool = False
    """A warm-up set's side: shown, but never a set done (not working volume)."""


def completing_units(units: Sequence[UnitDone]) -> list[bool]:
    """For each unit, in the order done, whether it is the one that completes its set.

    A set is done once each of its sides is done in full: a bilateral set by itself, a
    single-leg set when both its left and its right side are. So both sides are one set,
    a set cut short is no set (its reps still count), a set done twice counts once, and a
    warm-up set is never one: only work sets are counted.
    """
    sides_done: dict[tuple[int, int], set[Side | None]] = {}
    complete: set[tuple[int, int]] = set()
    completing = []
    for unit in units:
        key = (unit.exercise_index, unit.set_number)
        if unit.partial or unit.warmup or key in complete:
            completing.append(False)
            continue
        sides = sides_done.setdefault(key, set())
        sides.add(unit.side)
        done = None in sides or {"left", "right"} <= sides
        if done:
            complete.add(key)
        completing.append(done)
    return completing


def count_sets(units: Sequence[UnitDone]) -> int:
    """Sets done, by the definition of `completing_units`."""
    return sum(completing_units(units))


class TimeDone:
    """How long the lifter really spent in each phase, for time under tension: its planned
    length, or, when they skipped the rest of it (`n`), the part before the skip.

    A restarted rep is done, and counted, once: by its last attempt, so the skips of an
    attempt given up are forgotten. Fed the engine's events; the engine keeps one
    (`SessionEngine.time_done`) for the summary, the session log its own for the history,
    so the two agree."""

    def __init__(self) -> None:
        self._cut: dict[Segment, int] = {}
        """The phases skipped part-way, with the milliseconds done of each."""

    def __call__(self, event: Event) -> None:
        match event:
            case Skipped(at_ms=at, segment=segment) if segment.kind == "phase":
                # Before its start is the audio lead of a jump into it: nothing done yet.
                done = min(max(0, at - segment.start_ms), segment.duration_ms)
                self._cut.setdefault(segment, done)
            case RepRestarted(place=place):
                self._cut = {
                    segment: done for segment, done in self._cut.items() if segment.place != place
                }

    def ms(self, segment: Segment) -> int:
        """The time spent in `segment`, once it is over."""
        return self._cut.get(segment, segment.duration_ms)


def reps_tut_ms(
    timeline: Timeline,
    exercise_index: int,
    set_number: int,
    side: Side | None,
    reps: int,
    *,
    warmup: bool = False,
    done: TimeDone | None = None,
) -> int:
    """Time under tension of the first `reps` reps of one unit (a work set's, or with
    `warmup` a warm-up set's): what a set cut short (or a whole one, with all its reps) put
    the muscle through. With `done`, what was really done of each phase; else the plan."""
    done = done if done is not None else TimeDone()
    return sum(
        done.ms(segment)
        for segment in timeline.select(exercise_index, set_number, side, warmup=warmup)
        if segment.phase_kind in UNDER_TENSION
        and segment.place.rep is not None
        and segment.place.rep <= reps
    )


def set_tut_ms(engine: SessionEngine, place: Place) -> int:
    """Time under tension a set just done really had, each side's as the history stores it:
    the reps done (all, or those before the lifter ended the side early), each phase as long
    as it was really done (`TimeDone`)."""
    timeline = engine.timeline
    where = (place.exercise_index, place.set_number)
    sides = {
        segment.place.side
        for segment in timeline.select(*where, warmup=place.warmup)
        if segment.kind == "phase"
    }
    early = {
        e.place.side: e.reps_done for e in engine.ended_early if e.place.set_key == place.set_key
    }
    return sum(
        reps_tut_ms(
            timeline,
            *where,
            side,
            early.get(side, place.rep_count),
            warmup=place.warmup,
            done=engine.time_done,
        )
        for side in sides
    )


@dataclass(frozen=True)
class SessionSummary:
    """Totals of the work done: every completed rep of the work sets counts, a set cut
    short included; warm-up sets are only counted in `warmup_sets_done`.

    A resumed session's totals include the sets done before it was interrupted, as its
    history does; `elapsed_ms` is this run's alone."""

    sets_done: int
    sets_planned: int
    reps_done: int
    elapsed_ms: int
    """Clock time from start to end, pauses and manual setups included."""
    tut_ms: int
    eccentric_ms: int
    stopped: bool
    warmup_sets_done: int = 0
    """Warm-up sets (each side, for single-leg work) done in full: never working volume."""


def summarize(engine: SessionEngine) -> SessionSummary:
    """Count every rep whose last phase is over: all of them once the session has run to
    its end, else those before the segment it is in (where it was stopped), each phase by
    the time really spent in it (`TimeDone`). A set the lifter ended early counts its reps
    done, and is a set done, as the history counts it."""
    timeline = engine.timeline
    segments = timeline.segments
    if engine.finished and not engine.stopped:
        through = len(segments)
    else:
        through = next(index for index, segment in enumerate(segments) if segment is engine.segment)
    reps = tut = eccentric = rep_tut = rep_eccentric = 0
    units: dict[tuple[int, int, Side | None], UnitDone] = {}
    # Warm-up sides done: counted as sets are (both sides one set), but apart from them.
    warmups: dict[tuple[int, int, Side | None], UnitDone] = {}
    ended = {(e.place.set_key, e.place.side): e.reps_done for e in engine.ended_early}
    for index, segment in enumerate(segments[:through]):
        if segment.kind != "phase":
            continue
        cut = ended.get((segment.place.set_key, segment.place.side))
        if cut is not None and (segment.place.rep or 0) > cut:
            continue  # a rep the lifter never did: the set was ended before it
        if segment.place.warmup:
            place = segment.place
            if timeline.ends_rep(index) and place.rep == place.rep_count:
                unit = (place.exercise_index, place.set_number, place.side)
                warmups[unit] = UnitDone(*unit)
            continue
        if segment.phase_kind in UNDER_TENSION:
            rep_tut += engine.time_done.ms(segment)
        if segment.phase_kind == "eccentric":
            rep_eccentric += engine.time_done.ms(segment)
        if timeline.ends_rep(index):
            reps, tut, eccentric = reps + 1, tut + rep_tut, eccentric + rep_eccentric
            rep_tut = rep_eccentric = 0
            place = segment.place
            assert place.rep is not None  # a phase belongs to a rep
            unit = (place.exercise_index, place.set_number, place.side)
            units[unit] = UnitDone(*unit, partial=place.rep < place.rep_count)
    for early in engine.ended_early:
        place = early.place
        unit = (place.exercise_index, place.set_number, place.side)
        # Ended before a rep was done, a set is no set done (as a stopped one is).
        done = UnitDone(*unit, partial=early.reps_done == 0)
        (warmups if place.warmup else units)[unit] = done
    return SessionSummary(
        sets_done=count_sets(list(units.values())),
        sets_planned=sum(len(e.reps_per_set) for e in timeline.workout.exercises),  # work sets
        reps_done=reps,
        elapsed_ms=engine.elapsed_ms,
        tut_ms=tut,
        eccentric_ms=eccentric,
        stopped=engine.stopped,
        warmup_sets_done=count_sets(list(warmups.values())),
    )
