"""The Textual app: wires the picker, the session and the summary to the engine, a clock
and a cue player it is given (real ones from the CLI, fakes in tests)."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from platformdirs import user_data_path, user_downloads_path
from textual import events, on
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.catalog import Catalog, read_workout
from tempo_coach.core.clock import Clock
from tempo_coach.core.cues import CuePlayer, Spoken
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.text import printable
from tempo_coach.paths import APP_NAME
from tempo_coach.session_log import resume_words
from tempo_coach.sessions import Overrides, SessionMaker, SessionPlan
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.commands import WorkoutCommands
from tempo_coach.tui.messages import WorkoutChosen
from tempo_coach.tui.phase_colours import theme_variables
from tempo_coach.tui.screens.picker import PickerScreen

if TYPE_CHECKING:
    from tempo_coach.tui.screens.session import SessionScreen

SESSION_COMMANDS = (
    ("Pause or resume", "Space / enter: pause, resume, or start a set", "toggle_pause"),
    ("Skip segment", "n: skip to the next segment", "skip"),
    ("Restart rep", "r: start the current rep again", "restart_rep"),
    ("Rest +15 s", "+: make this rest longer", "change_rest(15)"),
    ("Rest −15 s", "-: make this rest shorter", "change_rest(-15)"),
    ("Cycle audio mode", "m: clicks + voice, clicks, voice, silent", "cycle_audio"),
    ("Stop session", "q: stop, after asking", "quit_session"),
)


@dataclass(frozen=True)
class PlayerChoice:
    """What `make_player` found: the player, a notice to show (no device), the voices."""

    player: CuePlayer
    notice: str | None
    spoken: Spoken | None


class TempoCoachApp(App[None]):
    """Tempo Coach's full-screen app.

    Given `make_player`, it starts with `player` (a silent one) and calls `make_player` in a
    thread once the first frame is painted: probing a sound device takes from a few ms to
    most of a second, and the picker does not wait for it. Screens load when first opened.
    """

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
        catalog: Catalog,
        clock: Clock,
        player: CuePlayer,
        settings: Settings,
        overrides: Overrides | None = None,
        spoken: Spoken | None = None,
        history: History | None = None,
        notices: Iterable[str] = (),
        start_with: Path | None = None,
        make_player: Callable[[], PlayerChoice] | None = None,
    ) -> None:
        super().__init__()
        self.history = history
        self.catalog = catalog
        self.clock = clock
        self.player = player
        self.settings = settings
        self.sessions = SessionMaker(
            clock=clock,
            player=player,
            spoken=spoken,
            settings=settings,
            overrides=overrides or Overrides(),
            history=history,
            notify=self.device_lost,
        )
        self.notices = list(notices)
        self.start_with = start_with
        self._make_player = make_player
        self.player_chosen = make_player is None
        """Whether `player` is the one sessions will keep (the probe, if any, answered)."""

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.push_screen(PickerScreen(self.catalog))
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self.start_with is not None:
            self.start_workout(str(self.start_with))
        if self._make_player is not None:
            self.call_after_refresh(self._find_player)
        with suppress(NotImplementedError, RuntimeError):  # no signals off the main thread
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.terminate)

    def _find_player(self) -> None:
        make_player = self._make_player
        assert make_player is not None  # only scheduled with one

        def find() -> None:
            choice = make_player()
            self.call_from_thread(self.use_player, choice)

        self.run_worker(find, name="sound device", thread=True, exit_on_error=False)

    def use_player(self, choice: PlayerChoice) -> None:
        """Play through the player the probe found, in the session already running too."""
        self.player = choice.player
        self.sessions.use_player(choice.player, choice.spoken)
        self._make_player = None
        self.player_chosen = True
        for screen in self.screen_stack:
            if _is_session(screen):
                screen.engine.use_player(choice.player, choice.spoken)
                screen.show_sound(not isinstance(choice.player, SilentPlayer))
        if choice.notice:
            self.notify(choice.notice, severity="warning", timeout=8, markup=False)

    def terminate(self) -> None:
        """SIGTERM (a shutdown, `kill`) follows plain mode's rule: a running session is
        stopped, not left for resuming, with its sets kept; then the app exits."""
        for screen in self.screen_stack:
            if _is_session(screen):
                screen.engine.stop()
        self.exit()

    @on(WorkoutChosen)
    def workout_chosen(self, message: WorkoutChosen) -> None:
        self.start_workout(str(message.path))

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The banner's colours, in the variant (dark or light) of the active theme."""
        return theme_variables(dark=self.current_theme.dark)

    def start_workout(self, path: str) -> None:
        """Open a workout's session, first offering to resume it if it was interrupted;
        one session at a time, so one under way is stopped first, after asking."""
        running = next((screen for screen in self.screen_stack if _is_session(screen)), None)
        if running is not None and not running.engine.finished:
            from tempo_coach.tui.screens.confirm import ConfirmDialog

            def stop_first(stop_it: bool | None) -> None:
                if stop_it:
                    running.stop_for_another()
                    self.start_workout(path)

            self.push_screen(
                ConfirmDialog(
                    "A session is under way: stop it and start this workout?",
                    yes="Stop it",
                    no="Carry on",
                    focus="no",
                ),
                stop_first,
            )
            return
        try:
            loaded = read_workout(Path(path))
        except WorkoutFileError as error:
            self.notify(
                str(error), title="Cannot start", severity="error", timeout=10, markup=False
            )
            return
        plan = self.sessions.plan(loaded)
        resumable = plan.resumable
        if resumable is None:
            self.open_session(plan, resume=False)
            return

        def decided(resume_it: bool | None) -> None:
            self.open_session(plan, resume=bool(resume_it))

        from tempo_coach.tui.screens.confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog(
                f"Resume your interrupted session at {resume_words(plan.timeline, resumable)}?",
                yes="Resume",
                no="Start over",
            ),
            decided,
        )

    def open_session(self, plan: SessionPlan, *, resume: bool) -> None:
        from tempo_coach.tui.screens.session import SessionScreen

        session = self.sessions.start(plan, resume=resume)
        # The app is always given a player for sound: a silent one means no device, unless
        # the device is still being probed (then the probe's answer updates the screen).
        sound = self._make_player is not None or not isinstance(self.player, SilentPlayer)
        self.push_screen(SessionScreen(session, self.settings, sound=sound))

    def sound_lost(self, notice: str) -> None:
        """The sound device failed mid-session: one notice, silent from here on in every
        session, and the header stops claiming what is no longer heard."""
        self.use_player(PlayerChoice(SilentPlayer(), notice, None))

    def device_lost(self, notice: str) -> None:
        """The sound device (or the history's disk) failed mid-session: say so once; the
        session carries on."""
        self.notify(notice, severity="warning", timeout=10, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Workers run with `exit_on_error` off, so that a bug cannot end the app mid-set;
        this is where a failure is said in plain words and, when it struck a session (a
        listener that raised kills the engine's task), the session is stopped, the sound
        silenced and the summary shown, rather than a frozen screen over playing audio."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        reason = printable(str(error) or type(error).__name__)
        session = next((screen for screen in self.screen_stack if _is_session(screen)), None)
        if session is None and not _is_engine_worker(event.worker):
            self.notify(
                f"Something went wrong: {reason}", severity="error", timeout=15, markup=False
            )
            return
        self.player.stop()
        if session is not None:  # else the engine stopped itself and the summary is up
            session.stop_after_failure()
        self.notify(
            f"Something went wrong: {reason}; the session was stopped and what was done is kept",
            severity="error",
            timeout=15,
            markup=False,
        )

    def screenshot_folder(self) -> Path:
        """Downloads if there is one, else a folder of our own (created): Textual saves to
        ~/Downloads, and fails on the many machines (servers, containers) without one."""
        downloads = user_downloads_path()
        if downloads.is_dir():
            return downloads
        folder = user_data_path(APP_NAME) / "screenshots"
        with suppress(OSError):  # then saving into it fails, and the notice says why
            folder.mkdir(parents=True, exist_ok=True)
        return folder

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """What the "Screenshot" command and action call: into a folder that exists."""
        return super().deliver_screenshot(
            filename, path or str(self.screenshot_folder()), time_format
        )

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """Say where the screenshot is; Textual's own notice reads the path as markup."""
        if event.name == "screenshot" and event.path is not None:
            event.prevent_default()
            self.notify(f"Saved to {printable(str(event.path))}", title="Screenshot", markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """Say why the screenshot was not saved; Textual's own notice does not."""
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(
                f"Not saved: {printable(str(event.exception))}",
                title="Screenshot",
                severity="error",
                markup=False,
            )

    def action_help(self) -> None:
        # Loaded when first opened: its Markdown widget costs 60 ms of start-up otherwise.
        from tempo_coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        if self.history is None:
            self.notify(
                "No history to show: it could not be opened (see the notice at start).",
                severity="warning",
            )
            return
        from tempo_coach.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.history, self.settings.adherence_tolerance))

    def action_stopwatch(self) -> None:
        from tempo_coach.tui.screens.stopwatch import StopwatchScreen

        self.push_screen(StopwatchScreen(self.clock, self.history))

    def action_pop_to_picker(self) -> None:
        """From the summary back to the picker, which is under it on the stack."""
        self.pop_screen()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, PickerScreen):
            yield SystemCommand(
                "Stopwatch", "Time your own phases with taps, no workout", self.action_stopwatch
            )
            yield SystemCommand(
                "History", "Your sessions, their sets and your progress", self.action_history
            )
        if _is_session(screen):
            for title, help_text, action in SESSION_COMMANDS:
                if action == "cycle_audio" and not screen.sound:
                    continue  # no sound device: nothing to switch between
                yield SystemCommand(
                    title, help_text, lambda action=action: screen.run_action(action)
                )


def _is_session(screen: Screen[object]) -> TypeGuard[SessionScreen]:
    """Whether `screen` is a session, without loading the session screen to ask."""
    session = sys.modules.get("tempo_coach.tui.screens.session")
    return session is not None and isinstance(screen, session.SessionScreen)


def _is_engine_worker(worker: Worker[object]) -> bool:
    session = sys.modules.get("tempo_coach.tui.screens.session")
    return session is not None and worker.group == session.ENGINE_WORKERS
