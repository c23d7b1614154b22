"""The summary after a session: what was done, in the totals a lifter tracks, the effort of
the last set (no rest follows it, so this is where it is rated) and a note on the session."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tempo_coach.core.describe import format_duration, load_words
from tempo_coach.core.entry import LoadEntryError, read_load
from tempo_coach.core.summary import SessionSummary
from tempo_coach.sessions import Session
from tempo_coach.store import NOTE_LIMIT, note_problem
from tempo_coach.tui.screens.entry import EntryScreen


def summary_rows(summary: SessionSummary) -> list[tuple[str, str]]:
    """The work sets' totals; warm-up sets, never working volume, on a row of their own."""
    rows = [
        ("Sets", f"{summary.sets_done} of {summary.sets_planned}"),
        ("Reps", str(summary.reps_done)),
        ("Session time", format_duration(summary.elapsed_ms)),
        ("Time under tension", format_duration(summary.tut_ms)),
        ("Eccentric time", format_duration(summary.eccentric_ms)),
    ]
    if summary.warmup_sets_done:
        rows.append(("Warm-up sets", str(summary.warmup_sets_done)))
    return rows


async def report_unsaved(app: App[None], session: Session) -> None:
    """Once the session is over, wait for the history to catch up and name any set it
    could not take: the lifter is never left to think a lost set was kept."""
    unsaved = await session.finish()
    if unsaved is not None:
        app.notify(unsaved, title="History", severity="error", timeout=30, markup=False)


class SummaryScreen(Screen[None]):
    """Shown when a session completes or is stopped; leaving it closes the history."""

    CSS_PATH = "../styles/summary.tcss"  # read when the screen is first opened
    BINDINGS = [
        Binding("enter,escape", "app.pop_to_picker", "Workouts", id="summary.back"),
        Binding("q", "app.quit", "Quit", id="summary.quit"),
        Binding("w", "write_note", "Note", id="summary.note", tooltip="A note on the session"),
        Binding("l", "enter_load", "Load", id="summary.load", tooltip="The load of the last set"),
        *(
            Binding(str(rpe % 10), f"rate_effort({rpe})", f"RPE {rpe}", show=False)
            for rpe in range(1, 11)
        ),
    ]

    def __init__(
        self, summary: SessionSummary, workout_name: str, session: Session | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.workout_name = workout_name
        self.session = session
        """The session summed up, whose history stays open for the last set's rating."""
        self.note = ""
        """The lifter's note on the session, as saved."""

    def compose(self) -> ComposeResult:
        title = "Stopped" if self.summary.stopped else "Workout complete"
        with Vertical(id="summary-box"):
            yield Static(f"{title}: {self.workout_name}", id="summary-title", markup=False)
            for label, value in summary_rows(self.summary):
                yield Static(f"{label:<20} [b]{value}[/b]", classes="summary-row")
            rating = Static(
                "Rate the last set: 1–9, 0 for 10 (RPE); l gives its load", id="summary-rating"
            )
            rating.display = self.can_rate()
            yield rating
            lifted = Static(id="summary-load", markup=False)
            lifted.display = False
            yield lifted
            note = Static(id="summary-note", markup=False)  # the lifter's own words
            note.display = False
            yield note
        yield Footer()

    def can_rate(self) -> bool:
        recorder = None if self.session is None else self.session.recorder
        return recorder is not None and recorder.last_set is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate_effort", "enter_load"):
            return self.can_rate()
        if action == "write_note":
            return self.session is not None and self.session.recorder is not None
        return True

    def action_write_note(self) -> None:
        """A note on the whole session ("slept badly", "new shoes"); `w` again edits it."""
        if isinstance(self.app.screen, EntryScreen):
            return
        self.app.push_screen(
            EntryScreen(
                "Note on this session",
                self.save_note,
                value=self.note,
                placeholder="How it went: sleep, energy, anything to remember",
                max_length=NOTE_LIMIT,
            )
        )

    def save_note(self, text: str) -> str | None:
        recorder = None if self.session is None else self.session.recorder
        if recorder is None:
            return "No history to keep a note in"
        if (problem := note_problem(text)) is not None:
            return problem
        recorder.note_session(text)
        self.note = text
        shown = self.query_one("#summary-note", Static)
        shown.update(f"Note: {text}")
        shown.display = bool(text.strip())
        return None

    def action_enter_load(self) -> None:
        """The load lifted in the last set, which ended the session before a rest could
        ask: the plan's is filled in, so Enter keeps it."""
        if isinstance(self.app.screen, EntryScreen) or self.session is None:
            return
        units = self.session.units
        done = self.session.engine.completed_sets
        planned = done[-1].place.load if done else None
        self.app.push_screen(
            EntryScreen(
                "Load lifted · the last set",
                self.save_load,
                value="" if planned is None else load_words(planned, units),
                placeholder=f"82.5 ({units}), 82.5 kg, bw, bw+10",
            )
        )

    def save_load(self, text: str) -> str | None:
        recorder = None if self.session is None else self.session.recorder
        if recorder is None or self.session is None:
            return "No history to keep a load in"
        try:
            load = read_load(text, self.session.units)
        except LoadEntryError as error:
            return str(error)
        if not recorder.set_load(load):
            return "No set done yet to give a load to"
        self.query_one("#summary-load", Static).update(
            f"Last set: {load_words(load, self.session.units)} lifted"
        )
        self.query_one("#summary-load", Static).display = True
        return None

    def action_rate_effort(self, rpe: int) -> None:
        """The last set's effort (RPE 1–10, 0 meaning 10); a second key corrects it."""
        recorder = None if self.session is None else self.session.recorder
        if recorder is not None and recorder.rate_effort(rpe):
            self.query_one("#summary-rating", Static).update(
                f"Last set rated RPE {rpe} (another key changes it)"
            )

    def on_unmount(self) -> None:
        if self.session is not None:
            self.app.run_worker(
                report_unsaved(self.app, self.session),
                name="history",
                group="history",
                exit_on_error=False,
            )
