"""The history: every session, the sets of the highlighted one, and how the highlighted set's
exercise has progressed, as a plot over the session dates of one measure at a time (`m`
switches): top load, volume load (reps × load), TUT × load, time under tension, reps,
effort, and tempo adherence (tapped lowerings within the tolerance of their target) by week.

The plots are textual-plotext's, loaded with this screen (when it is first opened), never
at the app's start."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey
from textual_plotext import PlotextPlot

from tempo_coach.core.describe import format_duration, kilograms_in, mass_words
from tempo_coach.core.models import Load, LoadUnit, number_text
from tempo_coach.core.taps import ADHERENCE_TOLERANCE, SetTiming, adherence, weekly_adherence
from tempo_coach.core.text import printable
from tempo_coach.store import ExercisePoint, History, SessionRow, SessionStatus, SetRow

EMPTY_MESSAGE = "No sessions yet: finished sets appear here the moment they end."
NOT_ENOUGH = "A plot needs two sessions of this exercise"
NOT_ENOUGH_LOADED = "A plot needs two sessions of this exercise with a weight logged"
NOT_ENOUGH_RATED = "A plot needs two sessions of this exercise with a set rated (RPE)"
NOT_ENOUGH_TAPPED = "A plot needs two weeks of tapped lowerings of this exercise"
DATE_FORMAT = "Y-m-d"
"""How plotext reads (and labels) the x values: `date.isoformat`."""
STATUS_WORDS: dict[SessionStatus, str] = {
    # Only a session whose process died is still 'running' while this screen is open.
    "running": "interrupted",
    "completed": "completed",
    "stopped": "stopped",
    "abandoned": "abandoned",
}

Dated = list[tuple[date, float]]


@dataclass(frozen=True)
class Measure:
    """One progress plot: which number of each session it draws, and how that number reads."""

    id: str
    label: str
    short: str
    """Its name in the bar of measures."""
    axis: Callable[[LoadUnit], str]
    """The y-axis label, in the units setting."""
    values: Callable[[Sequence[ExercisePoint], float, LoadUnit], Dated]
    """The plotted numbers by date, from the sessions, the adherence tolerance and the units."""
    show: Callable[[float, LoadUnit], str]
    too_few: str
    over: str = "sessions"


def local_day(point: ExercisePoint) -> date:
    """The history stores UTC; a session belongs to the day on the lifter's wall."""
    return point.started_at.astimezone().date()


def dated(points: Sequence[ExercisePoint], value: Callable[[ExercisePoint], float | None]) -> Dated:
    """Each session's number, by its day; sessions without one (unrated, no weight) are left
    out rather than drawn as zero."""
    return [(local_day(point), number) for point in points if (number := value(point)) is not None]


def top_load(point: ExercisePoint, unit: LoadUnit) -> float | None:
    """The heaviest work-set load; bodyweight alone (or with a band) weighs nothing to plot,
    bodyweight + 10 kg plots the 10 kg added."""
    load = point.top_load
    if load is None or (load.bodyweight and load.kilograms <= 0):
        return None
    return kilograms_in(load.kilograms, unit)


MEASURES = (
    Measure(
        "load",
        "Top load",
        "Load",
        lambda unit: unit,
        lambda points, _, unit: dated(points, lambda point: top_load(point, unit)),
        lambda value, unit: f"{number_text(value)} {unit}",
        NOT_ENOUGH_LOADED,
    ),
    Measure(
        "volume",
        "Volume load",
        "Volume",
        lambda unit: f"{unit} (reps × load)",
        lambda points, _, unit: dated(points, lambda point: kilograms_in(point.volume_kg, unit)),
        lambda value, unit: f"{value:,.0f} {unit}",
        NOT_ENOUGH_LOADED,
    ),
    Measure(
        "tut-load",
        "TUT × load",
        "TUT×load",
        lambda unit: f"{unit}·s (TUT × load)",
        lambda points, _, unit: dated(
            points, lambda point: kilograms_in(point.tut_load_kg_s, unit)
        ),
        lambda value, unit: f"{value:,.0f} {unit}·s",
        NOT_ENOUGH_LOADED,
    ),
    Measure(
        "tut",
        "Time under tension",
        "TUT",
        lambda _: "seconds under tension",
        lambda points, _, __: dated(points, lambda point: point.tut_ms / 1000),
        lambda value, _: format_duration(round(value * 1000)),
        NOT_ENOUGH,
    ),
    Measure(
        "reps",
        "Reps",
        "Reps",
        lambda _: "reps",
        lambda points, _, __: dated(points, lambda point: point.reps),
        lambda value, _: f"{value:g}",
        NOT_ENOUGH,
    ),
    Measure(
        "effort",
        "Effort (RPE)",
        "RPE",
        lambda _: "mean RPE",
        lambda points, _, __: dated(points, lambda point: point.mean_rpe),
        lambda value, _: f"{round(value, 1):g}",
        NOT_ENOUGH_RATED,
    ),
    # A week, not a session: a trend of a habit, and sessions without taps are left out.
    Measure(
        "adherence",
        "Tempo adherence",
        "Adherence",
        lambda _: "% of lowerings on tempo",
        lambda points, tolerance, _: weekly_shares(points, tolerance),
        lambda value, _: f"{value:.0f}%",
        NOT_ENOUGH_TAPPED,
        "weeks",
    ),
)


