"""What a session amounted to, for the summary screen and the plain mode's last line."""

from __future__ import annotations

from dataclasses import dataclass

from tempo_coach.core.engine import SessionEngine


@dataclass(frozen=True)
class SessionSummary:
    """Totals of the work done; time under tension counts completed sets only."""

    sets_done: int
    sets_planned: int
    reps_done: int
    elapsed_ms: int
    """Clock time from start to end, pauses and manual setups included."""
    tut_ms: int
    eccentric_ms: int
    stopped: bool


def summarize(engine: SessionEngine) -> SessionSummary:
    timeline = engine.timeline
    sets = engine.completed_sets
    return SessionSummary(
        sets_done=len(sets),
        sets_planned=sum(len(e.reps_per_set) for e in timeline.workout.exercises),
        reps_done=engine.completed_reps,
        elapsed_ms=engine.elapsed_ms,
        tut_ms=sum(s.tut_ms for s in sets),
        eccentric_ms=sum(
            timeline.eccentric_ms(s.place.exercise_index, s.place.set_number) for s in sets
        ),
        stopped=engine.stopped,
    )
