"""A sound device lost mid-set, for real: a private PulseAudio daemon (a null sink that
plays in real time) is killed while simpleaudio plays a long stretch through it, and the
player says so within a second, not at its next stream minutes later."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .audio_harness import run_python

LOSE_IT = """
import asyncio, json, os, signal, time
from tempo_coach.audio import open_sound
from tempo_coach.core.clock import MonotonicClock
from tempo_coach.core.cues import Cue

async def main():
    clock = MonotonicClock()
    lost = []
    sound = open_sound(clock, audio_enabled=True, volume=0.5,
                                    on_failure=lambda words: lost.append((time.monotonic(), words)))
    player, notice = sound.player, sound.notice
    player.play([Cue(ms, "click") for ms in range(0, 30000, 500)], clock.now() + 0.2)
    await asyncio.sleep(2)
    killed = time.monotonic()
    os.kill(int(os.environ["PULSE_PID"]), signal.SIGKILL)
    for _ in range(50):
        await asyncio.sleep(0.1)
        if lost:
            break
    print(json.dumps({"player": type(player).__name__, "notice": notice,
                      "after": lost[0][0] - killed if lost else None,
                      "words": lost[0][1] if lost else None}))
    player.stop()

asyncio.run(main())
"""


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str]]]:
    """A PulseAudio daemon of the test's own, which ALSA's default device plays to."""
    assert shutil.which("pulseaudio") and shutil.which("pactl"), (
        "pulseaudio is needed: ./dev test installs it"
    )
    runtime, home = tmp_path / "runtime", tmp_path / "home"
    runtime.mkdir(mode=0o700)
    (home / ".config" / "pulse").mkdir(parents=True)
    (home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    (home / ".config" / "pulse" / "client.conf").write_text("autospawn = no\n")
    socket = runtime / "native"
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SERVER": f"unix:{socket}",
    }
    environment.pop("ALSA_CONFIG_PATH", None)
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--use-pid-file=no",
            "--log-target=stderr",
            "-L",
            "module-null-sink sink_name=lost rate=44100 channels=1 format=s16le",
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
        ],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(["pactl", "info"], env=environment, capture_output=True).returncode != 0
        ):
            assert daemon.poll() is None and time.monotonic() < deadline, "no pulseaudio"
            time.sleep(0.1)
        yield daemon, {**environment, "PULSE_PID": str(daemon.pid)}
    finally:
        daemon.kill()
        daemon.wait()


def test_a_device_lost_mid_stream_is_said_within_a_second(
    pulse: tuple[subprocess.Popen[bytes], dict[str, str]],
) -> None:
    _, environment = pulse
    done = run_python(LOSE_IT, environment, timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["player"] == "SimpleaudioPlayer" and report["notice"] is None
    assert report["words"] == "The sound device was lost: the cues are on screen only from here on."
    assert report["after"] < 1.0
    assert "ALSA lib" not in done.stderr