def weekly_shares(points: Sequence[ExercisePoint], tolerance: float) -> Dated:
    """Per week with judged lowerings (by its Monday), the share within the tolerance, in
    per cent, oldest first."""
    readings = [(local_day(point), ms, target) for point in points for ms, target in point.readings]
    return [
        (monday, round(score.share * 100, 1))
        for monday, score in weekly_adherence(readings, tolerance)
        if score.share is not None
    ]


@dataclass(frozen=True)
class Series:
    """What a progress plot is given: dated points and its axes' labels."""

    dates: tuple[str, ...]
    """The sessions' days (each week's Monday, for a weekly measure), as `DATE_FORMAT`."""
    values: tuple[float, ...]
    x_label: str
    y_label: str
    x_ticks: tuple[tuple[str, str], ...] = ()
    """Up to `MAX_TICKS` of the dates, each with its label ("18 Nov")."""
    y_ticks: tuple[tuple[float, str], ...] = ()
    """The lowest, middle and highest value, each as the caption writes it."""


MAX_TICKS = 5
"""Date labels on the x-axis: what fits at 80 columns without running together."""


def series(measure: Measure, values: Dated, unit: LoadUnit) -> Series:
    """The plot of `values`: ticks on session dates and on round-ish values, in the
    measure's own words, rather than plotext's in-between days and 8.33s."""
    days = [day for day, _ in values]
    numbers = [value for _, value in values]
    shown = sorted({days[round(i * (len(days) - 1) / (MAX_TICKS - 1))] for i in range(MAX_TICKS)})
    one_year = days[0].year == days[-1].year
    low, high = min(numbers), max(numbers)
    levels = sorted({low, round((low + high) / 2, 1), high})
    return Series(
        tuple(day.isoformat() for day in days),
        tuple(numbers),
        "week of" if measure.over == "weeks" else "session date",
        measure.axis(unit),
        tuple(
            (day.isoformat(), f"{day.day} {day:%b}" + ("" if one_year else f" {day:%y}"))
            for day in shown
        ),
        tuple((level, measure.show(level, unit)) for level in levels),
    )


