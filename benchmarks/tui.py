"""How the full-screen app does against its three targets. Prints numbers; never fails on them.

1. Launch to the first painted picker, under 0.5 s and at most 1.5× a minimal Textual app
   (Header + Digits + Footer, launched in turn with it, pair by pair): ``.venv/bin/tempo-coach``
   started in a real terminal (a detached 80×24 tmux pane with a throwaway HOME), with no
   sound device (with the workout index, and without it: a first launch after an upgrade,
   whose files are checked after the first frame) and then with a PulseAudio null sink
   (as in metronome.py), timed from just before ``tmux new-session`` until ``tmux
   capture-pane`` first shows the picker's title. The
   "harness floor" line times a command that prints the title at once: what tmux and the
   polling add. The in-process line times ``TempoCoachApp(...)`` to the first frame written
   with the title (no interpreter start, no imports, no sound probe); the last line times
   those imports, the theme read from the config, and what comes after the first frame
   (the settings validated, the history, the sound probe) in a fresh interpreter.
2. CPU while a set runs, under 3 % of one core: ``tempo-coach run tempoed-rdl --audio
   silent`` in tmux, the setup skipped with ``n``; utime + stime of the process (all its
   threads) from /proc over a window inside the reps, then one inside the rest.
3. Engine phase change to the screen showing it, within one frame (1/60 s): in-process with
   the real clock and no sound. Each SegmentStarted is timed as the engine emits it, and
   the frame is the first write to the terminal driver that holds the new phase label (the
   app renders every frame as for a real terminal; only the bytes go nowhere). The next
   line is the part of that delay before the screen's handler receives the event.

4. The big display (block-letter countdown, phase, rep and set) at 100×30, where it is
   largest, in-process with the real clock and no sound: the process's CPU over a window
   of the running set (target under 3 % of a core), and each phase change to the first
   frame written with the new phase's words and the block glyphs (target p95 under 33 ms).

5. ``tempo-coach list``, ``show my-rdl`` and ``validate my-rdl.toml`` (a user's copy of the
   tempoed RDL), each at most 2.5× ``python -c 'import pydantic'`` (run in turn with it,
   pair by pair): cold, with no workout index (its folder is a file, so every run validates
   every file it reads, as the first run after an upgrade does); edited, the user's file
   changed before each run (it is validated, the bundled ones come from the index: the
   first run after an edit); and warm (the index kept by an earlier run).

``tempo_coach`` is byte-compiled first, as an install leaves it: a module edited since its
last import would otherwise be compiled again by every launch (``PYTHONDONTWRITEBYTECODE``).

Run from the repository root (about 3 minutes): ``.venv/bin/python benchmarks/tui.py``;
``--only launch`` (or cpu, paint, big, cli) runs one part.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import textual
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver
from textual.message import Message

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.core.clock import MonotonicClock
from tempo_coach.core.events import Event, SegmentStarted
from tempo_coach.core.timeline import Segment, Timeline, compile_timeline
from tempo_coach.settings import Settings
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.messages import EngineEvent
from tempo_coach.tui.screens import SessionScreen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metronome import AudioUnavailable, pulse_null_sink  # a sibling script

ROOT = Path(__file__).resolve().parent.parent
COMMAND = str(ROOT / ".venv" / "bin" / "tempo-coach")
RDL = ROOT / "workouts" / "tempoed-rdl.toml"
PICKER_TITLE = "pick a workout"
SIZE = (80, 24)
POLL_SECONDS = 0.002
"""Pause between two ``capture-pane`` calls (each call itself takes a few ms)."""
NOTICES_GONE_SECONDS = 9.0
"""Start-up notices (such as "no sound device") stay 8 s; CPU is sampled after them."""
SETTLE_SECONDS = 1.0
"""How far into a segment a CPU window starts, clear of the change itself."""
FRAME_SECONDS = 1 / 60
MINIMAL_APP = f"""\
from textual.app import App
from textual.widgets import Digits, Footer, Header
class Minimal(App[None]):
    TITLE = {PICKER_TITLE!r}
    def compose(self):
        yield Header()
        yield Digits("12")
        yield Footer()
