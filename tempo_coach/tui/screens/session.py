"""The session screen: what a lifter two metres away follows, set after set.

It only adapts the engine: the engine runs in one exclusive worker and its events come
back as `EngineEvent` messages; a ticker on the engine's clock redraws the big countdown
and the progress bars. The banner's colour is chosen by CSS class per segment kind, from
the table in `tempo_coach.tui.phase_colours`; everything a lifter reads from the bench
(phase, seconds left, rep and set, side) is in block letters sized to the banner.
"""

from __future__ import annotations

from contextlib import suppress
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import WorkType

from tempo_coach.core.cues import AUDIO_MODES
from tempo_coach.core.describe import format_duration, load_words, next_set, set_label
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.entry import LoadEntryError, read_load, stepped
from tempo_coach.core.events import (
    BeatTicked,
    Event,
    Paused,
    RepCompleted,
    RepRestarted,
    RestChanged,
    RestCountdown,
    Resumed,
    SegmentStarted,
    SessionCompleted,
    SessionStopped,
    SetEndedEarly,
    WaitingForReady,
)
from tempo_coach.core.models import Load
from tempo_coach.core.summary import summarize
from tempo_coach.core.taps import TapTimer, set_cues, targets_for
from tempo_coach.core.timeline import Place, Segment
from tempo_coach.session_log import SessionRecorder
from tempo_coach.sessions import Session
from tempo_coach.settings import Settings
from tempo_coach.store import NOTE_LIMIT, note_problem
from tempo_coach.tui.messages import EngineEvent
from tempo_coach.tui.phase_colours import BANNER_COLOURS
from tempo_coach.tui.screens.confirm import ConfirmDialog
from tempo_coach.tui.screens.entry import EntryScreen
from tempo_coach.tui.screens.summary import SummaryScreen, report_unsaved
from tempo_coach.tui.widgets import BeatDots, BigText, BigTimer, RepCounter

ENGINE_WORKERS = "engine"
"""The worker group of a session's engine: a failure there is a failed session."""
BANNER_CLASSES = tuple(f"-{kind}" for kind in BANNER_COLOURS if kind != "paused")
TICKER_SLACK_S = 0.03
AUDIO_LABELS = {"both": "clicks + voice", "clicks": "clicks", "voice": "voice", "silent": "silent"}


def banner_class(segment: Segment) -> str:
    """The CSS class that colours the banner for a segment."""
    if segment.kind == "phase":
        return f"-{segment.phase_kind}"
    return {"setup": "-setup", "count_in": "-setup", "rest": "-rest", "side_switch": "-switch"}[
        segment.kind
    ]


def big_place(segment: Segment, upcoming: Place | None) -> str:
    """Where the lifter is, in block letters: ``"REP 3/5  SET 2/4"`` (``"WARMUP 1/2"``);
    in a rest, the set that comes next (`upcoming`)."""
    place = segment.place
    if segment.kind == "rest" and upcoming is not None:
        return f"NEXT {big_set(upcoming)}"
    sets = big_set(place)
    if segment.kind == "phase" and place.rep is not None:
        return f"REP {place.rep}/{place.rep_count}  {sets}"
    return sets


def big_set(place: Place) -> str:
    """``"SET 2/4"``, ``"WARMUP 1/2"``: without the hyphen, a warm-up's rep and set still fit
    80 columns in block letters."""
    return set_label(place).upper().replace("-", "")


def big_phase(segment: Segment) -> str:
    """The phase's name as the banner draws it; a switch is one word, to fit big."""
    return "SWITCH" if segment.kind == "side_switch" else segment.label


def side_words(place: Place) -> str:
    """``"LEFT LEG"`` for single-leg work, else nothing."""
    return f"{place.side} leg".upper() if place.side else ""