class ProgressPlot(PlotextPlot):
    """One measure over the session dates: a line through a dot for each session."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: Series | None = None

    def draw(self, series: Series) -> None:
        self.series = series
        plt = self.plt
        plt.clear_figure()
        plt.date_form(DATE_FORMAT)
        plt.plot(list(series.dates), list(series.values), marker="braille")
        plt.scatter(list(series.dates), list(series.values), marker="●")
        # plotext reads dates in `date_form` as ticks too; its stub only says numbers.
        days = cast("list[float]", [tick for tick, _ in series.x_ticks])
        plt.xticks(days, [label for _, label in series.x_ticks])
        plt.yticks([tick for tick, _ in series.y_ticks], [label for _, label in series.y_ticks])
        plt.xlabel(series.x_label)
        plt.ylabel(series.y_label)
        self.refresh()


def measure_bar(current: Measure) -> Content:
    """The measures by name, the one plotted highlighted, and the key that switches."""
    parts: list[str | tuple[str, str]] = [("m", "bold"), " next plot: "]
    for index, measure in enumerate(MEASURES):
        if index:
            parts.append(" · ")
        parts.append((measure.short, "reverse bold") if measure is current else measure.short)
    return Content.assemble(*parts)


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


def local_date(row: SessionRow) -> str:
    """The session's day on the wall; the sets heading gives the highlighted one's time."""
    return row.started_at.astimezone().strftime("%Y-%m-%d")


def right(value: object) -> Text:
    """Numbers line up on their last digit."""
    return Text(str(value), justify="right")


def stored(value: str) -> Text:
    """Text read back from the database: a DataTable reads a plain string as markup, and
    the file a name came from may be long gone, so nothing vouches for its characters."""
    return Text(printable(value))


def clipped(value: str) -> Text:
    """Stored text in a column of fixed width: a long name ends in "…" rather than pushing
    the columns after it off an 80-column screen."""
    text = stored(value)
    text.overflow = "ellipsis"
    text.no_wrap = True
    return text


def short_load(load: Load, unit: LoadUnit) -> str:
    """``"80 kg"``, ``"BW + 10 kg"``: a set's load, short enough for its row to fit 80
    columns, in the units setting."""
    return str(load.in_unit(unit)).replace("bodyweight", "BW")


SESSION_COLUMNS = ("Date", "Workout", "Status", "Sets", "TUT", "Volume")
"""The sessions table fits 80 columns: the day without the time and no total of reps (the
sets heading and table below give both for the highlighted session)."""
MIN_WORKOUT_WIDTH = 12
"""The workout column is never narrower, however narrow the screen."""
SET_COLUMNS = (
    "Exercise",
    "Set",
    "Reps",
    "Tempo",
    "Load",
    "Volume",
    "TUT",
    "RPE",
    "Eccentric",
    "Notes",
)


def workout_width(rows: Sequence[Sequence[str | Text]], width: int, gutter: int) -> int:
    """The workout column's width for `rows` of `session_cells` in a table `width` wide: its
    longest name, or what the other columns at their widest leave (each cell padded by one
    either side, and `gutter` for a scrollbar), whichever is less."""
    widest = [max(cell_len(str(cell)) for cell in column) for column in zip(*rows, strict=True)]
    names = widest.pop(SESSION_COLUMNS.index("Workout"))
    left = width - sum(widest) - 2 * len(SESSION_COLUMNS) - gutter
    return max(MIN_WORKOUT_WIDTH, min(names, left))


def session_cells(row: SessionRow, unit: LoadUnit = "kg") -> tuple[str | Text, ...]:
    return (
        local_date(row),
        clipped(row.workout_name),
        STATUS_WORDS[row.status],
        right(row.sets_done),
        right(format_duration(row.tut_ms)),
        right(mass_words(row.volume_kg, unit)),
    )


def set_notes(row: SetRow, unit: LoadUnit = "kg") -> str:
    """``"ended early · planned 80 kg · note: left grip went"``: what `tempo-coach history N`
    says under a set; the lifter's note made printable, never read as markup."""
    return printable(" · ".join(row.marks(lambda load: short_load(load, unit))))


def set_number(row: SetRow) -> str:
    """The set's number with its side ("2 L") and a warm-up's mark ("W1", counted apart
    from the work sets), short enough for the sets table."""
    side = {"left": " L", "right": " R", None: ""}[row.side]
    return f"{'W' if row.warmup else ''}{row.set_number}{side}"


def set_cells(
    row: SetRow, tolerance: float = ADHERENCE_TOLERANCE, unit: LoadUnit = "kg"
) -> tuple[str | Text, ...]:
    """A set's row, in `SET_COLUMNS` order."""
    return (
        stored(row.exercise),
        right(set_number(row)),
        right(row.reps_done),
        stored(row.target_tempo),
        "" if row.load is None else short_load(row.load, unit),
        right(mass_words(row.volume_kg, unit)),
        right(format_duration(row.tut_ms)),
        right("" if row.rpe is None else row.rpe),
        right(tap_cell(row.phase_spans, tolerance)),
        Text(set_notes(row, unit)),
    )


def set_detail(row: SetRow, tolerance: float = ADHERENCE_TOLERANCE, unit: LoadUnit = "kg") -> str:
    """``"Set 2: eccentric 5.2 s ± 0.2 s · 3/3 · ended early"``: the set's last columns,
    which an 80-column screen leaves off its right edge, in full; "" when they are empty."""
    tapped = tap_cell(row.phase_spans, tolerance)
    parts = [part for part in (tapped and f"eccentric {tapped}", set_notes(row, unit)) if part]
    return f"Set {set_number(row)}: {' · '.join(parts)}" if parts else ""


def caption(measure: Measure, values: Sequence[float], unit: LoadUnit = "kg") -> str:
    """``"TUT 2:40 → 3:10 over 6 sessions"``; a single point shows no trend."""
    if len(values) < 2:
        return measure.too_few
    return (
        f"{measure.short} {measure.show(values[0], unit)} → {measure.show(values[-1], unit)}"
        f" over {len(values)} {measure.over}"
    )


