"""How on time the metronome is: the scheduler, the clicks as heard, and the CPU it costs.

    .venv/bin/python benchmarks/metronome.py [--quick] [--duration SECONDS]

A measurement, not a test: it prints numbers beside their targets and never fails on timing
noise. The audio parts play into a private PulseAudio null sink started here (nothing is
heard, nothing else is touched); without PulseAudio they are skipped with the Debian package
to install. benchmarks/README.md explains each number.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from tempo_coach.audio import open_sound
from tempo_coach.audio.sound_bank import FULL_SCALE, SAMPLE_RATE, SoundBank
from tempo_coach.core.clock import MonotonicClock
from tempo_coach.core.cues import Cue
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.events import BeatTicked, Event
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.paths import sounds_dir

T = TypeVar("T")

SCHEDULER_BEAT_S = 0.25
"""Short beats, so a couple of minutes hold hundreds of deadlines."""
SESSION_BEAT_S = 0.5
REPS_PER_SET = 10
MAX_SETS = 20
"""The most sets an exercise may have (models.Exercise)."""
DRIFT_WINDOW = 20
"""Drift compares the median lateness of this many last events with that of the first."""

CLICKS = 60
CLICK_PERIOD_S = 0.5
NOMINAL_SAMPLES = round(CLICK_PERIOD_S * SAMPLE_RATE)
PLAY_DELAY_S = 1.0
"""From a child's start to its first click: the warm-up stream has long finished by then."""
ONSET_THRESHOLD = 3000
"""Sample magnitude (of 32767) that counts as sound; a click peaks at about 16400."""
REFRACTORY_SAMPLES = SAMPLE_RATE // 10
"""Quiet that separates two onsets (100 ms): a 30 ms click is one onset, not several."""

SINK = "metronome_bench"
STARTUP_TIMEOUT_S = 10.0

TARGET_P99_MS = 2.0
TARGET_DRIFT_MS = 0.5
"""|drift| below this counts as none: it is within one event loop wake-up's jitter."""
TARGET_HEARD_SAMPLES = 1
TARGET_CPU_PERCENT = 1.0


def note(message: str) -> None:
    """Progress goes to stderr, so stdout is the report alone."""
    print(message, file=sys.stderr, flush=True)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """First column left-aligned, numbers right-aligned."""
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return " | ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(headers))
    print("-+-".join("-" * width for width in widths))
    for row in rows:
        print(line(row))


def make_workout(
    seconds: float, beat_seconds: float, *, count_in: int = 0, rest_seconds: float = 0.0
) -> Workout:
    """Sets of ten reps at tempo 2-0-2-0 (a beat every `beat_seconds`) lasting at least
    `seconds`, with no setup, so the session ticks from its first instant."""
    set_seconds = (count_in + REPS_PER_SET * 4) * beat_seconds + rest_seconds
    sets = max(1, math.ceil((seconds + rest_seconds) / set_seconds))  # no rest after the last
    exercises = [
        {
            "name": f"Metronome {first // MAX_SETS + 1}",
            "trains": "other",
            "category": "assistance",
            "sets": min(MAX_SETS, sets - first),
            "reps": REPS_PER_SET,
            "tempo": "2-0-2-0",
        }
        for first in range(0, sets, MAX_SETS)
    ]
    return Workout.model_validate(
        {
            "format_version": 1,
            "name": "Metronome benchmark",
            "count_in_beats": count_in,
            "defaults": {
                "beat_seconds": beat_seconds,
                "rest_seconds": rest_seconds,
                "rest_after_seconds": rest_seconds,
                "setup": {"seconds": 0},
            },
            "exercises": exercises,
        }
    )


# -- 1. scheduler accuracy -------------------------------------------------------------


