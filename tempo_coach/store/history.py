"""The training history: every session and every completed set, in a SQLite database.

Each write is its own transaction, committed before the call returns, in WAL mode with full
sync: a set that has ended survives kill -9 or a power cut. A session still marked 'running'
is one whose process died; it can be resumed at its next set or abandoned.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal, Self, cast

from platformdirs import user_data_path

from tempo_coach.core.errors import TempoCoachError
from tempo_coach.core.timeline import Side
from tempo_coach.paths import APP_NAME

SessionStatus = Literal["running", "completed", "stopped", "abandoned"]
FinalStatus = Literal["completed", "stopped"]

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
)
"""Migration n (from 0) takes a database from schema version n to n + 1; never edit one that
has shipped, append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(TempoCoachError):
    """The history database cannot be opened or used as it is."""


def default_history_path() -> Path:
    """The user's history (``~/.local/share/tempo-coach/history.sqlite3`` on Linux)."""
    return user_data_path(APP_NAME) / "history.sqlite3"


def workout_hash(text: str) -> str:
    """Identifies the workout file as it was run, so a resume only continues the same plan."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SetRecord:
    """A completed set (one side of it, for unilateral work) as the session reports it."""

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
    rpe: int | None = None


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
    """Stored sets; each side of a unilateral set counts as one."""
    reps_done: int
    tut_ms: int


@dataclass(frozen=True)
class ExercisePoint:
    """One session's work on one exercise: a point on a progress plot."""

    session_id: int
    started_at: datetime
    tut_ms: int
    reps: int
    mean_rpe: float | None
    """The mean of the rated sets; None if none was rated."""


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC, one fixed format, so stored times sort as text."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no time zone; the history stores UTC")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse_timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _check_rpe(rpe: int) -> None:
    if isinstance(rpe, bool) or not isinstance(rpe, int) or not 1 <= rpe <= 10:
        raise ValueError(f"An effort rating (RPE) is a whole number from 1 to 10, not {rpe!r}")


def _durations_json(durations: Sequence[Sequence[int]]) -> str:
    for rep in durations:
        for value in rep:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"A phase duration is whole milliseconds ≥ 0, not {value!r}")
    return json.dumps([list(rep) for rep in durations], separators=(",", ":"))


_SESSION_QUERY = """
    SELECT s.id, s.workout_name, s.workout_path, s.workout_hash, s.started_at, s.ended_at,
           s.status, COUNT(t.id), COALESCE(SUM(t.reps_done), 0), COALESCE(SUM(t.tut_ms), 0)
    FROM sessions AS s LEFT JOIN sets AS t ON t.session_id = s.id
    WHERE s.status IN ({statuses})
    GROUP BY s.id
    ORDER BY s.started_at DESC, s.id DESC
"""

_SET_COLUMNS = (
    "id, session_id, exercise_index, exercise, side, set_number, reps_done, target_tempo,"
    " tut_ms, completed_at, rpe, phase_durations"
)


