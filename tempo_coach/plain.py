"""Plain mode: a session in an ordinary terminal, one printed line per segment.

The same engine and audio as the full-screen app, for a lifter who wants no UI (and for
testing the whole audio path end to end). Keys: space or Enter for "ready" (and pause /
resume), ``n`` skip, ``+``/``-`` rest, ``r`` restart the rep, ``e`` end the set early, ``q``
or Ctrl+C stop; in a rest, ``l`` then a line gives the load lifted and ``w`` then a line a
note on the set just done.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import tty
import unicodedata
from collections.abc import Callable, Iterator
from typing import Literal, TextIO

from tempo_coach.core.describe import format_duration, load_words, next_set, rhythm, set_label
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.entry import LoadEntryError, read_load
from tempo_coach.core.events import (
    Event,
    Paused,
    RepCompleted,
    RepRestarted,
    RestChanged,
    Resumed,
    SegmentStarted,
    SetCompleted,
    SetEndedEarly,
    Skipped,
    WaitingForReady,
)
from tempo_coach.core.models import Load, LoadUnit
from tempo_coach.core.summary import set_tut_ms, summarize
from tempo_coach.core.taps import ADHERENCE_TOLERANCE, SetTiming, TapTimer, set_cues, targets_for
from tempo_coach.core.text import counted, printable
from tempo_coach.core.timeline import Place, Timeline
from tempo_coach.session_log import SessionRecorder
from tempo_coach.sessions import Session
from tempo_coach.store import NOTE_LIMIT, note_problem


def segment_line(timeline: Timeline, index: int, units: LoadUnit | None = None) -> str:
    """What a segment says when it starts: counts, the phase and how long, a cue if useful;
    a setup names the set's load (in `units`) and a rest the next set's."""
    segment = timeline.segments[index]
    place = segment.place
    where = set_label(place)
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
        if place.load is not None:
            line += f" · {load_words(place.load, units)}"
        return f"{line} — {segment.cue}" if segment.cue else line
    if segment.kind == "count_in":
        return f"{where}{side} · Count-in {segment.beats}"
    if segment.kind == "side_switch":
        return f"{where} · Switch sides ({length})"
    upcoming = next_set(timeline, index, units)
    return f"Rest {length}" + (f" — next: {upcoming}" if upcoming else "")


def summary_line(engine: SessionEngine) -> str:
    """One line on what was done: sets, reps, time under tension, session time."""
    done = summarize(engine)
    head = "Stopped" if done.stopped else "Workout complete"
    return (
        f"{head}: {done.sets_done} of {done.sets_planned} sets · "
        f"{counted(done.reps_done, 'rep')} · TUT {format_duration(done.tut_ms)}"
        f" · eccentric {format_duration(done.eccentric_ms)}"
        f" · {format_duration(done.elapsed_ms)}"
    )


TYPING_PROMPT = "> "
"""What the line being typed (a load, a note) is shown after."""


class PlainOutput:
    """Where plain mode's lines go, one at a time, control characters escaped. Output that
    stops taking lines (``| head``, a full device) is remembered and `on_lost` is called,
    which ends the session cleanly, as stopped, with its sets.

    With `echo` (by default, when `out` is a terminal) the line being typed is shown as it
    is typed: the keys are read in cbreak mode, so the terminal echoes nothing itself. A
    pipe or a file gets only whole lines."""

    def __init__(self, out: TextIO, *, echo: bool | None = None) -> None:
        self.out = out
        self.echo = out.isatty() if echo is None else echo
        self.lost: OSError | None = None
        """Why the output stopped taking lines, if it did."""
        self.on_lost: Callable[[], None] = lambda: None
        self._shown: str | None = None
        """The typed text on screen after the prompt, with no newline yet; None if none."""

    def say(self, line: str) -> None:
        """A whole line; one said while a line is being typed goes below it, and the typed
        text is shown again after it, so the lifter carries on where they were."""
        if self._shown is None:
            self._write(printable(line) + "\n")
        else:
            self._write(f"\n{printable(line)}\n{TYPING_PROMPT}{self._shown}")

    def typing(self, text: str | None) -> None:
        """Show the line being typed as it now stands (None: it is closed, the next line goes
        below it). Only the change is written, as a terminal echoes: the characters added,
        or a backspace over each one erased."""
        if not self.echo:
            return
        shown = self._shown
        if text is None:
            if shown is not None:
                self._write("\n")
        elif shown is None:
            self._write(TYPING_PROMPT + text)
        elif text != shown:
            # Typed on, or erased back: the rest is kept; anything else is written afresh.
            if text.startswith(shown):
                kept = len(shown)
            else:
                kept = len(text) if shown.startswith(text) else 0
            self._write("\b \b" * cells(shown[kept:]) + text[kept:])
        self._shown = text

    def _write(self, text: str) -> None:
        if self.lost is not None:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except OSError as error:
            self.lost = error
            self.on_lost()


def cells(text: str) -> int:
    """How many terminal cells `text` takes: a wide character (CJK, most emoji) two, so a
    backspace erases all of it."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


