"""The summary after a session: what was done, in the totals a lifter tracks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tempo_coach.core.describe import format_duration
from tempo_coach.core.summary import SessionSummary


def summary_rows(summary: SessionSummary) -> list[tuple[str, str]]:
    return [
        ("Sets", f"{summary.sets_done} of {summary.sets_planned}"),
        ("Reps", str(summary.reps_done)),
        ("Session time", format_duration(summary.elapsed_ms)),
        ("Time under tension", format_duration(summary.tut_ms)),
        ("Eccentric time", format_duration(summary.eccentric_ms)),
    ]


class SummaryScreen(Screen[None]):
    """Shown when a session completes or is stopped."""

    BINDINGS = [
        Binding("enter,escape", "app.pop_to_picker", "Back to workouts", id="summary.back"),
        Binding("q", "app.quit", "Quit", id="summary.quit"),
    ]

    def __init__(self, summary: SessionSummary, workout_name: str) -> None:
        super().__init__()
        self.summary = summary
        self.workout_name = workout_name

    def compose(self) -> ComposeResult:
        title = "Stopped" if self.summary.stopped else "Workout complete"
        with Vertical(id="summary-box"):
            yield Static(f"{title}: {self.workout_name}", id="summary-title", markup=False)
            for label, value in summary_rows(self.summary):
                yield Static(f"{label:<20} [b]{value}[/b]", classes="summary-row")
        yield Footer()
