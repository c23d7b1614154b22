"""Nothing is lost: every set reaches the history (off the event loop, in order), a stop
keeps the set in progress, counts agree with the summary, a killed session resumes at the
next set, and only one process ever writes to a session."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.events import Event
from tempo_coach.core.summary import UnitDone, count_sets, summarize
from tempo_coach.core.taps import PhaseTarget, SetTiming
from tempo_coach.core.timeline import Side, Timeline, compile_timeline
from tempo_coach.session_log import Resumable, SavedSet, SessionRecorder, find_resumable
from tempo_coach.store import History, HistoryError, Owner, SetRecord, workout_hash
from tempo_coach.store.writer import CLAIM_LOST, RECOVERED, TAKEN_OVER

from .fakes import FakeClock, RecordingPlayer
from .test_engine import small_workout

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
FAST = """\
format_version = 1
name = "Fast"
count_in_beats = 1

[defaults]
beat_seconds = 0.1
rest_seconds = 0.1
rest_after_seconds = 0.1
setup = { mode = "timed", seconds = 0.1 }

[[exercises]]
name = "Curl"
trains = "knee_flexion"
category = "assistance"
sets = 4
reps = 2
tempo = "1-0-1-0"

[[exercises]]
name = "Single-leg curl"
trains = "knee_flexion"
category = "assistance"
sets = 2
reps = 2
tempo = "1-0-1-0"
unilateral = true
side_switch_seconds = 0.1
"""
UnitKey = tuple[str, int, Side | None]
"""(exercise, set number, side), as the database and the printed lines name a unit."""
FAST_UNITS: list[UnitKey] = [("Curl", n, None) for n in range(1, 5)] + [
    ("Single-leg curl", n, side) for n in (1, 2) for side in ("left", "right")
]
"""(exercise, set number, side) of every unit of FAST, in order."""
WHEN = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
QUICK: dict[str, Any] = {"retry_s": 0.02, "busy_timeout_s": 0.02}
"""Writer timings for tests that make writes fail: retries come fast."""


class Notices:
    """What a recorder told, and on which thread."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.recoveries: list[str] = []
        self.saved: list[SavedSet] = []
        self.threads: set[threading.Thread] = set()

    def options(self) -> dict[str, Any]:
        def told(into: list[Any]) -> Callable[[Any], None]:
            def tell(item: Any) -> None:
                self.threads.add(threading.current_thread())
                into.append(item)

            return tell

        return {
            "on_failure": told(self.failures),
            "on_recovery": told(self.recoveries),
            "on_saved": told(self.saved),
        }


TAPPED = SetTiming.from_spans(
    [PhaseTarget("Lower", "eccentric", 2000), PhaseTarget("Up", "concentric", 1000)],
    [(1, 0, 1, 0, 2100), (1, 1, 1, 2100, 3050), (2, 0, 1, 3050, 5030), (2, 1, 1, 5030, 6050)],
)
"""Two tapped reps of a set, as the session screen attaches them."""


def unilateral() -> Timeline:
    return compile_timeline(small_workout(unilateral=True))


class Logged:
    """A session on a fake clock, logged by a recorder: start it, move it, close it."""

    def __init__(
        self,
        history: History,
        workout_text: str = "text",
        *,
        timeline: Timeline | None = None,
        found: Resumable | None = None,
        **options: Any,
    ) -> None:
        self.timeline = timeline or unilateral()
        self.clock = FakeClock()
        self.engine = SessionEngine(
            self.timeline,
            self.clock,
            RecordingPlayer(),
            lead_seconds=0.0,
            start_at=found.start_at if found else 0,
        )
        self.recorder = SessionRecorder(
            history,
            self.timeline,
            workout_path=Path("w.toml"),
            workout_text=workout_text,
            resume=found,
            **{"now": lambda: WHEN, **options},
        )
        self.spent: list[float] = []
        """Seconds each call of the recorder took, on the event loop."""
        self.engine.subscribe(self.listen)
        self.task: asyncio.Task[None] | None = None

    def listen(self, event: Event) -> None:
        began = time.perf_counter()
        self.recorder(event)
        self.spent.append(time.perf_counter() - began)

    async def run(self, seconds: float | None = None) -> None:
        """Run `seconds` further (to the end, with None)."""
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.engine.run())
        if seconds is None:
            await self.clock.run_until_idle()
        else:
            await self.clock.advance(seconds)

    async def stop_and_close(self, timeout_s: float = 2.0) -> list[str]:
        """Stop (unless it has ended), check that the run raised nothing, and close."""
        if not self.engine.finished:
            self.engine.stop()
        await self.clock.settle()
        if self.task is not None:
            assert self.task.done()
            self.task.result()
        return await self.recorder.aclose(timeout_s)


