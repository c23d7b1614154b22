"""The SQLite history: committed sets survive a killed process, and every old schema migrates."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.core.taps import PhaseTarget, SetTiming
from tempo_coach.store import (
    SCHEMA_VERSION,
    STALE_AFTER,
    History,
    HistoryError,
    Owner,
    SessionTakenOver,
    SetRecord,
    default_history_path,
    workout_hash,
)
from tempo_coach.store.history import MIGRATIONS

from .conftest import REPO

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def a_set(set_number: int = 1, **changes: Any) -> SetRecord:
    """A set of Nordics done `set_number` minutes after T0, with `changes` made to it."""
    return replace(
        SetRecord(
            exercise_index=0,
            exercise="Eccentric Nordic curl",
            side=None,
            set_number=set_number,
            reps_done=4,
            target_tempo="5-0-X-0",
            tut_ms=20_000,
            completed_at=T0 + timedelta(minutes=set_number),
        ),
        **changes,
    )


def start(
    history: History, started_at: datetime = T0, name: str = "Nordic", owner: Owner | None = None
) -> int:
    return history.start_session(
        workout_name=name,
        workout_path=f"/w/{name}.toml",
        workout_hash=workout_hash(name),
        started_at=started_at,
        owner=owner,
    )


def columns(path: Path, table: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as raw:
        return [tuple(row) for row in raw.execute(f"PRAGMA table_info({table})")]


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as raw:
        version: int = raw.execute("PRAGMA user_version").fetchone()[0]
    return version


def test_open_creates_the_file_in_the_user_data_folder_in_wal_mode(
    private_user_folders: Path,
) -> None:
    path = default_history_path()
    assert path == private_user_folders / "history.sqlite3"
    with History.open() as history:
        assert path.is_file()
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        history.record_set(start(history), a_set())
        assert path.with_name(path.name + "-wal").is_file()
    assert user_version(path) == SCHEMA_VERSION


def test_a_set_reads_back_as_recorded_with_times_in_utc(tmp_path: Path) -> None:
    paris = timezone(timedelta(hours=1))
    with History(tmp_path / "h.sqlite3") as history:
        session_id = start(history, started_at=datetime(2025, 3, 1, 9, 0, tzinfo=paris))
        set_id = history.record_set(
            session_id,
            a_set(
                exercise_index=1,
                exercise="Single-leg RDL",
                side="left",
                reps_done=6,
                target_tempo="3-1-1-0",
                tut_ms=30_000,
                completed_at=datetime(2025, 3, 1, 9, 5, 30, 999_000, tzinfo=paris),
                phase_durations=[[3010, 990, 1000], [2950, 1020, 1005]],
                rpe=8,
            ),
        )
        [row] = history.sets(session_id)
        [session] = history.sessions()
    assert (row.id, row.session_id, row.exercise_index, row.exercise, row.side) == (
        set_id,
        session_id,
        1,
        "Single-leg RDL",
        "left",
    )
    assert (row.set_number, row.reps_done, row.target_tempo, row.tut_ms, row.rpe) == (
        1,
        6,
        "3-1-1-0",
        30_000,
        8,
    )
    assert row.phase_durations == [[3010, 990, 1000], [2950, 1020, 1005]]
    assert row.completed_at == datetime(2025, 3, 1, 8, 5, 30, tzinfo=UTC)  # whole seconds
    assert session.started_at == T0 and session.ended_at is None
    # One side of a single-leg set is not a set yet; its reps and time under tension count.
    assert (session.status, session.sets_done, session.reps_done, session.tut_ms) == (
        "running",
        0,
        6,
        30_000,
    )
    assert not row.partial
    assert session.workout_hash == workout_hash("Nordic")


def test_times_without_a_zone_are_refused(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history, pytest.raises(ValueError, match="zone"):
        start(history, started_at=datetime(2025, 3, 1, 8, 0))


def test_effort_is_a_whole_number_from_1_to_10(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        session_id = start(history)
        set_id = history.record_set(session_id, a_set())
        for wrong in (0, 11, 5.5, True):
            with pytest.raises(ValueError, match="1 to 10"):
                history.set_effort(set_id, wrong)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="1 to 10"):
            history.record_set(session_id, a_set(2, rpe=12))
        history.set_effort(set_id, 10)
        history.set_effort(set_id, 7)
        with pytest.raises(KeyError):
            history.set_effort(set_id + 1, 7)
        assert [row.rpe for row in history.sets(session_id)] == [7]


def test_phase_durations_can_be_attached_after_the_set(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        session_id = start(history)
        set_id = history.record_set(session_id, a_set())
        with pytest.raises(ValueError, match="milliseconds"):
            history.set_phase_durations(set_id, [[5000, -1]])
        history.set_phase_durations(set_id, [[5010, 480], [4890, 512]])
        assert history.sets(session_id)[0].phase_durations == [[5010, 480], [4890, 512]]


def test_a_set_needs_an_existing_session(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history, pytest.raises(KeyError):
        history.record_set(42, a_set())


def test_finished_interrupted_and_abandoned_sessions(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        done, stopped, died, declined = (
            start(history, T0 + timedelta(days=day)) for day in range(4)
        )
        for session_id in (died, declined):
            history.record_set(session_id, a_set(1, completed_at=T0 + timedelta(days=9)))
            history.record_set(session_id, a_set(2, completed_at=T0 + timedelta(days=10)))
        history.finish_session(done, status="completed", ended_at=T0 + timedelta(hours=1))
        history.finish_session(stopped, status="stopped", ended_at=T0 + timedelta(days=1, hours=1))
        assert [s.id for s in history.interrupted_sessions()] == [declined, died]
        history.abandon(declined)
        assert [s.id for s in history.interrupted_sessions()] == [died]
        by_id = {session.id: session for session in history.sessions()}
        assert [s.id for s in history.sessions()] == [declined, died, stopped, done]
        with pytest.raises(KeyError):
            history.finish_session(99, status="completed", ended_at=T0)
    assert [by_id[i].status for i in (done, stopped, died, declined)] == [
        "completed",
        "stopped",
        "running",
        "abandoned",
    ]
    assert by_id[done].ended_at == T0 + timedelta(hours=1)
    assert by_id[declined].ended_at == T0 + timedelta(days=10)  # its last completed set
    assert (by_id[died].sets_done, by_id[died].reps_done, by_id[died].tut_ms) == (2, 8, 40_000)
    assert (by_id[done].sets_done, by_id[done].reps_done, by_id[done].tut_ms) == (0, 0, 0)


def test_exercise_history_totals_each_session_oldest_first(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        later, earlier = start(history, T0 + timedelta(days=2)), start(history, T0)
        history.record_set(later, a_set(1, rpe=7))
        history.record_set(later, a_set(2, rpe=8))
        history.record_set(later, a_set(3))
        history.record_set(earlier, a_set(1, tut_ms=15_000, reps_done=3))
        history.record_set(earlier, a_set(1, exercise="Slider leg curl"))
        points = history.exercise_history("Eccentric Nordic curl")
        assert history.exercises() == ["Eccentric Nordic curl", "Slider leg curl"]
        assert history.exercise_history("Swiss ball leg curl") == []
    assert [(p.session_id, p.started_at, p.tut_ms, p.reps, p.mean_rpe) for p in points] == [
        (earlier, T0, 15_000, 3, None),
        (later, T0 + timedelta(days=2), 60_000, 12, 7.5),
    ]


def test_another_connection_sees_a_set_as_soon_as_it_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path) as writer, History(path) as reader:
        session_id = start(writer)
        assert [s.id for s in reader.interrupted_sessions()] == [session_id]
        writer.record_set(session_id, a_set())
        assert [row.set_number for row in reader.sets(session_id)] == [1]
        writer.set_effort(reader.sets(session_id)[0].id, 9)
        assert reader.sets(session_id)[0].rpe == 9


def test_both_sides_are_one_set_and_a_partial_set_counts_its_reps_but_is_no_set(
    tmp_path: Path,
) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        session_id = start(history)
        for set_number, side in ((1, "left"), (1, "right"), (2, "left")):
            history.record_set(session_id, a_set(set_number, side=side, reps_done=6))
        history.record_set(
            session_id, a_set(2, side="right", reps_done=2, tut_ms=8_000, partial=True)
        )
        history.record_set(session_id, a_set(3, reps_done=1, tut_ms=5_000, partial=True))
        [session] = history.sessions()
        rows = history.sets(session_id)
    assert (session.sets_done, session.reps_done, session.tut_ms) == (1, 21, 73_000)
    assert [row.partial for row in rows] == [False, False, False, True, True]


class WallClock:
    """The history's wall clock, moved by hand."""

    def __init__(self) -> None:
        self.moment = T0

    def __call__(self) -> datetime:
        return self.moment


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_a_running_session_is_interrupted_only_once_its_owner_is_dead(tmp_path: Path) -> None:
    clock = WallClock()
    me, host = Owner.this_process(), socket.gethostname()
    with History(tmp_path / "h.sqlite3", now=clock) as history:
        stale_but_alive = start(history, name="stale", owner=me)
        clock.moment += STALE_AFTER + timedelta(seconds=1)
        owners = {
            "mine": me,
            "dead": Owner(host, dead_pid()),
            "elsewhere": Owner("gym-pc", 4242),
            "unowned": None,
        }
        ids = {name: start(history, name=name, owner=owner) for name, owner in owners.items()}
        ids["stale"] = stale_but_alive
        live = {row.workout_name for row in history.sessions() if row.live}
        interrupted = {row.workout_name for row in history.interrupted_sessions()}
        assert live == {"mine", "elsewhere"}
        assert interrupted == {"dead", "unowned", "stale"}
        clock.moment += STALE_AFTER + timedelta(seconds=1)  # nobody beat in the meantime
        assert {row.workout_name for row in history.interrupted_sessions()} == {
            "dead",
            "unowned",
            "stale",
            "mine",
            "elsewhere",
        }
        assert history.heartbeat(ids["mine"], me)
        assert "mine" not in {row.workout_name for row in history.interrupted_sessions()}


