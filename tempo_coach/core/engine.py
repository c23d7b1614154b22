"""The session engine: plays a compiled timeline against an injected clock.

Every event has a fixed place on the timeline (a *tick*). The engine keeps one *origin*,
the clock time at which the timeline's zero falls, and sleeps until ``origin + tick`` for
each tick in turn: deadlines are absolute, so nothing drifts however long the session.
Pausing, skipping, ending a set early, restarting a rep or changing a rest only moves the
origin (or, while paused, the position) and the cursor into the ticks; no beat is lost or
doubled.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from tempo_coach.core.clock import Clock
from tempo_coach.core.cues import CuePlan, CuePlayer, Spoken
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
    SetCompleted,
    SetEndedEarly,
    Skipped,
    WaitingForReady,
)
from tempo_coach.core.models import AudioMode
from tempo_coach.core.summary import TimeDone
from tempo_coach.core.timeline import Place, Segment, Timeline

EngineState = Literal["ready", "running", "paused", "waiting", "finished"]
Listener = Callable[[Event], None]

REST_STEP_SECONDS = 15.0
"""How much one press of "+" or "-" changes a rest by."""
AUDIO_LEAD_SECONDS = 0.1
"""Sound is restarted this far ahead of "now": the player mixes the coming stretch (up to
about 15 ms for a set) and opens a stream (about 1 ms, 8 ms for a process's first), and
screen and sound move together, so both start the jumped-to segment after this lead."""


@dataclass(frozen=True)
class Tick:
    """An event at its place on the timeline."""

    at_ms: int
    event: Event


def compile_ticks(timeline: Timeline) -> list[Tick]:
    """Every event a session announces if nobody touches a key, in order."""
    ticks: list[Tick] = []
    for index, segment in enumerate(timeline.segments):
        ticks.append(Tick(segment.start_ms, SegmentStarted(segment.start_ms, index, segment)))
        if segment.waits_for_ready:
            ticks.append(Tick(segment.start_ms, WaitingForReady(segment.start_ms, segment)))
        for beat in range(segment.beats):
            at = segment.start_ms + beat * segment.beat_ms
            ticks.append(Tick(at, BeatTicked(at, segment, beat + 1, segment.beats)))
        ticks.extend(Tick(at, RestCountdown(at, left)) for at, left in segment.countdown())
        if timeline.ends_rep(index):
            end = segment.end_ms
            ticks.append(Tick(end, RepCompleted(end, segment.place)))
            if timeline.ends_set(index):
                ticks.append(Tick(end, SetCompleted(end, segment.place)))
    ticks.append(Tick(timeline.total_ms, SessionCompleted(timeline.total_ms)))
    return ticks


class SessionEngine:
    """Runs one session: call `run()` in a task, and the controls from the same loop.

    Args:
        timeline: the compiled workout.
        clock: the time source; a fake one in tests.
        player: where cues are played; None plays nothing.
        audio_mode: which cue layers are heard.
        spoken: the sounds the player has, with their lengths (see `CuePlan`).
        speak_cues: say each phase's cue sentence where it fits (see `CuePlan`).
        lead_seconds: how far ahead of "now" a restart of the sound is scheduled, so the
            audio device has time to open its stream and screen and sound stay together.
        start_at: the segment to begin with: 0, or where an interrupted session resumes.
    """

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        player: CuePlayer | None = None,
        *,
        audio_mode: AudioMode = "both",
        spoken: Spoken | None = None,
        speak_cues: bool = False,
        lead_seconds: float = AUDIO_LEAD_SECONDS,
        start_at: int = 0,
    ) -> None:
        self.timeline = timeline
        self.clock = clock
        self.player = player
        self._audio_mode: AudioMode = audio_mode
        self.spoken = spoken
        self._speak_cues = speak_cues
        self.lead_seconds = lead_seconds
        self.state: EngineState = "ready"
        self._ticks = compile_ticks(timeline)
        self._tick_times = [tick.at_ms for tick in self._ticks]
        self._start_ticks = {
            tick.event.index: position
            for position, tick in enumerate(self._ticks)
            if isinstance(tick.event, SegmentStarted)
        }
        self._cursor = self._start_ticks[start_at]
        self._origin = 0.0
        self._paused_at_ms = 0
        self._index = start_at
        """The segment whose SegmentStarted fired last: the one the lifter is in."""
        self._last_rep: Place | None = None
        """The place of the last RepCompleted: whether the rep under way is already done."""
        self._plans: dict[AudioMode, CuePlan] = {}
        """Each audio mode's cues, planned when first heard: a jump only picks from them."""
        self._skipped: int | None = None
        """The segment skipped (a setup, a phase or a rest), until the next one begins:
        another `n` in the audio lead before it does is the same skip, never a second one."""
        self._changed = asyncio.Event()
        self.time_done = TimeDone()
        """What was really done of each phase (a skip cuts one short): what time under
        tension counts. The first listener, so it has heard an event before anyone else."""
        self._listeners: list[Listener] = [self.time_done]
        self.completed_sets: list[SetCompleted] = []
        self.ended_early: list[SetEndedEarly] = []
        """The sets (sides) the lifter ended before their last rep, in order."""
        self.completed_reps = 0
        self.stopped = False
        """Whether the lifter stopped the session before its end."""
        self._started_at: float | None = None
        self._ended_at: float | None = None
        self._stopped_at_ms: int | None = None
        """Where on the timeline the lifter stopped the session (None: not stopped)."""
        self.listener_failure: Exception | None = None
        """The first exception a listener raised; it stopped the session."""

    # -- observing -----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every event, in order, as it happens."""
        self._listeners.append(listener)

    @property
    def finished(self) -> bool:
        """Completed or stopped: nothing more will happen."""
        return self.state == "finished"

    @property
    def segment(self) -> Segment:
        """The segment the session is in now."""
        return self.timeline.segments[self._index]

    @property
    def position_ms(self) -> int:
        """Where on the timeline the session is now."""
        if self.state in ("paused", "waiting"):
            return self._paused_at_ms
        if self.state == "ready":
            return self.timeline.segments[self._index].start_ms
        if self.state == "finished":
            return self.timeline.total_ms if self._stopped_at_ms is None else self._stopped_at_ms
        return round((self.clock.now() - self._origin) * 1000)

    @property
    def elapsed_ms(self) -> int:
        """Clock time since the session started (to its end, once it has ended)."""
        if self._started_at is None:
            return 0
        end = self._ended_at if self._ended_at is not None else self.clock.now()
        return round((end - self._started_at) * 1000)

    def remaining_ms(self) -> int:
        """Time left in the current segment (0 in a setup that waits)."""
        segment = self.segment
        position = self.position_ms
        if segment.kind != "rest":
            # Only a rest made longer may begin "before" its start; anywhere else that is
            # the audio lead of a jump, and the segment has not begun yet.
            position = max(position, segment.start_ms)
        return max(0, segment.end_ms - position)

    @property
    def audio_mode(self) -> AudioMode:
        return self._audio_mode

    @audio_mode.setter
    def audio_mode(self, mode: AudioMode) -> None:
        self._audio_mode = mode
        if self.state == "running":
            self._play_audio(self.position_ms)

    # -- running -------------------------------------------------------------------

    async def run(self) -> None:
        """Play the session to its end or until `stop()`."""
        self._started_at = self.clock.now()
        start_ms = self.timeline.segments[self._index].start_ms
        self._origin = self._started_at + self.lead_seconds - start_ms / 1000
        self.state = "running"
        self._play_audio(start_ms)
        while self._cursor < len(self._ticks) and not self.finished:
            if self.state in ("paused", "waiting"):
                await self._changed.wait()
                self._changed.clear()
                continue
            tick = self._ticks[self._cursor]
            if not await self._sleep_until(self._origin + tick.at_ms / 1000):
                continue  # a control moved the origin or the cursor: look again
            self._fire_tick(tick.at_ms)
        if self.listener_failure is not None:
            raise self.listener_failure

    def _fire_tick(self, at_ms: int) -> None:
        """Fire every event of the tick at `at_ms` in one go: none of them waits behind
        other work on the loop (a frame being drawn) for the others. A listener's control
        (a stop, a skip) ends the batch; the main loop then looks again."""
        while (
            self._cursor < len(self._ticks)
            and self._ticks[self._cursor].at_ms == at_ms
            and self.state == "running"
            and not self._changed.is_set()
        ):
            event = self._ticks[self._cursor].event
            self._cursor += 1
            self._fire(event)

    async def _sleep_until(self, deadline: float) -> bool:
        """Sleep until `deadline`; False if a control interrupted the sleep."""
        if self._changed.is_set():
            self._changed.clear()
            return False
        sleeper = asyncio.ensure_future(self.clock.sleep_until(deadline))
        control = asyncio.ensure_future(self._changed.wait())
        done, _ = await asyncio.wait({sleeper, control}, return_when=asyncio.FIRST_COMPLETED)
        if control in done:
            sleeper.cancel()
            self._changed.clear()
            return False
        control.cancel()
        return True

    def _fire(self, event: Event) -> None:
        if isinstance(event, SegmentStarted):
            self._index = event.index
            self._skipped = None
        elif isinstance(event, WaitingForReady):
            self._paused_at_ms = event.at_ms
            self.state = "waiting"
        elif isinstance(event, RepCompleted):
            self.completed_reps += 1
            self._last_rep = event.place
        elif isinstance(event, SetCompleted):
            self.completed_sets.append(event)
        elif isinstance(event, SessionCompleted):
            self.state = "finished"
            self._ended_at = self.clock.now()
        self._emit(event)

    def _emit(self, event: Event) -> None:
        """Give every listener the event. A listener that raises does not stop the others,
        nor reach the control that caused the event (a key press): the session is stopped
        (so the log still hears it end) and `run()` raises the first failure."""
        failure: Exception | None = None
        for listener in self._listeners:
            try:
                listener(event)
            except Exception as error:  # any listener bug: reported once, by run()
                failure = failure or error
        if failure is not None and self.listener_failure is None:
            self.listener_failure = failure
            self.stop()

    def _play_audio(self, from_ms: int, from_index: int | None = None) -> None:
        if self.player is None:
            return
        start = self._index if from_index is None else from_index
        plan = self._plans.get(self._audio_mode)
        if plan is None:
            plan = self._plans[self._audio_mode] = CuePlan(
                self.timeline, self._audio_mode, self.spoken, speak_cues=self._speak_cues
            )
        self.player.play(plan.cues(from_index=start, from_ms=from_ms), self._origin)

    def use_player(self, player: CuePlayer | None, spoken: Spoken | None) -> None:
        """Play through `player` from now on (sound found after the session began): what
        is still to come is heard from where the session is."""
        self._silence()
        self.player = player
        self.spoken = spoken
        self._plans.clear()
        if self.state == "running":
            self._play_audio(self.position_ms)

    def _silence(self) -> None:
        if self.player is not None:
            self.player.stop()

    def _move(
        self,
        to_ms: int,
        cursor: int,
        *,
        audio_from_ms: int | None = None,
        audio_from_index: int | None = None,
        lead: bool = True,
    ) -> None:
        """Put the session at timeline time `to_ms`, with `cursor` the next tick to fire;
        with `lead`, after the audio lead (sound restarts at once where the jump lands)."""
        self._cursor = cursor
        if self.state == "paused":
            self._paused_at_ms = to_ms
        else:
            self.state = "running"
            lead_seconds = self.lead_seconds if lead else 0.0
            self._origin = self.clock.now() + lead_seconds - to_ms / 1000
            self._play_audio(to_ms if audio_from_ms is None else audio_from_ms, audio_from_index)
        self._changed.set()

    # -- controls ------------------------------------------------------------------

    def pause(self) -> None:
        if self.state != "running":
            return
        self._paused_at_ms = self.position_ms
        self.state = "paused"
        self._silence()
        self._changed.set()
        self._emit(Paused(self._paused_at_ms))

    def resume(self) -> None:
        if self.state != "paused":
            return
        self.state = "running"
        self._move(self._paused_at_ms, self._cursor)
        self._emit(Resumed(self._paused_at_ms))

    def toggle_pause(self) -> None:
        """Space: "ready" in a manual setup, else pause or resume."""
        if self.state == "waiting":
            self.ready()
        elif self.state == "paused":
            self.resume()
        else:
            self.pause()

    def ready(self) -> None:
        """The lifter is set: leave a manual setup and count them in."""
        if self.state != "waiting":
            return
        self.state = "running"
        # The setup's own cue was heard when it began; sound picks up with what follows.
        self._move(self.segment.start_ms, self._cursor, audio_from_index=self._index + 1)

    def skip(self) -> None:
        """Skip the rest of the current segment (cut a setup or rest short)."""
        if self._skipped == self._index:
            return  # skipped already: the jump to its end is under way
        if self.state == "waiting":
            self._skipped = self._index
            self._emit(Skipped(self._paused_at_ms, self.segment))
            self.ready()
            return
        if self.state not in ("running", "paused"):
            return
        segment = self.segment
        at_ms = self.position_ms
        start_tick = self._start_ticks[self._index]
        cursor = bisect.bisect_left(self._tick_times, segment.end_ms, lo=start_tick + 1)
        self._move(segment.end_ms, cursor)
        self._skipped = self._index
        self._emit(Skipped(at_ms, segment))

    def end_set_early(self) -> bool:
        """End the set (this side of it) now, to failure or after a bad rep: the reps done
        so far count, the one under way does not, and the session goes on with what follows
        the side (the switch, the rest, the next exercise). False, and nothing happens,
        outside a set's reps."""
        segment = self.segment
        if self.state not in ("running", "paused") or segment.kind != "phase":
            return False
        place = segment.place
        assert place.rep is not None  # a phase belongs to a rep
        reps_done = place.rep if self._last_rep == place else place.rep - 1
        following = self._after_side(self._index)
        at_end = following == len(self.timeline.segments)
        cursor = len(self._ticks) - 1 if at_end else self._start_ticks[following]
        if reps_done >= place.rep_count or self._cursor >= cursor:
            return False  # the side is over already (its end, or a jump there, is under way)
        at_ms = self.position_ms
        to_ms = self.timeline.total_ms if at_end else self.timeline.segments[following].start_ms
        # The side's last RepCompleted and SetCompleted share `to_ms` with what follows;
        # the cursor passes over them, and the sound starts from the segment that follows.
        self._move(to_ms, cursor, audio_from_index=None if at_end else following)
        ended = SetEndedEarly(at_ms, place, reps_done)
        self.ended_early.append(ended)
        self._emit(ended)
        return True

    def _after_side(self, index: int) -> int:
        """The first segment after the reps of segment `index`'s side (the segment count
        when the session ends with them)."""
        segments = self.timeline.segments
        place = segments[index].place
        following = index + 1
        while (
            following < len(segments)
            and segments[following].kind == "phase"
            and segments[following].place.set_key == place.set_key
            and segments[following].place.side == place.side
        ):
            following += 1
        return following

    def restart_rep(self) -> None:
        """Start the current rep again from its first phase."""
        segment = self.segment
        if self.state not in ("running", "paused") or segment.kind != "phase":
            return
        first = self._index
        while (
            first > 0
            and self.timeline.segments[first - 1].place == segment.place
            and (self.timeline.segments[first - 1].kind == "phase")
        ):
            first -= 1
        at_ms = self.position_ms
        if first == self._index and at_ms <= segment.start_ms:
            return  # at the rep's start already (or jumping back to it): nothing to redo
        self._index = first
        self._skipped = None
        self._move(self.timeline.segments[first].start_ms, self._start_ticks[first])
        self._emit(RepRestarted(at_ms, segment.place))

    def change_rest(self, seconds: float = REST_STEP_SECONDS) -> None:
        """Make the current rest longer (or, with a negative number, shorter)."""
        segment = self.segment
        if self.state not in ("running", "paused") or segment.kind != "rest":
            return
        at_ms = self.position_ms
        to_ms = at_ms - round(seconds * 1000)
        if to_ms >= segment.end_ms:
            self.skip()
            return
        start_tick = self._start_ticks[self._index]
        cursor = bisect.bisect_left(self._tick_times, to_ms, lo=start_tick + 1)
        self._skipped = None  # back in the rest, even if it was skipped an instant ago
        # Mid-rest nothing is heard until the countdown, so the rest changes without a lead.
        self._move(to_ms, cursor, audio_from_ms=max(to_ms, segment.start_ms + 1), lead=False)
        self._emit(RestChanged(at_ms, seconds))

    def stop(self) -> None:
        """End the session now; the sets already completed stay completed."""
        if self.state == "finished":
            return
        at_ms = self.position_ms
        self.state = "finished"
        self.stopped = True
        self._stopped_at_ms = at_ms
        self._ended_at = self.clock.now()
        self._silence()
        self._changed.set()
        self._emit(SessionStopped(at_ms))
