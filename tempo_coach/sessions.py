"""The one place that prepares a session, for the full-screen app and plain mode alike.

From a workout file as read, the history, the user's settings and the command line's
overrides (kept apart from the settings: they win for this run only), it decides whether an
interrupted session is resumed, what is heard and how loud, and wires the engine, the
session log and the player together. Keeping this in one place keeps the two front ends
from disagreeing about any of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from tempo_coach.catalog import LoadedWorkout
from tempo_coach.core.clock import Clock
from tempo_coach.core.cues import CuePlayer, Spoken, says_cue_sentences
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.models import AudioMode, LoadUnit, Workout
from tempo_coach.core.timeline import Timeline, compile_timeline
from tempo_coach.session_log import (
    Resumable,
    SavedSet,
    SessionRecorder,
    UnsavedSets,
    find_resumable,
)
from tempo_coach.settings import Settings
from tempo_coach.store import History, HistoryError, workout_hash

if TYPE_CHECKING:
    from tempo_coach.programme_session import ProgrammeLog, ProgrammeRun


class Overrides(BaseModel):
    """What the command line asked for this run; None leaves the choice to the workout or
    the settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    audio_mode: AudioMode | None = None
    """What is heard, over the workout's own `audio_mode` and the user's setting."""
    volume: float | None = Field(default=None, ge=0, le=1)
    """Loudness of every cue, 0.0 to 1.0, over the user's setting."""
    setup_seconds: float | None = Field(default=None, ge=1, le=600)
    """Turns every setup into a countdown this long, for when no key can be pressed."""


OVERRIDE_FLAGS = {"audio_mode": "--audio", "volume": "--volume", "setup_seconds": "--setup"}
"""The command-line flag that sets each override, for error messages."""


def with_timed_setups(workout: Workout, seconds: float) -> Workout:
    """The workout with every setup counting down `seconds` instead of waiting for a key."""
    defaults = workout.defaults.model_copy(
        update={
            "setup": workout.defaults.setup.model_copy(update={"mode": "timed", "seconds": seconds})
        }
    )
    exercises = [
        exercise
        if exercise.setup is None
        else exercise.model_copy(
            update={
                "setup": exercise.setup.model_copy(update={"mode": "timed", "seconds": seconds})
            }
        )
        for exercise in workout.exercises
    ]
    return workout.model_copy(update={"defaults": defaults, "exercises": exercises})


def audio_mode_for(workout: Workout, settings: Settings, overrides: Overrides) -> AudioMode:
    """The command line wins, then the workout's own choice, then the user's setting."""
    return overrides.audio_mode or workout.audio_mode or settings.audio_mode


@dataclass(frozen=True)
class SessionPlan:
    """A session about to start: its timeline, where it came from, and an interrupted
    session of the same file that could be resumed instead."""

    timeline: Timeline
    source_path: Path
    source_text: str
    """The file's text as run: its hash ties the logged sets to this exact plan."""
    audio_mode: AudioMode
    resumable: Resumable | None


@dataclass
class Session:
    """A wired session: run `engine.run()`, then `await finish()`."""

    plan: SessionPlan
    engine: SessionEngine
    recorder: SessionRecorder | None
    unopened: UnsavedSets | None = None
    """The sets done while the history could not be opened at all."""
    programme: ProgrammeLog | None = None
    """For a programme's session: what writes its log entry, from the sets stored."""
    units: LoadUnit = "kg"
    """The lifter's units: loads are shown in them, and a bare number typed means them."""

    async def finish(self) -> str | None:
        """Let the history catch up (a lock may just have gone) and say, in one sentence,
        exactly which sets could not be saved; None when everything was."""
        if self.recorder is not None:
            unsaved = await self.recorder.aclose()
        elif self.unopened is not None:
            unsaved = [saved.label[:1].upper() + saved.label[1:] for saved in self.unopened.sets]
        else:
            unsaved = []
        if self.programme is not None:  # after the history has every set and rating
            await self.programme.finish()
        if not unsaved:
            return None
        return f"Not saved to your history: {'; '.join(unsaved)}"