def test_of_two_processes_claiming_an_interrupted_session_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    first, second = Owner("gym-pc", 1001), Owner("gym-pc", 1002)
    with History(path) as one, History(path) as other:
        session_id = start(one, owner=Owner(socket.gethostname(), dead_pid()))
        [seen_by_one] = one.interrupted_sessions()
        [seen_by_other] = other.interrupted_sessions()
        assert one.claim(seen_by_one, first)
        assert not other.claim(seen_by_other, second)  # it saw the same dead owner: too late
        [claimed] = other.sessions()
        assert (claimed.id, claimed.owner) == (session_id, first)
        assert not other.claim(claimed, second)  # live now: nobody else may take it
        assert other.interrupted_sessions() == []


def test_writes_for_a_session_taken_over_by_another_process_are_refused(
    tmp_path: Path,
) -> None:
    frozen, resumer = Owner(socket.gethostname(), dead_pid()), Owner("gym-pc", 1002)
    with History(tmp_path / "h.sqlite3") as history:
        session_id = start(history, owner=frozen)
        [row] = history.interrupted_sessions()
        assert history.claim(row, resumer)
        with pytest.raises(SessionTakenOver):
            history.record_set(session_id, a_set(), owner=frozen)
        with pytest.raises(SessionTakenOver):
            history.finish_session(session_id, status="stopped", ended_at=T0, owner=frozen)
        assert not history.heartbeat(session_id, frozen)
        assert history.heartbeat(session_id, resumer)
        history.record_set(session_id, a_set(), owner=resumer)
        with pytest.raises(KeyError):
            history.record_set(session_id + 1, a_set(), owner=resumer)
        assert [set_row.set_number for set_row in history.sets(session_id)] == [1]


