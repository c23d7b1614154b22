"""The training history: every session and every set done in it, in a SQLite database.

Each write is its own transaction, committed before the call returns, in WAL mode with full
sync: a set that has been written survives kill -9 or a power cut. A session still marked
'running' belongs to the process named as its owner; once that process is gone (or has not
given a sign of life for a while) the session is *interrupted*: it can be resumed at its next
set, by one other process only, or abandoned.

Every public method raises `HistoryError`, never a raw `sqlite3.Error`, with a sentence that
says what is wrong: locked, read-only, disk full, not a history, damaged, or changed by hand.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import socket
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Concatenate, Literal, ParamSpec, Protocol, Self, TypeVar, cast, get_args

from platformdirs import user_data_path

from tempo_coach.core.errors import TempoCoachError
from tempo_coach.core.models import Load, PhaseKind
from tempo_coach.core.summary import UnitDone, count_sets
from tempo_coach.core.taps import PhaseTarget, SetTiming
from tempo_coach.core.text import first_control
from tempo_coach.core.timeline import Side
from tempo_coach.paths import APP_NAME

SessionStatus = Literal["running", "completed", "stopped", "abandoned"]
FinalStatus = Literal["completed", "stopped"]
FailureKind = Literal[
    "locked",
    "read_only",
    "full",
    "not_a_database",
    "corrupt",
    "schema",
    "bad_row",
    "newer",
    "live",
    "taken_over",
    "other",
]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # Version 1: sessions and the sets completed in them.
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            workout_name TEXT NOT NULL,
            workout_path TEXT NOT NULL,
            workout_hash TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT NULL,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'stopped', 'abandoned'))
        )
        """,
        """
        CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            exercise_index INTEGER NOT NULL,
            exercise TEXT NOT NULL,
            side TEXT NULL CHECK (side IN ('left', 'right')),
            set_number INTEGER NOT NULL,
            reps_done INTEGER NOT NULL,
            target_tempo TEXT NOT NULL,
            tut_ms INTEGER NOT NULL,
            completed_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX sets_by_session ON sets (session_id)",
        "CREATE INDEX sessions_by_status ON sessions (status)",
    ),
    # Version 2: an effort rating per set, and the phase durations when they were timed.
    (
        "ALTER TABLE sets ADD COLUMN rpe INTEGER NULL CHECK (rpe BETWEEN 1 AND 10)",
        "ALTER TABLE sets ADD COLUMN phase_durations TEXT NULL",
    ),
    # Version 3: a set cut short by a stop keeps its reps (partial); a running session names
    # the process that runs it and when it last gave a sign of life.
    (
        "ALTER TABLE sets ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1))",
        "ALTER TABLE sessions ADD COLUMN owner_host TEXT NULL",
        "ALTER TABLE sessions ADD COLUMN owner_pid INTEGER NULL",
        "ALTER TABLE sessions ADD COLUMN heartbeat_at TEXT NULL",
    ),
    # Version 4: tapped phases as spans (start and end from the set's first tap, and which
    # phases each covers), so a missed tap's merged phases are explicit; durations stay.
    ("ALTER TABLE sets ADD COLUMN phase_spans TEXT NULL",),
    # Version 5: the planned and the actual load of a set, in kg, each with whether it is
    # bodyweight-based (the kg amount then being what is added, negative for a band); warm-up
    # sets, sets the lifter ended early, a note per set and per session, and the programme
    # (its file stem and session number) a session was run from.
    (
        "ALTER TABLE sets ADD COLUMN planned_load_kg REAL NULL",
        "ALTER TABLE sets ADD COLUMN planned_bodyweight INTEGER NULL"
        " CHECK (planned_bodyweight IN (0, 1))",
        "ALTER TABLE sets ADD COLUMN load_kg REAL NULL",
        "ALTER TABLE sets ADD COLUMN load_bodyweight INTEGER NULL"
        " CHECK (load_bodyweight IN (0, 1))",
        "ALTER TABLE sets ADD COLUMN warmup INTEGER NOT NULL DEFAULT 0 CHECK (warmup IN (0, 1))",
        "ALTER TABLE sets ADD COLUMN ended_early INTEGER NOT NULL DEFAULT 0"
        " CHECK (ended_early IN (0, 1))",
        "ALTER TABLE sets ADD COLUMN note TEXT NULL",
        "ALTER TABLE sessions ADD COLUMN note TEXT NULL",
        "ALTER TABLE sessions ADD COLUMN programme TEXT NULL",
        "ALTER TABLE sessions ADD COLUMN programme_session INTEGER NULL"
        " CHECK (programme_session >= 1)",
    ),
)
"""Migration n (from 0) takes a database from schema version n to n + 1; never edit one that
has shipped, append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)

BUSY_TIMEOUT_SECONDS = 0.5
"""How long a call waits for another program's lock before saying the history is locked:
short, because the callers are people (and an event loop) waiting."""
STALE_AFTER = timedelta(seconds=30)
"""A running session whose owner has given no sign of life for this long is taken for dead
(its process may be frozen, or on another machine, or its pid reused)."""
READ_WAIT_SECONDS = 1.0
"""How long a read waits for this process's own queued writes, so it sees them."""