class SessionMaker:
    """Prepares sessions with the clock, player, history, settings and overrides it is
    given; `notify` receives every one-line notice (a history that fails, say)."""

    def __init__(
        self,
        *,
        clock: Clock,
        player: CuePlayer,
        spoken: Spoken | None,
        settings: Settings,
        overrides: Overrides,
        history: History | None,
        notify: Callable[[str], None],
    ) -> None:
        self.clock = clock
        self.player = player
        self.spoken = spoken
        self.settings = settings
        self.overrides = overrides
        self.history = history
        self.notify = notify

    def use_player(self, player: CuePlayer, spoken: Spoken | None) -> None:
        """Play the sessions started from now on through `player` (the real one, found
        after the app's first frame, replacing a silent stand-in)."""
        self.player = player
        self.spoken = spoken

    def plan(self, loaded: LoadedWorkout) -> SessionPlan:
        """The session for a workout as read, with any interrupted session of it."""
        workout = loaded.workout
        if self.overrides.setup_seconds is not None:
            workout = with_timed_setups(workout, self.overrides.setup_seconds)
        timeline = compile_timeline(workout)
        resumable = None
        if self.history is not None:
            try:
                resumable = find_resumable(self.history, timeline, loaded.text)
                if resumable is None and self._running_elsewhere(loaded.text):
                    self.notify(
                        "Another Tempo Coach is running this workout right now; this"
                        " session is logged as a new one"
                    )
            except HistoryError as error:
                self.notify(f"{error}; not offering to resume")
        mode = audio_mode_for(workout, self.settings, self.overrides)
        return SessionPlan(timeline, loaded.path, loaded.text, mode, resumable)

    def _running_elsewhere(self, workout_text: str) -> bool:
        """Whether a live session of this very file runs in another copy of the app."""
        assert self.history is not None  # only asked with a history
        digest = workout_hash(workout_text)
        return any(row.workout_hash == digest for row in self.history.live_sessions())

    def start(
        self,
        plan: SessionPlan,
        *,
        resume: bool,
        on_saved: Callable[[SavedSet], None] | None = None,
        programme: ProgrammeRun | None = None,
    ) -> Session:
        """Wire the engine and the session log; resume the interrupted session, or mark it
        abandoned when the lifter chose to start over. `on_saved` hears each set once the
        history has committed it. A `programme` session is tagged with it in the history
        and, once over, logged in the programme."""
        resumed = plan.resumable if resume else None
        if plan.resumable is not None and not resume and self.history is not None:
            try:
                self.history.abandon(plan.resumable.session.id)
            except HistoryError as error:
                self.notify(str(error))
        engine = SessionEngine(
            plan.timeline,
            self.clock,
            self.player,
            audio_mode=plan.audio_mode,
            spoken=self.spoken,
            speak_cues=says_cue_sentences(plan.timeline.workout, self.settings.speak_cues),
            start_at=resumed.start_at if resumed else 0,
        )
        recorder = None
        unopened = None
        if self.history is None:
            unopened = UnsavedSets()
            engine.subscribe(unopened)
        else:
            recorder = SessionRecorder(
                self.history,
                plan.timeline,
                workout_path=plan.source_path,
                workout_text=plan.source_text,
                resume=resumed,
                on_failure=self.notify,
                on_saved=on_saved,
                programme=None if programme is None else programme.tag,
            )
            engine.subscribe(recorder)  # first, so a set is stored before it is shown
        log = None
        if programme is not None:
            from tempo_coach.programme_session import ProgrammeLog

            log = ProgrammeLog(
                programme,
                self.history,
                self.notify,
                tolerance=self.settings.adherence_tolerance,
                settle=None if recorder is None else recorder.writer.wait_idle,
                session_id=(lambda: None) if recorder is None else lambda: recorder.session_id,
                fallback=lambda: [
                    *((done.place, done.place.rep_count) for done in engine.completed_sets),
                    *((early.place, early.reps_done) for early in engine.ended_early),
                ],
            )
            engine.subscribe(log)
        return Session(plan, engine, recorder, unopened, log, units=self.settings.units)


def open_history() -> tuple[History | None, str | None]:
    """The history database, or None and a notice: a broken history never stops training."""
    try:
        return History.open(), None
    except HistoryError as error:
        return None, f"{error}; this session will not be logged"