Minimal().run()
"""
"""The yardstick: the smallest Textual app painting the same title (Header + Digits + Footer)."""
STARTUP_STEPS = """\
import time
steps = [time.perf_counter()]
import tempo_coach.cli
steps.append(time.perf_counter())
import tempo_coach.tui.app
steps.append(time.perf_counter())
import tempo_coach.config_file
tempo_coach.config_file.read_config_file()
steps.append(time.perf_counter())
import tempo_coach.settings
tempo_coach.settings.load_settings()
steps.append(time.perf_counter())
import tempo_coach.sessions
tempo_coach.sessions.open_history()
steps.append(time.perf_counter())
import tempo_coach.audio
steps.append(time.perf_counter())
import tempo_coach.core.clock
tempo_coach.audio.open_sound(tempo_coach.core.clock.MonotonicClock(), audio_enabled=True,
                             volume=1.0, on_failure=None)
steps.append(time.perf_counter())
print(*(after - before for before, after in zip(steps, steps[1:])))
"""
"""What ``tempo-coach`` imports and reads before it builds the app, then what it does after
the first frame (see cli.run_app): the settings validated and the history opened on the
loop, the sound probe in a thread, step by step."""
STARTUP_NAMES = (
    "import tempo_coach.cli",
    "tempo_coach.tui.app",
    "read_config_file (the theme)",
    "after the first frame: load_settings",
    "sessions + open_history",
    "tempo_coach.audio",
    "open_sound",
)


def label_on_screen(segment: Segment) -> str:
    """A segment's label as SessionScreen.show_segment writes it in words (#counters; the
    banner draws it in block letters)."""
    return f"· {segment.label}"


def load() -> str:
    """The machine's load average: other work on it shows up in every number here."""
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def spread(values: Sequence[float]) -> str:
    return f"min {ms(min(values))}  median {ms(statistics.median(values))}  max {ms(max(values))}"


def percentiles(values: Sequence[float]) -> str:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return f"p50 {ms(statistics.median(values))}  p95 {ms(p95)}  max {ms(max(values))}"


# -- a real terminal: tmux -----------------------------------------------------------------


class Tmux:
    """A private tmux server (own socket, no config file) that keeps one idle session, so
    each timed launch pays for a new pane, not for starting the server."""

    def __init__(self, folder: Path) -> None:
        self.socket = str(folder / "tmux.sock")
        self.env = {key: value for key, value in os.environ.items() if key != "TMUX"}
        self.poll_seconds: list[float] = []

    def __call__(self, *arguments: str) -> str:
        return subprocess.run(
            ["tmux", "-f", "/dev/null", "-S", self.socket, *arguments],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self, name: str, command: Sequence[str]) -> int:
        """Run `command` (exec'd by tmux, no shell) in a new session; its process id."""
        width, height = SIZE
        return int(
            self(
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(width),
                "-y",
                str(height),
                "-P",
                "-F",
                "#{pane_pid}",
                *command,
            )
        )

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, text: str, timeout: float = 10.0) -> float:
        """When (perf_counter) `text` was first seen on the pane's screen."""
        deadline = time.perf_counter() + timeout
        while (asked := time.perf_counter()) < deadline:
            shown = self.screen(name)
            seen = time.perf_counter()
            self.poll_seconds.append(seen - asked)
            if text in shown:
                return seen
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{text!r} not on screen after {timeout} s:\n{self.screen(name)}")

    def kill(self, name: str) -> None:
        self("kill-session", "-t", name)


@contextmanager
def tmux_server(folder: Path) -> Iterator[Tmux]:
    tmux = Tmux(folder)
    tmux.start("idle", ["sleep", "3600"])
    tmux("set-option", "-g", "remain-on-exit", "on")  # a crash's traceback stays on screen
    try:
        yield tmux
    finally:
        tmux.kill("idle")  # the server exits with its last session


