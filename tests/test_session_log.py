"""Nothing is lost: every completed set is in the history the moment it ends, whatever
happens to the process afterwards, and an interrupted session resumes at the next set."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.session_log import SessionRecorder, find_resumable
from tempo_coach.store import History, SetRecord, workout_hash

from .fakes import FakeClock, RecordingPlayer
from .test_engine import small_workout

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
FAST = """\
format_version = 1
name = "Fast"
count_in_beats = 1

[defaults]
beat_seconds = 0.1
rest_seconds = 0.3
rest_after_seconds = 0.3
setup = { mode = "timed", seconds = 0.2 }

[[exercises]]
name = "Curl"
trains = "knee_flexion"
category = "assistance"
sets = 4
reps = 3
tempo = "1-0-1-0"

[[exercises]]
name = "Single-leg curl"
trains = "knee_flexion"
category = "assistance"
sets = 2
reps = 2
tempo = "1-0-1-0"
unilateral = true
side_switch_seconds = 0.2
"""
WHEN = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


async def run_logged(history: History, workout_text: str, *, stop_after: float | None = None,
                     resume: bool = False) -> SessionEngine:
    workout = small_workout(unilateral=True)
    timeline = compile_timeline(workout)
    clock = FakeClock()
    found = find_resumable(history, timeline, workout_text) if resume else None
    engine = SessionEngine(timeline, clock, RecordingPlayer(), lead_seconds=0.0,
                           start_at=found.start_at if found else 0)
    engine.subscribe(SessionRecorder(history, timeline, workout_path=Path("w.toml"),
                                     workout_text=workout_text, resume=found,
                                     now=lambda: WHEN))
    task = asyncio.get_running_loop().create_task(engine.run())
    if stop_after is None:
        await clock.run_until_idle()
    else:
        await clock.advance(stop_after)
        engine.stop()
    await clock.settle()
    assert task.done()
    return engine


async def test_each_side_of_each_set_is_logged_with_its_numbers(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        await run_logged(history, "text")
        session, = history.sessions()
        assert (session.status, session.sets_done, session.reps_done) == ("completed", 4, 8)
        rows = history.sets(session.id)
        assert [(r.set_number, r.side, r.reps_done, r.tut_ms, r.target_tempo) for r in rows] == [
            (1, "left", 2, 6000, "2-0-1-0"), (1, "right", 2, 6000, "2-0-1-0"),
            (2, "left", 2, 6000, "2-0-1-0"), (2, "right", 2, 6000, "2-0-1-0"),
        ]


async def test_a_stopped_session_keeps_its_sets_and_says_stopped(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        await run_logged(history, "text", stop_after=12.5)  # left side of set 1 done
        session, = history.sessions()
        assert session.status == "stopped"
        assert [(r.set_number, r.side) for r in history.sets(session.id)] == [(1, "left")]
        assert history.interrupted_sessions() == []  # stopped on purpose: nothing to resume


async def test_an_interrupted_session_resumes_at_the_next_side(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        session_id = history.start_session(workout_name="W", workout_path="w.toml",
                                           workout_hash=workout_hash("text"), started_at=WHEN)
        history.record_set(session_id, SetRecord(  # the left side of set 1, then a crash
            exercise_index=0, exercise="Curl", side="left", set_number=1, reps_done=2,
            target_tempo="2-0-1-0", tut_ms=6000, completed_at=WHEN))
        engine = await run_logged(history, "text", resume=True)
        assert engine.completed_sets[0].place.set_number == 1  # the right side, then set 2
        rows = history.sets(session_id)
        assert [(r.set_number, r.side) for r in rows] == [
            (1, "left"), (1, "right"), (2, "left"), (2, "right")]
        assert history.sessions()[0].status == "completed"
        assert len(history.sessions()) == 1
    with History.open(path) as history:  # a different file text is not resumed
        assert find_resumable(history, compile_timeline(small_workout()), "other") is None


def test_killing_a_session_at_random_never_loses_a_completed_set(tmp_path: Path) -> None:
    """SIGKILL a real plain-mode session at random moments, many times: every set it had
    announced as done is in the database, which is never corrupt, and the next run resumes
    right after the last logged set."""
    seed = int(os.environ.get("KILL_TEST_SEED", "20261125"))
    chooser = random.Random(seed)
    workout = tmp_path / "fast.toml"
    workout.write_text(FAST)
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d")}
    database = tmp_path / "d" / "tempo-coach" / "history.sqlite3"
    order = [("Curl", n, None) for n in range(1, 5)] + [
        ("Single-leg curl", n, side) for n in (1, 2) for side in ("left", "right")]
    for trial in range(15):
        interrupted = _interrupted_units(database)
        process = subprocess.Popen(
            [str(TEMPO_COACH), "run", str(workout), "--plain", "--audio", "silent"],
            env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda p=process, seen=lines: seen.extend(p.stdout or []))
        reader.start()
        time.sleep(chooser.uniform(0.4, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join()
        where = f"seed {seed} trial {trial}"
        with sqlite3.connect(database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",), where
            logged = connection.execute(
                "SELECT exercise, set_number, side FROM sets WHERE session_id ="
                " (SELECT max(id) FROM sessions)").fetchall()
        for line in lines:  # "Set 2/4 done · Curl · TUT 0.6 s"
            if " done · " in line:
                number = int(line.split("Set ", 1)[1].split("/", 1)[0])
                exercise = line.split(" · ")[1]
                assert any(row[:2] == (exercise, number) for row in logged), (
                    f"{where}: {line!r} not in {logged}")
        if interrupted is not None and lines:  # it resumed where the last run was killed
            exercise, number, side = next(unit for unit in order if unit not in interrupted)
            side_words = f", {side} side" if side else ""
            assert lines[0].startswith(
                f"! Resuming your interrupted session: set {number}/"), f"{where}: {lines[0]}"
            assert f"{side_words} of {exercise} ({len(interrupted)} set" in lines[0], where


def _interrupted_units(database: Path) -> set[tuple[str, int, str | None]] | None:
    """The logged units of the session a killed run left behind, if there is one."""
    if not database.exists():
        return None
    with sqlite3.connect(database) as connection:
        running = connection.execute(
            "SELECT max(id) FROM sessions WHERE status = 'running'").fetchone()[0]
        if running is None:
            return None
        rows = connection.execute(
            "SELECT exercise, set_number, side FROM sets WHERE session_id = ?", (running,))
        return set(rows.fetchall())
