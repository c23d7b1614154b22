"""One session's writes to the history, in order, on a thread of their own.

Whoever runs a session (an engine listener on the event loop, the stopwatch screen) must
never wait for the disk: it hands each write to a `SessionWriter` and carries on. The
writer's thread has its own connection with a short busy timeout. A write that fails
(locked, read-only, disk full) stays queued, in order, and is tried again every
`retry_s` and once more at the end; the failure is reported once and so is the recovery;
`close` says exactly what could not be saved. The thread also keeps the session's heartbeat,
so that no other process takes a live session for an interrupted one.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from tempo_coach.core.models import Load
from tempo_coach.core.taps import SetTiming
from tempo_coach.store.history import (
    FinalStatus,
    History,
    HistoryError,
    Owner,
    SessionRow,
    SessionTakenOver,
    SetRecord,
    check_durations,
    check_load,
    check_note,
    check_programme,
    check_record,
    check_rpe,
    utc_now,
)

RETRY_SECONDS = 1.0
"""How often a failed write is tried again: a lock let go is noticed within this."""
HEARTBEAT_SECONDS = 5.0
"""How often a running session says its process is alive (well inside `STALE_AFTER`)."""
WRITE_BUSY_TIMEOUT_SECONDS = 0.25
"""How long one attempt waits on another program's lock before it counts as failed."""
CLOSE_SECONDS = 2.0
"""How long `close` waits, by default, for what is still queued."""
_JOIN_SLACK_SECONDS = 0.5
"""Beyond the close deadline: the last attempt's busy timeout and its commit."""

Deliver = Callable[[Callable[[], None]], None]
"""Runs a callback where the caller wants its notices: on its event loop, say."""


def deliver_on_running_loop() -> Deliver:
    """Callbacks from the writer's thread run on the caller's event loop; with no loop
    running, on the writer's thread."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return lambda callback: callback()

    def deliver(callback: Callable[[], None]) -> None:
        with suppress(RuntimeError):  # the loop has closed: nobody is listening any more
            loop.call_soon_threadsafe(callback)

    return deliver


def failure_notice(error: HistoryError) -> str:
    """What the lifter reads when the history cannot be written mid-session."""
    if error.kind == "locked":
        return "History is locked by another program; your sets are kept and saved when it frees"
    if error.kind == "read_only":
        return (
            f"History is read-only; your sets are kept and saved if it becomes writable ({error})"
        )
    if error.kind == "full":
        return "The disk is full; your sets are kept and saved when there is room"
    return f"History cannot be saved ({error}); your sets are kept until the session ends"


RECOVERED = "History saved again: the sets kept meanwhile are written"
CLAIM_LOST = "Another Tempo Coach resumed that session first; this one is saved as a new session"
TAKEN_OVER = "Another Tempo Coach took this session over; your next sets are saved as a new session"


@dataclass
class SetTicket:
    """A set handed to the writer; `id` is its row once it is written."""

    label: str
    """``"set 2/4 of Romanian deadlift"``, for saying it was not saved."""
    id: int | None = None

    def row(self) -> int:
        """The set's row, for what is attached to it. The queue is in order, so the set was
        written first, unless it was given up (KeyError: then so is what belongs to it)."""
        if self.id is None:
            raise KeyError(self.label)
        return self.id


@dataclass
class _Session:
    """The writer thread's view of its session row."""

    workout_name: str
    workout_path: str
    workout_hash: str
    started_at: datetime
    owner: Owner
    programme: tuple[str, int] | None = None
    id: int | None = None
    """None until the row is written, and again once another process took it over."""
    finished: bool = False
    lost_told: bool = False


class _Write(Protocol):
    description: str | None
    """What is lost if this write never happens, in the lifter's words; None for
    bookkeeping the lifter need not hear about."""

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None: ...


@dataclass
class _Start:
    description: str | None = None

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        writer.new_session(db)


@dataclass
class _Resume:
    """Claim an interrupted session; if another process claimed it first, start a new one."""

    row: SessionRow
    description: str | None = None

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        if db.claim(self.row, session.owner):
            session.id = self.row.id
            return
        writer.new_session(db)
        writer.tell(writer.on_failure, CLAIM_LOST)


@dataclass
class _RecordSet:
    record: SetRecord
    ticket: SetTicket
    on_saved: Callable[[], None] | None
    description: str | None = field(init=False)

    def __post_init__(self) -> None:
        label = self.ticket.label
        self.description = label[:1].upper() + label[1:]

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        if session.id is None:
            writer.new_session(db)
        assert session.id is not None  # new_session wrote it
        try:
            self.ticket.id = db.record_set(session.id, self.record, owner=session.owner)
        except (SessionTakenOver, KeyError):  # another process runs it, or it was deleted
            writer.taken_over()
            writer.new_session(db)
            self.ticket.id = db.record_set(session.id, self.record, owner=session.owner)
        if self.on_saved is not None:
            writer.tell(self.on_saved)


@dataclass
class _Rate:
    ticket: SetTicket
    rpe: int
    description: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"RPE {self.rpe} for {self.ticket.label}"

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        db.set_effort(self.ticket.row(), self.rpe)