def time_launch(tmux: Tmux, command: Sequence[str]) -> float:
    started = time.perf_counter()
    tmux.start("launch", command)
    try:
        return tmux.wait_for("launch", PICKER_TITLE) - started
    finally:
        tmux.kill("launch")
        time.sleep(0.2)  # let the killed app exit before the next launch


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, all its threads, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_share(pid: int, seconds: float) -> float:
    """Share of one core the process used over the next `seconds`."""
    cpu, wall = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)


def sleep_until(deadline: float) -> None:
    time.sleep(max(0.0, deadline - time.monotonic()))


# -- in-process: every frame the app writes, timed ------------------------------------------


class Frames:
    """What an app wrote to its terminal driver, each write with its perf_counter time."""

    def __init__(self) -> None:
        self.writes: list[tuple[float, str]] = []

    def first(self, text: str, after: float) -> float | None:
        return next((at for at, data in self.writes if at >= after and text in data), None)

    def driver(self) -> type[Driver]:
        """A driver without input or output whose app still renders frames to text."""
        frames = self

        class RecordingDriver(HeadlessDriver):
            @property
            def is_headless(self) -> bool:
                return False  # else App._display skips rendering the frame at all

            def write(self, data: str) -> None:
                frames.writes.append((time.perf_counter(), data))

        return RecordingDriver


def make_app(frames: Frames, start_with: Path | None = None) -> TempoCoachApp:
    app = TempoCoachApp(
        catalog=Catalog.default(),
        clock=MonotonicClock(),
        player=SilentPlayer(),
        settings=Settings(audio_mode="silent"),
        start_with=start_with,
    )
    app.driver_class = frames.driver()
    return app


async def first_picker_frame() -> float:
    """From constructing the app to the first frame written with the picker's title."""
    frames = Frames()
    started = time.perf_counter()
    app = make_app(frames)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        while (painted := frames.first(PICKER_TITLE, started)) is None:
            await pilot.pause()
    return painted - started


@dataclass
class PhaseChange:
    event: SegmentStarted
    fired: float
    late_ms: int
    """How far past its deadline the engine woke for it."""
    handled: float | None = None


async def phase_changes(count: int) -> tuple[list[PhaseChange], Frames]:
    """Run the RDL from its count-in (setup skipped) for `count` phase changes."""
    frames = Frames()
    changes: list[PhaseChange] = []

    def received(message: Message) -> None:
        """Textual's message hook: the first pump to dispatch an event is the screen."""
        if isinstance(message, EngineEvent):
            for change in changes:
                if change.event is message.event and change.handled is None:
                    change.handled = time.perf_counter()

    app = make_app(frames, start_with=RDL)
    async with app.run_test(headless=False, size=SIZE, message_hook=received) as pilot:
        while not isinstance(screen := app.screen, SessionScreen):
            await pilot.pause()
        engine = screen.engine

        def fired(event: Event) -> None:
            if isinstance(event, SegmentStarted):
                changes.append(
                    PhaseChange(event, time.perf_counter(), engine.position_ms - event.at_ms)
                )

        engine.subscribe(fired)
        await pilot.press("n")
        while len(changes) < count and not engine.finished:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # the last change's frame
    return changes, frames


# -- the three parts -------------------------------------------------------------------------


def launch_ratios(tmux: Tmux, runs: int, env: Sequence[str]) -> tuple[list[float], list[float]]:
    """Launches of tempo-coach and of the minimal app in turn (pairing keeps their ratio
    fair on a machine whose speed drifts), with `env` (``NAME=value``) set for both."""
    app, minimal = [], []
    for _ in range(runs):
        app.append(time_launch(tmux, ["env", *env, COMMAND]))
        minimal.append(time_launch(tmux, ["env", *env, sys.executable, "-c", MINIMAL_APP]))
    return app, minimal


