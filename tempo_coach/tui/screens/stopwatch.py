"""The stopwatch: tap-to-time with no workout, for timing any eccentric you like.

The lifter taps at each phase boundary (lowering, pause, lifting); each set's phases are
measured, summarised and, when there is a history, stored like any other set: through a
`SessionWriter`, so a locked or full history is a notice, never a frozen screen or a crash.
"""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from tempo_coach.core.clock import Clock
from tempo_coach.core.taps import SetTiming, TapTimer, free_phases
from tempo_coach.store import History, SessionWriter, SetRecord, workout_hash

STOPWATCH_NAME = "Stopwatch"
REFRESH_SECONDS = 0.1


class StopwatchScreen(Screen[None]):
    """Free tap timing: space (or enter) at each boundary, e to end a set."""

    CSS_PATH = "../styles/stopwatch.tcss"  # read when the screen is first opened
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
        self.writer: SessionWriter | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="stopwatch-box"):
            yield Static(
                "Stopwatch · tap space at each phase boundary: lower → pause → lift",
                id="stopwatch-title",
            )
            yield Static("Tap to start", id="stopwatch-phase")
            with Center():
                yield Digits("0.0", id="stopwatch-time")
            yield Static(id="tap-line")
            yield Static(id="set-lines")
        yield Footer()

    def on_mount(self) -> None:
        # Run by the app, whose handler hears a worker's failure (only the node that runs a
        # worker is told); so it is stopped here when the screen goes, as Textual would.
        self.ticker = self.app.run_worker(
            self.tick(), name="stopwatch", group="stopwatch", exclusive=True, exit_on_error=False
        )

    def on_unmount(self) -> None:
        self.ticker.cancel()

    async def tick(self) -> None:
        """Redraw the running phase's time ten times a second, on the injected clock."""
        while True:
            running = self.taps.running
            if running is not None:
                elapsed = self.clock.now() - running.since
                self.query_one("#stopwatch-time", Digits).update(f"{elapsed:.1f}")
                self.query_one("#stopwatch-phase", Static).update(
                    f"Rep {running.rep} · {running.phase.name}"
                )
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
        self.query_one("#set-lines", Static).update(
            "\n".join(
                f"Set {number}: {done.summary_line()}"
                for number, done in enumerate(self.sets, start=1)
            )
        )
        self.query_one("#stopwatch-phase", Static).update("Tap to start the next set")
        self.query_one("#stopwatch-time", Digits).update("0.0")
        self.store(timing)

    def store(self, timing: SetTiming) -> None:
        if self.history is None:
            return
        now = datetime.now(UTC)
        app = self.app
        if self.writer is None:
            self.writer = SessionWriter(
                self.history,
                workout_name=STOPWATCH_NAME,
                workout_path="",
                workout_hash=workout_hash(STOPWATCH_NAME),
                started_at=now,
                on_failure=lambda notice: app.notify(notice, severity="warning", timeout=10),
                on_recovery=lambda notice: app.notify(notice, timeout=5),
            )
        durations = timing.durations()
        number = len(self.sets)
        self.writer.add_set(
            SetRecord(
                exercise_index=0,
                exercise=STOPWATCH_NAME,
                side=None,
                set_number=number,
                reps_done=len(timing.reps),
                target_tempo="free",
                tut_ms=sum(sum(rep) for rep in durations),
                completed_at=now,
                phase_durations=durations,
                phase_spans=timing,
            ),
            f"stopwatch set {number}",
        )

    def action_leave(self) -> None:
        writer = self.writer
        if writer is not None:
            writer.finish("completed", datetime.now(UTC))
            app = self.app

            def close() -> None:
                """Off the event loop: closing waits for a locked history, within bounds."""
                if unsaved := writer.close():
                    app.call_from_thread(
                        app.notify,
                        "Not saved to the history: " + ", ".join(unsaved),
                        severity="warning",
                        timeout=10,
                    )

            app.run_worker(close, thread=True, group="history", exit_on_error=False)
        self.dismiss()