class HistoryError(TempoCoachError):
    """The history database cannot be opened or used as it is; `kind` says why, for callers
    that react (a session keeps a locked write and retries it, say)."""

    def __init__(self, message: str, kind: FailureKind = "other") -> None:
        super().__init__(message)
        self.kind: FailureKind = kind


class SessionTakenOver(HistoryError):
    """Another process now owns the session this write was for."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "taken_over")


class PendingWrites(Protocol):
    """Writes queued in this process that a read should wait for (a `SessionWriter`)."""

    def wait_idle(self, timeout_s: float) -> None: ...


def default_history_path() -> Path:
    """The user's history (``~/.local/share/tempo-coach/history.sqlite3`` on Linux)."""
    return user_data_path(APP_NAME) / "history.sqlite3"


def workout_hash(text: str) -> str:
    """Identifies the workout file as it was run, so a resume only continues the same plan."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Owner:
    """The process running a session: the host's name and its pid there."""

    host: str
    pid: int

    @classmethod
    def this_process(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid())


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


@dataclass(frozen=True)
class SetRecord:
    """A set (one side of it, for unilateral work) as the session reports it."""

    exercise_index: int
    exercise: str
    side: Side | None
    set_number: int
    reps_done: int
    target_tempo: str
    tut_ms: int
    completed_at: datetime
    phase_durations: list[list[int]] | None = None
    """Measured milliseconds of each phase, one list per rep; None when nothing was timed."""
    phase_spans: SetTiming | None = None
    """The tapped spans behind `phase_durations`, with the phases each covers."""
    rpe: int | None = None
    partial: bool = False
    """Stopped before its last rep: `reps_done` and `tut_ms` count the reps completed."""
    planned_load: Load | None = None
    """The load the plan gave the set; None when it gave none."""
    load: Load | None = None
    """The load lifted: the planned one until the lifter says otherwise."""
    warmup: bool = False
    """A warm-up set: shown, never counted as a set done or as working volume."""
    ended_early: bool = False
    """Ended by the lifter before its last rep (to failure, a bad rep): `reps_done` and
    `tut_ms` count the reps done. Unlike a partial set, it is a set done."""


@dataclass(frozen=True)
class SetRow:
    """A stored set, as read back."""

    id: int
    session_id: int
    exercise_index: int
    exercise: str
    side: Side | None
    set_number: int
    reps_done: int
    target_tempo: str
    tut_ms: int
    completed_at: datetime
    rpe: int | None
    phase_durations: list[list[int]] | None
    partial: bool
    phase_spans: SetTiming | None = None
    """None for a set never timed, and for one stored before spans were (schema 3)."""
    planned_load: Load | None = None
    """In kg, as stored; None when the plan gave none (and for sets stored before schema 5)."""
    load: Load | None = None
    """The load lifted, in kg as stored; None when none was known."""
    warmup: bool = False
    ended_early: bool = False
    note: str | None = None

    @property
    def unit(self) -> UnitDone:
        return UnitDone(self.exercise_index, self.set_number, self.side, self.partial, self.warmup)

    @property
    def volume_kg(self) -> float | None:
        """Volume load, reps × kg (`working_kg`); None for a warm-up, which is never working
        volume, and for a set with no weight to count."""
        kg = None if self.warmup else working_kg(self.load)
        return None if kg is None else round(self.reps_done * kg, 3)

    @property
    def tut_load_kg_s(self) -> float | None:
        """Time under tension × load, in kg·s, counted as `volume_kg` is."""
        kg = None if self.warmup else working_kg(self.load)
        return None if kg is None else round(self.tut_ms / 1000 * kg, 3)

    def marks(self, load_words: Callable[[Load], str]) -> list[str]:
        """What is said of the set beside its figures, in `history N` and the history
        screen alike: "ended early", "stopped part-way", the plan's load (in `load_words`)
        when another was lifted, and the lifter's note as written (the caller shows it as
        text)."""
        marks = [
            words
            for words, when in (
                ("ended early", self.ended_early),
                ("stopped part-way", self.partial),
            )
            if when
        ]
        if self.planned_load is not None and self.planned_load != self.load:
            marks.append(f"planned {load_words(self.planned_load)}")
        if self.note is not None:
            marks.append(f"note: {self.note}")
        return marks


@dataclass(frozen=True)
class SessionRow:
    """A stored session with the totals of its sets."""

    id: int
    workout_name: str
    workout_path: str
    workout_hash: str
    started_at: datetime
    ended_at: datetime | None
    status: SessionStatus
    sets_done: int
    """Work sets done in full, both sides of a unilateral set counting as one (`count_sets`);
    warm-ups are not counted."""
    reps_done: int
    """Every rep of the work sets, partial sets' included (warm-ups' are not)."""
    tut_ms: int
    """Time under tension of the work sets."""
    owner: Owner | None
    heartbeat_at: datetime | None
    live: bool
    """Running, and its owner is alive: not to be resumed or abandoned by anyone else."""
    volume_kg: float | None = None
    """Volume load of the work sets (`SetRow.volume_kg`); None when no set had a weight to
    count, so bodyweight work shows its reps and TUT rather than "0 kg"."""
    note: str | None = None
    programme: str | None = None
    """The file stem of the programme the session was run from; None for a lone workout."""
    programme_session: int | None = None
    """The session's number in that programme, from 1."""