def print_launches(name: str, app: Sequence[float], minimal: Sequence[float]) -> None:
    ratios = [a / m for a, m in zip(app, minimal, strict=True)]
    print(f"   {name}")
    print(f"     tempo-coach in tmux    {spread(app)}")
    print(f"       each run: {' '.join(f'{value * 1000:.0f}' for value in app)} ms")
    print(f"     minimal Textual app    {spread(minimal)}")
    print(
        f"     ratio (pair by pair)   median {statistics.median(ratios):.2f}×"
        f"  (min {min(ratios):.2f}×, max {max(ratios):.2f}×; target ≤ 1.5×)"
    )


def launch(runs: int) -> None:
    print(f"1. Launch to first painted picker (target < 500 ms, ≤ 1.5× minimal app), {runs} runs")
    with tempfile.TemporaryDirectory() as folder, tmux_server(Path(folder)) as tmux:
        # No device: ALSA's default is a device that does not exist.
        no_device = Path(folder) / "no-device.conf"
        no_device.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
        app, minimal = launch_ratios(tmux, runs, [f"ALSA_CONFIG_PATH={no_device}"])
        print_launches("no sound device", app, minimal)
        # The first launch after an upgrade: no workout index, every file to check.
        blocked = Path(folder) / "no-index"
        blocked.write_text("")
        app, minimal = launch_ratios(
            tmux, runs, [f"ALSA_CONFIG_PATH={no_device}", f"XDG_CACHE_HOME={blocked}"]
        )
        print_launches("no sound device, no workout index (checked after the frame)", app, minimal)
        (Path(folder) / "pulse").mkdir()
        try:
            with pulse_null_sink(Path(folder) / "pulse") as pulse:
                names = ("HOME", "XDG_RUNTIME_DIR", "PULSE_SERVER")
                env = [f"{name}={pulse.env[name]}" for name in names]
                app, minimal = launch_ratios(tmux, runs, env)
            print_launches("sound device (PulseAudio null sink)", app, minimal)
        except AudioUnavailable as error:
            print(f"   sound device: skipped ({error})")
        polls = list(tmux.poll_seconds)
        floor = [
            time_launch(tmux, ["sh", "-c", f"echo '{PICKER_TITLE}'; exec sleep 60"])
            for _ in range(runs)
        ]
    print(f"   one capture-pane poll takes {ms(statistics.median(polls))}")
    print(f"   harness floor (echo)     {spread(floor)}")
    in_process = [asyncio.run(first_picker_frame()) for _ in range(runs)]
    print(f"   in-process App() → frame {spread(in_process)}  (first run {ms(in_process[0])})")
    steps = [
        [
            float(value)
            for value in subprocess.run(
                [sys.executable, "-c", STARTUP_STEPS],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        ]
        for _ in range(runs)
    ]
    medians = [statistics.median(column) for column in zip(*steps, strict=True)]
    print(
        "   fresh interpreter (medians; the last four come after the first frame): "
        + ", ".join(
            f"{name} {ms(value)}" for name, value in zip(STARTUP_NAMES, medians, strict=True)
        )
    )


def time_command(command: Sequence[str], env: dict[str, str]) -> float:
    """Wall time of a whole command, from its start to its exit, its output thrown away."""
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def cli(runs: int) -> None:
    """Each command against the yardstick, in turn: cold (no index), after an edit of the
    file it reads (the index holds the others), and warm."""
    print(
        f"5. list / show / validate against python -c 'import pydantic' (target ≤ 2.5×),"
        f" {runs} runs each, in turn with the yardstick"
    )
    yardstick = [sys.executable, "-c", "import pydantic"]
    with tempfile.TemporaryDirectory() as folder:
        blocked = Path(folder) / "not-a-folder"
        blocked.write_text("")
        data = Path(folder) / "data"
        mine = data / "tempo-coach" / "workouts" / "my-rdl.toml"
        mine.parent.mkdir(parents=True)
        states = {
            "cold": os.environ | {"XDG_CACHE_HOME": str(blocked)},
            "edited": os.environ | {"XDG_CACHE_HOME": str(Path(folder) / "edited")},
            "warm": os.environ | {"XDG_CACHE_HOME": str(Path(folder) / "cache")},
        }
        edits = iter(range(1_000_000))

        def edit() -> None:
            """A new version of the lifter's own workout: its bytes differ from every
            earlier run's, so it is validated afresh and the rest come from the index."""
            mine.write_text(f"{RDL.read_text(encoding='utf-8')}\n# edit {next(edits)}\n")

        edit()
        for arguments in (["list"], ["show", "my-rdl"], ["validate", str(mine)]):
            for state, env in states.items():
                env = env | {"XDG_DATA_HOME": str(data)}
                command = [COMMAND, *arguments]
                time_command(command, env)  # warm: this run keeps the index
                ours, theirs = [], []
                for _ in range(runs):
                    if state == "edited":
                        edit()
                    ours.append(time_command(command, env))
                    theirs.append(time_command(yardstick, env))
                ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
                print(
                    f"   {arguments[0]:<9} {state:<6}  {ms(statistics.median(ours))} against"
                    f" {ms(statistics.median(theirs))}: ratio median"
                    f" {statistics.median(ratios):.2f}× (min {min(ratios):.2f}×,"
                    f" max {max(ratios):.2f}×)"
                )


def cpu(window: float, timeline: Timeline) -> None:
    segments = timeline.segments
    setup, count_in = segments[0], segments[1]
    rest = next(segment for segment in segments if segment.kind == "rest")
    labels = {label_on_screen(segment) for segment in segments}

    def shown(tmux: Tmux) -> str:
        screen = tmux.screen("cpu")
        return "/".join(sorted(label for label in labels if label in screen)) or "?"

    print(
        f"2. CPU (target < 3 % of one core), {window:.0f} s windows, tempo-coach run"
        " tempoed-rdl --audio silent in tmux"
    )
    with tempfile.TemporaryDirectory() as folder, tmux_server(Path(folder)) as tmux:
        launched = time.monotonic()
        pid = tmux.start("cpu", [COMMAND, "run", "tempoed-rdl", "--audio", "silent"])
        try:
            tmux.wait_for("cpu", label_on_screen(setup))
            sleep_until(launched + NOTICES_GONE_SECONDS)
            tmux("send-keys", "-t", "cpu", "n")
            skipped = time.monotonic()  # the set's timeline now runs from setup.end_ms
            for name, start_ms in (("running set", count_in.end_ms), ("rest", rest.start_ms)):
                sleep_until(skipped + (start_ms - setup.end_ms) / 1000 + SETTLE_SECONDS)
                before = shown(tmux)
                share = cpu_share(pid, window)
                print(
                    f"   {name:<12} {share * 100:5.2f} %   (screen showed {before} → {shown(tmux)})"
                )
        finally:
            tmux.kill("cpu")


def paint(count: int) -> None:
    print(
        f"3. Phase change → frame with the new label written (target ≤ {ms(FRAME_SECONDS)}),"
        " in-process, real clock, no sound"
    )
    changes, frames = asyncio.run(phase_changes(count))
    painted = [
        frames.first(label_on_screen(change.event.segment), change.fired) for change in changes
    ]
    delays = [
        at - change.fired for change, at in zip(changes, painted, strict=True) if at is not None
    ]
    within = sum(delay <= FRAME_SECONDS for delay in delays)
    unpainted = f", {len(changes) - len(delays)} never painted" if None in painted else ""
    print(
        f"   fired → frame written     {percentiles(delays)}"
        f"   ({within} of {len(changes)} within one frame{unpainted})"
    )
    queued = [change.handled - change.fired for change in changes if change.handled is not None]
    print(f"   fired → screen's handler  {percentiles(queued)}")
    late = [change.late_ms / 1000 for change in changes]
    print(f"   engine woke after its deadline by  {percentiles(late)}")


BIG_SIZE = (100, 30)
"""The big display at its largest: a countdown 13 rows tall."""
BIG_FRAME_TARGET_SECONDS = 0.033


async def run_big_display(window: float, count: int) -> tuple[float, list[float], int]:
    """CPU share over `window` s of the RDL's first set, and fired → frame delays of its
    first `count` phase changes after that; also how many changes never painted."""
    frames = Frames()
    changes: list[tuple[SegmentStarted, float]] = []
    app = make_app(frames, start_with=RDL)
    async with app.run_test(headless=False, size=BIG_SIZE) as pilot:
        while not isinstance(screen := app.screen, SessionScreen):
            await pilot.pause()
        engine = screen.engine

        def fired(event: Event) -> None:
            if isinstance(event, SegmentStarted):
                changes.append((event, time.perf_counter()))

        engine.subscribe(fired)
        await pilot.press("n")  # skip the setup: the count-in, then the reps
        while engine.segment.kind != "phase":
            await asyncio.sleep(0.05)
        await asyncio.sleep(SETTLE_SECONDS)
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        await asyncio.sleep(window)
        share = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)
        while len(changes) < count and not engine.finished:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # the last change's frame
    delays, unpainted = [], 0
    for event, at in changes[:count]:
        label = label_on_screen(event.segment)
        painted = next(
            (when for when, data in frames.writes if when >= at and label in data and "█" in data),
            None,
        )
        if painted is None:
            unpainted += 1
        else:
            delays.append(painted - at)
    return share, delays, unpainted


