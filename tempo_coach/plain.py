"""Plain mode: a session in an ordinary terminal, one printed line per segment.

The same engine and audio as the full-screen app, for a lifter who wants no UI (and for
testing the whole audio path end to end). Keys: space or Enter for "ready" (and pause /
resume), ``n`` skip, ``+``/``-`` rest, ``r`` restart the rep, ``q`` or Ctrl+C stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import tty
from collections.abc import Callable, Iterator
from typing import TextIO

from tempo_coach.core.describe import format_duration, next_set, rhythm
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.events import (
    Event,
    Paused,
    RepCompleted,
    RepRestarted,
    RestChanged,
    Resumed,
    SegmentStarted,
    SetCompleted,
    Skipped,
    WaitingForReady,
)
from tempo_coach.core.summary import summarize
from tempo_coach.core.taps import TapTimer, set_cues, targets_for
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import Timeline
from tempo_coach.session_log import SessionRecorder
from tempo_coach.sessions import Session


def segment_line(timeline: Timeline, index: int) -> str:
    """What a segment says when it starts: counts, the phase and how long, a cue if useful."""
    segment = timeline.segments[index]
    place = segment.place
    where = f"Set {place.set_number}/{place.set_count}"
    side = f" · {place.side.capitalize()} side" if place.side else ""
    length = format_duration(segment.duration_ms)
    if segment.kind == "phase":
        counts = f"{segment.beats} count{'s' if segment.beats != 1 else ''}"
        line = f"{where} · Rep {place.rep}/{place.rep_count}{side} · {segment.label} {counts}"
        first_rep = place.rep == 1 and (
            index == 0
            or timeline.segments[index - 1].kind != "phase"
            or timeline.segments[index - 1].place.rep != 1
        )
        return f"{line} — {segment.cue}" if segment.cue and first_rep else line
    if segment.kind == "setup":
        exercise = timeline.workout.exercises[place.exercise_index]
        how = "when ready" if segment.waits_for_ready else length
        line = f"{place.exercise_name} · {where}{side} · Setup ({how})"
        line += f" · {rhythm(exercise)}"
        return f"{line} — {segment.cue}" if segment.cue else line
    if segment.kind == "count_in":
        return f"{where}{side} · Count-in {segment.beats}"
    if segment.kind == "side_switch":
        return f"{where} · Switch sides ({length})"
    upcoming = next_set(timeline, index)
    return f"Rest {length}" + (f" — next: {upcoming}" if upcoming else "")


def summary_line(engine: SessionEngine) -> str:
    """One line on what was done: sets, reps, time under tension, session time."""
    done = summarize(engine)
    head = "Stopped" if done.stopped else "Workout complete"
    return (
        f"{head}: {done.sets_done} of {done.sets_planned} sets · {done.reps_done} reps · "
        f"TUT {format_duration(done.tut_ms)} · eccentric {format_duration(done.eccentric_ms)}"
        f" · {format_duration(done.elapsed_ms)}"
    )


class PlainOutput:
    """Where plain mode's lines go, one at a time, control characters escaped. Output that
    stops taking lines (``| head``, a full device) is remembered and `on_lost` is called,
    which ends the session cleanly, as stopped, with its sets."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lost: OSError | None = None
        """Why the output stopped taking lines, if it did."""
        self.on_lost: Callable[[], None] = lambda: None

    def say(self, line: str) -> None:
        if self.lost is not None:
            return
        try:
            self.out.write(printable(line) + "\n")
            self.out.flush()
        except OSError as error:
            self.lost = error
            self.on_lost()


class PlainPrinter:
    """Prints the engine's events as lines, stamped with the session's time."""

    def __init__(self, engine: SessionEngine, output: PlainOutput) -> None:
        self.engine = engine
        self.output = output

    def __call__(self, event: Event) -> None:
        line = self.line_for(event)
        if line is not None:
            self.output.say(f"[{format_clock(event.at_ms)}] {line}")

    def line_for(self, event: Event) -> str | None:
        timeline = self.engine.timeline
        match event:
            case SegmentStarted(index=index):
                return segment_line(timeline, index)
            case WaitingForReady():
                return "Press space or Enter when ready"
            case SetCompleted(place=place, tut_ms=tut):
                return (
                    f"Set {place.set_number}/{place.set_count} done · {place.exercise_name}"
                    f" · TUT {format_duration(tut)}"
                )
            case Paused():
                return "Paused — space to resume"
            case Resumed():
                return "Resumed"
            case Skipped(segment=segment):
                return f"Skipped {segment.label.lower()}"
            case RepRestarted(place=place):
                return f"Restarting rep {place.rep}"
            case RestChanged(seconds=seconds):
                return f"Rest {'+' if seconds > 0 else '−'}{abs(seconds):g} s"
        return None


