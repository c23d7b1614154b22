"""The history: every session, the sets of the highlighted one, and how the highlighted set's
exercise has progressed, as sparklines of time under tension, reps and effort per session, and
of tempo adherence (tapped lowerings within the tolerance of their target) per week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from tempo_coach.core.describe import format_duration
from tempo_coach.core.taps import ADHERENCE_TOLERANCE, SetTiming, adherence, weekly_adherence
from tempo_coach.core.text import printable
from tempo_coach.store import ExercisePoint, History, SessionRow, SessionStatus, SetRow

EMPTY_MESSAGE = "No sessions yet: finished sets appear here the moment they end."
NOT_ENOUGH = "Not enough sessions yet to plot"
NOT_ENOUGH_RATED = "Not enough rated sessions yet to plot"
NOT_ENOUGH_TAPPED = "Not enough weeks of tapped lowerings yet to plot"
STATUS_WORDS: dict[SessionStatus, str] = {
    # Only a session whose process died is still 'running' while this screen is open.
    "running": "interrupted",
    "completed": "completed",
    "stopped": "stopped",
    "abandoned": "abandoned",
}


@dataclass(frozen=True)
class Measure:
    """One progress plot: which number of each session it draws, and how that number reads."""

    id: str
    label: str
    short: str
    values: Callable[[Sequence[ExercisePoint], float], list[float]]
    """The plotted numbers, from the sessions and the adherence tolerance."""
    show: Callable[[float], str]
    too_few: str
    over: str = "sessions"


MEASURES = (
    Measure(
        "tut",
        "Time under tension",
        "TUT",
        lambda points, _: [point.tut_ms for point in points],
        lambda value: format_duration(round(value)),
        NOT_ENOUGH,
    ),
    Measure(
        "reps",
        "Reps",
        "Reps",
        lambda points, _: [point.reps for point in points],
        lambda value: f"{value:g}",
        NOT_ENOUGH,
    ),
    # Sessions without a rating are left out rather than drawn as zero effort.
    Measure(
        "effort",
        "Effort (RPE)",
        "RPE",
        lambda points, _: [point.mean_rpe for point in points if point.mean_rpe is not None],
        lambda value: f"{round(value, 1):g}",
        NOT_ENOUGH_RATED,
    ),
    # A week, not a session: a trend of a habit, and sessions without taps are left out.
    Measure(
        "adherence",
        "Tempo adherence",
        "Adherence",
        lambda points, tolerance: weekly_shares(points, tolerance),
        lambda value: f"{value:.0%}",
        NOT_ENOUGH_TAPPED,
        "weeks",
    ),
)


def weekly_shares(points: Sequence[ExercisePoint], tolerance: float) -> list[float]:
    """Per week with judged lowerings, the share within the tolerance, oldest first."""
    readings = [
        (point.started_at.astimezone().date(), ms, target)
        for point in points
        for ms, target in point.readings
    ]
    return [
        score.share for _, score in weekly_adherence(readings, tolerance) if score.share is not None
    ]


def tap_cell(timing: SetTiming | None, tolerance: float) -> str:
    """A set's tapped lowering and adherence, ``"4.2 s ± 0.6 s · 2/3"``; empty if untimed."""
    if timing is None:
        return ""
    score = adherence(timing.readings(), tolerance)
    if score.mean_ms is None or score.spread_ms is None:
        return "not measured"
    lowering = (
        f"{format_duration(round(score.mean_ms))} ± {format_duration(round(score.spread_ms))}"
    )
    return lowering if not score.judged else f"{lowering} · {score.adherent}/{score.judged}"


def local_time(row: SessionRow) -> str:
    """The history stores UTC; the lifter remembers a session by the clock on the wall."""
    return row.started_at.astimezone().strftime("%Y-%m-%d %H:%M")


def right(value: object) -> Text:
    """Numbers line up on their last digit."""
    return Text(str(value), justify="right")


def stored(value: str) -> Text:
    """Text read back from the database: a DataTable reads a plain string as markup, and
    the file a name came from may be long gone, so nothing vouches for its characters."""
    return Text(printable(value))


def session_cells(row: SessionRow) -> tuple[str | Text, ...]:
    return (
        local_time(row),
        stored(row.workout_name),
        STATUS_WORDS[row.status],
        right(row.sets_done),
        right(row.reps_done),
        right(format_duration(row.tut_ms)),
    )