class SessionScreen(Screen[None]):
    """One running session."""

    CSS_PATH = "../styles/session.tcss"  # read when the screen is first opened
    BINDINGS = [
        # A tooltip "Title: what it does" is also the action's entry in the command palette
        # (`SESSION_PALETTE` in tempo_coach.tui.app), so the two cannot drift apart.
        # In tap mode space and enter tap (the footer says so); else they pause, resume,
        # and start a set that waits, so a foot pedal (enter) does what space does.
        Binding(
            "space,enter",
            "tap",
            "Tap",
            id="session.tap",
            tooltip="Tap at each phase boundary; p pauses",
        ),
        # Ready and pause are two footer words, not "Pause/Ready": the footer fits 80 columns.
        Binding(
            "space,enter",
            "ready",
            "Ready",
            id="session.ready",
            tooltip="In a setup that waits: you are in position, start the set",
        ),
        Binding(
            "space,enter",
            "toggle_pause",
            "Pause",
            id="session.pause",
            tooltip="Pause or resume: the set stops where it is and goes on from there",
        ),
        Binding("p", "pause", "Pause", id="session.tap-pause"),
        # Quit and help come early, so that even a 40-column footer shows quit, and an
        # 80-column one help in a rest full of keys (the keys at the end may then drop off).
        Binding(
            "q",
            "quit_session",
            "Quit",
            id="session.quit",
            tooltip="Stop session: it pauses and asks first",
        ),
        Binding("question_mark", "app.help", "Help", id="session.help"),
        Binding(
            "n",
            "skip",
            "Skip",
            id="session.skip",
            tooltip="Skip segment: go to the next one (cut a setup or a rest short)",
        ),
        Binding(
            "r",
            "restart_rep",
            "Redo rep",
            id="session.restart",
            tooltip="Restart rep: start the current rep again",
        ),
        Binding(
            "e",
            "end_set",
            "End set",
            id="session.end-set",
            tooltip="End set early: now, logged with the reps done (to failure, or a bad rep)",
        ),
        # In a rest, the set just done: its load as lifted, and a note.
        Binding(
            "l",
            "enter_load",
            "Load",
            id="session.load",
            tooltip="Load lifted: in a rest, the last set's load (the plan's is filled in)",
        ),
        Binding(
            "left_square_bracket",
            "step_load(-1)",
            "Load −",
            show=False,
            tooltip="Load a step lighter: in a rest, the last set's load one plate step down",
        ),
        Binding(
            "right_square_bracket",
            "step_load(1)",
            "Load +",
            show=False,
            tooltip="Load a step heavier: in a rest, the last set's load one plate step up",
        ),
        Binding(
            "w",
            "write_note",
            "Note",
            id="session.note",
            tooltip="Note on the set: in a rest, a note on the set just done",
        ),
        # One footer entry for both, "±" for "+/−", so that the footer fits 80 columns in a
        # rest with its load and note keys.
        Binding(
            "plus,equals_sign",
            "change_rest(15)",
            "Rest",
            id="session.more-rest",
            key_display="±",
            tooltip="Rest +15 s: make this rest longer (− shortens it)",
        ),
        Binding(
            "minus",
            "change_rest(-15)",
            "−15 s",
            id="session.less-rest",
            show=False,
            tooltip="Rest −15 s: make this rest shorter",
        ),
        # Taps before audio: with tap timing on, an 80-column footer in a set or a rest has
        # room for the key that turns it off, and leaves "m Audio" to the help and palette.
        Binding(
            "t",
            "toggle_taps",
            "Taps",
            id="session.taps",
            tooltip="Tap timing on / off: time your own phases, tapping space (or enter) at each",
        ),
        Binding(
            "m",
            "cycle_audio",
            "Audio",
            id="session.audio",
            tooltip="Cycle audio mode: clicks + voice, clicks, voice, silent",
        ),
        *(
            Binding(str(rpe % 10), f"rate_effort({rpe})", f"RPE {rpe}", show=False)
            for rpe in range(1, 11)
        ),
    ]
    FLASH_SECONDS = 0.25
    """How long the banner stays inverted for one flash."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-medium"), (28, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, session: Session, settings: Settings, *, sound: bool = True) -> None:
        super().__init__()
        self.session = session
        self.sound = sound
        """False when there is no sound device: the header says so and `m` is hidden."""
        self.engine: SessionEngine = session.engine
        self.settings = settings
        self.recorder: SessionRecorder | None = session.recorder
        self._keys_depend_on: tuple[str, str] = ("", "")
        self.taps: TapTimer | None = None
        """Tap-to-time for the current exercise, while the lifter has it on."""
        self._taps_exercise = -1
        self.done: Place | None = None
        """The last set (side) done, in full or ended early: what a load or a note is for."""
        self.lifted: Load | None = None
        """The load the lifter gave that set; None while it is the plan's."""
        self.set_note = ""
        """The note the lifter gave that set, to edit rather than retype."""
        self._entry: EntryScreen | None = None
        """The load or note input open over this screen, if any."""

    def compose(self) -> ComposeResult:
        # Names, cues and tap verdicts are the workout file's words: shown as text, never
        # read as markup.
        with Horizontal(id="top-bar"):
            yield Static(self.engine.timeline.workout.name, id="workout-name", markup=False)
            yield RepCounter(id="counters")
            yield Static(id="audio-status")
        with Vertical(id="banner", classes="-setup"):
            yield Static(id="exercise-name", markup=False)
            with Horizontal(id="phase-row"):
                yield BigText(id="phase-name")
                yield BigText(id="side")
            yield BigTimer(id="seconds-left")
            yield BigText(id="place")
            with Center():
                yield BeatDots(id="beats")
            yield Static(id="status")
            yield Static(id="cue", markup=False)
            yield Static(id="tap-line", markup=False)
        with Vertical(id="progress"):
            for name in ("phase", "set", "session"):
                with Horizontal(id=f"{name}-progress-row", classes="progress-row"):
                    yield Static(name.capitalize(), classes="progress-label")
                    # A total from the start: an unknown total would animate.
                    yield ProgressBar(
                        total=1, id=f"{name}-progress", show_eta=False, show_percentage=False
                    )
        yield Static(id="next-up", markup=False)
        yield Footer(compact=True)  # compact, so that 80 columns hold every key

    def on_mount(self) -> None:
        self._show_audio_mode()
        self.query_one("#side").display = False
        self.query_one("#tap-line").display = False
        self.engine.subscribe(self.repost)
        # The app runs the session's workers: a worker's failure is told only to the node
        # that runs it, and the app's handler is what stops the session and says so.
        self.app.run_worker(
            self.engine.run(),
            name="engine",
            group=ENGINE_WORKERS,
            exclusive=True,
            exit_on_error=False,
        )
        self.display_ticker()

    # -- following the engine --------------------------------------------------------

    def repost(self, event: Event) -> None:
        """Engine listener: hand the event to Textual's queue, in order."""
        self.post_message(EngineEvent(event))

    def display_ticker(self) -> None:
        """(Re)start the countdown's redraws, as the app's worker like the engine's. The
        worker is given the coroutine function, not a coroutine: one replaced before it
        starts is then never created (and never left un-awaited)."""
        ticker: WorkType[None] = self.tick_display
        self.app.run_worker(
            ticker,
            name="display",
            group="display",
            exclusive=True,
            exit_on_error=False,
        )

    async def tick_display(self) -> None:
        """Redraw the countdown the moment its whole-second digit changes, on the engine's
        own clock: no polling, and in tests the fake clock drives it."""
        clock = self.engine.clock
        while not self.engine.finished:
            self.refresh_clock()
            until_next_digit = self.engine.remaining_ms() % 1000 or 1000
            # Just after the change: a digit change at a segment boundary then comes with
            # the engine's event in one frame, instead of a frame of its own ahead of it.
            await clock.sleep_until(clock.now() + until_next_digit / 1000 + TICKER_SLACK_S)

    @on(EngineEvent)
    def follow(self, message: EngineEvent) -> None:
        event = message.event
        self.display_ticker()  # a jump or a new segment moves the next digit change
        match event:
            case SegmentStarted(index=index, segment=segment):
                self.show_segment(index, segment)
                self.cue_attention()
            case BeatTicked(count=count, beats=beats):
                dots = self.query_one("#beats", BeatDots)
                dots.beats, dots.count = beats, count
            case WaitingForReady():
                self.set_status("Press space or enter when ready")
                self.refresh_clock()
            case Paused():
                self.set_status("Paused — space or enter resumes")
                self.add_class("-paused")
                self.query_one("#phase-name", BigText).value = "PAUSED"
            case Resumed():
                self.set_status("")
                self.remove_class("-paused")
                self.query_one("#phase-name", BigText).value = big_phase(self.engine.segment)
            case RestCountdown():
                self.cue_attention()
            case RestChanged():
                self.refresh_clock()
            case RepRestarted(place=Place(rep=int(rep))) if self.taps is not None:
                self.taps.restart_rep(rep)  # the attempt's taps are dropped
            case RepCompleted(place=place):
                self.query_one("#set-progress", ProgressBar).update(
                    total=place.rep_count, progress=place.rep or 0
                )
                if place.rep == place.rep_count:
                    self.close_tapped_set()
                    self.set_done(place)
            case SetEndedEarly(place=place, reps_done=reps):
                self.close_tapped_set(reps)
                self.set_done(place)
                self.notify(
                    f"{set_label(place)} ended: {reps} of {place.rep_count} reps",
                    timeout=4,
                    markup=False,
                )
            case SessionCompleted() | SessionStopped():
                self.show_summary()
        keys_depend_on = (self.engine.segment.kind, self.engine.state)
        if keys_depend_on != self._keys_depend_on:
            # The footer is rebuilt on a refresh (about 20 ms): only when the keys change.
            self._keys_depend_on = keys_depend_on
            self.refresh_bindings()

    def show_summary(self) -> None:
        """Put the summary in this screen's place, closing any dialog or help over it; a
        second call (the stop event after a failure already showed it) does nothing."""
        if self not in self.app.screen_stack:
            return
        while self.app.screen is not self:
            self.app.pop_screen()
        # The summary closes the history when it is left: the last set can be rated there.
        self.app.switch_screen(
            SummaryScreen(summarize(self.engine), self.engine.timeline.workout.name, self.session)
        )

    def stop_for_another(self) -> None:
        """End this session without a summary, for another one to start in its place."""
        self.engine.stop()
        self.app.run_worker(
            report_unsaved(self.app, self.session),
            name="history",
            group="history",
            exit_on_error=False,
        )
        self.dismiss()

    def stop_after_failure(self) -> None:
        """A worker failed (the engine's task, say, killed by a listener that raised): end
        the session where it is and show what was done."""
        # The listener that failed may raise again on the stop event. By then the engine
        # has stopped and silenced the sound, and the failure is already being reported.
        with suppress(Exception):
            self.engine.stop()
        self.show_summary()

    def close_tapped_set(self, reps: int | None = None) -> None:
        """A set (or side) ended: summarise what was tapped and store it with the set; a set
        ended early gives its `reps` done, which anchor the end of the reading."""
        if self.taps is None:
            return
        timing = self.taps.end_set(reps=reps)
        if timing.reps:
            self.query_one("#tap-line", Static).update(timing.summary_line())
            if self.recorder is not None:
                self.recorder.attach_spans(timing)

    def set_done(self, place: Place) -> None:
        """A set (side) is over: from now on a load or a note is for it."""
        same_set = self.done is not None and self.done.set_key == place.set_key
        if same_set and self.recorder is not None:
            # The second side of a single-leg set: lifted with what the first side was given.
            if self.lifted is not None:
                self.recorder.set_load(self.lifted)
            if self.set_note:
                self.recorder.note_set(self.set_note)
        else:
            self.lifted, self.set_note = None, ""
        self.done = place

    def close_entry(self) -> None:
        """The next set begins: an input left open would hide it, so it closes, keeping
        what was typed when it reads as a load (or a note), and saying so."""
        entry = self._entry
        if entry is None or self.app.screen is not entry:
            return
        problem = entry.close_saving()
        if problem is not None:
            self.notify(f"Not saved: {problem}", severity="warning", timeout=6, markup=False)

    def show_segment(self, index: int, segment: Segment) -> None:
        if segment.kind not in ("rest", "side_switch"):
            self.close_entry()
        banner = self.query_one("#banner")
        banner.remove_class(*BANNER_CLASSES, update=False)  # one restyle, not two
        banner.add_class(banner_class(segment))
        place = segment.place
        if self.taps is not None and place.exercise_index != self._taps_exercise:
            self.start_taps()  # a new exercise has its own phases and targets
        self.query_one("#counters", RepCounter).show(
            place, in_rep=segment.kind == "phase", label=segment.label
        )
        self.query_one("#exercise-name", Static).update(self.set_line(segment))
        following = self.engine.timeline.next_phase(index)
        upcoming = None if following is None else following.place
        self.query_one("#phase-name", BigText).value = (
            "PAUSED" if self.engine.state == "paused" else big_phase(segment)
        )
        self.query_one("#place", BigText).value = big_place(segment, upcoming)
        # A switch and a rest name the side that comes next.
        shown_side = upcoming if segment.kind == "rest" and upcoming is not None else place
        side = self.query_one("#side", BigText)
        side.value = side_words(shown_side)
        side.display = bool(side.value)
        next_up = self.next_up(index)
        # In a rest, what comes next is what the lifter needs to read.
        self.query_one("#cue", Static).update(next_up if segment.kind == "rest" else segment.cue)
        self.query_one("#cue").set_class(segment.kind == "rest", "-next-set")
        self.query_one("#next-up", Static).update(next_up)
        dots = self.query_one("#beats", BeatDots)
        dots.beats, dots.count = 0, 0
        if segment.kind in ("rest", "side_switch"):
            rated = "the first side" if segment.kind == "side_switch" else "the set"
            effort = f" · 1–9, 0 rate {rated} (RPE)" if self.recorder is not None else ""
            more = "+/− changes the rest · n skips it" if segment.kind == "rest" else "n skips"
            self.set_status(f"{more}{effort}")
        elif not segment.waits_for_ready:
            self.set_status("")
        if segment.kind in ("setup", "count_in"):
            self.query_one("#set-progress", ProgressBar).update(total=place.rep_count, progress=0)
        self.refresh_clock()

    def set_line(self, segment: Segment) -> str:
        """The exercise, and in a set its planned load in the lifter's units: "Tempoed
        Romanian deadlift · 80 kg", "Curl · exercise 2 of 3 · warm-up 1/2 · 20 kg". A rest
        names the exercise only: the next set's line has its load."""
        place = segment.place
        parts = [place.exercise_name]
        exercises = len(self.engine.timeline.workout.exercises)
        if exercises > 1:
            parts.append(f"exercise {place.exercise_index + 1} of {exercises}")
        if segment.kind != "rest":
            if place.warmup:
                parts.append(set_label(place).lower())
            if place.load is not None:
                parts.append(load_words(place.load, self.settings.units))
        return " · ".join(parts)

    def next_up(self, index: int) -> str:
        """What comes after this segment: the next phase, or after a rest the next set."""
        segments = self.engine.timeline.segments
        if index + 1 >= len(segments):
            return "Next: done"
        current, following = segments[index], segments[index + 1]
        upcoming = next_set(self.engine.timeline, index, self.settings.units)
        if upcoming is not None and (current.kind == "rest" or following.kind == "setup"):
            return f"Next: {upcoming}"
        return f"Next: {following.label} {format_duration(following.duration_ms)}"

    def refresh_clock(self) -> None:
        """Redraw the countdown and progress from the engine's position."""
        engine = self.engine
        segment = engine.segment
        self.query_one("#seconds-left", BigTimer).show(
            None if engine.state == "waiting" else engine.remaining_ms()
        )
        position = engine.position_ms
        phase_done = min(max(position - segment.start_ms, 0), segment.duration_ms)
        self.query_one("#phase-progress", ProgressBar).update(
            total=max(segment.duration_ms, 1), progress=phase_done
        )
        self.query_one("#session-progress", ProgressBar).update(
            total=max(engine.timeline.total_ms, 1), progress=min(position, engine.timeline.total_ms)
        )

    def set_status(self, text: str) -> None:
        """The banner's line of advice; it takes no row when there is none, for the
        countdown's sake."""
        status = self.query_one("#status", Static)
        status.update(text)
        status.display = bool(text)

    def cue_attention(self) -> None:
        """The noisy-gym cues: a full-banner flash and the terminal bell, if wanted."""
        if self.settings.bell:
            self.app.bell()
        if self.settings.flash:
            banner = self.query_one("#banner")
            banner.add_class("-flash")
            self.set_timer(self.FLASH_SECONDS, lambda: banner.remove_class("-flash"))

    def show_sound(self, sound: bool) -> None:
        """The sound device was found (or not) after the session opened."""
        self.sound = sound
        self._show_audio_mode()
        self.refresh_bindings()

    def _show_audio_mode(self) -> None:
        words = AUDIO_LABELS[self.engine.audio_mode] if self.sound else "no sound device"
        self.query_one("#audio-status", Static).update(f"♪ {words}")

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now (rest keys in a rest, and so on)."""
        segment = self.engine.segment
        if action == "change_rest":
            return segment.kind == "rest"
        if action == "rate_effort":  # a switch follows the first side of a set
            return segment.kind in ("rest", "side_switch")
        if action == "tap":
            return self.taps is not None and self.engine.state == "running"
        if action == "pause":
            return self.taps is not None
        if action == "ready":
            return self.engine.state == "waiting"
        if action == "toggle_pause":
            return self.engine.state != "waiting" and (
                self.taps is None or self.engine.state != "running"
            )
        if action == "cycle_audio":  # no sound device: nothing to switch between
            return self.sound
        if action == "restart_rep":
            return segment.kind == "phase"
        if action == "end_set":
            return segment.kind == "phase" and self.engine.state in ("running", "paused")
        if action in ("enter_load", "write_note"):
            return self.can_log_set()
        if action == "step_load":
            return self.can_log_set() and self.current_load() is not None
        return True

    def can_log_set(self) -> bool:
        """Whether a load or a note can be given now: in a rest (or a switch), once a set
        is done, with a history to keep it."""
        return (
            self.engine.segment.kind in ("rest", "side_switch")
            and self.done is not None
            and self.recorder is not None
        )

    def planned_load(self) -> Load | None:
        return None if self.done is None else self.done.load

    def current_load(self) -> Load | None:
        """The load of the set just done as it stands: the lifter's, else the plan's."""
        return self.lifted if self.lifted is not None else self.planned_load()

    def action_toggle_pause(self) -> None:
        """Space: a tap while tap timing is on (outside a setup that waits), else pause."""
        if self.taps is not None and self.engine.state == "running":
            self.action_tap()
        else:
            self.engine.toggle_pause()

    def action_ready(self) -> None:
        self.engine.ready()

    def action_pause(self) -> None:
        self.engine.toggle_pause()

    def action_tap(self) -> None:
        if self.taps is None:
            return
        engine = self.engine
        now = engine.clock.now()
        running = engine.state == "running"
        # The metronome's cues are evidence of which boundary a tap marks.
        place = engine.segment.place
        cues = set_cues(engine.timeline.segments, place, engine.position_ms, now) if running else []
        outcome = self.taps.tap(now, cues)
        if outcome.closed is not None and self.recorder is not None:
            self.recorder.attach_spans(outcome.closed)  # a late last tap: the set read again
        if not outcome.ignored:
            self.query_one("#tap-line", Static).update(self.taps.live_line(outcome))

    def start_taps(self) -> None:
        place = self.engine.segment.place
        exercise = self.engine.timeline.workout.exercises[place.exercise_index]
        defaults = self.engine.timeline.workout.defaults
        self.taps = TapTimer(
            targets_for(exercise, exercise.settings(defaults)),
            tolerance=self.settings.adherence_tolerance,
        )
        self._taps_exercise = place.exercise_index

    def action_toggle_taps(self) -> None:
        tap_line = self.query_one("#tap-line", Static)
        if self.taps is None:
            self.start_taps()
            tap_line.update("Tap timing: tap space at each phase boundary · p pauses")
        else:
            self.taps = None
            tap_line.update("")
        tap_line.display = self.taps is not None
        self.refresh_bindings()

    def action_skip(self) -> None:
        self.engine.skip()

    def action_restart_rep(self) -> None:
        self.engine.restart_rep()

    def action_change_rest(self, seconds: int) -> None:
        self.engine.change_rest(seconds)

    def action_end_set(self) -> None:
        """To failure, or after a bad rep: the set ends with the reps done (the engine
        says so, and the rest begins)."""
        self.engine.end_set_early()

    def done_words(self) -> str:
        """``"Set 2/4"``, ``"Warm-up 1/2"``: the set a load or a note is for (in a rest,
        both sides of a single-leg set; in a switch, the first side)."""
        assert self.done is not None  # only asked once a set is done
        first_side = " · first side" if self.engine.segment.kind == "side_switch" else ""
        return f"{set_label(self.done)}{first_side}"

    def action_enter_load(self) -> None:
        """Open the input with the load of the set just done in the lifter's units (the
        plan's, or what they gave): Enter keeps it, typing replaces it."""
        if not self.can_log_set() or self._entry is not None:
            return
        units = self.settings.units
        current = self.current_load()
        planned = self.planned_load()
        plan = f" (plan: {load_words(planned, units)})" if planned is not None else ""
        self.open_entry(
            EntryScreen(
                f"Load lifted · {self.done_words()}{plan}",
                partial(self.save_load, self.done),
                value="" if current is None else load_words(current, units),
                placeholder=f"82.5 ({units}), 82.5 kg, bw, bw+10",
            )
        )

    def save_load(self, done: Place | None, text: str) -> str | None:
        """The typed load, stored with the set `done`; why not, if it cannot be."""
        if done is not self.done:
            return "The next set is over: this load can no longer be given here"
        try:
            load = read_load(text, self.settings.units)
        except LoadEntryError as error:
            return str(error)
        return self.store_load(load)

    def store_load(self, load: Load) -> str | None:
        if self.recorder is None or not self.recorder.set_load(load):
            return "No set done yet to give a load to"
        self.lifted = load
        self.set_status(f"{self.done_words()}: {load_words(load, self.settings.units)} lifted")
        return None

    def action_step_load(self, steps: int) -> None:
        """[ or ]: the set just done one plate step lighter or heavier (2.5 kg, 5 lb)."""
        current = self.current_load()
        if self.can_log_set() and current is not None:
            self.store_load(stepped(current, self.settings.units, steps))

    def action_write_note(self) -> None:
        if not self.can_log_set() or self._entry is not None:
            return
        self.open_entry(
            EntryScreen(
                f"Note · {self.done_words()}",
                partial(self.save_note, self.done),
                value=self.set_note,
                placeholder="How it went: grip, form, pain…",
                max_length=NOTE_LIMIT,
            )
        )

    def save_note(self, done: Place | None, text: str) -> str | None:
        if done is not self.done:
            return "The next set is over: this note can no longer be given here"
        if (problem := note_problem(text)) is not None:
            return problem
        if self.recorder is None or not self.recorder.note_set(text):
            return "No set done yet to note"
        self.set_note = text
        self.set_status(f"Note saved with {self.done_words()}")
        return None

    def open_entry(self, entry: EntryScreen) -> None:
        """Show the input; the session behind it keeps running."""
        self._entry = entry

        def closed(_: str | None) -> None:
            if self._entry is entry:
                self._entry = None

        self.app.push_screen(entry, closed)

    def action_rate_effort(self, rpe: int) -> None:
        """One key press in the rest rates the set just done (RPE 1–10, 0 meaning 10)."""
        if self.recorder is not None and self.recorder.rate_effort(rpe):
            if self.engine.segment.kind == "side_switch":
                self.set_status(f"First side rated RPE {rpe} · n skips")
            else:
                self.set_status(f"Set rated RPE {rpe} · +/− changes the rest · n skips it")

    def action_cycle_audio(self) -> None:
        modes = AUDIO_MODES
        self.engine.audio_mode = modes[(modes.index(self.engine.audio_mode) + 1) % len(modes)]
        self._show_audio_mode()
        self.notify(f"Audio: {AUDIO_LABELS[self.engine.audio_mode]}", timeout=2)

    def action_quit_session(self) -> None:
        """Ask first, with the session paused behind the question and "carry on" focused:
        q then enter (a foot pedal) must not end a workout."""
        paused_here = self.engine.state == "running"
        if paused_here:
            self.engine.toggle_pause()

        def decided(quit_now: bool | None) -> None:
            if quit_now:
                self.engine.stop()
            elif paused_here and self.engine.state == "paused":
                self.engine.toggle_pause()

        self.app.push_screen(
            ConfirmDialog("Stop this session?", yes="Yes, stop", no="No, carry on", focus="no"),
            decided,
        )
