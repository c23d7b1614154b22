"""The session log: the engine's events, written to the history as they happen.

A set (each side of it, for unilateral work) is handed to a background writer the moment
its last rep ends, or the lifter ends it early, and is committed a few milliseconds later
(`on_saved` says when); a stop keeps the set in progress as a partial one. The load lifted
and a note can be given to the last set done, and a note to the session, until the log
closes. The event loop never waits for the disk, and a history that is locked, read-only or
full never stops the session: its writes wait in memory and are retried, and `close` says
what could not be saved. An interrupted session (its process died) can be resumed at the
next unit of work, by one process only.
"""

from __future__ import annotations

import asyncio
import functools
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tempo_coach.core.describe import rhythm
from tempo_coach.core.events import (
    Event,
    RepCompleted,
    SessionCompleted,
    SessionStopped,
    SetEndedEarly,
)
from tempo_coach.core.models import Load
from tempo_coach.core.summary import TimeDone, UnitDone, count_sets, reps_tut_ms
from tempo_coach.core.taps import SetTiming
from tempo_coach.core.timeline import Place, SetKey, Side, Timeline
from tempo_coach.store import (
    CLOSE_SECONDS,
    HEARTBEAT_SECONDS,
    RETRY_SECONDS,
    WRITE_BUSY_TIMEOUT_SECONDS,
    FinalStatus,
    History,
    Owner,
    SessionRow,
    SessionWriter,
    SetRecord,
    SetTicket,
    check_load,
    check_note,
    check_rpe,
    utc_now,
    workout_hash,
)

Unit = tuple[int, int, Side | None]
"""(exercise index, set number, side): the smallest piece of work that is logged."""


@dataclass(frozen=True)
class Resumable:
    """An interrupted session of this very workout, and where it would carry on."""

    session: SessionRow
    start_at: int
    """The segment to start the engine at."""
    done: frozenset[Unit]
    """The units done in full; a partial one is done again."""


def find_resumable(history: History, timeline: Timeline, workout_text: str) -> Resumable | None:
    """The newest interrupted session run from the same file contents, if it has a set
    logged and some work left. A session live in another process is never offered."""
    digest = workout_hash(workout_text)
    for session in history.interrupted_sessions():
        if session.workout_hash != digest:
            continue
        done = frozenset(
            (row.exercise_index, row.set_number, row.side)
            for row in history.sets(session.id)
            if not row.partial and not row.warmup  # warm-ups are redone, or skipped, as a whole
        )
        start_at = timeline.resume_point(done) if done else None
        if start_at is not None:
            return Resumable(session, start_at, done)
    return None


def resume_words(timeline: Timeline, resume: Resumable) -> str:
    """``"set 2/4 of Romanian deadlift (1 set done)"`` for the prompt that offers to resume."""
    place = timeline.segments[resume.start_at].place
    side = f", {place.side} side" if place.side else ""
    done = count_sets([UnitDone(*unit) for unit in resume.done])
    return (
        f"set {place.set_number}/{place.set_count}{side} of {place.exercise_name}"
        f" ({done} set{'s' if done != 1 else ''} done)"
    )


@dataclass(frozen=True)
class SavedSet:
    """A set the history has committed: from then on, nothing can lose it."""

    place: Place
    reps_done: int
    partial: bool
    """Cut short by a stop: `reps_done` of the set's `place.rep_count`."""
    ended_early: bool = False
    """Ended by the lifter before its last rep: `reps_done` of `place.rep_count`."""

    @property
    def _kind(self) -> str:
        return "warm-up" if self.place.warmup else "set"

    @property
    def _reps(self) -> str | None:
        """``"2 of 3 reps"`` (``", ended early"``) for a set not done in full, else None."""
        if not (self.partial or self.ended_early):
            return None
        early = ", ended early" if self.ended_early else ""
        return f"{self.reps_done} of {self.place.rep_count} reps{early}"

    @property
    def words(self) -> str:
        """``"set 2/4 · Curl"``, ``"set 1/2 · Single-leg curl · left side"``, for a partial
        set ``"set 3/4 · Curl · 2 of 3 reps"``, for one ended early ``"… · 2 of 3 reps, ended
        early"``, and ``"warm-up 1/2 · Curl"``."""
        place = self.place
        side = f" · {place.side} side" if place.side else ""
        cut = "" if self._reps is None else f" · {self._reps}"
        return (
            f"{self._kind} {place.set_number}/{place.set_count} · {place.exercise_name}{side}{cut}"
        )

    @property
    def label(self) -> str:
        """``"set 2/4 of Curl"`` (``", left side"``, ``" (2 of 3 reps)"``, ``" (2 of 3 reps,
        ended early)"``): the set named in a sentence, as in the list of sets that could not
        be saved."""
        place = self.place
        side = f", {place.side} side" if place.side else ""
        cut = "" if self._reps is None else f" ({self._reps})"
        return (
            f"{self._kind} {place.set_number}/{place.set_count} of {place.exercise_name}{side}{cut}"
        )


