"""SIGTERM follows one rule in plain mode and the full-screen app: the session is marked
stopped (not left 'running' to be offered for resume) and its sets are kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .test_data_safety import TEMPO_COACH, fast_workout
from .test_end_to_end import Terminal


def logged(database: Path) -> tuple[list[tuple[str]], int]:
    if not database.exists():
        return [], 0
    with sqlite3.connect(database) as connection:
        statuses = connection.execute("SELECT status FROM sessions").fetchall()
        sets = connection.execute("SELECT count(*) FROM sets").fetchone()[0]
    return statuses, sets


def test_sigterm_stops_a_full_screen_session_and_keeps_its_sets(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    workout = fast_workout(tmp_path, sets=20)
    database = home / "data" / "tempo-coach" / "history.sqlite3"
    term = Terminal("tempo", f"tempo-coach-sigterm-{os.getpid()}")
    settings = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TERM": "xterm-256color",
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
    }
    command = " ".join(
        [
            "env",
            "-i",
            *(f"{k}={v}" for k, v in settings.items()),
            str(TEMPO_COACH),
            "run",
            str(workout),
            "--audio",
            "silent",
        ]
    )
    term.tmux("new-session", "-d", "-s", term.name, "-x", "100", "-y", "30", command)
    try:
        pid = int(term.tmux("display-message", "-p", "-t", term.name, "#{pane_pid}"))
        deadline = time.monotonic() + 30
        while logged(database)[1] < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert logged(database)[1] >= 1, term.screen()
        os.kill(pid, signal.SIGTERM)
        term.wait_until_closed()
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)
    statuses, sets = logged(database)
    assert statuses == [("stopped",)] and sets >= 1
    assert "Traceback" not in "\n".join(term.seen)


def test_sigterm_stops_a_plain_session_the_same_way(tmp_path: Path) -> None:
    workout = fast_workout(tmp_path, sets=20)
    database = tmp_path / "data" / "tempo-coach" / "history.sqlite3"
    process = subprocess.Popen(
        [str(TEMPO_COACH), "run", str(workout), "--plain", "--audio", "silent"],
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Saved set 1/20" in line:
            break
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in err
    statuses, sets = logged(database)
    assert statuses == [("stopped",)] and sets >= 1