def set_cells(row: SetRow, tolerance: float = ADHERENCE_TOLERANCE) -> tuple[str | Text, ...]:
    return (
        stored(row.exercise),
        right(row.set_number),
        row.side or "",
        right(row.reps_done),
        stored(row.target_tempo),
        right(format_duration(row.tut_ms)),
        right("" if row.rpe is None else row.rpe),
        right(tap_cell(row.phase_spans, tolerance)),
    )


def caption(measure: Measure, values: Sequence[float]) -> str:
    """``"TUT 2:40 → 3:10 over 6 sessions"``; a single point shows no trend."""
    if len(values) < 2:
        return measure.too_few
    return (
        f"{measure.short} {measure.show(values[0])} → {measure.show(values[-1])}"
        f" over {len(values)} {measure.over}"
    )


class HistoryScreen(Screen[None]):
    """Browse the stored sessions and sets; read-only."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="history.back"),
    ]

    def __init__(self, history: History, tolerance: float = ADHERENCE_TOLERANCE) -> None:
        super().__init__()
        self.history = history
        self.tolerance = tolerance
        """The adherence band (the `adherence_tolerance` setting)."""
        self.sessions = {str(row.id): row for row in history.sessions()}
        self.sets: dict[str, SetRow] = {}
        """The highlighted session's sets by row key, to tell current rows from stale events."""

    def compose(self) -> ComposeResult:
        yield Static("Tempo Coach · history", id="history-title")
        if not self.sessions:
            yield Static(EMPTY_MESSAGE, id="history-empty")
        else:
            yield Static("Sessions", classes="history-heading")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static(id="sets-heading", classes="history-heading", markup=False)
            yield DataTable(id="sets", cursor_type="row", zebra_stripes=True)
            yield Static(id="progress-heading", classes="history-heading", markup=False)
            with Vertical(id="plots"):
                for measure in MEASURES:
                    with Horizontal(classes="plot-row"):
                        yield Static(measure.label, classes="plot-label")
                        yield Sparkline(id=f"{measure.id}-plot")
                        yield Static(id=f"{measure.id}-caption", classes="plot-caption")
        yield Footer()

    def on_mount(self) -> None:
        if not self.sessions:
            return
        sessions = self.query_one("#sessions", DataTable)
        sessions.add_columns("Started", "Workout", "Status", "Sets", "Reps", "TUT")
        for key, row in self.sessions.items():
            sessions.add_row(*session_cells(row), key=key)
        self.query_one("#sets", DataTable).add_columns(
            "Exercise", "Set", "Side", "Reps", "Tempo", "TUT", "RPE", "Eccentric"
        )

    @on(DataTable.RowHighlighted, "#sessions")
    def session_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.sessions[str(event.row_key.value)]
        self.sets = {str(set_row.id): set_row for set_row in self.history.sets(row.id)}
        score = adherence(
            (
                reading
                for set_row in self.sets.values()
                if set_row.phase_spans
                for reading in set_row.phase_spans.readings()
            ),
            self.tolerance,
        )
        tapped = "" if not score.readings else f" · {score.describe()}"
        self.query_one("#sets-heading", Static).update(
            f"Sets · {local_time(row)} {printable(row.workout_name)}{tapped}"
        )
        table = self.query_one("#sets", DataTable)
        table.clear()
        for key, set_row in self.sets.items():
            table.add_row(*set_cells(set_row, self.tolerance), key=key)
        if not self.sets:
            self.show_progress(None)
        # Otherwise the table announces its first row, which shows that set's exercise.

    @on(DataTable.RowHighlighted, "#sets")
    def set_highlighted(self, event: DataTable.RowHighlighted) -> None:
        set_row = self.sets.get(str(event.row_key.value))
        if set_row is not None:  # None: the event was for a session no longer shown
            self.show_progress(set_row.exercise)

    def show_progress(self, exercise: str | None) -> None:
        self.query_one("#plots").display = exercise is not None
        heading = self.query_one("#progress-heading", Static)
        if exercise is None:
            heading.update("Progress · this session has no sets")
            return
        heading.update(f"Progress · {printable(exercise)}")
        points = self.history.exercise_history(exercise)
        for measure in MEASURES:
            values = measure.values(points, self.tolerance)
            plot = self.query_one(f"#{measure.id}-plot", Sparkline)
            plot.data = values
            plot.display = len(values) >= 2
            self.query_one(f"#{measure.id}-caption", Static).update(caption(measure, values))