class PlainPrinter:
    """Prints the engine's events as lines, stamped with the session's time."""

    def __init__(
        self, engine: SessionEngine, output: PlainOutput, units: LoadUnit | None = None
    ) -> None:
        self.engine = engine
        self.output = output
        self.units = units

    def __call__(self, event: Event) -> None:
        line = self.line_for(event)
        if line is not None:
            self.output.say(f"[{format_clock(event.at_ms)}] {line}")

    def line_for(self, event: Event) -> str | None:
        timeline = self.engine.timeline
        match event:
            case SegmentStarted(index=index):
                return segment_line(timeline, index, self.units)
            case WaitingForReady():
                return "Press space or Enter when ready"
            case SetCompleted(place=place):
                # What was really done, as the history stores it (a skip cuts a phase short).
                tut = format_duration(set_tut_ms(self.engine, place))
                return f"{set_label(place)} done · {place.exercise_name} · TUT {tut}"
            case SetEndedEarly(place=place, reps_done=reps):
                side = f" · {place.side.capitalize()} side" if place.side else ""
                return (
                    f"{set_label(place)}{side} ended early · {reps} of {place.rep_count} reps"
                    f" · {place.exercise_name}"
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
    phase boundary; each tap prints its line, each set its summary, stored with the set.
    `tolerance` is the adherence band (the `adherence_tolerance` setting)."""

    def __init__(
        self,
        engine: SessionEngine,
        output: PlainOutput,
        recorder: SessionRecorder | None,
        *,
        tolerance: float = ADHERENCE_TOLERANCE,
    ) -> None:
        self.engine = engine
        self.output = output
        self.recorder = recorder
        self.tolerance = tolerance
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
                self._store(self.timer.end_set())
            case SetEndedEarly(reps_done=reps) if self.timer is not None:
                self._store(self.timer.end_set(reps=reps))
            case RepRestarted(place=Place(rep=int(rep))) if self.timer is not None:
                self.timer.restart_rep(rep)  # the attempt's taps are dropped

    def _store(self, timing: SetTiming) -> None:
        """Say a tapped set's summary and store its spans with the set."""
        if timing.reps:
            self.output.say(timing.summary_line())
            if self.recorder is not None:
                self.recorder.attach_spans(timing)

    def _start(self) -> None:
        place = self.engine.segment.place
        workout = self.engine.timeline.workout
        exercise = workout.exercises[place.exercise_index]
        self.timer = TapTimer(
            targets_for(exercise, exercise.settings(workout.defaults)), tolerance=self.tolerance
        )
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
        if outcome.closed is not None and self.recorder is not None:
            self.recorder.attach_spans(outcome.closed)  # a late last tap: the set read again
        if not outcome.ignored:
            self.output.say(self.timer.live_line(outcome))


EntryKind = Literal["load", "note", "session note"]
ENTER = ("\r", "\n")
ERASE = ("\x7f", "\b")
ESCAPE = "\x1b"
LAST_WORDS_SECONDS = 120
"""How long a finished session at a terminal waits for the last set's rating, load and the
session's note before it closes by itself."""


class PlainEntry:
    """A load or a note in plain mode, as a line: in a rest (or a side switch), ``l`` or
    ``w`` starts it, and the keys after it are its text (a digit is not a rating, ``q`` not a
    stop) until Enter saves it or Escape drops it. The session never waits for it; an Enter
    with nothing typed keeps the plan's load. As an engine listener it knows which set the
    line is for, and drops a line left open when the next set ends."""

    def __init__(
        self,
        engine: SessionEngine,
        output: PlainOutput,
        recorder: SessionRecorder | None,
        units: LoadUnit,
    ) -> None:
        self.engine = engine
        self.output = output
        self.recorder = recorder
        self.units = units
        self.kind: EntryKind | None = None
        """What the line being typed is; None when no line is open."""
        self.text = ""
        self.done: Place | None = None
        """The last set (side) done, in full or ended early: what a line is for."""
        self.lifted: Load | None = None
        """The load given for that set, when one was (else the plan's stands)."""
        self.closing: asyncio.Event | None = None
        """Set once the lifter is done, while a finished session waits for its last words
        (the last set's rating and load, the session's note): no rest comes to ask them."""

    def __call__(self, event: Event) -> None:
        match event:
            case RepCompleted(place=place) if place.rep == place.rep_count:
                self._set_done(place)
            case SetEndedEarly(place=place):
                self._set_done(place)

    def _set_done(self, place: Place) -> None:
        if self.done is not None and self.done.set_key == place.set_key:
            # The second side of a single-leg set: lifted with what the first was given.
            if self.lifted is not None and self.recorder is not None:
                self.recorder.set_load(self.lifted)
        else:
            self.lifted = None
        self.done = place
        self.drop("the next set ended")

    def drop(self, why: str) -> None:
        """Close a line left open, unsaved: no key can finish it for its set any more."""
        if self.kind is not None:
            self.kind, self.text = None, ""
            self._say(f"Not saved: {why} before Enter")

    def _say(self, line: str) -> None:
        """A line on the entry: below the typed text, which is shown again after it while
        the line is still open."""
        self.output.typing(None)
        self.output.say(f"[{format_clock(self.engine.position_ms)}] {line}")
        self._show()

    def _show(self) -> None:
        self.output.typing(None if self.kind is None else self.text)

    def start(self, kind: EntryKind) -> None:
        """`l` or `w`: open a line for the set just done, in a rest or a side switch."""
        in_rest = self.engine.segment.kind in ("rest", "side_switch")
        if self.recorder is None or self.done is None or not (in_rest or self.closing):
            return
        if kind == "note" and self.closing is not None:
            kind = "session note"
        self.kind, self.text = kind, ""
        what = set_label(self.done)
        if kind == "load":
            current = self.current_load()
            plan = (
                "" if current is None else f" (Enter alone keeps {load_words(current, self.units)})"
            )
            self._say(
                f"Load lifted in {what.lower()}: type it (82.5 is {self.units}; 82.5 kg, bw,"
                f" bw+10), then Enter{plan}; Escape cancels"
            )
        elif kind == "session note":
            self._say("Note on this session: type it, then Enter; Escape cancels")
        else:
            self._say(f"Note on {what.lower()}: type it, then Enter; Escape cancels")

    def feed(self, character: str) -> None:
        """One key of the open line, echoed (see `PlainOutput.typing`)."""
        if character in ENTER:
            self._finish()
        elif character == ESCAPE:
            self.kind, self.text = None, ""
            self._say("Cancelled")
        elif character in ERASE:
            self.text = self.text[:-1]
        elif character.isprintable() and len(self.text) < NOTE_LIMIT:
            self.text += character
        self._show()

    def _finish(self) -> None:
        kind, text = self.kind, self.text
        assert self.done is not None and self.recorder is not None  # as when it started
        what = set_label(self.done)
        if kind == "load":
            current = self.current_load()
            if not text.strip() and current is not None:
                self.kind = None
                kept = "as planned" if self.lifted is None else "kept"
                self._say(f"{what}: {load_words(current, self.units)} lifted, {kept}")
                return
            try:
                load = read_load(text, self.units)
            except LoadEntryError as error:
                self.text = ""
                self._say(f"! {error}; type it again, or Escape")
                return
            self.kind = None
            self._store_load(load, what)
            return
        if (problem := note_problem(text)) is not None:
            self.text = ""
            self._say(f"! {problem}; type it again, or Escape")
            return
        self.kind = None
        if kind == "session note":
            self.recorder.note_session(text)
            self._say("Note saved with the session")
        elif self.recorder.note_set(text):
            self._say(f"Note saved with {what.lower()}")

    async def last_words(self, seconds: float = LAST_WORDS_SECONDS) -> None:
        """The session is over at a terminal: wait (on the engine's clock, `seconds` at most)
        for the last set's rating (1–9, 0), its load (`l`) and a note on the session (`w`),
        until Enter or `q`."""
        self.closing = asyncio.Event()
        self._say(
            "Last set: 1–9 (0 for 10) rates it, l gives its load, w a note on the session;"
            " Enter finishes"
        )
        clock = self.engine.clock
        waits = {
            asyncio.ensure_future(self.closing.wait()),
            asyncio.ensure_future(clock.sleep_until(clock.now() + seconds)),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
            self.closing = None

    def current_load(self) -> Load | None:
        """The set's load as it stands: what was given, else the plan's."""
        if self.lifted is not None:
            return self.lifted
        return None if self.done is None else self.done.load

    def _store_load(self, load: Load, what: str) -> None:
        assert self.recorder is not None  # as when the line started
        if self.recorder.set_load(load):
            self.lifted = load
            self._say(f"{what}: {load_words(load, self.units)} lifted")


def press_key(
    character: str, actions: dict[str, Callable[[], object]], entry: PlainEntry | None
) -> None:
    """One key: the open line's, if there is one, else its action (if any)."""
    if entry is not None and entry.kind is not None:
        entry.feed(character)
        return
    action = actions.get(character)
    if action is not None:
        action()


def format_clock(milliseconds: int) -> str:
    seconds = max(0, milliseconds) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def key_actions(
    engine: SessionEngine,
    recorder: SessionRecorder | None = None,
    taps: PlainTaps | None = None,
    entry: PlainEntry | None = None,
) -> dict[str, Callable[[], object]]:
    """The plain-mode keys, one character each; in a rest, 1–9 and 0 rate the set done; with
    `taps`, `t` turns tap timing on and off, and space / Enter tap while it is on; with
    `entry`, `l` and `w` start a load or a note line (see `press_key`)."""

    def closing() -> bool:
        return entry is not None and entry.closing is not None

    def or_finish(action: Callable[[], object]) -> Callable[[], object]:
        """Once the session is over and waits for its last words, the key ends the wait."""

        def act() -> object:
            if entry is not None and entry.closing is not None:
                entry.closing.set()
                return None
            return action()

        return act

    space = or_finish(engine.toggle_pause if taps is None else taps.space)

    def rate(rpe: int) -> Callable[[], None]:
        def rate_it() -> None:
            if (
                recorder is not None
                and (engine.segment.kind == "rest" or closing())
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
        **({} if entry is None else {"l": lambda: entry.start("load")}),
        **({} if entry is None else {"w": lambda: entry.start("note")}),
        "e": engine.end_set_early,
        "n": engine.skip,
        "+": engine.change_rest,
        "=": engine.change_rest,
        "-": lambda: engine.change_rest(-15),
        "r": engine.restart_rep,
        "q": or_finish(engine.stop),
    }


@contextlib.contextmanager
def keys_from(
    stream: TextIO,
    engine: SessionEngine,
    recorder: SessionRecorder | None = None,
    taps: PlainTaps | None = None,
    entry: PlainEntry | None = None,
) -> Iterator[None]:
    """Feed key presses on `stream` to the engine (or to the line being typed); a terminal
    is put in cbreak mode so one key acts at once (Ctrl+C still interrupts), and restored
    afterwards."""
    loop = asyncio.get_running_loop()
    actions = key_actions(engine, recorder, taps, entry)
    fd = stream.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None

    def on_input() -> None:
        data = os.read(fd, 64)
        if not data:  # end of input: keep running, stop listening
            loop.remove_reader(fd)
            if entry is not None and entry.closing is not None:
                entry.closing.set()  # no last words can come now
            return
        for character in data.decode(errors="ignore"):
            press_key(character, actions, entry)

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


async def run_plain(
    session: Session,
    output: PlainOutput,
    *,
    keys: TextIO | None = None,
    tolerance: float = ADHERENCE_TOLERANCE,
) -> bool:
    """Run a session printing its lines, then, once the history has caught up, its summary
    (and exactly what could not be saved, if anything); True if it ran to the end. Keys
    come from `keys`, standard input as it is now by default; `tolerance` is the adherence
    band tapped sets are scored with (the `adherence_tolerance` setting).

    Raises:
        OutputLost: when the output stopped taking lines; the session was stopped.
    """
    engine = session.engine
    output.on_lost = engine.stop
    engine.subscribe(PlainPrinter(engine, output, session.units))
    entry = PlainEntry(engine, output, session.recorder, session.units)

    def stop() -> None:
        """Ctrl+C or SIGTERM: the session stops, or, over already, stops waiting."""
        engine.stop()
        if entry.closing is not None:
            entry.closing.set()

    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop)
    loop.add_signal_handler(signal.SIGTERM, stop)
    keys = keys if keys is not None else sys.stdin
    try:
        if keys is not None and not keys.closed:
            taps = PlainTaps(engine, output, session.recorder, tolerance=tolerance)
            engine.subscribe(taps)
            engine.subscribe(entry)
            with keys_from(keys, engine, session.recorder, taps, entry):
                await engine.run()
                at_terminal = os.isatty(keys.fileno())
                if at_terminal and engine.finished and not engine.stopped and entry.done:
                    await entry.last_words()
        else:
            await engine.run()
    except Exception as error:  # a listener's bug stopped the session: say so, keep the sets
        output.say(
            f"! Something went wrong: {error}; the session was stopped and what was done is kept"
        )
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        loop.remove_signal_handler(signal.SIGTERM)
    entry.drop("the session ended")
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