def test_abandon_refuses_a_live_session_and_an_ended_one(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        live = start(history, owner=Owner.this_process())
        ended = start(history)
        history.finish_session(ended, status="completed", ended_at=T0)
        with pytest.raises(HistoryError, match="running in another Tempo Coach") as refused:
            history.abandon(live)
        assert refused.value.kind == "live"
        with pytest.raises(HistoryError, match=r"already ended \(completed\)"):
            history.abandon(ended)
        with pytest.raises(KeyError):
            history.abandon(ended + 1)
        assert [row.status for row in history.sessions()] == ["completed", "running"]


def lock(path: Path) -> sqlite3.Connection:
    """Another program's connection holding the write lock until it is closed."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


WRITES: dict[str, Callable[[History, int, int], object]] = {
    "start_session": lambda history, _, __: start(history),
    "record_set": lambda history, session_id, _: history.record_set(session_id, a_set(2)),
    "set_effort": lambda history, _, set_id: history.set_effort(set_id, 8),
    "set_phase_durations": lambda history, _, set_id: history.set_phase_durations(set_id, [[1000]]),
    "finish_session": lambda history, session_id, _: history.finish_session(
        session_id, status="stopped", ended_at=T0
    ),
    "heartbeat": lambda history, session_id, _: history.heartbeat(session_id, Owner.this_process()),
    "abandon": lambda history, session_id, _: history.abandon(session_id),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_locked_history_says_so_at_once_and_reads_go_on(tmp_path: Path, write: str) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path, busy_timeout_s=0.05) as history:
        session_id = start(history, owner=Owner.this_process())
        set_id = history.record_set(session_id, a_set())
        if write == "abandon":
            session_id = start(history)
        with closing(lock(path)):
            began = time.monotonic()
            with pytest.raises(HistoryError) as raised:
                WRITES[write](history, session_id, set_id)
            waited = time.monotonic() - began
            assert len(history.sets(session_id if write != "abandon" else 1)) == 1
    assert raised.value.kind == "locked"
    assert str(raised.value) == (
        f"{path}: the history is locked by another program (a second Tempo Coach, or an "
        "sqlite3 shell in a transaction); try again when it lets go"
    )
    assert waited < 1.0


def test_the_busy_timeout_is_short_by_default(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path) as history, closing(lock(path)):
        began = time.monotonic()
        with pytest.raises(HistoryError, match="locked"):
            start(history)
        assert 0.4 < time.monotonic() - began < 2.0  # BUSY_TIMEOUT_SECONDS is 0.5


def damage(path: Path) -> None:
    """Overwrite every page but the first (the header and the schema) with garbage."""
    with History(path) as history:
        session_id = start(history)
        for number in range(1, 200):
            history.record_set(session_id, a_set(number, target_tempo="x" * 100))
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size: int = raw.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[page_size:] = b"\xa5" * (len(data) - page_size)
    path.write_bytes(bytes(data))


BROKEN: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "a dropped table": (
        lambda path: build(path, ("DROP TABLE sets",)),
        "schema",
        "the history's schema is broken: its table 'sets' is missing",
    ),
    "other columns": (
        lambda path: build(
            path, ("DROP TABLE sets", "CREATE TABLE sets (id INTEGER, note TEXT, remark TEXT)")
        ),
        "schema",
        "the history's schema is broken: the table 'sets' lacks the columns completed_at, "
        "ended_early, exercise, exercise_index, load_bodyweight, load_kg, partial, "
        "phase_durations, phase_spans, planned_bodyweight, planned_load_kg, reps_done, rpe, "
        "session_id, set_number, side, target_tempo, tut_ms, warmup; it has remark instead",
    ),
    "a date that is not a date": (
        lambda path: build(
            path,
            (
                "INSERT INTO sessions (workout_name, workout_path, workout_hash, started_at)"
                " VALUES ('W', 'w.toml', 'h', 'not a date')",
            ),
        ),
        "bad_row",
        "session 1 has started_at 'not a date', which is not a date and time",
    ),
    "corrupt pages": (damage, "corrupt", "the history is damaged: SQLite found corrupt pages"),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_history_says_what_is_broken(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()
    breaks, kind, words = BROKEN[broken]
    breaks(path)
    with pytest.raises(HistoryError) as raised, History(path) as history:
        history.sessions()
        history.sets(1)
    assert raised.value.kind == kind
    assert str(raised.value).startswith(f"{path}: {words}")
    assert "move it aside" not in str(raised.value)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_a_set_survives_kill_9_and_the_session_is_left_to_resume(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    program = textwrap.dedent(f"""
        import os, signal
        from datetime import UTC, datetime
        from pathlib import Path
        from tempo_coach.store import History, SetRecord
        history = History(Path({str(path)!r}))
        now = datetime.now(UTC)
        session = history.start_session(workout_name="W", workout_path="w.toml",
                                         workout_hash="h", started_at=now)
        history.record_set(session, SetRecord(0, "Curl", None, 1, 5, "3-0-1-0", 15000, now))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with History(path) as history:
        [session] = history.interrupted_sessions()
        assert [(row.exercise, row.set_number) for row in history.sets(session.id)] == [("Curl", 1)]


# Migrations. Each earlier schema version is built by hand, as that version of Tempo Coach
# left it, so that editing a shipped migration in place shows up here.

V1_DDL = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        workout_name TEXT NOT NULL,
        workout_path TEXT NOT NULL,
        workout_hash TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NULL,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'completed', 'stopped', 'abandoned'))
    )""",
    """CREATE TABLE sets (
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
    )""",
    "CREATE INDEX sets_by_session ON sets (session_id)",
    "CREATE INDEX sessions_by_status ON sessions (status)",
    "INSERT INTO sessions VALUES (1, 'Nordic', '/w/n.toml', 'abc', '2024-11-02T07:30:00+00:00',"
    " '2024-11-02T07:55:00+00:00', 'completed')",
    "INSERT INTO sessions VALUES (2, 'Nordic', '/w/n.toml', 'abc', '2024-11-05T07:30:00+00:00',"
    " NULL, 'running')",
    "INSERT INTO sets VALUES (1, 1, 0, 'Eccentric Nordic curl', NULL, 1, 4, '5-0-X-0', 20000,"
    " '2024-11-02T07:35:00+00:00')",
    "INSERT INTO sets VALUES (2, 2, 1, 'Single-leg RDL', 'left', 1, 6, '3-1-1-0', 30000,"
    " '2024-11-05T07:36:00+00:00')",
    "PRAGMA user_version = 1",
)

V2_DDL = (
    *V1_DDL[:-1],
    "ALTER TABLE sets ADD COLUMN rpe INTEGER NULL CHECK (rpe BETWEEN 1 AND 10)",
    "ALTER TABLE sets ADD COLUMN phase_durations TEXT NULL",
    "UPDATE sets SET rpe = 7, phase_durations = '[[3000,1000,1000]]' WHERE id = 2",
    "PRAGMA user_version = 2",
)

V3_DDL = (
    *V2_DDL[:-1],
    "ALTER TABLE sets ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1))",
    "ALTER TABLE sessions ADD COLUMN owner_host TEXT NULL",
    "ALTER TABLE sessions ADD COLUMN owner_pid INTEGER NULL",
    "ALTER TABLE sessions ADD COLUMN heartbeat_at TEXT NULL",
    "PRAGMA user_version = 3",
)

V4_DDL = (
    *V3_DDL[:-1],
    "ALTER TABLE sets ADD COLUMN phase_spans TEXT NULL",
    "UPDATE sessions SET owner_host = 'gone-host', owner_pid = 1, heartbeat_at ="
    " '2024-11-05T07:36:00+00:00' WHERE id = 2",
    "INSERT INTO sets (session_id, exercise_index, exercise, side, set_number, reps_done,"
    " target_tempo, tut_ms, completed_at, partial, phase_durations, phase_spans)"
    " VALUES (2, 1, 'Single-leg RDL', 'right', 1, 3, '3-1-1-0', 15000,"
    " '2024-11-05T07:38:00+00:00', 1, '[[3100]]',"
    ' \'{"phases":[["Hinge","eccentric",3000]],"spans":[[1,0,1,0,3100]]}\')',
    "PRAGMA user_version = 4",
)

EARLIER_VERSIONS: dict[int, tuple[str, ...]] = {
    0: (),
    1: V1_DDL,
    2: V2_DDL,
    3: V3_DDL,
    4: V4_DDL,
}
"""Every schema version before the current one, as statements that build such a file."""


def build(path: Path, statements: tuple[str, ...]) -> None:
    with closing(sqlite3.connect(path)) as raw:
        for statement in statements:
            raw.execute(statement)
        raw.commit()


def test_every_earlier_schema_version_has_a_hand_built_database() -> None:
    assert sorted(EARLIER_VERSIONS) == list(range(SCHEMA_VERSION)) == list(range(len(MIGRATIONS)))


@pytest.mark.parametrize("version", sorted(EARLIER_VERSIONS))
def test_each_earlier_version_migrates_to_the_current_schema(tmp_path: Path, version: int) -> None:
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    build(old, EARLIER_VERSIONS[version])
    assert user_version(old) == version
    History(old).close()
    History(fresh).close()
    assert user_version(old) == SCHEMA_VERSION
    for table in ("sessions", "sets"):
        assert columns(old, table) == columns(fresh, table)


def test_a_version_1_history_keeps_its_rows_with_the_new_columns_empty(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    build(path, V1_DDL)
    with History(path) as history:
        sessions = history.sessions()
        old_sets = [row for session in sessions for row in history.sets(session.id)]
        [interrupted] = history.interrupted_sessions()
        history.set_effort(old_sets[0].id, 6)
    assert [(s.id, s.status, s.sets_done, s.tut_ms) for s in sessions] == [
        (2, "running", 0, 30_000),
        (1, "completed", 1, 20_000),
    ]  # 2 has one side of a set
    assert sessions[1].ended_at == datetime(2024, 11, 2, 7, 55, tzinfo=UTC)
    assert interrupted.id == 2
    assert [(row.exercise, row.side, row.rpe, row.phase_durations) for row in old_sets] == [
        ("Single-leg RDL", "left", None, None),
        ("Eccentric Nordic curl", None, None, None),
    ]


def test_a_version_2_history_keeps_its_rows_and_its_running_session_is_interrupted(
    tmp_path: Path,
) -> None:
    """Version 2 named no owners: a session it left running is an interrupted one."""
    path = tmp_path / "v2.sqlite3"
    build(path, V2_DDL)
    with History(path) as history:
        [interrupted] = history.interrupted_sessions()
        rows = history.sets(interrupted.id)
    assert (interrupted.id, interrupted.owner, interrupted.heartbeat_at, interrupted.live) == (
        2,
        None,
        None,
        False,
    )
    assert [(row.rpe, row.phase_durations, row.partial) for row in rows] == [
        (7, [[3000, 1000, 1000]], False)
    ]


def test_a_version_3_history_with_durations_only_still_reads(tmp_path: Path) -> None:
    """Before spans were stored, a tapped set had its durations alone: they read as before."""
    path = tmp_path / "v3.sqlite3"
    build(path, V3_DDL)
    with History(path) as history:
        [row] = history.sets(2)
    assert (row.phase_durations, row.phase_spans) == ([[3000, 1000, 1000]], None)


def test_tapped_spans_are_stored_with_the_set_and_read_back(tmp_path: Path) -> None:
    phases = [PhaseTarget("Hinge", "eccentric", 4000), PhaseTarget("Up", "concentric", 1000)]
    timing = SetTiming.from_spans(phases, [(1, 0, 1, 0, 4100), (1, 1, 2, 4100, 9000)])
    with History(tmp_path / "h.sqlite3") as history:
        session = start(history)
        record = a_set(exercise="RDL", phase_durations=timing.durations(), phase_spans=timing)
        first = history.record_set(session, record)
        second = history.record_set(session, replace(record, set_number=2, phase_spans=None))
        history.set_phase_durations(second, timing.durations(), timing)
        rows = history.sets(session)
        [point] = history.exercise_history("RDL")
    assert [row.id for row in rows] == [first, second]
    assert [row.phase_spans for row in rows] == [timing, timing]
    [merged] = [t for t in timing.timings() if t.merged]
    assert merged.spans == ("Up", "Hinge")
    assert point.readings == ((4100, 4000), (4100, 4000))  # rep 2's lowering is merged


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"phases": [], "spans": []}',
        '{"phases": [["Hinge", "sideways", 4000]], "spans": []}',
        '{"phases": [["Hinge", "eccentric", 4000]], "spans": [[1, 3, 1, 0, 10]]}',
        '{"phases": [["Hinge", "eccentric", 4000]], "spans": [[1, 0, 1, 10, 0]]}',
    ],
)
def test_broken_stored_spans_are_a_broken_history(tmp_path: Path, text: str) -> None:
    path = tmp_path / "h.sqlite3"
    build(path, V3_DDL)
    History(path).close()
    build(path, (f"UPDATE sets SET phase_spans = '{text}' WHERE id = 2",))
    with History(path) as history, pytest.raises(HistoryError, match="phase_spans"):
        history.sets(2)


def test_an_empty_file_is_a_new_history(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with History(path) as history:
        assert history.sessions() == []
    assert user_version(path) == SCHEMA_VERSION


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite3"
    build(
        path,
        (
            *V1_DDL[:-1],
            "ALTER TABLE sets ADD COLUMN phase_durations TEXT",
            "PRAGMA user_version = 1",
        ),
    )
    with pytest.raises(HistoryError, match="duplicate column"):
        History(path)
    assert user_version(path) == 1
    assert "rpe" not in [column[1] for column in columns(path, "sets")]  # rolled back


def test_a_history_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    build(path, (*V1_DDL, f"PRAGMA user_version = {SCHEMA_VERSION + 1}"))
    with pytest.raises(HistoryError) as raised:
        History(path)
    assert str(raised.value) == (
        f"{path}: this history was written by a newer Tempo Coach (schema version "
        f"{SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}). Update Tempo Coach "
        "to use it."
    )
    assert user_version(path) == SCHEMA_VERSION + 1


def test_a_file_that_is_not_a_database_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Nordics Monday, RDLs Thursday\n" * 100)
    with pytest.raises(HistoryError, match="not a Tempo Coach history database") as raised:
        History(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_folder_that_cannot_be_created_is_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(HistoryError, match="cannot open the history"):
        History(blocker / "history.sqlite3")


def test_hash_is_sha256_of_the_text() -> None:
    assert workout_hash("") == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