@dataclass(frozen=True)
class ExercisePoint:
    """One session's work on one exercise: a point on a progress plot. Its totals are of the
    work sets alone: warm-ups are never working volume."""

    session_id: int
    started_at: datetime
    tut_ms: int
    reps: int
    mean_rpe: float | None
    """The mean of the rated work sets; None if none was rated."""
    readings: tuple[tuple[int, int | None], ...] = ()
    """The session's clean tapped lowerings of the exercise, each with its target (warm-ups'
    included: they are tempo work too)."""
    top_load: Load | None = None
    """The heaviest load of a work set (by its kg), in kg; None when no load was logged."""
    volume_kg: float | None = None
    """Σ reps × kg over the work sets (`SetRow.volume_kg`); None when none had a weight to
    count (bodyweight work: plot its reps and TUT)."""
    tut_load_kg_s: float | None = None
    """Σ TUT (s) × kg over the work sets, counted as `volume_kg` is."""


def working_kg(load: Load | None) -> float | None:
    """The kg that a set's volume load counts: the weight lifted, or for bodyweight work the
    weight added to it. The history knows no bodyweight, so bodyweight alone (or helped by a
    band) has nothing to count: None, and such a set shows its reps and TUT, never "0 kg"."""
    if load is None:
        return None
    kg = load.kilograms
    return None if load.bodyweight and kg <= 0 else kg


def add_kg(total: float | None, value: float | None) -> float | None:
    """A sum of volume figures where None (nothing to count) is no term, not a zero."""
    if value is None:
        return total
    return round((total or 0.0) + value, 3)


NOTE_LIMIT = 500
"""The longest note, in characters: a line or two, never a file pasted by mistake."""


def note_problem(text: str) -> str | None:
    """Why `text` cannot be a note (a control character, too long), or None if it can;
    for a front end to say before it hands the note over."""
    if len(text) > NOTE_LIMIT:
        return f"A note is at most {NOTE_LIMIT} characters; this one has {len(text)}"
    if (position := first_control(text)) is not None:
        return (
            f"A note is one line of plain text; character {position + 1} is a control"
            " character (a tab, a newline or an escape)"
        )
    return None


def check_note(text: str) -> str | None:
    """The note as stored: the text as given, None for a blank one (which clears it);
    ValueError for text that is no note (`note_problem`)."""
    if not isinstance(text, str):
        raise ValueError(f"A note is text, not {text!r}")
    if (problem := note_problem(text)) is not None:
        raise ValueError(problem)
    return text if text.strip() else None


def check_load(load: Load | None) -> None:
    """Refuse what is not a load (a caller's mistake) before it is queued."""
    if load is not None and not isinstance(load, Load):
        raise ValueError(f"A load is a Load, not {load!r}")


@functools.lru_cache(maxsize=1024)
def _kg_load(kg: float, bodyweight: bool) -> Load:
    """A stored load read back; cached, since a history repeats a few loads over thousands of
    sets and a `Load` is immutable."""
    return Load(bodyweight=bodyweight, amount=kg, unit="kg")


def _load_cells(load: Load | None) -> tuple[float | None, int | None]:
    """A load as stored: its kg, and whether it is bodyweight-based."""
    return (None, None) if load is None else (load.kilograms, int(load.bodyweight))


def check_programme(programme: tuple[str, int] | None) -> None:
    """Refuse a programme that could never be stored: a stem and a session number ≥ 1."""
    if programme is None:
        return
    stem, number = programme
    if not isinstance(stem, str) or not stem or first_control(stem) is not None:
        raise ValueError(f"A programme is named by its file stem, not {stem!r}")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"A programme's session number is a whole number ≥ 1, not {number!r}")


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC, one fixed format, so stored times sort as text."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no time zone; the history stores UTC")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def check_rpe(rpe: int) -> None:
    """Refuse an effort rating that could never be stored (a caller's mistake)."""
    if isinstance(rpe, bool) or not isinstance(rpe, int) or not 1 <= rpe <= 10:
        raise ValueError(f"An effort rating (RPE) is a whole number from 1 to 10, not {rpe!r}")


def _durations_json(durations: Sequence[Sequence[int]]) -> str:
    for rep in durations:
        for value in rep:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"A phase duration is whole milliseconds ≥ 0, not {value!r}")
    return json.dumps([list(rep) for rep in durations], separators=(",", ":"))


