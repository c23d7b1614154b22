"""The Textual app: wires the picker, the session and the summary to the engine, a clock
and a cue player it is given (real ones from the CLI, fakes in tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.screen import Screen

from tempo_coach.core.clock import Clock
from tempo_coach.core.cues import CuePlayer
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import WorkoutEntry, load_workout
from tempo_coach.core.timeline import Timeline, compile_timeline
from tempo_coach.session_log import Resumable, SessionRecorder, find_resumable, resume_words
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.commands import WorkoutCommands
from tempo_coach.tui.messages import WorkoutChosen
from tempo_coach.tui.screens import (
    ConfirmDialog,
    HistoryScreen,
    PickerScreen,
    SessionScreen,
    StopwatchScreen,
)

SESSION_COMMANDS = (
    ("Pause or resume", "Space: pause, resume, or start a set that waits", "toggle_pause"),
    ("Skip segment", "n: skip to the next segment", "skip"),
    ("Restart rep", "r: start the current rep again", "restart_rep"),
    ("Rest +15 s", "+: make this rest longer", "change_rest(15)"),
    ("Rest −15 s", "-: make this rest shorter", "change_rest(-15)"),
    ("Cycle audio mode", "m: clicks + voice, clicks, voice, silent", "cycle_audio"),
    ("Stop session", "q: stop, after asking", "quit_session"),
)


class TempoCoachApp(App[None]):
    """Tempo Coach's full-screen app."""

    TITLE = "Tempo Coach"
    CSS_PATH = [
        "styles/app.tcss",
        "styles/picker.tcss",
        "styles/session.tcss",
        "styles/summary.tcss",
        "styles/stopwatch.tcss",
        "styles/history.tcss",
        "styles/customize.tcss",
    ]
    COMMANDS = App.COMMANDS | {WorkoutCommands}

    def __init__(
        self,
        *,
        load_entries: Callable[[], list[WorkoutEntry]],
        clock: Clock,
        player: CuePlayer,
        settings: Settings,
        spoken: frozenset[str] | None = None,
        history: History | None = None,
        notices: Iterable[str] = (),
        start_with: Path | None = None,
    ) -> None:
        super().__init__()
        self.history = history
        self.load_entries = load_entries
        self.clock = clock
        self.player = player
        self.settings = settings
        self.spoken = spoken
        self.notices = list(notices)
        self.start_with = start_with

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.push_screen(PickerScreen(self.load_entries))
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)
        if self.start_with is not None:
            self.start_workout(str(self.start_with))

    @on(WorkoutChosen)
    def workout_chosen(self, message: WorkoutChosen) -> None:
        self.start_workout(str(message.path))

    def start_workout(self, path: str) -> None:
        """Open a workout's session, first offering to resume it if it was interrupted."""
        source = Path(path)
        try:
            workout = load_workout(source)
            text = source.read_text(encoding="utf-8")
        except (WorkoutFileError, OSError) as error:
            self.notify(str(error), title="Cannot start", severity="error", timeout=10)
            return
        timeline = compile_timeline(workout)
        history = self.history
        resume = find_resumable(history, timeline, text) if history is not None else None
        if history is None or resume is None:
            self.open_session(timeline, source, text, None)
            return

        def decided(resume_it: bool | None) -> None:
            if not resume_it:
                history.abandon(resume.session.id)
            self.open_session(timeline, source, text, resume if resume_it else None)

        self.push_screen(ConfirmDialog(
            f"Resume your interrupted session at {resume_words(timeline, resume)}?",
            yes="Resume", no="Start over"), decided)

    def open_session(self, timeline: Timeline, source: Path, text: str,
                     resume: Resumable | None) -> None:
        engine = SessionEngine(timeline, self.clock, self.player,
                               audio_mode=timeline.workout.audio_mode or self.settings.audio_mode,
                               spoken=self.spoken,
                               start_at=resume.start_at if resume else 0)
        recorder = None
        if self.history is not None:
            recorder = SessionRecorder(self.history, timeline, workout_path=source,
                                       workout_text=text, resume=resume,
                                       on_failure=self.device_lost)
            engine.subscribe(recorder)  # first, so a set is stored before it is shown
        self.push_screen(SessionScreen(engine, self.settings, recorder))

    def device_lost(self, notice: str) -> None:
        """The sound device (or the history's disk) failed mid-session: say so once; the
        session carries on."""
        self.notify(notice, severity="warning", timeout=10)

    def action_help(self) -> None:
        # Loaded when first opened: its Markdown widget costs 60 ms of start-up otherwise.
        from tempo_coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        if self.history is None:
            self.notify("No history to show: it could not be opened (see the notice at start).",
                        severity="warning")
            return
        self.push_screen(HistoryScreen(self.history))

    def action_stopwatch(self) -> None:
        self.push_screen(StopwatchScreen(self.clock, self.history))

    def action_pop_to_picker(self) -> None:
        """From the summary back to the picker, which is under it on the stack."""
        self.pop_screen()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, PickerScreen):
            yield SystemCommand("Stopwatch", "Time your own phases with taps, no workout",
                                self.action_stopwatch)
            yield SystemCommand("History", "Your sessions, their sets and your progress",
                                self.action_history)
        if isinstance(screen, SessionScreen):
            for title, help_text, action in SESSION_COMMANDS:
                yield SystemCommand(title, help_text,
                                    lambda action=action: screen.run_action(action))