@dataclass
class _SetLoad:
    ticket: SetTicket
    load: Load | None
    description: str | None = field(init=False)

    def __post_init__(self) -> None:
        shown = "no load" if self.load is None else str(self.load)
        self.description = f"The load ({shown}) of {self.ticket.label}"

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        db.set_load(self.ticket.row(), self.load)


@dataclass
class _SetNote:
    ticket: SetTicket
    text: str
    description: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"The note on {self.ticket.label}"

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        db.set_note(self.ticket.row(), self.text)


@dataclass
class _SessionNote:
    text: str
    description: str | None = "The session's note"

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        if session.id is None:  # taken over, nothing of ours written since: no row to note
            raise KeyError("session")
        db.set_session_note(session.id, self.text)


@dataclass
class _Durations:
    ticket: SetTicket
    durations: list[list[int]]
    spans: SetTiming | None
    description: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"The tapped phase times of {self.ticket.label}"

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        db.set_phase_durations(self.ticket.row(), self.durations, self.spans)


@dataclass
class _Finish:
    status: FinalStatus
    ended_at: datetime
    description: str | None = None

    def apply(self, db: History, session: _Session, writer: SessionWriter) -> None:
        if session.id is not None:  # None: taken over, and nothing written since
            with suppress(SessionTakenOver):  # then it is the other process's to finish
                db.finish_session(
                    session.id, status=self.status, ended_at=self.ended_at, owner=session.owner
                )
        session.finished = True