class History:
    """The history database at `path`, migrated to the current schema on open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: every statement is its own transaction, committed when it returns.
            self._connection = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(f"{path}: cannot open the history: {error}") from error
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._connection.close()
            raise HistoryError(
                f"{path}: not a Tempo Coach history database ({error}); move it aside to start "
                "a new history"
            ) from error
        except HistoryError:
            self._connection.close()
            raise

    @classmethod
    def open(cls, path: Path | None = None) -> Self:
        """The history at `path`, or the user's own one."""
        return cls(path if path is not None else default_history_path())

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
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
                    "Coach to use it."
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

    def _update(self, sql: str, parameters: tuple[object, ...], key: int) -> None:
        """Run one UPDATE; an id that matches nothing is a caller's mistake, not silence."""
        if self._connection.execute(sql, parameters).rowcount != 1:
            raise KeyError(key)

    def start_session(
        self, *, workout_name: str, workout_path: str, workout_hash: str, started_at: datetime
    ) -> int:
        """Record a new running session and return its id."""
        cursor = self._connection.execute(
            "INSERT INTO sessions (workout_name, workout_path, workout_hash, started_at, status)"
            " VALUES (?, ?, ?, ?, 'running')",
            (workout_name, workout_path, workout_hash, iso_utc(started_at)),
        )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    def record_set(self, session_id: int, record: SetRecord) -> int:
        """Store a completed set, committed before returning; return its id."""
        if record.rpe is not None:
            _check_rpe(record.rpe)
        durations = (
            None if record.phase_durations is None else _durations_json(record.phase_durations)
        )
        cursor = self._connection.execute(
            "INSERT INTO sets (session_id, exercise_index, exercise, side, set_number, reps_done,"
            " target_tempo, tut_ms, completed_at, rpe, phase_durations)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, record.exercise_index, record.exercise, record.side, record.set_number,
             record.reps_done, record.target_tempo, record.tut_ms,
             iso_utc(record.completed_at), record.rpe, durations),
        )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    def set_effort(self, set_id: int, rpe: int) -> None:
        """Rate a set's effort from 1 to 10, typically with one key press during the rest."""
        _check_rpe(rpe)
        self._update("UPDATE sets SET rpe = ? WHERE id = ?", (rpe, set_id), set_id)

    def set_phase_durations(self, set_id: int, durations: list[list[int]]) -> None:
        """Attach the measured length of each phase of each rep, in milliseconds."""
        self._update(
            "UPDATE sets SET phase_durations = ? WHERE id = ?",
            (_durations_json(durations), set_id), set_id,
        )

    def finish_session(
        self, session_id: int, *, status: FinalStatus, ended_at: datetime
    ) -> None:
        """Mark a session as run to the end ('completed') or stopped by the lifter."""
        if status not in ("completed", "stopped"):
            raise ValueError(f"A session finishes 'completed' or 'stopped', not {status!r}")
        self._update(
            "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
            (status, iso_utc(ended_at), session_id), session_id,
        )

    def abandon(self, session_id: int) -> None:
        """The lifter declined to resume an interrupted session: it ended with its last set."""
        self._update(
            "UPDATE sessions SET status = 'abandoned', ended_at = COALESCE("
            "(SELECT MAX(completed_at) FROM sets WHERE session_id = sessions.id), started_at)"
            " WHERE id = ?",
            (session_id,), session_id,
        )

    def _sessions(self, *statuses: SessionStatus) -> list[SessionRow]:
        query = _SESSION_QUERY.format(statuses=", ".join("?" * len(statuses)))
        return [
            SessionRow(
                id=row[0], workout_name=row[1], workout_path=row[2], workout_hash=row[3],
                started_at=_parse_timestamp(row[4]),
                ended_at=None if row[5] is None else _parse_timestamp(row[5]),
                status=row[6], sets_done=row[7], reps_done=row[8], tut_ms=row[9],
            )
            for row in self._connection.execute(query, statuses)
        ]

    def sessions(self) -> list[SessionRow]:
        """Every session, newest first."""
        return self._sessions("running", "completed", "stopped", "abandoned")

    def interrupted_sessions(self) -> list[SessionRow]:
        """Sessions still 'running': their process died before they finished. Newest first."""
        return self._sessions("running")

    def sets(self, session_id: int) -> list[SetRow]:
        """The sets of a session in the order they were completed."""
        return [
            SetRow(
                id=row[0], session_id=row[1], exercise_index=row[2], exercise=row[3],
                side=row[4], set_number=row[5], reps_done=row[6], target_tempo=row[7],
                tut_ms=row[8], completed_at=_parse_timestamp(row[9]), rpe=row[10],
                phase_durations=None if row[11] is None else json.loads(row[11]),
            )
            for row in self._connection.execute(
                f"SELECT {_SET_COLUMNS} FROM sets WHERE session_id = ? ORDER BY id",
                (session_id,),
            )
        ]

    def exercise_history(self, exercise: str) -> list[ExercisePoint]:
        """Each session's totals for `exercise`, oldest first."""
        return [
            ExercisePoint(
                session_id=row[0], started_at=_parse_timestamp(row[1]), tut_ms=row[2],
                reps=row[3], mean_rpe=row[4],
            )
            for row in self._connection.execute(
                "SELECT s.id, s.started_at, SUM(t.tut_ms), SUM(t.reps_done), AVG(t.rpe)"
                " FROM sets AS t JOIN sessions AS s ON s.id = t.session_id"
                " WHERE t.exercise = ? GROUP BY s.id ORDER BY s.started_at, s.id",
                (exercise,),
            )
        ]

    def exercises(self) -> list[str]:
        """Every exercise with a stored set, alphabetically."""
        return [
            row[0]
            for row in self._connection.execute(
                "SELECT DISTINCT exercise FROM sets ORDER BY exercise COLLATE NOCASE"
            )
        ]