def big_display(window: float, count: int) -> None:
    print(
        f"4. The big display at {BIG_SIZE[0]}×{BIG_SIZE[1]}, in-process, real clock, no sound"
        f" ({window:.0f} s CPU window in the first set, {count} phase changes)"
    )
    share, delays, unpainted = asyncio.run(run_big_display(window, count))
    print(f"   CPU of a running set     {share * 100:5.2f} % of one core  (target < 3 %)")
    never = f", {unpainted} never painted" if unpainted else ""
    print(
        f"   phase change → frame     {percentiles(delays)}"
        f"  (target p95 < {ms(BIG_FRAME_TARGET_SECONDS)}{never})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="launches to time (default 10)")
    parser.add_argument(
        "--window", type=float, default=30.0, help="seconds per CPU window, at most 35 (default 30)"
    )
    parser.add_argument(
        "--changes", type=int, default=20, help="phase changes to time (default 20, about 40 s)"
    )
    parser.add_argument(
        "--only",
        choices=("launch", "cpu", "paint", "big", "cli"),
        action="append",
        help="run only this part (repeatable)",
    )
    arguments = parser.parse_args(argv)
    if not 0 < arguments.window <= 35:
        parser.error("--window must fit inside the set's 40 s of reps: 0 < window <= 35")
    parts = arguments.only or ["launch", "cpu", "paint", "big", "cli"]
    compileall.compile_dir(ROOT / "tempo_coach", quiet=1)

    with tempfile.TemporaryDirectory() as home:
        # No user config or workouts of this machine change what is measured.
        os.environ["HOME"] = home
        for kind in ("CONFIG", "DATA", "CACHE", "STATE"):
            os.environ[f"XDG_{kind}_HOME"] = str(Path(home) / kind.lower())
        tmux_version = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout
        print(
            f"Python {platform.python_version()}, textual {textual.__version__},"
            f" {os.cpu_count()} CPUs, {tmux_version.strip()}, {SIZE[0]}×{SIZE[1]}; {load()}"
        )
        if "launch" in parts:
            launch(arguments.runs)
        if "cpu" in parts:
            cpu(arguments.window, compile_timeline(load_workout(RDL)))
        if "paint" in parts:
            paint(arguments.changes)
        if "big" in parts:
            big_display(arguments.window, arguments.changes)
        if "cli" in parts:
            cli(arguments.runs)
        print(f"End: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
