"""The session log: the engine's events, written to the history as they happen.

A set (each side of it, for unilateral work) is committed the moment its last rep ends, so
whatever kills the process afterwards, that set is kept; an interrupted session can then
be resumed at the next unit of work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tempo_coach.core.describe import rhythm
from tempo_coach.core.events import Event, RepCompleted, SessionCompleted, SessionStopped
from tempo_coach.core.timeline import Side, Timeline
from tempo_coach.store import History, SessionRow, SetRecord, workout_hash

Unit = tuple[int, int, Side | None]
"""(exercise index, set number, side): the smallest piece of work that is logged."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Resumable:
    """An interrupted session of this very workout, and where it would carry on."""

    session: SessionRow
    start_at: int
    """The segment to start the engine at."""
    done: frozenset[Unit]


def find_resumable(history: History, timeline: Timeline, workout_text: str) -> Resumable | None:
    """The newest interrupted session run from the same file contents, if any is left to do."""
    digest = workout_hash(workout_text)
    for session in history.interrupted_sessions():
        if session.workout_hash != digest:
            continue
        done = frozenset(
            (row.exercise_index, row.set_number, row.side) for row in history.sets(session.id)
        )
        start_at = timeline.resume_point(done)
        if start_at is not None:
            return Resumable(session, start_at, done)
    return None


def resume_words(timeline: Timeline, resume: Resumable) -> str:
    """``"set 2/4 of Romanian deadlift (1 set done)"`` for the prompt that offers to resume."""
    place = timeline.segments[resume.start_at].place
    side = f", {place.side} side" if place.side else ""
    done = len(resume.done)
    return (f"set {place.set_number}/{place.set_count}{side} of {place.exercise_name}"
            f" ({done} set{'s' if done != 1 else ''} done)")


class SessionRecorder:
    """An engine listener that logs every completed set to `history`."""

    def __init__(
        self,
        history: History,
        timeline: Timeline,
        *,
        workout_path: Path,
        workout_text: str,
        resume: Resumable | None = None,
        now: Callable[[], datetime] = utc_now,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.history = history
        self.timeline = timeline
        self.now = now
        self.on_failure = on_failure
        self.failure: str | None = None
        if resume is not None:
            self.session_id = resume.session.id
        else:
            self.session_id = history.start_session(
                workout_name=timeline.workout.name, workout_path=str(workout_path),
                workout_hash=workout_hash(workout_text), started_at=now(),
            )
        self.last_set_id: int | None = None
        """The set an effort rating (RPE) or tapped durations are attached to."""

    def __call__(self, event: Event) -> None:
        """Log the event; a failing disk is reported once and never stops the session."""
        if self.failure is not None:
            return
        try:
            self._log(event)
        except sqlite3.Error as error:
            self.failure = f"History not saved from here on ({error})"
            if self.on_failure is not None:
                self.on_failure(self.failure)

    def _log(self, event: Event) -> None:
        match event:
            case RepCompleted(place=place) if place.rep == place.rep_count:
                exercise = self.timeline.workout.exercises[place.exercise_index]
                self.last_set_id = self.history.record_set(self.session_id, SetRecord(
                    exercise_index=place.exercise_index,
                    exercise=place.exercise_name,
                    side=place.side,
                    set_number=place.set_number,
                    reps_done=place.rep_count,
                    target_tempo=rhythm(exercise),
                    tut_ms=self.timeline.tut_ms(place.exercise_index, place.set_number,
                                                place.side),
                    completed_at=self.now(),
                ))
            case SessionCompleted():
                self.history.finish_session(self.session_id, status="completed",
                                            ended_at=self.now())
            case SessionStopped():
                self.history.finish_session(self.session_id, status="stopped",
                                            ended_at=self.now())

    def rate_effort(self, rpe: int) -> bool:
        """Give the last completed set an effort rating; False if no set is done yet."""
        if self.last_set_id is None:
            return False
        self.history.set_effort(self.last_set_id, rpe)
        return True

    def attach_durations(self, durations: list[list[int]]) -> None:
        """Store the tapped phase durations with the last completed set."""
        if self.last_set_id is not None:
            self.history.set_phase_durations(self.last_set_id, durations)