async def until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    """Let the loop run (the writer's callbacks arrive on it) until `condition` holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def run_logged(
    history: History, workout_text: str = "text", *, stop_after: float | None = None, **options: Any
) -> Logged:
    logged = Logged(history, workout_text, **options)
    await logged.run(stop_after)
    assert await logged.stop_and_close() == []
    return logged


async def test_each_side_of_each_set_is_logged_with_its_numbers(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        await run_logged(history)
        (session,) = history.sessions()
        assert (session.status, session.sets_done, session.reps_done) == ("completed", 2, 8)
        rows = history.sets(session.id)
        assert [(r.set_number, r.side, r.reps_done, r.tut_ms, r.target_tempo) for r in rows] == [
            (1, "left", 2, 6000, "2-0-1-0"),
            (1, "right", 2, 6000, "2-0-1-0"),
            (2, "left", 2, 6000, "2-0-1-0"),
            (2, "right", 2, 6000, "2-0-1-0"),
        ]
        assert not any(row.partial for row in rows)


async def test_a_stopped_session_keeps_its_sets_and_says_stopped(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        await run_logged(history, stop_after=12.5)  # left side of set 1 done, in the switch
        (session,) = history.sessions()
        assert session.status == "stopped"
        assert [(r.set_number, r.side) for r in history.sets(session.id)] == [(1, "left")]
        assert history.interrupted_sessions() == []  # stopped on purpose: nothing to resume


async def test_a_set_stopped_part_way_keeps_the_reps_done_and_the_counts_agree(
    tmp_path: Path,
) -> None:
    """Stopped in rep 2 of the right side: rep 1 is in the history, and the summary, the
    session's totals and its rows all count the same sets, reps and time under tension."""
    with History.open(tmp_path / "h.sqlite3") as history:
        logged = await run_logged(history, stop_after=21.0)  # right side: rep 1 ends at 20 s
        summary = summarize(logged.engine)
        (session,) = history.sessions()
        rows = history.sets(session.id)
    assert [(r.side, r.reps_done, r.tut_ms, r.partial) for r in rows] == [
        ("left", 2, 6000, False),
        ("right", 1, 3000, True),
    ]
    assert (summary.sets_done, summary.reps_done, summary.tut_ms, summary.eccentric_ms) == (
        0,
        3,
        9000,
        6000,
    )
    assert (session.sets_done, session.reps_done, session.tut_ms) == (0, 3, 9000)


async def test_single_leg_sets_count_once_in_the_summary_and_the_history(
    tmp_path: Path,
) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        logged = await run_logged(history)
        summary = summarize(logged.engine)
        (session,) = history.sessions()
    assert (summary.sets_done, summary.sets_planned) == (2, 2)
    assert (session.sets_done, session.reps_done, session.tut_ms) == (
        summary.sets_done,
        summary.reps_done,
        summary.tut_ms,
    )