def spans_json(timing: SetTiming) -> str:
    """A set's tapped spans as stored: one rep's phases, then each span as
    [rep, index of its first phase, phases covered, start ms, end ms]."""
    return json.dumps(
        {
            "phases": [[phase.name, phase.kind, phase.target_ms] for phase in timing.phases],
            "spans": [
                [t.rep, t.index, len(t.spans), t.start_ms, t.end_ms] for t in timing.timings()
            ],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def spans_from_json(text: str) -> SetTiming:
    """The set `spans_json` stored; ValueError (or TypeError) for anything else."""
    data = json.loads(text)
    phases = [
        PhaseTarget(str(name), _phase_kind(kind), None if target is None else int(target))
        for name, kind, target in data["phases"]
    ]
    spans = [
        (int(rep), int(index), int(covers), int(start), int(end))
        for rep, index, covers, start, end in data["spans"]
    ]
    if not phases or any(
        rep < 1 or not 0 <= index < len(phases) or covers < 1 or end < start
        for rep, index, covers, start, end in spans
    ):
        raise ValueError("spans out of range")
    return SetTiming.from_spans(phases, spans)


def _phase_kind(kind: object) -> PhaseKind:
    if kind not in get_args(PhaseKind):
        raise ValueError(f"not a phase kind: {kind!r}")
    return cast(PhaseKind, kind)


def check_durations(durations: Sequence[Sequence[int]]) -> None:
    """Refuse phase durations that could never be stored."""
    _durations_json(durations)


def check_record(record: SetRecord) -> None:
    """Refuse a set that could never be stored, so that it is refused before it is queued."""
    if record.rpe is not None:
        check_rpe(record.rpe)
    if record.phase_durations is not None:
        check_durations(record.phase_durations)
    check_load(record.planned_load)
    check_load(record.load)
    iso_utc(record.completed_at)


def _read_only_reason(path: Path) -> str | None:
    """Why `path` cannot be written, when that is the reason: the mount, the file or its
    folder (which SQLite writes its journal into). Root ignores modes, not mounts."""
    folder = path.parent
    try:
        if os.statvfs(path if path.exists() else folder).f_flag & os.ST_RDONLY:
            return "is on a read-only file system (a read-only mount)"
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return "is a read-only file"
    if not os.access(folder, os.W_OK):
        return f"is in a read-only folder ({folder}), where SQLite must write its journal"
    return None


_SCHEMA_WORDS = ("no such table", "no such column", "has no column named", "values were supplied")


def _explain(path: Path, error: sqlite3.Error) -> HistoryError:
    """The sentence for what SQLite reported, by its result code rather than its wording."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return HistoryError(
            f"{path}: the history is locked by another program (a second Tempo Coach, or an "
            "sqlite3 shell in a transaction); try again when it lets go",
            "locked",
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN) and (
        reason := _read_only_reason(path)
    ):
        return HistoryError(
            f"{path}: the history {reason}, so nothing can be saved to it", "read_only"
        )
    if code == sqlite3.SQLITE_READONLY:
        return HistoryError(f"{path}: the history cannot be written ({error})", "read_only")
    # On a full disk WAL mode cannot make its -shm file, which SQLite calls an I/O error.
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return HistoryError(
            f"{path}: the disk holding the history is full; free some space", "full"
        )
    if code == sqlite3.SQLITE_NOTADB:
        return HistoryError(
            f"{path}: not a Tempo Coach history database ({error}); move it aside to start a "
            "new history",
            "not_a_database",
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return HistoryError(
            f"{path}: the history is damaged: SQLite found corrupt pages ({error}); "
            f"`sqlite3 {path} .recover` can rescue what is still readable",
            "corrupt",
        )
    if any(words in str(error) for words in _SCHEMA_WORDS):
        return HistoryError(
            f"{path}: the history's tables were changed by hand ({error})", "schema"
        )
    return HistoryError(f"{path}: the history cannot be used: {error}")


def _disk_full(path: Path) -> bool:
    """Whether the file system holding the history has no room left for a user."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _explain_os(path: Path, error: OSError) -> HistoryError:
    """The sentence for a folder that cannot be made or a file that cannot be opened."""
    if error.errno == errno.ENOSPC:
        return HistoryError(
            f"{path}: the disk holding the history is full; free some space", "full"
        )
    if (reason := _read_only_reason(path)) is not None:
        return HistoryError(
            f"{path}: the history {reason}, so nothing can be saved to it", "read_only"
        )
    return HistoryError(f"{path}: cannot open the history: {error}")


@functools.cache
def _expected_columns() -> dict[str, frozenset[str]]:
    """The columns each table has after every migration, as a new history gets them."""
    with closing(sqlite3.connect(":memory:")) as fresh:
        for migration in MIGRATIONS:
            for statement in migration:
                fresh.execute(statement)
        return {
            table: frozenset(row[1] for row in fresh.execute(f"PRAGMA table_info({table})"))
            for table in ("sessions", "sets")
        }


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[Concatenate[History, P], R]) -> Callable[Concatenate[History, P], R]:
    """Turn whatever SQLite raises into a HistoryError that says what is wrong."""

    @functools.wraps(method)
    def guarded(history: History, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(history, *args, **kwargs)
        except sqlite3.Error as error:
            raise _explain(history.path, error) from error

    return guarded


_SESSION_QUERY = """
    SELECT s.id, s.workout_name, s.workout_path, s.workout_hash, s.started_at, s.ended_at,
           s.status, s.owner_host, s.owner_pid, s.heartbeat_at, s.note, s.programme,
           s.programme_session
    FROM sessions AS s
    WHERE {where}
    ORDER BY s.started_at DESC, s.id DESC
"""
_UNITS_QUERY = """
    SELECT t.id, t.session_id, t.exercise_index, t.set_number, t.side, t.partial, t.reps_done,
           t.tut_ms, t.load_kg, t.load_bodyweight
    FROM sets AS t JOIN sessions AS s ON s.id = t.session_id
    WHERE ({where}) AND t.warmup = 0
    ORDER BY t.id
"""
"""The work sets of the sessions matching `where`: what their totals count."""
_SET_COLUMNS = (
    "id, session_id, exercise_index, exercise, side, set_number, reps_done, target_tempo,"
    " tut_ms, completed_at, rpe, phase_durations, partial, phase_spans, planned_load_kg,"
    " planned_bodyweight, load_kg, load_bodyweight, warmup, ended_early, note"
)
_OWNED = "id = ? AND status = 'running' AND owner_host = ? AND owner_pid = ?"
"""A session still run by the process named in the parameters."""
_AS_SEEN = (
    "id = ? AND status = 'running' AND owner_host IS ? AND owner_pid IS ? AND heartbeat_at IS ?"
)
"""A running session whose owner is still the one a reader saw (and judged dead)."""


class History:
    """The history database at `path`, migrated to the current schema on open.

    Args:
        busy_timeout_s: how long a call waits on another program's lock.
        now: the wall clock, for telling a live session from a dead one.
    """

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_SECONDS,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = path
        self._now = now
        self._writers: set[PendingWrites] = set()
        self._writers_lock = threading.Lock()
        try:
            # Private to the user: a training log is nobody else's business. SQLite gives its
            # -wal and -shm files the database file's own permissions.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another copy may make it first
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            # Autocommit: every statement is its own transaction, committed when it returns.
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_s)
        except OSError as error:
            raise _explain_os(path, error) from error
        except sqlite3.Error as error:
            raise _explain(path, error) from error
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self._check_schema()
        except sqlite3.Error as error:
            self._connection.close()
            raise _explain(path, error) from error
        except HistoryError:
            self._connection.close()
            raise

    @classmethod
    def open(cls, path: Path | None = None) -> Self:
        """The history at `path`, or the user's own one."""
        return cls(path if path is not None else default_history_path())

    @_guarded
    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _user_version(self) -> int:
        return cast(int, self._connection.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Apply the missing migrations, each in one transaction with its version bump.

        The version is read again under the write lock, in case another process (a second
        `tempo-coach` run) migrated the file in the meantime.
        """
        while (version := self._user_version()) != SCHEMA_VERSION:
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"{self.path}: this history was written by a newer Tempo Coach (schema "
                    f"version {version}; this one reads up to {SCHEMA_VERSION}). Update Tempo "
                    "Coach to use it.",
                    "newer",
                )
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                if self._user_version() == version:
                    for statement in MIGRATIONS[version]:
                        self._connection.execute(statement)
                    self._connection.execute(f"PRAGMA user_version = {version + 1}")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _check_schema(self) -> None:
        """A table dropped or rebuilt by hand is named now, not as a puzzling error later."""
        for table, expected in _expected_columns().items():
            found = {row[1] for row in self._connection.execute(f"PRAGMA table_info({table})")}
            if not found:
                raise HistoryError(
                    f"{self.path}: the history's schema is broken: its table '{table}' is missing",
                    "schema",
                )
            if missing := expected - found:
                others = (
                    f"; it has {', '.join(sorted(found - expected))} instead"
                    if (found - expected)
                    else ""
                )
                raise HistoryError(
                    f"{self.path}: the history's schema is broken: the table '{table}' lacks "
                    f"the columns {', '.join(sorted(missing))}{others}",
                    "schema",
                )

    def _bad_row(self, what: str, value: object, meant: str) -> HistoryError:
        return HistoryError(f"{self.path}: {what} {value!r}, which is not {meant}", "bad_row")

    def _stored_load(self, kg: object, bodyweight: object, what: str) -> Load | None:
        """A stored load (kg and bodyweight flag, both or neither); anything else names its row."""
        if kg is None and bodyweight is None:
            return None
        try:
            if not isinstance(kg, int | float) or bodyweight not in (0, 1):
                raise ValueError("half a load")
            return _kg_load(float(kg), bool(bodyweight))
        except ValueError:  # a pydantic ValidationError too: a weight of 0 kg, say
            raise self._bad_row(
                what, (kg, bodyweight), "a load (its kg, and 0 or 1 for bodyweight-based)"
            ) from None

    def _timestamp(self, text: object, what: str) -> datetime:
        """A stored time; one that is not a time names its row."""
        try:
            moment = datetime.fromisoformat(cast(str, text))
        except (TypeError, ValueError):
            raise self._bad_row(what, text, "a date and time") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def attach_writer(self, writer: PendingWrites) -> None:
        """Make reads wait (briefly) for `writer`'s queued writes: this process sees the set
        it has just done, though another thread writes it."""
        with self._writers_lock:
            self._writers.add(writer)

    def detach_writer(self, writer: PendingWrites) -> None:
        with self._writers_lock:
            self._writers.discard(writer)

    def _settle(self) -> None:
        with self._writers_lock:
            writers = tuple(self._writers)
        for writer in writers:
            writer.wait_idle(READ_WAIT_SECONDS)

    def _update(self, sql: str, parameters: tuple[object, ...], key: int) -> None:
        """Run one UPDATE; an id that matches nothing is a caller's mistake, not silence."""
        if self._connection.execute(sql, parameters).rowcount != 1:
            raise KeyError(key)

    def _taken_over(self, session_id: int) -> HistoryError:
        """Why an owned write matched nothing: no such session (a caller's mistake, KeyError)
        or another process runs it now."""
        if (
            self._connection.execute(
                "SELECT 1 FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            is None
        ):
            raise KeyError(session_id)
        return SessionTakenOver(f"{self.path}: session {session_id} is run by another process now")

    @_guarded
    def start_session(
        self,
        *,
        workout_name: str,
        workout_path: str,
        workout_hash: str,
        started_at: datetime,
        owner: Owner | None = None,
        programme: tuple[str, int] | None = None,
    ) -> int:
        """Record a new running session and return its id; with `owner`, it is that
        process's until it finishes or dies. `programme` is the stem of the programme it was
        run from and its session number there."""
        check_programme(programme)
        host, pid, heartbeat = (
            (None, None, None) if owner is None else (owner.host, owner.pid, iso_utc(self._now()))
        )
        stem, number = (None, None) if programme is None else programme
        cursor = self._connection.execute(
            "INSERT INTO sessions (workout_name, workout_path, workout_hash, started_at, status,"
            " owner_host, owner_pid, heartbeat_at, programme, programme_session)"
            " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
            (
                workout_name,
                workout_path,
                workout_hash,
                iso_utc(started_at),
                host,
                pid,
                heartbeat,
                stem,
                number,
            ),
        )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    @_guarded
    def record_set(self, session_id: int, record: SetRecord, *, owner: Owner | None = None) -> int:
        """Store a set, committed before returning; return its id. With `owner`, only into a
        session that process still runs (else `SessionTakenOver`)."""
        check_record(record)
        durations = (
            None if record.phase_durations is None else _durations_json(record.phase_durations)
        )
        values = (
            session_id,
            record.exercise_index,
            record.exercise,
            record.side,
            record.set_number,
            record.reps_done,
            record.target_tempo,
            record.tut_ms,
            iso_utc(record.completed_at),
            record.rpe,
            durations,
            int(record.partial),
            None if record.phase_spans is None else spans_json(record.phase_spans),
            *_load_cells(record.planned_load),
            *_load_cells(record.load),
            int(record.warmup),
            int(record.ended_early),
        )
        insert = (
            "INSERT INTO sets (session_id, exercise_index, exercise, side, set_number, reps_done,"
            " target_tempo, tut_ms, completed_at, rpe, phase_durations, partial, phase_spans,"
            " planned_load_kg, planned_bodyweight, load_kg, load_bodyweight, warmup, ended_early)"
        )
        if owner is None:
            try:
                cursor = self._connection.execute(
                    f"{insert} VALUES ({', '.join('?' * len(values))})", values
                )
            except sqlite3.IntegrityError as error:
                if "FOREIGN KEY" not in str(error):
                    raise
                raise KeyError(session_id) from None
        else:
            cursor = self._connection.execute(
                f"{insert} SELECT {', '.join('?' * len(values))}"
                f" WHERE EXISTS (SELECT 1 FROM sessions WHERE {_OWNED})",
                (*values, session_id, owner.host, owner.pid),
            )
            if cursor.rowcount != 1:
                raise self._taken_over(session_id)
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    @_guarded
    def set_effort(self, set_id: int, rpe: int) -> None:
        """Rate a set's effort from 1 to 10, typically with one key press during the rest."""
        check_rpe(rpe)
        self._update("UPDATE sets SET rpe = ? WHERE id = ?", (rpe, set_id), set_id)

    @_guarded
    def set_load(self, set_id: int, load: Load | None) -> None:
        """The load actually lifted in a set (stored in kg), when the lifter changes it."""
        check_load(load)
        self._update(
            "UPDATE sets SET load_kg = ?, load_bodyweight = ? WHERE id = ?",
            (*_load_cells(load), set_id),
            set_id,
        )

    @_guarded
    def set_note(self, set_id: int, text: str) -> None:
        """A set's note, stored as given; a blank one clears it (`check_note`)."""
        self._update("UPDATE sets SET note = ? WHERE id = ?", (check_note(text), set_id), set_id)

    @_guarded
    def set_session_note(self, session_id: int, text: str) -> None:
        """A session's note, whatever its status (it is often written at the summary)."""
        self._update(
            "UPDATE sessions SET note = ? WHERE id = ?", (check_note(text), session_id), session_id
        )

    @_guarded
    def set_phase_durations(
        self, set_id: int, durations: list[list[int]], spans: SetTiming | None = None
    ) -> None:
        """Attach the measured length of each phase of each rep, in milliseconds, and the
        spans they were measured as, when known."""
        self._update(
            "UPDATE sets SET phase_durations = ?, phase_spans = ? WHERE id = ?",
            (_durations_json(durations), None if spans is None else spans_json(spans), set_id),
            set_id,
        )

    @_guarded
    def finish_session(
        self,
        session_id: int,
        *,
        status: FinalStatus,
        ended_at: datetime,
        owner: Owner | None = None,
    ) -> None:
        """Mark a session as run to the end ('completed') or stopped by the lifter; with
        `owner`, only if that process still runs it (else `SessionTakenOver`)."""
        if status not in ("completed", "stopped"):
            raise ValueError(f"A session finishes 'completed' or 'stopped', not {status!r}")
        if owner is None:
            self._update(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, iso_utc(ended_at), session_id),
                session_id,
            )
        elif (
            self._connection.execute(
                f"UPDATE sessions SET status = ?, ended_at = ? WHERE {_OWNED}",
                (status, iso_utc(ended_at), session_id, owner.host, owner.pid),
            ).rowcount
            != 1
        ):
            raise self._taken_over(session_id)

    @_guarded
    def heartbeat(self, session_id: int, owner: Owner) -> bool:
        """Say that `owner` is alive and still runs the session; False if it no longer does."""
        return (
            self._connection.execute(
                f"UPDATE sessions SET heartbeat_at = ? WHERE {_OWNED}",
                (iso_utc(self._now()), session_id, owner.host, owner.pid),
            ).rowcount
            == 1
        )

    def _if_as_seen(self, row: SessionRow, sql: str, parameters: tuple[object, ...]) -> bool:
        """Run an UPDATE of `row`'s session only if its owner is still the dead one `row`
        shows: of two processes that both judged it dead, one wins."""
        if row.live or row.status != "running":
            return False
        owner = row.owner
        return (
            self._connection.execute(
                f"{sql} WHERE {_AS_SEEN}",
                (
                    *parameters,
                    row.id,
                    None if owner is None else owner.host,
                    None if owner is None else owner.pid,
                    None if row.heartbeat_at is None else iso_utc(row.heartbeat_at),
                ),
            ).rowcount
            == 1
        )

    @_guarded
    def claim(self, row: SessionRow, owner: Owner) -> bool:
        """Take over an interrupted session to resume it; False if it is live or finished,
        or another process claimed it first (that one alone writes to it then)."""
        return self._if_as_seen(
            row,
            "UPDATE sessions SET owner_host = ?, owner_pid = ?, heartbeat_at = ?",
            (owner.host, owner.pid, iso_utc(self._now())),
        )

    @_guarded
    def abandon(self, session_id: int) -> None:
        """The lifter declined to resume an interrupted session: it ended with its last set.
        A session live in another process is refused (HistoryError of kind 'live')."""
        found = self._sessions("s.id = ?", (session_id,))
        if not found:
            raise KeyError(session_id)
        row = found[0]
        if row.status != "running":
            raise HistoryError(
                f"{self.path}: session {session_id} has already ended ({row.status})"
            )
        if row.live or not self._if_as_seen(
            row,
            "UPDATE sessions SET status = 'abandoned', ended_at = COALESCE("
            "(SELECT MAX(completed_at) FROM sets WHERE session_id = sessions.id), started_at)",
            (),
        ):
            raise HistoryError(
                f"{self.path}: session {session_id} is running in another Tempo Coach; it is "
                "left as it is",
                "live",
            )

    def _live(self, status: str, owner: Owner | None, heartbeat_at: datetime | None) -> bool:
        if status != "running" or owner is None or heartbeat_at is None:
            return False
        if self._now() - heartbeat_at > STALE_AFTER:
            return False
        return owner.host != socket.gethostname() or _process_exists(owner.pid)

    def _sessions(self, where: str, parameters: tuple[object, ...] = ()) -> list[SessionRow]:
        """The sessions matching `where` (on `s`, the sessions table), newest first."""
        self._settle()
        units: dict[int, list[UnitDone]] = {}
        totals: dict[int, tuple[int, int, float | None]] = {}
        for (
            set_id,
            session_id,
            exercise_index,
            set_number,
            side,
            partial,
            reps,
            tut_ms,
            load_kg,
            bodyweight,
        ) in self._connection.execute(_UNITS_QUERY.format(where=where), parameters):
            units.setdefault(session_id, []).append(
                UnitDone(exercise_index, set_number, side, bool(partial))
            )
            kg = working_kg(self._stored_load(load_kg, bodyweight, f"set {set_id} has load"))
            all_reps, all_tut, volume = totals.get(session_id, (0, 0, None))
            totals[session_id] = (
                all_reps + reps,
                all_tut + tut_ms,
                add_kg(volume, None if kg is None else reps * kg),
            )
        sessions = []
        for row in self._connection.execute(_SESSION_QUERY.format(where=where), parameters):
            session_id, status = row[0], row[6]
            what = f"session {session_id} has"
            owner = None if row[7] is None else Owner(row[7], row[8])
            heartbeat = None if row[9] is None else self._timestamp(row[9], f"{what} heartbeat_at")
            reps, tut_ms, volume = totals.get(session_id, (0, 0, None))
            sessions.append(
                SessionRow(
                    id=session_id,
                    workout_name=row[1],
                    workout_path=row[2],
                    workout_hash=row[3],
                    started_at=self._timestamp(row[4], f"{what} started_at"),
                    ended_at=None
                    if row[5] is None
                    else self._timestamp(row[5], f"{what} ended_at"),
                    status=status,
                    sets_done=count_sets(units.get(session_id, [])),
                    reps_done=reps,
                    tut_ms=tut_ms,
                    owner=owner,
                    heartbeat_at=heartbeat,
                    live=self._live(status, owner, heartbeat),
                    volume_kg=volume,
                    note=row[10],
                    programme=row[11],
                    programme_session=row[12],
                )
            )
        return sessions

    @_guarded
    def sessions(self) -> list[SessionRow]:
        """Every session, newest first."""
        return self._sessions("1")

    @_guarded
    def interrupted_sessions(self) -> list[SessionRow]:
        """Sessions still 'running' whose process is dead: they can be resumed. Newest
        first."""
        return [row for row in self._sessions("s.status = 'running'") if not row.live]

    @_guarded
    def live_sessions(self) -> list[SessionRow]:
        """Sessions another copy of the app is running right now. Newest first."""
        return [row for row in self._sessions("s.status = 'running'") if row.live]

    @_guarded
    def sets(self, session_id: int) -> list[SetRow]:
        """The sets of a session in the order they were done."""
        self._settle()
        rows = []
        for row in self._connection.execute(
            f"SELECT {_SET_COLUMNS} FROM sets WHERE session_id = ? ORDER BY id", (session_id,)
        ):
            what = f"set {row[0]} has"
            try:
                durations = None if row[11] is None else json.loads(row[11])
            except (TypeError, ValueError):
                raise self._bad_row(
                    f"{what} phase_durations", row[11], "a list of timed reps"
                ) from None
            try:
                spans = None if row[13] is None else spans_from_json(row[13])
            except (TypeError, ValueError, KeyError):
                raise self._bad_row(f"{what} phase_spans", row[13], "tapped spans") from None
            rows.append(
                SetRow(
                    id=row[0],
                    session_id=row[1],
                    exercise_index=row[2],
                    exercise=row[3],
                    side=row[4],
                    set_number=row[5],
                    reps_done=row[6],
                    target_tempo=row[7],
                    tut_ms=row[8],
                    completed_at=self._timestamp(row[9], f"{what} completed_at"),
                    rpe=row[10],
                    phase_durations=durations,
                    partial=bool(row[12]),
                    phase_spans=spans,
                    planned_load=self._stored_load(row[14], row[15], f"{what} planned_load"),
                    load=self._stored_load(row[16], row[17], f"{what} load"),
                    warmup=bool(row[18]),
                    ended_early=bool(row[19]),
                    note=row[20],
                )
            )
        return rows

    @_guarded
    def exercise_history(self, exercise: str) -> list[ExercisePoint]:
        """Each session's totals for `exercise`, oldest first, with its tapped lowerings."""
        self._settle()
        readings: dict[int, list[tuple[int, int | None]]] = {}
        for set_id, session_id, text in self._connection.execute(
            "SELECT id, session_id, phase_spans FROM sets"
            " WHERE exercise = ? AND phase_spans IS NOT NULL ORDER BY id",
            (exercise,),
        ):
            try:
                timing = spans_from_json(text)
            except (TypeError, ValueError, KeyError):
                raise self._bad_row(f"set {set_id} has phase_spans", text, "tapped spans") from None
            readings.setdefault(session_id, []).extend(timing.readings())
        points: dict[int, ExercisePoint] = {}
        ratings: dict[int, list[int]] = {}
        for (
            set_id,
            session_id,
            started_at,
            reps,
            tut_ms,
            rpe,
            load_kg,
            bodyweight,
        ) in self._connection.execute(
            "SELECT t.id, s.id, s.started_at, t.reps_done, t.tut_ms, t.rpe, t.load_kg,"
            " t.load_bodyweight FROM sets AS t JOIN sessions AS s ON s.id = t.session_id"
            " WHERE t.exercise = ? AND t.warmup = 0 ORDER BY s.started_at, s.id, t.id",
            (exercise,),
        ):
            load = self._stored_load(load_kg, bodyweight, f"set {set_id} has load")
            kg = working_kg(load)
            point = points.get(session_id) or ExercisePoint(
                session_id=session_id,
                started_at=self._timestamp(started_at, f"session {session_id} has started_at"),
                tut_ms=0,
                reps=0,
                mean_rpe=None,
                readings=tuple(readings.get(session_id, ())),
            )
            if rpe is not None:
                ratings.setdefault(session_id, []).append(rpe)
            rated = ratings.get(session_id)
            top = point.top_load
            points[session_id] = replace(
                point,
                tut_ms=point.tut_ms + tut_ms,
                reps=point.reps + reps,
                mean_rpe=None if not rated else sum(rated) / len(rated),
                top_load=load
                if load is not None and (top is None or load.kilograms > top.kilograms)
                else top,
                volume_kg=add_kg(point.volume_kg, None if kg is None else reps * kg),
                tut_load_kg_s=add_kg(
                    point.tut_load_kg_s, None if kg is None else tut_ms / 1000 * kg
                ),
            )
        return list(points.values())

    @_guarded
    def exercises(self) -> list[str]:
        """Every exercise with a stored set, alphabetically."""
        self._settle()
        return [
            row[0]
            for row in self._connection.execute(
                "SELECT DISTINCT exercise FROM sets ORDER BY exercise COLLATE NOCASE"
            )
        ]
