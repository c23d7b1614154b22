"""The stopwatch: tap-to-time with no workout, for timing any eccentric you like.

The lifter taps at each phase boundary (lowering, pause, lifting); each set's phases are
measured, summarised and, when there is a history, stored like any other set.
"""

from __future__ import annotations

from datetime import UTC, datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from tempo_coach.core.clock import Clock
from tempo_coach.core.taps import SetTiming, TapTimer, free_phases
from tempo_coach.store import History, SetRecord, workout_hash

STOPWATCH_NAME = "Stopwatch"
REFRESH_SECONDS = 0.1


class StopwatchScreen(Screen[None]):
    """Free tap timing: space (or enter) at each boundary, e to end a set."""

    BINDINGS = [
        Binding("space", "tap", "Tap", id="stopwatch.tap"),
        Binding("enter", "tap", "Tap", show=False),
        Binding("e", "end_set", "End set", id="stopwatch.end-set"),
        Binding("escape,q", "leave", "Back", id="stopwatch.back"),
    ]

    def __init__(self, clock: Clock, history: History | None) -> None:
        super().__init__()
        self.clock = clock
        self.history = history
        self.taps = TapTimer(free_phases())
        self.sets: list[SetTiming] = []
        self.session_id: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="stopwatch-box"):
            yield Static("Stopwatch · tap space at each phase boundary: lower → pause → lift",
                         id="stopwatch-title")
            yield Static("Tap to start", id="stopwatch-phase")
            with Center():
                yield Digits("0.0", id="stopwatch-time")
            yield Static(id="tap-line")
            yield Static(id="set-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.tick()

    @work(exclusive=True, group="stopwatch", exit_on_error=False)
    async def tick(self) -> None:
        """Redraw the running phase's time ten times a second, on the injected clock."""
        while True:
            running = self.taps.running
            if running is not None:
                elapsed = self.clock.now() - running.since
                self.query_one("#stopwatch-time", Digits).update(f"{elapsed:.1f}")
                self.query_one("#stopwatch-phase", Static).update(
                    f"Rep {running.rep} · {running.phase.name}")
            await self.clock.sleep_until(self.clock.now() + REFRESH_SECONDS)

    def action_tap(self) -> None:
        outcome = self.taps.tap(self.clock.now())
        if not outcome.ignored:
            self.query_one("#tap-line", Static).update(outcome.describe())

    def action_end_set(self) -> None:
        timing = self.taps.end_set()
        if not timing.reps:
            return
        self.sets.append(timing)
        self.query_one("#set-lines", Static).update("\n".join(
            f"Set {number}: {done.summary_line()}"
            for number, done in enumerate(self.sets, start=1)))
        self.query_one("#stopwatch-phase", Static).update("Tap to start the next set")
        self.query_one("#stopwatch-time", Digits).update("0.0")
        self.store(timing)

    def store(self, timing: SetTiming) -> None:
        if self.history is None:
            return
        now = datetime.now(UTC)
        if self.session_id is None:
            self.session_id = self.history.start_session(
                workout_name=STOPWATCH_NAME, workout_path="", started_at=now,
                workout_hash=workout_hash(STOPWATCH_NAME))
        durations = timing.durations()
        self.history.record_set(self.session_id, SetRecord(
            exercise_index=0, exercise=STOPWATCH_NAME, side=None, set_number=len(self.sets),
            reps_done=len(timing.reps), target_tempo="free",
            tut_ms=sum(sum(rep) for rep in durations), completed_at=now,
            phase_durations=durations))

    def action_leave(self) -> None:
        if self.history is not None and self.session_id is not None:
            self.history.finish_session(self.session_id, status="completed",
                                        ended_at=datetime.now(UTC))
        self.dismiss()