async def test_an_interrupted_session_resumes_at_the_next_side(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        session_id = history.start_session(
            workout_name="W",
            workout_path="w.toml",
            workout_hash=workout_hash("text"),
            started_at=WHEN,
        )
        history.record_set(
            session_id,
            SetRecord(  # the left side of set 1, then a crash
                exercise_index=0,
                exercise="Curl",
                side="left",
                set_number=1,
                reps_done=2,
                target_tempo="2-0-1-0",
                tut_ms=6000,
                completed_at=WHEN,
            ),
        )
        found = find_resumable(history, unilateral(), "text")
        logged = await run_logged(history, found=found)
        assert logged.engine.completed_sets[0].place.set_number == 1  # the right side
        rows = history.sets(session_id)
        assert [(r.set_number, r.side) for r in rows] == [
            (1, "left"),
            (1, "right"),
            (2, "left"),
            (2, "right"),
        ]
        (session,) = history.sessions()
        assert session.status == "completed"
        # The summary counts the whole session, the side done before the crash included.
        summary = summarize(logged.engine)
        assert (
            (summary.sets_done, summary.reps_done, summary.tut_ms)
            == (session.sets_done, session.reps_done, session.tut_ms)
            == (2, 8, 24_000)
        )
    with History.open(path) as history:  # a different file text is not resumed
        assert find_resumable(history, compile_timeline(small_workout()), "other") is None


async def test_only_a_session_with_a_set_done_is_offered(tmp_path: Path) -> None:
    timeline = unilateral()
    with History.open(tmp_path / "h.sqlite3") as history:
        empty = history.start_session(
            workout_name="W",
            workout_path="w.toml",
            workout_hash=workout_hash("text"),
            started_at=WHEN,
        )
        assert find_resumable(history, timeline, "text") is None
        history.record_set(
            empty, SetRecord(0, "Curl", "left", 1, 1, "2-0-1-0", 3000, WHEN, partial=True)
        )
        assert find_resumable(history, timeline, "text") is None  # a partial side is redone


async def test_a_live_session_is_neither_offered_nor_abandoned(tmp_path: Path) -> None:
    """A second copy of the app must leave the first one's session alone."""
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history, History.open(path) as second_copy:
        first = Logged(history, now=lambda: datetime.now(UTC))
        await first.run(12.5)  # the left side of set 1 is done
        assert len(history.sets(1)) == 1  # (this copy's reads wait for its own writes)
        [session] = second_copy.sessions()
        assert session.live and session.sets_done == 0
        assert len(second_copy.sets(session.id)) == 1
        assert find_resumable(second_copy, first.timeline, "text") is None
        try:
            second_copy.abandon(session.id)
        except HistoryError as error:
            assert error.kind == "live"
        else:
            raise AssertionError("abandoned a live session")
        assert await first.stop_and_close() == []


async def test_two_copies_resuming_one_session_never_both_write_to_it(tmp_path: Path) -> None:
    """Both see the same interrupted session; one claims it, the other is told and logs a
    session of its own: the interrupted one never gets a set twice."""
    path = tmp_path / "h.sqlite3"
    with History.open(path) as setup:
        session_id = setup.start_session(
            workout_name="W",
            workout_path="w.toml",
            workout_hash=workout_hash("text"),
            started_at=WHEN,
        )
        setup.record_set(session_id, SetRecord(0, "Curl", "left", 1, 2, "2-0-1-0", 6000, WHEN))
    with History.open(path) as one, History.open(path) as other:
        notices = [Notices(), Notices()]
        found = [find_resumable(history, unilateral(), "text") for history in (one, other)]
        assert found[0] is not None and found[1] is not None
        copies = [
            Logged(history, found=seen, **told.options())
            for history, seen, told in zip((one, other), found, notices, strict=True)
        ]
        for copy in copies:
            await copy.run()
        for copy in copies:
            assert await copy.stop_and_close() == []
        units = [(row.set_number, row.side) for row in one.sets(session_id)]
        sessions = one.sessions()
    assert units == [(1, "left"), (1, "right"), (2, "left"), (2, "right")]
    assert sorted(len(told.failures) for told in notices) == [0, 1]
    assert [notice for told in notices for notice in told.failures] == [CLAIM_LOST]
    assert [(row.id == session_id, row.status, row.sets_done) for row in sessions] == [
        (False, "completed", 1),
        (True, "completed", 2),
    ]


async def test_a_session_taken_over_goes_on_in_a_new_session(tmp_path: Path) -> None:
    """Frozen for longer than STALE_AFTER, a session looks dead, and another copy may resume
    it; when the first wakes up, its next sets go into a new session, and it says so."""
    path = tmp_path / "h.sqlite3"
    later = WHEN + timedelta(minutes=5)
    with History.open(path) as history, History(path, now=lambda: later) as resumer:
        told = Notices()
        frozen = Logged(history, **told.options())
        await frozen.run(12.5)  # the left side of set 1, then nothing for five minutes
        assert len(history.sets(1)) == 1
        [dead] = resumer.interrupted_sessions()
        assert resumer.claim(dead, Owner("gym-pc", 7))
        await frozen.run()
        assert await frozen.stop_and_close() == []
        sessions = {row.id: row for row in history.sessions()}
        rows = {
            session_id: [(r.set_number, r.side) for r in history.sets(session_id)]
            for session_id in sessions
        }
    assert told.failures == [TAKEN_OVER]
    assert rows == {dead.id: [(1, "left")], dead.id + 1: [(1, "right"), (2, "left"), (2, "right")]}
    assert (sessions[dead.id].status, sessions[dead.id + 1].status) == ("running", "completed")


async def test_sets_are_announced_saved_once_committed_on_the_loop(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        told = Notices()
        await run_logged(history, **told.options())
    assert [saved.words for saved in told.saved] == [
        "set 1/2 · Curl · left side",
        "set 1/2 · Curl · right side",
        "set 2/2 · Curl · left side",
        "set 2/2 · Curl · right side",
    ]
    assert told.threads == {threading.current_thread()}


async def test_a_partial_set_is_announced_with_its_reps(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        told = Notices()
        await run_logged(
            history, timeline=compile_timeline(small_workout()), stop_after=7.5, **told.options()
        )
    assert [saved.words for saved in told.saved] == ["set 1/2 · Curl · 1 of 2 reps"]
    assert [saved.label for saved in told.saved] == ["set 1/2 of Curl (1 of 2 reps)"]


async def test_a_rating_and_tapped_times_land_on_their_set_though_it_was_written_late(
    tmp_path: Path,
) -> None:
    """Locked from before the start: the session row, the set, its rating and its times all
    wait in memory, in order, and land where they belong once the lock goes."""
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        told = Notices()
        logged = Logged(
            history, timeline=compile_timeline(small_workout()), **QUICK, **told.options()
        )
        await logged.run(10.0)  # set 1 done, the rest begins
        assert logged.recorder.rate_effort(8)
        logged.recorder.attach_spans(TAPPED)
        assert logged.recorder.rate_effort(9)  # a change of mind: the last rating stands
        await until(lambda: bool(told.failures))
        holder.close()
        await logged.run()
        assert await logged.stop_and_close() == []
        (session,) = history.sessions()
        rows = history.sets(session.id)
    assert [(r.set_number, r.rpe, r.phase_durations, r.phase_spans) for r in rows] == [
        (1, 9, [[2100, 950], [1980, 1020]], TAPPED),
        (2, None, None, None),
    ]
    assert (told.failures, told.recoveries) == (
        ["History is locked by another program; your sets are kept and saved when it frees"],
        [RECOVERED],
    )


async def test_a_session_deleted_by_another_program_goes_on_in_a_new_one(
    tmp_path: Path,
) -> None:
    """What belonged to the deleted rows is said to be unsaved; later sets are kept."""
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        told = Notices()
        logged = Logged(history, timeline=compile_timeline(small_workout()), **told.options())
        await logged.run(10.0)  # set 1 done
        assert len(history.sets(1)) == 1
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("PRAGMA foreign_keys = ON")
            other.execute("DELETE FROM sessions")
        assert logged.recorder.rate_effort(8)
        await logged.run()
        unsaved = await logged.stop_and_close()
        sessions = history.sessions()
        rows = history.sets(sessions[0].id)
    assert unsaved == ["RPE 8 for set 1/2 of Curl"]
    assert [(row.status, row.sets_done) for row in sessions] == [("completed", 1)]
    assert [row.set_number for row in rows] == [2]
    assert told.failures == [TAKEN_OVER]


async def test_no_set_is_rated_before_one_is_done(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        logged = Logged(history)
        assert not logged.recorder.rate_effort(7)
        assert await logged.stop_and_close() == []


async def test_the_listener_never_waits_for_a_locked_history(tmp_path: Path) -> None:
    """Each write would wait out the busy timeout on the loop if it were made there."""
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history, closing(sqlite3.connect(path)) as holder:
        holder.isolation_level = None
        holder.execute("BEGIN EXCLUSIVE")
        logged = Logged(history, busy_timeout_s=0.25, retry_s=0.05)
        await logged.run()
        unsaved = await logged.recorder.aclose(timeout_s=0.1)
    assert max(logged.spent) < 0.05 < 0.25
    assert unsaved == [
        "Set 1/2 of Curl, left side",
        "Set 1/2 of Curl, right side",
        "Set 2/2 of Curl, left side",
        "Set 2/2 of Curl, right side",
    ]


async def test_the_writer_keeps_the_session_alive_with_heartbeats(tmp_path: Path) -> None:
    seconds = itertools.count()  # called from two threads: a generator would not do
    with History.open(tmp_path / "h.sqlite3") as history:
        logged = Logged(
            history, now=lambda: WHEN + timedelta(seconds=next(seconds)), heartbeat_s=0.01
        )
        first = history.sessions()[0].heartbeat_at
        await until(lambda: history.sessions()[0].heartbeat_at != first)
        beat = history.sessions()[0].heartbeat_at
        assert await logged.stop_and_close() == []
    assert first is not None and beat is not None and beat > first


def test_killing_a_session_at_random_never_loses_a_saved_set(tmp_path: Path) -> None:
    """SIGKILL a real plain-mode session at random moments, 15 times: every set it said was
    saved is in the database, at most one set announced as done is not (the one being
    written when it died), no set is there twice, the database is never corrupt, and the
    next run resumes right after the last logged set. `benchmarks/kill.py` does 200."""
    seed = int(os.environ.get("KILL_TEST_SEED", "20261125"))
    chooser = random.Random(seed)
    workout = tmp_path / "fast.toml"
    workout.write_text(FAST)
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d")}
    database = tmp_path / "d" / "tempo-coach" / "history.sqlite3"
    for trial in range(15):
        outcome = kill_one_run(TEMPO_COACH, workout, environment, database, chooser)
        where = f"seed {seed} trial {trial}: {outcome.lines}"
        assert outcome.integrity == "ok", where
        assert outcome.lost == [], where
        assert outcome.doubled == [], where
        assert outcome.in_flight in ([], outcome.done[-1:]), where
        assert outcome.unannounced == [], where
        assert outcome.resumed_right, where


ANNOUNCED_WITHIN = 3
"""Lines after a set's "done" line by which it is announced saved: the rest and the next
setup and count-in, 0.2 s in FAST, where a commit takes milliseconds."""


class KillOutcome:
    """What one killed run printed, and what its database holds."""

    def __init__(
        self,
        lines: list[str],
        integrity: str,
        logged: list[UnitKey],
        interrupted: set[UnitKey] | None,
    ) -> None:
        self.lines = lines
        self.integrity = integrity
        saved = {
            parse_unit(line.split("Saved ", 1)[1]): at
            for at, line in enumerate(lines)
            if "Saved set " in line
        }
        done = {
            parse_unit(line.split("] ", 1)[-1]): at
            for at, line in enumerate(lines)
            if " done · " in line
        }
        self.done = list(done)
        sides = {
            unit[:2]: [side for side in FAST_UNITS if side[:2] == unit[:2]] for unit in FAST_UNITS
        }
        earlier = interrupted or set()
        self.lost = [unit for unit in saved if unit not in logged]
        """Units announced as saved that are not in the database: none, ever."""
        self.doubled = sorted({unit for unit in logged if logged.count(unit) > 1})
        self.in_flight = [
            unit for unit in done if not all(side in logged for side in sides[unit[:2]])
        ]
        """Sets announced done but not (all) in the database: only the last may be."""
        self.unannounced = [
            side
            for unit, at in done.items()
            for side in sides[unit[:2]]
            if side not in earlier
            and len(lines) > at + ANNOUNCED_WITHIN
            and saved.get(side, len(lines)) > at + ANNOUNCED_WITHIN
        ]
        """Units of sets done that were not announced as saved while the next lines (about
        0.2 s of the session) were printed."""
        self.resumed_right = resumed_right(lines, interrupted)


def parse_unit(words: str) -> UnitKey:
    """(exercise, set number, side) from "Set 2/4 done · Curl · TUT 0.4 s" or from "set 1/2 ·
    Single-leg curl · left side" (what a "Saved " line carries)."""
    parts = words.split(" · ")
    number = int(parts[0].split(" ")[1].split("/")[0])
    side = next((part.split(" ")[0] for part in parts[2:] if part.endswith(" side")), None)
    return parts[1], number, cast(Side | None, side)


def resumed_right(lines: list[str], interrupted: set[UnitKey] | None) -> bool:
    """Whether a run that found an interrupted session said it resumes at its next unit."""
    if interrupted is None or not lines:
        return True
    exercise, number, side = next(unit for unit in FAST_UNITS if unit not in interrupted)
    sets = count_sets(
        [
            UnitDone(0 if name == "Curl" else 1, set_number, unit_side)
            for name, set_number, unit_side in interrupted
        ]
    )
    side_words = f", {side} side" if side else ""
    return lines[0].startswith(f"! Resuming your interrupted session: set {number}/") and (
        f"{side_words} of {exercise} ({sets} set" in lines[0]
    )


def kill_one_run(
    program: Path,
    workout: Path,
    environment: dict[str, str],
    database: Path,
    chooser: random.Random,
) -> KillOutcome:
    """Run `program run WORKOUT --plain`, SIGKILL it after a random number of its lines (and
    0–20 ms more, so some kills land between a set's end and its commit), then look."""
    interrupted = interrupted_units(database)
    process = subprocess.Popen(
        [str(program), "run", str(workout), "--plain", "--audio", "silent"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    wanted = chooser.randint(1, 12)  # about one set's lines: kills land all over a set
    while len(lines) < wanted and (line := process.stdout.readline()):
        lines.append(line.rstrip("\n"))
    time.sleep(chooser.uniform(0, 0.02))
    process.send_signal(signal.SIGKILL)
    lines.extend(process.stdout.read().splitlines())
    process.wait()
    with closing(sqlite3.connect(database)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        logged = connection.execute(
            "SELECT exercise, set_number, side FROM sets WHERE partial = 0 AND session_id ="
            " (SELECT max(id) FROM sessions WHERE owner_pid = ?)",
            (process.pid,),
        ).fetchall()
    return KillOutcome(lines, integrity, logged, interrupted)


def interrupted_units(database: Path) -> set[UnitKey] | None:
    """The units logged in the session a killed run left to resume, if there is one: the
    newest running session with a set logged and work left."""
    if not database.exists():
        return None
    with closing(sqlite3.connect(database)) as connection:
        for (session_id,) in connection.execute(
            "SELECT id FROM sessions WHERE status = 'running' AND EXISTS (SELECT 1 FROM sets"
            " WHERE session_id = sessions.id AND partial = 0) ORDER BY started_at DESC, id DESC"
        ).fetchall():
            units = set(
                connection.execute(
                    "SELECT exercise, set_number, side FROM sets WHERE session_id = ? AND"
                    " partial = 0",
                    (session_id,),
                ).fetchall()
            )
            if not set(FAST_UNITS) <= units:
                return units
    return None