class SessionWriter:
    """Writes one session to the history from a thread of its own, in order, never raising.

    Args:
        history: the history the session belongs to; the writer opens its own connection
            to the same file, and reads through `history` wait for its queue.
        resume: an interrupted session to claim and carry on, instead of a new one.
        owner: the process named as running the session.
        programme: the programme (file stem, session number) a new session is run from.
        now: the wall clock, for heartbeats and the session's start.
        on_failure / on_recovery: told (once each time) that writes fail, then work again.
        deliver: where those callbacks run (default: the running event loop).
        retry_s, heartbeat_s, busy_timeout_s: see RETRY_SECONDS, HEARTBEAT_SECONDS and
            WRITE_BUSY_TIMEOUT_SECONDS.
    """

    def __init__(
        self,
        history: History,
        *,
        workout_name: str,
        workout_path: str,
        workout_hash: str,
        started_at: datetime,
        resume: SessionRow | None = None,
        owner: Owner | None = None,
        programme: tuple[str, int] | None = None,
        now: Callable[[], datetime] = utc_now,
        on_failure: Callable[[str], None] | None = None,
        on_recovery: Callable[[str], None] | None = None,
        deliver: Deliver | None = None,
        retry_s: float = RETRY_SECONDS,
        heartbeat_s: float = HEARTBEAT_SECONDS,
        busy_timeout_s: float = WRITE_BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self.history = history
        self.now = now
        self.on_failure = on_failure
        self.on_recovery = on_recovery
        self.deliver = deliver if deliver is not None else deliver_on_running_loop()
        self.retry_s = retry_s
        self.heartbeat_s = heartbeat_s
        self.busy_timeout_s = busy_timeout_s
        check_programme(programme)
        self._session = _Session(
            workout_name,
            workout_path,
            workout_hash,
            started_at,
            owner if owner is not None else Owner.this_process(),
            programme,
        )
        self._queue: deque[_Write] = deque([_Start() if resume is None else _Resume(resume)])
        self._lost: list[str] = []
        """Writes given up because their row vanished (another program deleted it)."""
        self._changed = threading.Condition()
        self._failing = False
        """Between a failed write and the queue's next emptying: the episode told once."""
        self._retry_at = 0.0
        self._heartbeat_at = time.monotonic() + heartbeat_s
        self._closing = False
        self._give_up_at = 0.0
        self._db: History | None = None
        history.attach_writer(self)
        # A daemon, so that a history that never frees cannot keep the process alive; and
        # closed at exit, so that a caller that forgot `close` (or crashed) still flushes.
        self._thread = threading.Thread(target=self._run, name="tempo-coach history", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # -- the caller's side ---------------------------------------------------------

    def add_set(
        self, record: SetRecord, label: str, on_saved: Callable[[], None] | None = None
    ) -> SetTicket:
        """Queue a set; `on_saved` is delivered once it is committed."""
        check_record(record)
        ticket = SetTicket(label)
        self._submit(_RecordSet(record, ticket, on_saved))
        return ticket

    def set_effort(self, ticket: SetTicket, rpe: int) -> None:
        check_rpe(rpe)
        self._submit(_Rate(ticket, rpe))

    def set_load(self, ticket: SetTicket, load: Load | None) -> None:
        check_load(load)
        self._submit(_SetLoad(ticket, load))

    def set_note(self, ticket: SetTicket, text: str) -> None:
        check_note(text)
        self._submit(_SetNote(ticket, text))

    def set_session_note(self, text: str) -> None:
        """The session's note; queued after the finish, it is still written before `close`
        returns."""
        check_note(text)
        self._submit(_SessionNote(text))

    @property
    def session_id(self) -> int | None:
        """The session's row once it is written (None before, and after another process
        took it over until this one's next write)."""
        return self._session.id

    def set_phase_durations(
        self, ticket: SetTicket, durations: list[list[int]], spans: SetTiming | None = None
    ) -> None:
        """Attach tapped durations (and, when known, the spans they came from) to a set."""
        check_durations(durations)
        self._submit(_Durations(ticket, [list(rep) for rep in durations], spans))

    def finish(self, status: FinalStatus, ended_at: datetime) -> None:
        self._submit(_Finish(status, ended_at))

    def _submit(self, write: _Write) -> None:
        with self._changed:
            self._queue.append(write)
            self._changed.notify_all()

    def wait_idle(self, timeout_s: float) -> None:
        """Wait until everything queued is written, or writing is failing (nothing to gain
        by waiting then), or `timeout_s` has passed."""
        if threading.current_thread() is self._thread:
            return  # a callback run on the writer's own thread: it cannot wait for itself
        with self._changed:
            self._changed.wait_for(
                lambda: not self._queue or self._failing or not self._thread.is_alive(), timeout_s
            )

    def close(self, timeout_s: float = CLOSE_SECONDS) -> list[str]:
        """Try what is still queued once more, and again until `timeout_s` has passed; then
        stop, and return what could not be saved (``["Set 2/4 of Romanian deadlift"]``)."""
        with self._changed:
            if not self._closing:
                self._closing = True
                self._give_up_at = time.monotonic() + timeout_s
                self._retry_at = 0.0  # the end is worth one more try, at once
                self._changed.notify_all()
        self._thread.join(timeout_s + self.busy_timeout_s + _JOIN_SLACK_SECONDS)
        self.history.detach_writer(self)
        atexit.unregister(self.close)
        with self._changed:
            return [*self._lost, *(write.description for write in self._queue if write.description)]

    # -- the writer thread -----------------------------------------------------------

    def tell(self, callback: Callable[..., None] | None, *arguments: object) -> None:
        if callback is not None:
            self.deliver(lambda: callback(*arguments))

    def new_session(self, db: History) -> None:
        session = self._session
        session.id = db.start_session(
            workout_name=session.workout_name,
            workout_path=session.workout_path,
            workout_hash=session.workout_hash,
            started_at=session.started_at,
            owner=session.owner,
            programme=session.programme,
        )

    def taken_over(self) -> None:
        """Another process runs our session now: what comes next goes into a new one."""
        self._session.id = None
        if not self._session.lost_told:
            self._session.lost_told = True
            self.tell(self.on_failure, TAKEN_OVER)

    def _run(self) -> None:
        while (job := self._next()) is not None:
            job()
        if self._db is not None:
            self._db.close()

    def _next(self) -> Callable[[], None] | None:
        """Wait for the next thing to do: the queue's first write, or a heartbeat; None
        once closing has nothing left or has run out of time."""
        with self._changed:
            while True:
                now = time.monotonic()
                if self._closing and (not self._queue or now >= self._give_up_at):
                    return None
                if self._queue and now >= self._retry_at:
                    return self._write_first
                if now >= self._heartbeat_at:
                    self._heartbeat_at = now + self.heartbeat_s
                    return self._beat
                wake = [self._heartbeat_at]
                if self._queue:
                    wake.append(self._retry_at)
                if self._closing:
                    wake.append(self._give_up_at)
                self._changed.wait(min(wake) - now)

    def _connect(self) -> History:
        if self._db is None:
            self._db = History(self.history.path, busy_timeout_s=self.busy_timeout_s, now=self.now)
        return self._db

    def _disconnect(self) -> None:
        """Drop the connection after a failure: one opened read-only stays read-only."""
        if self._db is not None:
            with suppress(HistoryError):
                self._db.close()
            self._db = None

    def _write_first(self) -> None:
        with self._changed:
            write = self._queue[0]
        try:
            write.apply(self._connect(), self._session, self)
        except KeyError:  # its row is gone (deleted by another program): it cannot be done
            if write.description:
                self._lost.append(write.description)
        except Exception as error:  # whatever fails, the session goes on
            self._failed(
                error
                if isinstance(error, HistoryError)
                else HistoryError(f"{self.history.path}: {error!r}")
            )
            return
        with self._changed:
            self._queue.popleft()
            recovered = self._failing and not self._queue
            if recovered:
                self._failing = False
            self._changed.notify_all()
        if recovered:
            self.tell(self.on_recovery, RECOVERED)

    def _failed(self, error: HistoryError) -> None:
        self._disconnect()
        with self._changed:
            first = not self._failing
            self._failing = True
            self._retry_at = time.monotonic() + self.retry_s
            self._changed.notify_all()
        if first:
            self.tell(self.on_failure, failure_notice(error))

    def _beat(self) -> None:
        """Refresh the heartbeat; a failure is only the next heartbeat's business."""
        session = self._session
        if session.id is None or session.finished:
            return
        try:
            alive = self._connect().heartbeat(session.id, session.owner)
        except HistoryError:
            self._disconnect()
            return
        if not alive:
            self.taken_over()