class SetListener(ABC):
    """Turns the engine's events into sets: each unit done in full or ended early by the
    lifter, and at a stop the part of one begun; what is done with them is the subclass's."""

    def __init__(self) -> None:
        self._in_progress: Place | None = None
        """The last rep done of a unit not yet done in full: what a stop keeps."""

    def __call__(self, event: Event) -> None:
        match event:
            case RepCompleted(place=place):
                assert place.rep is not None  # a rep has its number
                if place.rep < place.rep_count:
                    self._in_progress = place
                else:
                    self._in_progress = None
                    self.set_done(place, place.rep_count, partial=False)
            case SetEndedEarly(place=place, reps_done=reps):
                self._in_progress = None
                # Ended before a rep was done, it is no set done: logged as a stopped one is.
                self.set_done(place, reps, partial=reps == 0, ended_early=True)
            case SessionCompleted():
                self.ended("completed")
            case SessionStopped():
                if self._in_progress is not None:
                    assert self._in_progress.rep is not None  # a rep has its number
                    self.set_done(self._in_progress, self._in_progress.rep, partial=True)
                    self._in_progress = None
                self.ended("stopped")

    @abstractmethod
    def set_done(
        self, place: Place, reps: int, *, partial: bool, ended_early: bool = False
    ) -> None:
        """A set (one side of it) ended: in full, `partial` when the session stopped, or
        `ended_early` by the lifter with `reps` done."""

    @abstractmethod
    def ended(self, status: FinalStatus) -> None:
        """The session is over: run to its end, or stopped."""


class UnsavedSets(SetListener):
    """What a session did when its history could not even be opened: the sets, kept so
    the lifter is told at the end exactly which were not saved."""

    def __init__(self) -> None:
        super().__init__()
        self.sets: list[SavedSet] = []
        self.status: FinalStatus | None = None

    def set_done(
        self, place: Place, reps: int, *, partial: bool, ended_early: bool = False
    ) -> None:
        self.sets.append(SavedSet(place, reps, partial, ended_early))

    def ended(self, status: FinalStatus) -> None:
        self.status = status


