"""The installed ``tempo-coach`` in a real terminal (tmux), driven as a lifter would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"


class Terminal:
    """A tmux session on a private server, read back as text."""

    def __init__(self, name: str, socket: str) -> None:
        self.name = name
        self.socket = socket
        self.seen: list[str] = []

    def tmux(self, *arguments: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *arguments], check=True, capture_output=True, text=True
        ).stdout

    def screen(self) -> str:
        text = self.tmux("capture-pane", "-p", "-t", self.name)
        self.seen.append(text)
        return text

    def wait_for(self, words: str, *, gone: bool = False, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if (words in text) != gone:
                return text
            time.sleep(0.05)
        raise AssertionError(f"{words!r} {'still' if gone else 'never'} on screen:\n{text}")

    def wait_until_closed(self, timeout: float = 10.0) -> None:
        """The program exited, so tmux closed its window and session."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive = subprocess.run(
                ["tmux", "-L", self.socket, "has-session", "-t", self.name], capture_output=True
            )
            if alive.returncode != 0:
                return
            time.sleep(0.05)
        raise AssertionError(f"still running:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    assert shutil.which("tmux"), "tmux is needed: ./dev test installs it"
    assert TEMPO_COACH.exists(), f"{TEMPO_COACH} is not installed"
    home = tmp_path / "home"  # no .asoundrc: no sound device, as on a machine without one
    home.mkdir()
    term = Terminal("tempo", f"tempo-coach-test-{os.getpid()}")
    environment = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TERM": "xterm-256color",
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
    }
    command = " ".join(
        ["env", "-i", *(f"{k}={v}" for k, v in environment.items()), str(TEMPO_COACH)]
    )
    term.tmux("new-session", "-d", "-s", term.name, "-x", "100", "-y", "30", command)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


def test_pick_the_tempoed_rdl_start_pause_resume_and_quit(terminal: Terminal) -> None:
    terminal.wait_for("pick a workout")
    terminal.wait_for("No sound device")  # one clear notice, then visual cues
    terminal.press("tempoed")
    terminal.wait_for("4 × 5 @ 4-1-X-2")  # the plan of the highlighted workout
    terminal.press("Enter")
    terminal.wait_for("Bar on the hooks at mid-thigh")  # the setup cue
    terminal.press("n")  # cut the setup short and start
    terminal.wait_for("· Count-in")  # the top line names it in words
    terminal.wait_for("Warm-up 1/2 · Rep 1/5")  # the hinge, its name in block letters
    terminal.press("Space")
    paused = terminal.wait_for("Paused — space or enter resumes")
    terminal.press("Space")
    terminal.wait_for("Paused — space or enter resumes", gone=True)
    terminal.press("q")
    terminal.wait_for("Stop this session?")
    terminal.press("y")
    summary = terminal.wait_for("Stopped: Tempoed Romanian deadlift")
    assert "0 of 4" in summary
    terminal.press("q")
    terminal.wait_until_closed()
    everything = "\n".join(terminal.seen)
    assert "Warm-up 1/2" in paused
    assert "ALSA lib" not in everything and "Traceback" not in everything
