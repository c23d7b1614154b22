"""Plain mode end to end: the installed command, real simpleaudio, a real ALSA device that
writes what it plays to a file, and the printed lines; and in-process, on a fake clock, the
keys of the rest (a load, a note, a set ended early) from a scripted key stream."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tempo_coach.audio.render import render
from tempo_coach.audio.sound_bank import SoundBank
from tempo_coach.catalog import read_workout
from tempo_coach.cli import build_parser, quick_workout
from tempo_coach.core.cues import plan_cues
from tempo_coach.core.models import Load, LoadUnit
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.plain import (
    LAST_WORDS_SECONDS,
    PlainEntry,
    PlainOutput,
    PlainPrinter,
    key_actions,
    press_key,
    run_plain,
)
from tempo_coach.sessions import Overrides, Session, SessionMaker
from tempo_coach.settings import Settings
from tempo_coach.store import History

from .audio_harness import SAMPLE_RATE, alsa_to_file, no_alsa_device, read_raw
from .conftest import REPO
from .fakes import FakeClock, RecordingPlayer
from .test_session_loads import WORKOUT
from .tui_support import START

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
    assert out.splitlines()[-1].split("] ", 1)[1].startswith("Stopped: 0 of 1 sets · 1 rep ·")


# -- in the rest: a load, a note, a set ended early (in-process, on a fake clock) ----------


def loaded_session(tmp_path: Path, history: History, units: LoadUnit = "kg") -> Session:
    """The loaded curl of `test_session_loads` (warm-up 0–10 s, rest to 40 s, set 1 to 50 s,
    rest to 80 s, set 2 to 90 s), wired as the CLI wires it, on a fake clock."""
    path = tmp_path / "loaded-curl.toml"
    path.write_text(WORKOUT, encoding="utf-8")
    maker = SessionMaker(
        clock=FakeClock(START),
        player=RecordingPlayer(),
        spoken=None,
        settings=Settings(units=units),
        overrides=Overrides(),
        history=history,
        notify=lambda _: None,
    )
    return maker.start(maker.plan(read_workout(path)), resume=False)


@dataclass
class PlainRun:
    """`run_plain` of the loaded curl under way, its keys read from a pipe."""

    session: Session
    history: History
    clock: FakeClock
    out: io.StringIO
    keys: int
    """The pipe's write end: what is written there is typed."""
    task: asyncio.Future[bool]


@contextmanager
def plain_run(tmp_path: Path, *, echo: bool | None = None) -> Iterator[PlainRun]:
    """The loaded curl run by `run_plain` on its fake clock (call inside a running loop),
    with a real history and keys from a pipe."""
    read_end, write_end = os.pipe()
    with History.open(tmp_path / "history.sqlite3") as history, open(read_end) as keys:
        session = loaded_session(tmp_path, history)
        clock = session.engine.clock
        assert isinstance(clock, FakeClock)
        out = io.StringIO()
        task = asyncio.ensure_future(run_plain(session, PlainOutput(out, echo=echo), keys=keys))
        yield PlainRun(session, history, clock, out, write_end, task)


def lines_of(out: io.StringIO) -> list[str]:
    return [line.split("] ", 1)[1] for line in out.getvalue().splitlines()]


