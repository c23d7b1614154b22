"""Plain mode end to end: the installed command, real simpleaudio, a real ALSA device that
writes what it plays to a file, and the printed lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from tempo_coach.audio.render import render
from tempo_coach.audio.sound_bank import SoundBank
from tempo_coach.cli import build_parser, quick_workout
from tempo_coach.core.cues import plan_cues
from tempo_coach.core.timeline import compile_timeline

from .audio_harness import SAMPLE_RATE, alsa_to_file, no_alsa_device, read_raw
from .conftest import REPO

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
QUICK = ["tempo", "2-0-1-0", "--reps", "3", "--setup", "1", "--count-in", "2", "--beat", "0.5"]


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TEMPO_COACH), *arguments],
        env=environment,
        text=True,
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_what_is_heard_is_the_planned_mix_to_the_sample(tmp_path: Path) -> None:
    environment, out = alsa_to_file(tmp_path / "home")
    done = run([*QUICK, "--audio", "clicks"], environment)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # The whole set is one stretch of sound: setup, count-in, three reps, the final chime.
    workout = quick_workout(build_parser().parse_args([*QUICK, "--audio", "clicks"]))
    cues = plan_cues(compile_timeline(workout), from_index=0, from_ms=0, mode="clicks")
    expected = render(cues, SoundBank(REPO / "sounds"), volume=1.0, lead_in_samples=0)
    heard = read_raw(out)
    lead_in = len(heard) - len(expected)
    assert 0 <= lead_in <= 0.1 * SAMPLE_RATE  # a short silence opens the stream
    assert not heard[:lead_in].any()
    assert np.array_equal(heard[lead_in:], expected)  # every click on its exact sample


def test_one_line_per_segment_as_it_happens(tmp_path: Path) -> None:
    environment, _ = alsa_to_file(tmp_path / "home")
    done = run([*QUICK, "--audio", "both"], environment)
    stamped = [line.split("] ", 1)[1] for line in done.stdout.splitlines()]
    # The history's own thread confirms a set once it is committed, whenever that is.
    assert [line for line in stamped if line.startswith("Saved ")] == [
        "Saved set 1/1 · Quick tempo"
    ]
    lines = [line for line in stamped if not line.startswith("Saved ")]
    assert lines[:-1] == [
        "Quick tempo · Set 1/1 · Setup (1 s) · 2-0-1-0 — Get into position.",
        "Set 1/1 · Count-in 2",
        "Set 1/1 · Rep 1/3 · Lower 2 counts",
        "Set 1/1 · Rep 1/3 · Lift 1 count",
        "Set 1/1 · Rep 2/3 · Lower 2 counts",
        "Set 1/1 · Rep 2/3 · Lift 1 count",
        "Set 1/1 · Rep 3/3 · Lower 2 counts",
        "Set 1/1 · Rep 3/3 · Lift 1 count",
        "Set 1/1 done · Quick tempo · TUT 4.5 s",
    ]
    # The last figure is the clock time taken (benchmarks/metronome.py measures its pace).
    summary, took = lines[-1].rsplit(" · ", 1)
    assert summary == "Workout complete: 1 of 1 sets · 3 reps · TUT 4.5 s · eccentric 3 s"
    assert took.endswith(" s") and float(took.removesuffix(" s")) > 0


def test_without_a_device_it_says_so_once_and_carries_on(tmp_path: Path) -> None:
    done = run([*QUICK, "--reps", "1"], no_alsa_device(tmp_path / "home"))
    assert done.returncode == 0
    first, *rest = done.stdout.splitlines()
    assert first == "! No sound device: the cues are on screen only."
    assert rest[-1].startswith("[00:0") and "Workout complete: 1 of 1 sets" in rest[-1]
    assert "ALSA lib" not in done.stdout + done.stderr


def test_ctrl_c_stops_cleanly_with_a_summary(tmp_path: Path) -> None:
    environment = no_alsa_device(tmp_path / "home")
    arguments = [
        "tempo",
        "3-1-1-0",
        "--reps",
        "5",
        "--setup",
        "1",
        "--beat",
        "0.25",
        "--audio",
        "silent",
    ]
    process = subprocess.Popen(
        [str(TEMPO_COACH), *arguments],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Rep 2/5" in line:
            break
    process.send_signal(subprocess.signal.SIGINT)  # type: ignore[attr-defined]
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "Traceback" not in err
    assert out.splitlines()[-1].split("] ", 1)[1].startswith("Stopped: 0 of 1 sets · 1 reps")
