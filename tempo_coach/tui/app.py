"""The Textual app: wires the picker, the session and the summary to the engine, a clock
and a cue player it is given (real ones from the CLI, fakes in tests)."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from platformdirs import user_data_path, user_downloads_path
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.catalog import Catalog, LoadedWorkout, read_workout
from tempo_coach.config_file import ConfigFile
from tempo_coach.core.clock import Clock
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.text import printable
from tempo_coach.paths import APP_NAME, programme_state_path
from tempo_coach.tui.commands import WorkoutCommands
from tempo_coach.tui.messages import WorkoutChosen, WorkoutSaved
from tempo_coach.tui.phase_colours import theme_variables
from tempo_coach.tui.screens.picker import PickerScreen, TodayChosen

if TYPE_CHECKING:
    from tempo_coach.core.cues import CuePlayer, PrepareSpeech, Spoken
    from tempo_coach.core.programmes import Done
    from tempo_coach.core.timeline import Timeline
    from tempo_coach.programme_session import ProgrammeRun
    from tempo_coach.programme_store import ProgrammeStore
    from tempo_coach.sessions import Overrides, SessionMaker, SessionPlan
    from tempo_coach.settings import Settings
    from tempo_coach.store import History
    from tempo_coach.tui.screens.session import SessionScreen

SESSION_PALETTE = (
    "toggle_pause",
    "skip",
    "restart_rep",
    "end_set",
    "enter_load",
    "step_load(-1)",
    "step_load(1)",
    "write_note",
    "change_rest(15)",
    "change_rest(-15)",
    "toggle_taps",
    "cycle_audio",
    "quit_session",
)
"""The session actions the command palette offers, in its order. What it says of each is
the session screen's binding for it (`SessionScreen.BINDINGS`, the one table of its keys):
the tooltip, "Title: what it does", and the binding's keys."""


def palette_words(binding: Binding, keys: str) -> tuple[str, str]:
    """A session binding's palette title and one-line help: ``("Skip segment", "n: go to
    the next one …")`` from its tooltip ``"Skip segment: go to the next one …"``."""
    title, _, what = binding.tooltip.partition(": ")
    return title, f"{keys}: {what}"


SPEECH_WORKERS = "speech"
"""The group of the threads that prepare a workout's speech while the app runs."""


@dataclass(frozen=True)
class PlayerChoice:
    """What `make_player` found: the player, a notice to show (no device), the voices."""

    player: CuePlayer
    notice: str | None
    spoken: Spoken | None
    prepare_speech: PrepareSpeech | None = None
    """Prepares a workout's speech later, for one saved while the app runs."""


