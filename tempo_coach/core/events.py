"""What a running session announces: typed events the screen, the sound and the log follow.

Every event carries `at_ms`, its place on the timeline (not the wall clock), so listeners
agree on what happened when whatever the pauses.
"""

from __future__ import annotations

from dataclasses import dataclass

from tempo_coach.core.timeline import Place, Segment


@dataclass(frozen=True)
class SegmentStarted:
    """A setup, count-in, phase, side switch or rest begins."""

    at_ms: int
    index: int
    """The segment's index in the timeline."""
    segment: Segment


@dataclass(frozen=True)
class BeatTicked:
    """A count within a segment: 1 … `beats` for a phase, and for a count-in too."""

    at_ms: int
    segment: Segment
    count: int
    beats: int


@dataclass(frozen=True)
class RepCompleted:
    at_ms: int
    place: Place


@dataclass(frozen=True)
class SetCompleted:
    """The last rep of a set (both sides, for unilateral work) is done (what its time under
    tension really was: `summary.set_tut_ms`)."""

    at_ms: int
    place: Place


@dataclass(frozen=True)
class SetEndedEarly:
    """The lifter ended a set (one side of it, for unilateral work) before its last rep: to
    failure, or after a bad rep. The session goes on from what follows that side."""

    at_ms: int
    place: Place
    """The side ended; `place.rep` is the rep that was under way (None between reps)."""
    reps_done: int
    """Reps completed before the end: what is logged, and what time under tension counts."""


@dataclass(frozen=True)
class RestCountdown:
    """One of the last three seconds of a rest."""

    at_ms: int
    seconds_left: int


@dataclass(frozen=True)
class WaitingForReady:
    """A manual setup: nothing moves until the lifter says ready."""

    at_ms: int
    segment: Segment


@dataclass(frozen=True)
class SessionCompleted:
    at_ms: int


@dataclass(frozen=True)
class Paused:
    at_ms: int


@dataclass(frozen=True)
class Resumed:
    at_ms: int


@dataclass(frozen=True)
class Skipped:
    """The rest of `segment` was skipped (or a setup cut short)."""

    at_ms: int
    segment: Segment


@dataclass(frozen=True)
class RepRestarted:
    at_ms: int
    place: Place


@dataclass(frozen=True)
class RestChanged:
    """The current rest was made longer (positive) or shorter (negative)."""

    at_ms: int
    seconds: float


@dataclass(frozen=True)
class SessionStopped:
    """The lifter stopped before the end; completed sets stay completed."""

    at_ms: int


Event = (
    SegmentStarted
    | BeatTicked
    | RepCompleted
    | SetCompleted
    | SetEndedEarly
    | RestCountdown
    | WaitingForReady
    | SessionCompleted
    | Paused
    | Resumed
    | Skipped
    | RepRestarted
    | RestChanged
    | SessionStopped
)