class SessionRecorder(SetListener):
    """An engine listener that logs every set to `history`, off the event loop.

    Calling it never blocks or raises. `on_failure` hears (once) that writes fail and why,
    and `on_recovery` (default: `on_failure`) that they work again; `on_saved` hears of each
    set once it is committed. These run on the event loop that was running when the
    recorder was made (on the writer's thread if none was). Call `close` (or `aclose`) when
    the session is over: it waits a bounded time and returns what could not be saved.

    Each set is stored with the plan's load as both its planned and (until `set_load` says
    otherwise) its actual load. `programme` is the programme (file stem, session number) the
    session belongs to, stored on its row.
    """

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
        on_recovery: Callable[[str], None] | None = None,
        on_saved: Callable[[SavedSet], None] | None = None,
        owner: Owner | None = None,
        programme: tuple[str, int] | None = None,
        retry_s: float = RETRY_SECONDS,
        heartbeat_s: float = HEARTBEAT_SECONDS,
        busy_timeout_s: float = WRITE_BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self.timeline = timeline
        self.now = now
        self.on_saved = on_saved
        self.writer = SessionWriter(
            history,
            workout_name=timeline.workout.name,
            workout_path=str(workout_path),
            workout_hash=workout_hash(workout_text),
            started_at=now(),
            resume=None if resume is None else resume.session,
            owner=owner,
            programme=programme,
            now=now,
            on_failure=on_failure,
            on_recovery=on_recovery if on_recovery is not None else on_failure,
            retry_s=retry_s,
            heartbeat_s=heartbeat_s,
            busy_timeout_s=busy_timeout_s,
        )
        super().__init__()
        self.last_set: SetTicket | None = None
        """The set (its last side) an effort rating (RPE) or tapped durations are attached
        to."""
        self._last_sides: list[SetTicket] = []
        """Every side done of the last set: what its load and note go to."""
        self._last_key: SetKey | None = None
        self._time_done = TimeDone()
        """What was really done of each phase: the time under tension stored, as the
        summary counts it."""

    def __call__(self, event: Event) -> None:
        self._time_done(event)
        super().__call__(event)

    def set_done(
        self, place: Place, reps: int, *, partial: bool, ended_early: bool = False
    ) -> None:
        ticket = self._record(place, reps, partial=partial, ended_early=ended_early)
        if partial and not ended_early:
            return  # stopped part-way: what is rated or noted next is still the last set done
        # Ended early, even before a rep was done: the load, rating and note given in the
        # rest after it are for it (a failed first rep at 100 kg is worth keeping).
        key = place.set_key
        if key != self._last_key:
            self._last_key, self._last_sides = key, []
        self._last_sides.append(ticket)
        self.last_set = ticket

    def ended(self, status: FinalStatus) -> None:
        self.writer.finish(status, self.now())

    def _record(self, place: Place, reps: int, *, partial: bool, ended_early: bool) -> SetTicket:
        exercise = self.timeline.workout.exercises[place.exercise_index]
        saved = SavedSet(place, reps, partial, ended_early)
        record = SetRecord(
            exercise_index=place.exercise_index,
            exercise=place.exercise_name,
            side=place.side,
            set_number=place.set_number,
            reps_done=reps,
            target_tempo=rhythm(exercise),
            tut_ms=reps_tut_ms(
                self.timeline,
                place.exercise_index,
                place.set_number,
                place.side,
                reps,
                warmup=place.warmup,
                done=self._time_done,
            ),
            completed_at=self.now(),
            partial=partial,
            planned_load=place.load,
            load=place.load,
            warmup=place.warmup,
            ended_early=ended_early,
        )
        told = None if self.on_saved is None else functools.partial(self.on_saved, saved)
        return self.writer.add_set(record, saved.label, told)

    def rate_effort(self, rpe: int) -> bool:
        """Give the last completed set an effort rating; False if no set is done yet."""
        check_rpe(rpe)
        if self.last_set is None:
            return False
        self.writer.set_effort(self.last_set, rpe)
        return True

    def set_load(self, load: Load) -> bool:
        """The load actually lifted in the last completed set (each side of a single-leg
        one), when it was not the plan's; False if no set is done yet."""
        check_load(load)
        if not self._last_sides:
            return False
        for ticket in self._last_sides:
            self.writer.set_load(ticket, load)
        return True

    def note_set(self, text: str) -> bool:
        """A note on the last completed set (each side of it); a blank one clears it. False
        if no set is done yet; ValueError for text that is no note (`note_problem` says
        why, for a front end to show first)."""
        check_note(text)
        if not self._last_sides:
            return False
        for ticket in self._last_sides:
            self.writer.set_note(ticket, text)
        return True

    def note_session(self, text: str) -> None:
        """The session's note; it may come after the session has ended (at the summary), and
        is saved before `close` returns. ValueError for text that is no note."""
        self.writer.set_session_note(text)

    @property
    def session_id(self) -> int | None:
        """The session's row in the history once it is written (a resumed one's at once
        after its claim); None before, or while another process has taken it over."""
        return self.writer.session_id

    def attach_spans(self, timing: SetTiming) -> None:
        """Store a tapped set with the last completed set: its durations and its spans, so
        merged phases stay explicit."""
        if self.last_set is not None:
            self.writer.set_phase_durations(self.last_set, timing.durations(), timing)

    def close(self, timeout_s: float = CLOSE_SECONDS) -> list[str]:
        """Wait up to about `timeout_s` for the queued writes; return what could not be
        saved, in the lifter's words (``["Set 2/4 of Romanian deadlift"]``). Blocks."""
        return self.writer.close(timeout_s)

    async def aclose(self, timeout_s: float = CLOSE_SECONDS) -> list[str]:
        """`close` without blocking the event loop, which meanwhile runs the callbacks
        (`on_saved` for the last sets) that arrive before it returns."""
        return await asyncio.to_thread(self.close, timeout_s)