class TempoCoachApp(App[None]):
    """Tempo Coach's full-screen app.

    Given `make_player`, it starts with `player` (a silent one) and calls `make_player` in a
    thread once the first frame is painted: probing a sound device takes from a few ms to
    most of a second, and the picker does not wait for it. Screens load when first opened.
    """

    TITLE = "Tempo Coach"
    CSS_PATH = ["styles/app.tcss", "styles/picker.tcss"]
    """The picker's styles with the app's: a screen's own `CSS_PATH` is read when it is
    first opened, which re-parses the whole stylesheet, so only the first frame's are here
    and every other screen brings its own."""
    COMMANDS = App.COMMANDS | {WorkoutCommands}

    def __init__(
        self,
        *,
        catalog: Catalog,
        clock: Clock,
        player: CuePlayer,
        settings: Settings | ConfigFile,
        overrides: Overrides | None = None,
        spoken: Spoken | None = None,
        history: History | None = None,
        notices: Iterable[str] = (),
        start_with: Path | None = None,
        start_fresh: bool = False,
        make_player: Callable[[], PlayerChoice] | None = None,
        open_history: Callable[[], tuple[History | None, str | None]] | None = None,
        programmes: ProgrammeStore | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self._history = history
        self._open_history = open_history
        self._programmes = programmes
        self.today = today
        """The date a programme's "today" is read for and its sessions are logged on."""
        self.catalog = catalog
        self.clock = clock
        self.player = player
        self._settings = settings
        self._overrides = overrides
        self._spoken = spoken
        self.notices = list(notices)
        self.start_with = start_with
        self.start_fresh = start_fresh
        """Whether `start_with` starts over, never offering to resume (`run --fresh`)."""
        self._make_player = make_player
        self.player_chosen = make_player is None
        """Whether `player` is the one sessions will keep (the probe, if any, answered)."""
        self._prepare_speech: PrepareSpeech | None = None
        self._saved_meanwhile: dict[Path, Timeline | None] = {}
        """Workouts saved while the probe ran: their speech is prepared once it answers."""
        self._speech_notice: str | None = None

    @property
    def settings(self) -> Settings:
        """The settings. Given the config file unvalidated, they are validated just after
        the first frame (or when first needed, if sooner): pydantic and the models do not
        load before the picker is painted. A broken config is a notice, and the defaults."""
        if isinstance(self._settings, ConfigFile):
            from tempo_coach.settings import load_settings

            self._settings, notice = load_settings(self._settings.path)
            if self._settings.theme in self.available_themes:
                self.theme = self._settings.theme
            if notice:
                self.notify(notice, severity="warning", timeout=8, markup=False)
        return self._settings

    @property
    def history(self) -> History | None:
        """The history database. Given `open_history`, it is opened just after the first
        frame (or when first needed, if sooner): the store and SQLite are not loaded
        before the picker is painted."""
        open_history, self._open_history = self._open_history, None
        if open_history is not None:
            self._history, notice = open_history()
            if notice:
                self.notify(notice, severity="warning", timeout=8, markup=False)
        return self._history

    def close_history(self) -> None:
        """Close the history if it was opened; one never opened stays so."""
        if self._history is not None:
            self._history.close()

    @cached_property
    def sessions(self) -> SessionMaker:
        """What starts sessions, made when first needed (a workout is started or the sound
        probe answers): the engine, the session log and the store load then, not before
        the picker is painted."""
        from tempo_coach.sessions import Overrides, SessionMaker

        return SessionMaker(
            clock=self.clock,
            player=self.player,
            spoken=self._spoken,
            settings=self.settings,
            overrides=self._overrides or Overrides(),
            history=self.history,
            notify=self.device_lost,
        )

    def on_mount(self) -> None:
        settings = self._settings
        if settings.theme is not None and settings.theme in self.available_themes:
            self.theme = settings.theme
        self.push_screen(
            PickerScreen(
                self.catalog,
                programmes=self.programme_store,
                programme_state=(
                    programme_state_path() if self._programmes is None else self._programmes.state
                ),
                today=self.today,
                units=self._settings.units,
            )
        )
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self.start_with is not None:
            self.start_workout(str(self.start_with), fresh=self.start_fresh)
        if isinstance(settings, ConfigFile):
            self.call_after_refresh(lambda: self.settings)  # before the probe reads them
        if self._open_history is not None:
            self.call_after_refresh(lambda: self.history)
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
        self._prepare_speech = choice.prepare_speech
        self._speech_notice = choice.notice  # said here: not again when more is prepared
        for screen in self.screen_stack:
            if _is_session(screen):
                screen.engine.use_player(choice.player, choice.spoken)
                screen.show_sound(not isinstance(choice.player, SilentPlayer))
        if choice.notice:
            self.notify(choice.notice, severity="warning", timeout=8, markup=False)
        saved, self._saved_meanwhile = self._saved_meanwhile, {}
        for screen in self.screen_stack:  # a session started before the probe answered
            if _is_session(screen) and self._lacks_speech(screen.engine.timeline):
                saved[screen.session.plan.source_path] = screen.engine.timeline
        for path, timeline in saved.items():
            self.prepare_speech(path, timeline)

    def on_workout_saved(self, message: WorkoutSaved) -> None:
        self.prepare_speech(message.path)

    def prepare_speech(self, path: Path, timeline: Timeline | None = None) -> None:
        """Prepare the speech of a workout (its own phase names and cues) the player lacks:
        a file saved in Customize, or added or changed while the app runs, read from `path`;
        or a session's own `timeline`, for a workout no file holds as run (a programme's
        session). In a thread, as synthesis takes a moment; its next session, or one already
        started (Customize's save and run), says them without a restart."""
        prepare = self._prepare_speech
        if prepare is None:
            if self._make_player is not None:  # the probe prepares what it read; this later
                self._saved_meanwhile[path] = timeline or self._saved_meanwhile.get(path)
            return

        def work() -> None:
            if timeline is not None:
                spoken, notice = prepare([timeline])
            else:
                try:
                    workout = read_workout(path).workout
                except WorkoutFileError:
                    return  # changed again since: its own save prepares it
                from tempo_coach.core.timeline import compile_timeline

                spoken, notice = prepare([compile_timeline(workout)])
            self.call_from_thread(self.speech_prepared, path, spoken, notice)

        self.run_worker(work, name="speech", group=SPEECH_WORKERS, thread=True, exit_on_error=False)

    def speech_prepared(self, path: Path, spoken: Spoken, notice: str | None) -> None:
        """The player has the new speech: sessions from now on say it, and so does one of
        that workout already under way."""
        if self._prepare_speech is None:
            return  # the sound device was lost meanwhile: nothing is heard any more
        self.sessions.use_player(self.player, spoken)
        for screen in self.screen_stack:
            if _is_session(screen) and screen.session.plan.source_path == path:
                screen.engine.use_player(self.player, spoken)
        if notice and notice != self._speech_notice:  # once, not at every session
            self.notify(notice, severity="warning", timeout=8, markup=False)
        self._speech_notice = notice

    def programme_store(self) -> ProgrammeStore:
        """The programmes and the one followed (the usual folders unless given); made when
        the picker first reads it, after the first frame, as its module loads the
        programme core."""
        if self._programmes is None:
            from tempo_coach.programme_store import ProgrammeStore

            self._programmes = ProgrammeStore.default(self.catalog)
        return self._programmes

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

    @on(TodayChosen)
    def today_chosen(self, message: TodayChosen) -> None:
        self.start_workout(message.run)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The banner's colours, in the variant (dark or light) of the active theme."""
        return theme_variables(dark=self.current_theme.dark)

    def start_workout(self, path: str | ProgrammeRun, *, fresh: bool = False) -> None:
        """Open a workout's session (or a programme's, tagged and logged with it), first
        offering to resume it if it was interrupted (unless `fresh`: then it starts over);
        one session at a time, so one under way is stopped first, after asking."""
        running = next((screen for screen in self.screen_stack if _is_session(screen)), None)
        if running is not None and not running.engine.finished:
            from tempo_coach.tui.screens.confirm import ConfirmDialog

            def stop_first(stop_it: bool | None) -> None:
                if stop_it:
                    running.stop_for_another()
                    self.start_workout(path, fresh=fresh)

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
        programme = None if isinstance(path, str) else path
        try:
            loaded = read_workout(Path(path)) if isinstance(path, str) else path.loaded()
        except WorkoutFileError as error:
            self.notify(
                str(error), title="Cannot start", severity="error", timeout=10, markup=False
            )
            return
        self.start_loaded(loaded, programme, fresh=fresh)

    def start_loaded(
        self, loaded: LoadedWorkout, programme: ProgrammeRun | None, *, fresh: bool = False
    ) -> None:
        plan = self.sessions.plan(loaded)
        resumable = plan.resumable
        if resumable is None or fresh:  # fresh: the interrupted session is marked abandoned
            self.open_session(plan, resume=False, programme=programme)
            return

        def decided(resume_it: bool | None) -> None:
            self.open_session(plan, resume=bool(resume_it), programme=programme)

        from tempo_coach.session_log import resume_words
        from tempo_coach.tui.screens.confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog(
                f"Resume your interrupted session at {resume_words(plan.timeline, resumable)}?",
                yes="Resume",
                no="Start over",
            ),
            decided,
        )

    def open_session(
        self, plan: SessionPlan, *, resume: bool, programme: ProgrammeRun | None = None
    ) -> None:
        from tempo_coach.tui.screens.session import SessionScreen

        session = self.sessions.start(plan, resume=resume, programme=programme)
        if session.programme is not None:
            session.programme.on_written = self.programme_logged
        # The app is always given a player for sound: a silent one means no device, unless
        # the device is still being probed (then the probe's answer updates the screen).
        sound = self._make_player is not None or not isinstance(self.player, SilentPlayer)
        self.push_screen(SessionScreen(session, self.settings, sound=sound))
        if self._lacks_speech(plan.timeline):  # changed outside Customize, or a programme's
            self.prepare_speech(plan.source_path, plan.timeline)

    def _lacks_speech(self, timeline: Timeline) -> bool:
        """Whether the player has not (yet) the speech this timeline would say."""
        spoken = self.sessions.spoken
        if spoken is None or self._prepare_speech is None:
            return False
        from tempo_coach.core.cues import speech, speech_texts  # the models: not at start-up

        texts = speech_texts(timeline, spoken, speak_cues=self.settings.speak_cues)
        return any(speech(text) not in spoken for text in texts)

    def programme_logged(self, done: Done) -> None:
        """A programme session's log entry was written: the picker shows what is next."""
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                screen.refresh_programme()

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
        # Speech is extra: a failure to prepare it is said, and never stops a session.
        if (session is None or event.worker.group == SPEECH_WORKERS) and not _is_engine_worker(
            event.worker
        ):
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

        self.push_screen(
            HistoryScreen(
                self.history, self.settings.adherence_tolerance, units=self.settings.units
            )
        )

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
            # Read from the instance's class: the session screen is not imported before.
            bindings = {
                binding.action: binding
                for binding in type(screen).BINDINGS
                if isinstance(binding, Binding)
            }
            for action in SESSION_PALETTE:
                if action == "cycle_audio" and not screen.sound:
                    continue  # no sound device: nothing to switch between
                binding = bindings[action]
                keys = " / ".join(
                    self.get_key_display(Binding(key, action)) for key in binding.key.split(",")
                )
                title, help_text = palette_words(binding, keys)
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