class HistoryScreen(Screen[None]):
    """Browse the stored sessions and sets; read-only."""

    CSS_PATH = "../styles/history.tcss"  # read when the screen is first opened
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="history.back"),
        Binding("m", "measure(1)", "Next plot", id="history.next_plot"),
        Binding("M", "measure(-1)", "Previous plot", show=False, id="history.previous_plot"),
    ]

    def __init__(
        self, history: History, tolerance: float = ADHERENCE_TOLERANCE, units: LoadUnit = "kg"
    ) -> None:
        super().__init__()
        self.history = history
        self.tolerance = tolerance
        """The adherence band (the `adherence_tolerance` setting)."""
        self.units: LoadUnit = units
        """Loads are plotted in the `units` setting."""
        self.measure = MEASURES[0]
        self.exercise: str | None = None
        self.points: list[ExercisePoint] = []
        """The plotted exercise's sessions, oldest first."""
        self.sessions = {str(row.id): row for row in history.sessions()}
        self.shown_session: int | None = None
        """The session whose sets are listed."""
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
            yield Static(id="set-detail", markup=False)
            with Horizontal(id="progress-bar", classes="history-heading"):
                yield Static(id="progress-heading", markup=False)
                yield Static(id="plot-caption", markup=False)
            with Vertical(id="plots"):
                yield Static(id="measures")
                yield ProgressPlot(id="plot")
                yield Static(id="plot-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if not self.sessions:
            return
        self.query_one("#sets", DataTable).add_columns(*SET_COLUMNS)
        self.fill_sessions(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self.sessions:
            self.fill_sessions(event.size.width)

    def fill_sessions(self, width: int) -> None:
        """List the sessions with the workout column fitted to `width`: a name is cut with
        "…" only where the whole name would push the other columns off the screen."""
        table = self.query_one("#sessions", DataTable)
        rows = {key: session_cells(row, self.units) for key, row in self.sessions.items()}
        headed = [SESSION_COLUMNS, *rows.values()]
        fitted = workout_width(headed, width, table.styles.scrollbar_size_vertical)
        workout = table.columns.get(ColumnKey("Workout"))
        if workout is not None and workout.width == fitted:
            return
        highlighted = table.cursor_row
        # Refilled, the table would announce its first row and then the highlighted one.
        with table.prevent(DataTable.RowHighlighted):
            table.clear(columns=True)
            for heading in SESSION_COLUMNS:
                fixed = fitted if heading == "Workout" else None
                table.add_column(heading, key=heading, width=fixed)
            for key, cells in rows.items():
                table.add_row(*cells, key=key)
            table.move_cursor(row=highlighted, animate=False)
        self.show_sets(list(self.sessions.values())[highlighted])

    @on(DataTable.RowHighlighted, "#sessions")
    def session_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_sets(self.sessions[str(event.row_key.value)])

    def show_sets(self, row: SessionRow) -> None:
        """List the session's sets, unless they are listed already (the sessions table was
        refilled for a new width): the highlighted set stays highlighted."""
        if row.id == self.shown_session:
            return
        self.shown_session = row.id
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
            table.add_row(*set_cells(set_row, self.tolerance, self.units), key=key)
        if not self.sets:
            self.query_one("#set-detail", Static).update("")
            self.show_progress(None)
        # Otherwise the table announces its first row, which shows that set's exercise.

    @on(DataTable.RowHighlighted, "#sets")
    def set_highlighted(self, event: DataTable.RowHighlighted) -> None:
        set_row = self.sets.get(str(event.row_key.value))
        if set_row is not None:  # None: the event was for a session no longer shown
            self.query_one("#set-detail", Static).update(
                set_detail(set_row, self.tolerance, self.units)
            )
            self.show_progress(set_row.exercise)

    def show_progress(self, exercise: str | None) -> None:
        self.query_one("#plots").display = exercise is not None
        heading = self.query_one("#progress-heading", Static)
        self.exercise = exercise
        if exercise is None:
            heading.update("Progress · this session has no sets")
            self.query_one("#plot-caption", Static).update("")
            return
        heading.update(f"Progress · {printable(exercise)}")
        self.points = self.history.exercise_history(exercise)
        self.plot_measure()

    def plot_measure(self) -> None:
        """Draw the chosen measure of the exercise's sessions, or say why there is no plot."""
        measure = self.measure
        values = measure.values(self.points, self.tolerance, self.units)
        numbers = [value for _, value in values]
        self.query_one("#measures", Static).update(measure_bar(measure))
        self.query_one("#plot-caption", Static).update(caption(measure, numbers, self.units))
        plot = self.query_one("#plot", ProgressPlot)
        empty = self.query_one("#plot-empty", Static)
        plot.display = len(values) >= 2
        empty.display = not plot.display
        if plot.display:
            plot.draw(series(measure, values, self.units))
        else:
            empty.update(measure.too_few)

    def action_measure(self, step: int) -> None:
        """Plot the next (or previous) measure of the same exercise."""
        index = (MEASURES.index(self.measure) + step) % len(MEASURES)
        self.measure = MEASURES[index]
        if self.exercise is not None:
            self.plot_measure()