class PlainTaps:
    """Tap timing in plain mode, as in the app: `t` turns it on, then space or Enter taps each
    phase boundary; each tap prints its line, each set its summary, stored with the set."""

    def __init__(
        self, engine: SessionEngine, output: PlainOutput, recorder: SessionRecorder | None
    ) -> None:
        self.engine = engine
        self.output = output
        self.recorder = recorder
        self.timer: TapTimer | None = None
        self._exercise = -1

    def __call__(self, event: Event) -> None:
        match event:
            case SegmentStarted(segment=segment) if (
                self.timer is not None and segment.place.exercise_index != self._exercise
            ):
                self._start()  # a new exercise has its own phases and targets
            case RepCompleted(place=place) if self.timer is not None and (
                place.rep == place.rep_count
            ):
                timing = self.timer.end_set()
                if timing.reps:
                    self.output.say(timing.summary_line())
                    if self.recorder is not None:
                        self.recorder.attach_spans(timing)

    def _start(self) -> None:
        place = self.engine.segment.place
        workout = self.engine.timeline.workout
        exercise = workout.exercises[place.exercise_index]
        self.timer = TapTimer(targets_for(exercise, exercise.settings(workout.defaults)))
        self._exercise = place.exercise_index

    def toggle(self) -> None:
        if self.timer is None:
            self._start()
            self.output.say("Tap timing on: space or Enter at each phase boundary, t turns it off")
        else:
            self.timer = None
            self.output.say("Tap timing off: space pauses")

    def space(self) -> None:
        """A tap while tap timing is on and the session runs; otherwise pause / ready."""
        engine = self.engine
        if self.timer is None or engine.state != "running":
            engine.toggle_pause()
            return
        now = engine.clock.now()
        cues = set_cues(engine.timeline.segments, engine.segment.place, engine.position_ms, now)
        outcome = self.timer.tap(now, cues)
        if not outcome.ignored:
            self.output.say(self.timer.live_line(outcome))


def format_clock(milliseconds: int) -> str:
    seconds = max(0, milliseconds) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def key_actions(
    engine: SessionEngine, recorder: SessionRecorder | None = None, taps: PlainTaps | None = None
) -> dict[str, Callable[[], None]]:
    """The plain-mode keys, one character each; in a rest, 1–9 and 0 rate the set done; with
    `taps`, `t` turns tap timing on and off, and space / Enter tap while it is on."""
    space = engine.toggle_pause if taps is None else taps.space

    def rate(rpe: int) -> Callable[[], None]:
        def rate_it() -> None:
            if (
                recorder is not None
                and engine.segment.kind == "rest"
                and (recorder.rate_effort(rpe))
            ):
                print(f"Set rated RPE {rpe}", flush=True)

        return rate_it

    return {
        **{str(rpe % 10): rate(rpe) for rpe in range(1, 11)},
        " ": space,
        "\n": space,
        "\r": space,
        **({} if taps is None else {"t": taps.toggle}),
        "n": engine.skip,
        "+": engine.change_rest,
        "=": engine.change_rest,
        "-": lambda: engine.change_rest(-15),
        "r": engine.restart_rep,
        "q": engine.stop,
    }


@contextlib.contextmanager
def keys_from(
    stream: TextIO,
    engine: SessionEngine,
    recorder: SessionRecorder | None = None,
    taps: PlainTaps | None = None,
) -> Iterator[None]:
    """Feed key presses on `stream` to the engine; a terminal is put in cbreak mode so one
    key acts at once (Ctrl+C still interrupts), and restored afterwards."""
    loop = asyncio.get_running_loop()
    actions = key_actions(engine, recorder, taps)
    fd = stream.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None

    def on_input() -> None:
        data = os.read(fd, 64)
        if not data:  # end of input: keep running, stop listening
            loop.remove_reader(fd)
            return
        for character in data.decode(errors="ignore"):
            action = actions.get(character)
            if action is not None:
                action()

    try:
        loop.add_reader(fd, on_input)
    except PermissionError:  # a file or /dev/null: no keys will come
        yield
        return
    if saved is not None:
        tty.setcbreak(fd)
    try:
        yield
    finally:
        loop.remove_reader(fd)
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


async def run_plain(session: Session, output: PlainOutput, *, keys: TextIO | None = None) -> bool:
    """Run a session printing its lines, then, once the history has caught up, its summary
    (and exactly what could not be saved, if anything); True if it ran to the end. Keys
    come from `keys`, standard input as it is now by default.

    Raises:
        OutputLost: when the output stopped taking lines; the session was stopped.
    """
    engine = session.engine
    output.on_lost = engine.stop
    engine.subscribe(PlainPrinter(engine, output))
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, engine.stop)
    loop.add_signal_handler(signal.SIGTERM, engine.stop)
    keys = keys if keys is not None else sys.stdin
    try:
        if keys is not None and not keys.closed:
            taps = PlainTaps(engine, output, session.recorder)
            engine.subscribe(taps)
            with keys_from(keys, engine, session.recorder, taps):
                await engine.run()
        else:
            await engine.run()
    except Exception as error:  # a listener's bug stopped the session: say so, keep the sets
        output.say(
            f"! Something went wrong: {error}; the session was stopped and what was done is kept"
        )
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        loop.remove_signal_handler(signal.SIGTERM)
    unsaved = await session.finish()
    output.say(f"[{format_clock(engine.position_ms)}] {summary_line(engine)}")
    if unsaved is not None:
        output.say(f"! {unsaved}")
    if output.lost is not None:
        raise OutputLost(output.lost, unsaved)
    return not engine.stopped


class OutputLost(Exception):
    """The session's output stopped taking lines; the session was stopped, its sets kept."""

    def __init__(self, error: OSError, unsaved: str | None) -> None:
        super().__init__(error)
        self.error = error
        self.unsaved = unsaved