@dataclass(frozen=True)
class Lateness:
    """How late each event fired after its deadline, in ms, in firing order."""

    method: str
    ms: npt.NDArray[np.float64]

    @classmethod
    def from_seconds(cls, method: str, seconds: Sequence[float]) -> Lateness:
        return cls(method, np.asarray(seconds, dtype=np.float64) * 1000)

    @property
    def p99_ms(self) -> float:
        return float(np.percentile(self.ms, 99))

    @property
    def drift_ms(self) -> float:
        """Median lateness of the last events minus that of the first: what accumulated."""
        window = max(1, min(DRIFT_WINDOW, len(self.ms) // 10))
        return float(np.median(self.ms[-window:]) - np.median(self.ms[:window]))

    def row(self) -> list[str]:
        return [
            self.method,
            str(len(self.ms)),
            f"{np.percentile(self.ms, 50):.3f}",
            f"{self.p99_ms:.3f}",
            f"{self.ms.max():.3f}",
            f"{self.drift_ms:+.3f}",
        ]


async def engine_lateness(workout: Workout) -> tuple[Lateness, int]:
    """The real engine on the real clock, no player; also returns how many beats it ticked."""
    clock = MonotonicClock()
    engine = SessionEngine(compile_timeline(workout), clock, None, lead_seconds=0.0)
    late: list[float] = []
    beats = 0
    origin = clock.now()  # run() reads its own start a few microseconds later

    def record(event: Event) -> None:
        nonlocal beats
        late.append(clock.now() - (origin + event.at_ms / 1000))
        beats += isinstance(event, BeatTicked)

    engine.subscribe(record)
    await engine.run()
    return Lateness.from_seconds("SessionEngine + MonotonicClock", late), beats


async def naive_lateness(beats: int, period: float) -> Lateness:
    """What the engine replaces: sleeping one period after each wake-up, so lateness adds up."""
    late: list[float] = []
    start = time.monotonic()
    for k in range(1, beats + 1):
        await asyncio.sleep(period)
        late.append(time.monotonic() - (start + k * period))
    return Lateness.from_seconds("naive: await asyncio.sleep(period)", late)


def scheduler_accuracy(seconds: float) -> list[Lateness]:
    workout = make_workout(seconds, SCHEDULER_BEAT_S)
    total = compile_timeline(workout).total_ms / 1000
    note(f"scheduler: engine over {total:.0f} s of {SCHEDULER_BEAT_S} s beats...")
    engine, beats = asyncio.run(engine_lateness(workout))
    note(f"scheduler: naive loop over {beats} beats of {SCHEDULER_BEAT_S} s...")
    naive = asyncio.run(naive_lateness(beats, SCHEDULER_BEAT_S))
    print(
        f"\n1. Scheduler accuracy: lateness of each event after its deadline, ms "
        f"({total:.0f} s real time each, a beat every {SCHEDULER_BEAT_S} s)"
    )
    print_table(
        ["method", "events", "p50", "p99", "max", "drift at end"], [engine.row(), naive.row()]
    )
    return [engine, naive]


# -- the private PulseAudio null sink ---------------------------------------------------


class AudioUnavailable(Exception):
    """Why the audio parts cannot run here; the message says what to install or read."""


def missing_debian_packages() -> list[str]:
    missing = []
    if shutil.which("pulseaudio") is None:
        missing.append("pulseaudio")
    if shutil.which("parec") is None or shutil.which("pactl") is None:
        missing.append("pulseaudio-utils")
    plugin = "libasound_module_pcm_pulse.so"
    if not [
        *Path("/usr/lib").glob(f"*/alsa-lib/{plugin}"),
        *Path("/usr").glob(f"lib*/alsa-lib/{plugin}"),
    ]:
        missing.append("libasound2-plugins")
    return missing


@dataclass(frozen=True)
class Pulse:
    """A running private daemon, and the environment that sends a child's ALSA default to it."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]


@contextmanager
def pulse_null_sink(folder: Path) -> Iterator[Pulse]:
    """A PulseAudio daemon of our own, in `folder`, whose only sink is a null sink playing in
    real time; stopped (by its pid) on leaving. Raises AudioUnavailable if it cannot start."""
    missing = missing_debian_packages()
    if missing:
        raise AudioUnavailable("install the Debian packages: apt-get install " + " ".join(missing))
    runtime, home = folder / "runtime", folder / "home"
    runtime.mkdir(mode=0o700)
    (home / ".config" / "pulse").mkdir(parents=True)
    # alsa-lib reads ~/.asoundrc: its default device becomes this PulseAudio server.
    (home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    (home / ".config" / "pulse" / "client.conf").write_text("autospawn = no\n")
    socket = runtime / "native"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_SERVER": f"unix:{socket}",
    }
    env.pop("ALSA_CONFIG_PATH", None)
    log = folder / "pulseaudio.log"
    # Mono 44.1 kHz like the sounds: the monitor then holds the very samples played.
    command = [
        "pulseaudio",
        "-n",
        "--daemonize=no",
        "--exit-idle-time=-1",
        "--disallow-exit",
        "--use-pid-file=no",
        f"--log-target=file:{log}",
        "-L",
        f"module-null-sink sink_name={SINK} rate={SAMPLE_RATE} channels=1 format=s16le",
        "-L",
        f"module-native-protocol-unix socket={socket} auth-anonymous=1",
    ]
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while (
            subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False).returncode
            != 0
        ):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                raise AudioUnavailable(f"pulseaudio did not start; its log ends:\n{tail}")
            time.sleep(0.1)
        yield Pulse(process, env)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_child(kind: str, seconds: float, env: dict[str, str]) -> dict[str, Any]:
    """This script in a fresh interpreter (alsa-lib reads its configuration once per
    process); returns the JSON object it prints."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--seconds", str(seconds)],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise AudioUnavailable(
            f"the {kind} child failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


@contextmanager
def recording(pulse: Pulse, raw: Path) -> Iterator[None]:
    """Record the null sink's monitor into `raw` (s16le mono) meanwhile, plus a short tail."""
    with raw.open("wb") as out:
        parec = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{SINK}.monitor",
                "--format=s16le",
                f"--rate={SAMPLE_RATE}",
                "--channels=1",
                "--latency-msec=5",
            ],
            env=pulse.env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            # The recording must be flowing before the first sound.
            while raw.stat().st_size < 2 * SAMPLE_RATE // 5:
                if parec.poll() is not None or time.monotonic() > deadline:
                    raise AudioUnavailable("parec is not recording the null sink's monitor")
                time.sleep(0.01)
            yield
            time.sleep(0.3)
        finally:
            parec.terminate()
            parec.wait()


# -- 2. heard accuracy -------------------------------------------------------------------


def onsets(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int64]:
    """The first sample louder than the threshold after at least the refractory period of
    quiet: where each click begins."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > ONSET_THRESHOLD)
    if loud.size == 0:
        return loud
    return loud[np.concatenate(([True], np.diff(loud) > REFRACTORY_SAMPLES))]


@dataclass(frozen=True)
class Heard:
    """The clicks found in one recording and how far their spacing is from nominal."""

    method: str
    heard: int
    errors: npt.NDArray[np.int64]
    """Each interval minus the nearest whole number of periods (a lost click leaves a double
    interval, which is measured against two periods), in samples."""
    note: str = ""

    @classmethod
    def from_recording(cls, method: str, samples: npt.NDArray[np.int16], note: str) -> Heard:
        found = onsets(samples)
        gaps = np.diff(found)
        periods = np.maximum(1, np.rint(gaps / NOMINAL_SAMPLES)).astype(np.int64)
        return cls(method, len(found), gaps - periods * NOMINAL_SAMPLES, note)

    @property
    def max_abs(self) -> int:
        return int(np.abs(self.errors).max()) if self.errors.size else 0

    def row(self) -> list[str]:
        if self.errors.size == 0:
            return [self.method, f"{self.heard}/{CLICKS}", *["-"] * 6]
        mean, std = float(self.errors.mean()), float(self.errors.std())
        to_ms = 1000 / SAMPLE_RATE
        return [
            self.method,
            f"{self.heard}/{CLICKS}",
            f"{mean * to_ms:+.3f}",
            f"{std * to_ms:.3f}",
            f"{self.max_abs * to_ms:.3f}",
            f"{mean:+.1f}",
            f"{std:.1f}",
            str(self.max_abs),
        ]


def heard_accuracy(pulse: Pulse, folder: Path) -> list[Heard]:
    results = []
    for kind, method in (
        ("rendered", "SimpleaudioPlayer.play (60 in one buffer)"),
        ("per-call", "one play_buffer call per click"),
    ):
        note(f"heard: {CLICKS} clicks every {CLICK_PERIOD_S} s, {method}...")
        raw = folder / f"{kind}.raw"
        with recording(pulse, raw):
            extra = run_child(kind, CLICKS * CLICK_PERIOD_S + PLAY_DELAY_S, pulse.env)
        samples = np.fromfile(raw, dtype="<i2").astype(np.int16)
        late = extra.get("call_late_max_ms")
        remark = "" if late is None else f"calls made at most {late:.3f} ms after their deadline"
        results.append(Heard.from_recording(method, samples, remark))
    print(
        f"\n2. Heard accuracy: intervals between the clicks recorded from the null sink, "
        f"minus {CLICK_PERIOD_S} s ({NOMINAL_SAMPLES} samples)"
    )
    print_table(
        [
            "method",
            "heard",
            "mean ms",
            "std ms",
            "max|err| ms",
            "mean smp",
            "std smp",
            "max|err| smp",
        ],
        [heard.row() for heard in results],
    )
    for heard in results:
        if heard.note:
            print(f"  {heard.method}: {heard.note}")
    return results


# -- 3. CPU ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cpu:
    player: str
    wall_s: float
    cpu_s: float
    daemon_cpu_s: float | None
    notice: str | None

    @property
    def percent(self) -> float:
        return 100 * self.cpu_s / self.wall_s


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU of another process, from /proc (None where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_cost(seconds: float, pulse: Pulse | None, folder: Path) -> Cpu:
    note(f"cpu: a {seconds:.0f} s session with {'sound' if pulse else 'no sound'}...")
    if pulse is None:
        home = folder / "silent-home"
        home.mkdir()
        result = run_child("session-silent", seconds, {**os.environ, "HOME": str(home)})
        daemon = None
    else:
        before = process_cpu_seconds(pulse.process.pid)
        result = run_child("session", seconds, pulse.env)
        after = process_cpu_seconds(pulse.process.pid)
        daemon = None if before is None or after is None else after - before
    cpu = Cpu(result["player"], result["wall_s"], result["cpu_s"], daemon, result["notice"])
    print(
        f"\n3. CPU of a running session (engine + {cpu.player}, no UI; process CPU time of "
        f"all threads)"
    )
    rows = [
        [
            "this process",
            f"{cpu.wall_s:.1f}",
            f"{cpu.cpu_s:.3f}",
            f"{60 * cpu.cpu_s / cpu.wall_s:.3f}",
            f"{cpu.percent:.3f}",
        ]
    ]
    if cpu.daemon_cpu_s is not None:
        rows.append(
            [
                "pulseaudio daemon (not counted)",
                f"{cpu.wall_s:.1f}",
                f"{cpu.daemon_cpu_s:.3f}",
                f"{60 * cpu.daemon_cpu_s / cpu.wall_s:.3f}",
                f"{100 * cpu.daemon_cpu_s / cpu.wall_s:.3f}",
            ]
        )
    print_table(["process", "wall s", "CPU s", "CPU s per minute", "% of one core"], rows)
    if cpu.notice:
        print(f"  player notice: {cpu.notice}")
    return cpu


# -- the children: each plays in a fresh process -----------------------------------------


async def play_rendered(clicks: int) -> dict[str, Any]:
    """Our path: every click handed to the player at once, which mixes them into one buffer."""
    from tempo_coach.audio.simpleaudio_player import SimpleaudioPlayer

    clock = MonotonicClock()
    player = SimpleaudioPlayer(clock, SoundBank(sounds_dir()))
    refused = player.warm_up()
    if refused is not None:
        sys.exit(refused)
    origin = clock.now() + PLAY_DELAY_S
    player.play([Cue(round(k * CLICK_PERIOD_S * 1000), "click") for k in range(clicks)], origin)
    await clock.sleep_until(origin + clicks * CLICK_PERIOD_S + 0.2)
    player.stop()
    return {}


def play_per_call(clicks: int) -> dict[str, Any]:
    """The alternative: a stream per click, each opened on time by a sleep-then-spin loop,
    after the same warm-up stream as the player's."""
    import simpleaudio  # type: ignore[import-untyped]

    click = np.rint(SoundBank(sounds_dir()).samples("click") * FULL_SCALE).astype(np.int16)
    simpleaudio.play_buffer(np.zeros(SAMPLE_RATE // 50, np.int16), 1, 2, SAMPLE_RATE).wait_done()
    start = time.monotonic() + PLAY_DELAY_S
    playing: list[Any] = []
    late: list[float] = []
    for k in range(clicks):
        deadline = start + k * CLICK_PERIOD_S
        time.sleep(max(0.0, deadline - time.monotonic() - 0.002))
        while time.monotonic() < deadline:  # spin the last 2 ms: each call exactly on time
            continue
        late.append(time.monotonic() - deadline)
        playing.append(simpleaudio.play_buffer(click, 1, 2, SAMPLE_RATE))
    for each in playing:
        each.wait_done()
    return {"call_late_max_ms": 1000 * max(late)}


async def run_session(seconds: float, audio: bool) -> dict[str, Any]:
    """A session as the app runs it, minus the UI: open_sound, the engine, `seconds` long."""
    clock = MonotonicClock()
    failures: list[str] = []
    sound = open_sound(clock, audio_enabled=audio, volume=1.0, on_failure=failures.append)
    player, notice, spoken = sound.player, sound.notice, sound.spoken
    workout = make_workout(seconds, SESSION_BEAT_S, count_in=3, rest_seconds=5)
    engine = SessionEngine(compile_timeline(workout), clock, player, spoken=spoken)
    asyncio.get_running_loop().call_later(seconds, engine.stop)
    wall, cpu = time.monotonic(), time.process_time()
    await engine.run()
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    return {
        "player": type(player).__name__,
        "wall_s": wall,
        "cpu_s": cpu,
        "notice": "; ".join(filter(None, [notice, *failures])) or None,
    }


def child_main(kind: str, seconds: float) -> None:
    if kind == "rendered":
        result = asyncio.run(play_rendered(CLICKS))
    elif kind == "per-call":
        result = play_per_call(CLICKS)
    else:
        result = asyncio.run(run_session(seconds, audio=kind == "session"))
    print(json.dumps(result))


# -- the report ----------------------------------------------------------------------------


def skipping(title: str, part: Callable[[], T]) -> T | None:
    """Run one part of the report; if the sound path fails, say why and go on."""
    try:
        return part()
    except (AudioUnavailable, subprocess.TimeoutExpired) as error:
        print(f"\n{title}: skipped ({error})")
        return None


def summary(scheduler: list[Lateness], heard: list[Heard] | None, cpu: Cpu | None) -> None:
    engine = scheduler[0]
    rows = [
        [
            "scheduler p99 (engine)",
            f"{engine.p99_ms:.3f} ms",
            f"< {TARGET_P99_MS:g} ms",
            "yes" if engine.p99_ms < TARGET_P99_MS else "NO",
        ],
        [
            "scheduler drift at end (engine)",
            f"{engine.drift_ms:+.3f} ms",
            f"0 (|drift| < {TARGET_DRIFT_MS:g} ms)",
            "yes" if abs(engine.drift_ms) < TARGET_DRIFT_MS else "NO",
        ],
    ]
    if heard:
        ours = heard[0]
        rows.append(
            [
                "heard intervals within a stretch",
                f"max |err| {ours.max_abs} samples",
                f"<= {TARGET_HEARD_SAMPLES} sample",
                "yes" if ours.heard == CLICKS and ours.max_abs <= TARGET_HEARD_SAMPLES else "NO",
            ]
        )
    else:
        rows.append(
            [
                "heard intervals within a stretch",
                "skipped",
                f"<= {TARGET_HEARD_SAMPLES} sample",
                "-",
            ]
        )
    if cpu:
        rows.append(
            [
                f"CPU, engine + {cpu.player}",
                f"{cpu.percent:.3f} % of a core",
                f"< {TARGET_CPU_PERCENT:g} %",
                "yes" if cpu.percent < TARGET_CPU_PERCENT else "NO",
            ]
        )
    print("\nTargets")
    print_table(["what", "result", "target", "met"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration",
        type=float,
        default=150.0,
        metavar="SECONDS",
        help="real time of each scheduler run (default 150)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a try-out: 15 s scheduler runs and a 20 s CPU session"
    )
    parser.add_argument(
        "--child",
        choices=["rendered", "per-call", "session", "session-silent"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--seconds", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.seconds)
        return
    duration = 15.0 if args.quick else args.duration
    cpu_seconds = 20.0 if args.quick else 60.0
    started = time.monotonic()
    print(
        f"Tempo Coach metronome benchmark: Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    scheduler = scheduler_accuracy(duration)
    heard: list[Heard] | None = None
    cpu: Cpu | None = None
    with tempfile.TemporaryDirectory(prefix="metronome-") as name:
        folder = Path(name)
        try:
            with pulse_null_sink(folder) as pulse:
                heard = skipping("2. Heard accuracy", lambda: heard_accuracy(pulse, folder))
                cpu = skipping("3. CPU", lambda: cpu_cost(cpu_seconds, pulse, folder))
        except AudioUnavailable as error:
            print(f"\n2. Heard accuracy: skipped ({error})")
            cpu = skipping("3. CPU", lambda: cpu_cost(cpu_seconds, None, folder))
    summary(scheduler, heard, cpu)
    print(f"\nRan {time.monotonic() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