async def test_plain_lines_name_the_load_and_the_warmup(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        session = loaded_session(tmp_path, history, units="lb")
        out = io.StringIO()
        engine = session.engine
        assert isinstance(engine.clock, FakeClock)
        engine.subscribe(PlainPrinter(engine, PlainOutput(out), session.units))
        task = asyncio.ensure_future(engine.run())
        await engine.clock.advance_to(START + 45.0)
        engine.stop()
        await task
        assert lines_of(out)[:9] == [
            "Curl · Warm-up 1/1 · Setup (2 s) · 2-0-1-0 · 66.1 lb",
            "Warm-up 1/1 · Count-in 2",
            "Warm-up 1/1 · Rep 1/2 · Lower 2 counts",
            "Warm-up 1/1 · Rep 1/2 · Lift 1 count",
            "Warm-up 1/1 · Rep 2/2 · Lower 2 counts",
            "Warm-up 1/1 · Rep 2/2 · Lift 1 count",
            "Warm-up 1/1 done · Curl · TUT 6 s",
            "Rest 30 s — next: Curl · set 1/2 · 2 reps @ 2-0-1-0 · 132.3 lb",
            "Curl · Set 1/2 · Setup (2 s) · 2-0-1-0 · 132.3 lb",
        ]
        await session.finish()


async def test_plain_keys_in_the_rest_type_a_load_and_a_note_never_a_rating(
    tmp_path: Path,
) -> None:
    """A scripted key stream: in the rest after set 1 a bad load, a good one, a note with
    digits, a `q` and a space in it; then `e` ends set 2 in its first rep."""
    with History.open(tmp_path / "history.sqlite3") as history:
        session = loaded_session(tmp_path, history)
        engine, recorder, clock = session.engine, session.recorder, session.engine.clock
        assert isinstance(clock, FakeClock)
        out = io.StringIO()
        output = PlainOutput(out)
        entry = PlainEntry(engine, output, recorder, session.units)
        engine.subscribe(PlainPrinter(engine, output, session.units))
        engine.subscribe(entry)
        actions = key_actions(engine, recorder, None, entry)
        task = asyncio.ensure_future(engine.run())

        async def keys(at: float, typed: str) -> None:
            await clock.advance_to(START + at)
            for character in typed:
                press_key(character, actions, entry)

        await keys(5.0, "l")  # mid-set: no line opens, the "l" does nothing
        assert entry.kind is None
        await keys(55.0, "lheavy\r")
        await keys(56.0, "62.x\x7f5\r")  # a slip erased
        await keys(56.5, "l\r")  # Enter alone keeps what was given, not the plan's
        await keys(57.0, "wset 8, q \x1b")  # Escape drops the note
        await keys(58.0, "wrpe 8, q ok\n")
        assert engine.state == "running" and not engine.stopped
        await keys(85.0, "e")  # rep 1 of set 2
        await clock.run_until_idle()
        await task
        assert engine.finished and not engine.stopped
        said = lines_of(out)
        rest = said[said.index("Rest 30 s — next: Curl · set 2/2 · 2 reps @ 2-0-1-0 · 60 kg") + 1 :]
        assert rest[:9] == [
            "Load lifted in set 1/2: type it (82.5 is kg; 82.5 kg, bw, bw+10), then Enter"
            " (Enter alone keeps 60 kg); Escape cancels",
            '! "heavy" is not a load: type a number (in kg), a number and kg or lb, bw, or'
            " bw+10 / bw-20 (band); type it again, or Escape",
            "Set 1/2: 62.5 kg lifted",
            "Load lifted in set 1/2: type it (82.5 is kg; 82.5 kg, bw, bw+10), then Enter"
            " (Enter alone keeps 62.5 kg); Escape cancels",
            "Set 1/2: 62.5 kg lifted, kept",
            "Note on set 1/2: type it, then Enter; Escape cancels",
            "Cancelled",
            "Note on set 1/2: type it, then Enter; Escape cancels",
            "Note saved with set 1/2",
        ]
        assert "Set 2/2 ended early · 0 of 2 reps · Curl" in said
        await session.finish()
        warmup, first, second = history.sets(history.sessions()[0].id)
        assert (first.load, first.note, first.rpe) == (Load(amount=62.5), "rpe 8, q ok", None)
        assert (second.reps_done, second.ended_early) == (0, True)
        assert warmup.load == Load(amount=30) and second.load == Load(amount=60)


async def test_a_closed_stdin_mid_line_never_holds_the_session(tmp_path: Path) -> None:
    """Keys from a pipe that closes half-way through a load: the line is simply never
    finished, the session runs to its end and the summary is printed."""
    with plain_run(tmp_path) as run:
        await run.clock.advance_to(START + 55.0)
        os.write(run.keys, b"l62")
        os.close(run.keys)
        await run.clock.run_until_idle()
        assert await asyncio.wait_for(run.task, timeout=5)
        said = lines_of(run.out)
        assert any(line.startswith("Load lifted in set 1/2: type it") for line in said)
        assert said[-1].startswith("Workout complete: 2 of 2 sets · 4 reps")
        assert run.history.sets(run.history.sessions()[0].id)[1].load == Load(amount=60)


async def test_at_a_terminal_the_last_set_still_takes_its_rating_load_and_a_note(
    tmp_path: Path,
) -> None:
    """No rest follows the last set: at a terminal (a pty here) the finished session waits
    for its rating, its load and a note on the session, until Enter."""
    main_end, terminal_end = os.openpty()
    with History.open(tmp_path / "history.sqlite3") as history, open(terminal_end) as keys:
        session = loaded_session(tmp_path, history)
        engine = session.engine
        assert isinstance(engine.clock, FakeClock)
        out = io.StringIO()
        task = asyncio.ensure_future(run_plain(session, PlainOutput(out), keys=keys))
        await engine.clock.advance_to(START + 91.0)  # past the last set's end, at 90 s
        for _ in range(50):  # the keys arrive through the terminal, in the loop's own time
            await asyncio.sleep(0)
        os.write(main_end, b"8l57.5\rwslept badly\r\r")
        assert await asyncio.wait_for(task, timeout=5)
        said = lines_of(out)
        assert (
            "Last set: 1–9 (0 for 10) rates it, l gives its load, w a note on the session;"
            " Enter finishes"
        ) in said
        assert "Set 2/2: 57.5 kg lifted" in said and "Note saved with the session" in said
        last = history.sets(history.sessions()[0].id)[-1]
        assert (last.rpe, last.load) == (8, Load(amount=57.5))
        assert history.sessions()[0].note == "slept badly"
    os.close(main_end)


async def test_at_a_terminal_a_finished_session_closes_by_itself(tmp_path: Path) -> None:
    """Nobody at the keys: the wait ends on the engine's clock, the session is kept."""
    main_end, terminal_end = os.openpty()
    with History.open(tmp_path / "history.sqlite3") as history, open(terminal_end) as keys:
        session = loaded_session(tmp_path, history)
        engine = session.engine
        assert isinstance(engine.clock, FakeClock)
        out = io.StringIO()
        task = asyncio.ensure_future(run_plain(session, PlainOutput(out), keys=keys))
        await engine.clock.advance_to(START + 90.0 + LAST_WORDS_SECONDS + 1)
        assert await asyncio.wait_for(task, timeout=5)
        assert lines_of(out)[-1].startswith("Workout complete: 2 of 2 sets")
    os.close(main_end)
