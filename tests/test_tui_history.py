"""The history screen on a real SQLite history: sessions newest first, the highlighted
session's sets, and the highlighted set's exercise plotted over the sessions."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tempo_coach.core.models import Load
from tempo_coach.store import History, SetRecord, workout_hash
from tempo_coach.tui.screens import PickerScreen
from tempo_coach.tui.screens.history import (
    EMPTY_MESSAGE,
    MEASURES,
    NOT_ENOUGH,
    NOT_ENOUGH_LOADED,
    NOT_ENOUGH_RATED,
    NOT_ENOUGH_TAPPED,
    HistoryScreen,
    ProgressPlot,
    caption,
    series,
)

from .test_programme_cli import tapped
from .tui_support import drawn, make_app, shown, text

Snap = Callable[..., bool]
NORDIC = "Eccentric Nordic curl"
RDL = "Single-leg RDL"
FIRST = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 21, 17, 30, tzinfo=UTC)
THIRD = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
Plotted = tuple[tuple[str, ...], tuple[float, ...], str, str]
PLUS_5 = Load(bodyweight=True, amount=5)
PLUS_10 = Load(bodyweight=True, amount=10)
RIGHT_NOTE = "Right hamstring [b]tight[/b] $error"
"""A note that reads as markup if anything mistook it for some."""
WARMUP_NOTE = "Knees [red]sore[/red] on the pad"


def set_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> Iterator[None]:
    """Make `zone` (POSIX TZ syntax: no time zone database needed) the local time zone."""
    with monkeypatch.context() as patch:
        patch.setenv("TZ", zone)
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def new_zealand_summer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """UTC+13 all year: each session (stored at 17:00 UTC or so) is on the next local day."""
    yield from set_zone(monkeypatch, "NZDT-13")


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The screen shows local time; a snapshot must not depend on the machine's zone."""
    yield from set_zone(monkeypatch, "UTC0")


def a_set(exercise: str, set_number: int, session_start: datetime, **changes: Any) -> SetRecord:
    """Five reps of `exercise` in 25 s, `set_number` minutes into the session, changed."""
    return replace(
        SetRecord(
            exercise_index=0 if exercise == NORDIC else 1,
            exercise=exercise,
            side=None,
            set_number=set_number,
            reps_done=5,
            target_tempo="5-0-X-0" if exercise == NORDIC else "3-1-1-0",
            tut_ms=25_000,
            completed_at=session_start + timedelta(minutes=set_number),
        ),
        **changes,
    )


def start(history: History, name: str, started_at: datetime) -> int:
    return history.start_session(
        workout_name=name,
        workout_path=f"/w/{name}.toml",
        workout_hash=workout_hash(name),
        started_at=started_at,
    )


def fill(history: History) -> None:
    """Three sessions of Nordics, 40 s → 50 s → 1:00 of TUT, with 5 kg held, then none,
    then 10 kg (after a warm-up set, which counts in none of the totals); only the first and
    last rated; the second also has single-leg RDLs, one set per side (the right ended
    early, with a note), and its process died; the first's second set was planned heavier
    than lifted, the third's warm-up has a note. The first and third sessions' first sets
    were tapped: 1 of 2 lowerings within ±20 % of 5 s in the week of the first two sessions,
    3 of 3 the week after."""
    first = start(history, "Nordic ladder", FIRST)
    history.record_set(
        first,
        a_set(
            NORDIC,
            1,
            FIRST,
            reps_done=4,
            tut_ms=20_000,
            rpe=7,
            phase_spans=tapped(5000, 3500),
            load=PLUS_5,
        ),
    )
    history.record_set(
        first,
        a_set(
            NORDIC, 2, FIRST, reps_done=4, tut_ms=20_000, rpe=8, load=PLUS_5, planned_load=PLUS_10
        ),
    )
    history.finish_session(first, status="stopped", ended_at=FIRST + timedelta(minutes=5))
    second = start(history, "Hamstring mix", SECOND)
    history.record_set(second, a_set(NORDIC, 1, SECOND))
    history.record_set(second, a_set(NORDIC, 2, SECOND))
    history.record_set(second, a_set(RDL, 1, SECOND, side="left", reps_done=6, tut_ms=30_000))
    right = history.record_set(
        second, a_set(RDL, 1, SECOND, side="right", reps_done=6, tut_ms=30_000, ended_early=True)
    )
    history.set_note(right, RIGHT_NOTE)
    third = start(history, "Nordic ladder", THIRD)
    warmup = history.record_set(
        third, a_set(NORDIC, 1, THIRD, reps_done=3, tut_ms=15_000, warmup=True)
    )
    history.set_note(warmup, WARMUP_NOTE)
    rated_in_the_rest = history.record_set(
        third,
        a_set(NORDIC, 1, THIRD, tut_ms=30_000, phase_spans=tapped(5200, 4900, 5500), load=PLUS_10),
    )
    history.set_effort(rated_in_the_rest, 8)
    history.record_set(third, a_set(NORDIC, 2, THIRD, tut_ms=30_000, rpe=9, load=PLUS_10))
    history.finish_session(third, status="completed", ended_at=THIRD + timedelta(minutes=5))


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History(tmp_path / "history.sqlite3") as history:
        fill(history)
        yield history


async def open_history(pilot: Pilot[Any], history: History) -> None:
    await pilot.pause()
    await pilot.app.push_screen(HistoryScreen(history))
    await pilot.pause()


def cells(pilot: Pilot[Any], selector: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def plotted(pilot: Pilot[Any]) -> dict[str, tuple[Plotted | None, str]]:
    """What each measure's plot is given (its dates, values and axis labels; None while
    there is too little to plot) and its caption, switching through them all with `m`."""
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    shown = {}
    for _ in MEASURES:
        plot = screen.query_one("#plot", ProgressPlot)
        series = plot.series if plot.display else None
        shown[screen.measure.id] = (
            None
            if series is None
            else (series.dates, series.values, series.x_label, series.y_label),
            text(pilot, "#plot-caption") if plot.display else text(pilot, "#plot-empty"),
        )
        await pilot.press("m")
        await pilot.pause()
    return shown


async def test_sessions_are_listed_newest_first_on_their_local_day(
    history: History,
    new_zealand_summer: None,
) -> None:
    app, _ = make_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot, history)
        assert cells(pilot, "#sessions") == [
            ["2026-11-26", "Nordic ladder", "completed", "2", "1:00", "100 kg"],
            ["2026-11-22", "Hamstring mix", "interrupted", "3", "1:50", ""],
            ["2026-11-19", "Nordic ladder", "stopped", "2", "40 s", "40 kg"],
        ]
        # The highlighted session's local time of day is in the heading of its sets.
        assert text(pilot, "#sets-heading").startswith("Sets · 2026-11-26 06:00 Nordic ladder")


async def test_the_highlighted_session_shows_its_sets_and_the_set_its_exercise_plots(
    history: History, utc: None
) -> None:
    app, _ = make_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot, history)
        assert cells(pilot, "#sets") == [
            [NORDIC, "W1", "3", "5-0-X-0", "", "", "15 s", "", "", f"note: {WARMUP_NOTE}"],
            [
                *(NORDIC, "1", "5", "5-0-X-0", "BW + 10 kg", "50 kg", "30 s", "8"),
                *("5.2 s ± 0.2 s · 3/3", ""),
            ],
            [NORDIC, "2", "5", "5-0-X-0", "BW + 10 kg", "50 kg", "30 s", "9", "", ""],
        ]
        assert text(pilot, "#set-detail") == f"Set W1: note: {WARMUP_NOTE}"
        assert text(pilot, "#sets-heading").endswith(
            "Nordic ladder · Adherence 3/3 (100%) within ±20% · eccentric 5.2 s ± 0.2 s"
        )
        assert text(pilot, "#progress-heading") == f"Progress · {NORDIC}"
        days = ("2026-11-18", "2026-11-21", "2026-11-25")
        outer = (days[0], days[2])
        # The middle session held no weight, and was not rated: the plots of load and
        # effort leave it out rather than plotting zero.
        assert await plotted(pilot) == {
            "load": (
                (outer, (5, 10), "session date", "kg"),
                "Load 5 kg → 10 kg over 2 sessions",
            ),
            "volume": (
                (outer, (40, 100), "session date", "kg (reps × load)"),
                "Volume 40 kg → 100 kg over 2 sessions",
            ),
            "tut-load": (
                (outer, (200, 600), "session date", "kg·s (TUT × load)"),
                "TUT×load 200 kg·s → 600 kg·s over 2 sessions",
            ),
            "tut": (
                (days, (40, 50, 60), "session date", "seconds under tension"),
                "TUT 40 s → 1:00 over 3 sessions",
            ),
            "reps": (
                (days, (8, 10, 10), "session date", "reps"),
                "Reps 8 → 10 over 3 sessions",
            ),
            "effort": (
                (outer, (7.5, 8.5), "session date", "mean RPE"),
                "RPE 7.5 → 8.5 over 2 sessions",
            ),
            # By week (its Monday): 1 of 2 in the week of the first two sessions, then 3 of 3.
            "adherence": (
                (("2026-11-16", "2026-11-23"), (50, 100), "week of", "% of lowerings on tempo"),
                "Adherence 50% → 100% over 2 weeks",
            ),
        }

        await pilot.press("down")
        await pilot.pause()
        assert text(pilot, "#sets-heading").endswith("Hamstring mix")
        assert cells(pilot, "#sets") == [
            [NORDIC, "1", "5", "5-0-X-0", "", "", "25 s", "", "", ""],
            [NORDIC, "2", "5", "5-0-X-0", "", "", "25 s", "", "", ""],
            [RDL, "1 L", "6", "3-1-1-0", "", "", "30 s", "", "", ""],
            [
                RDL,
                "1 R",
                "6",
                "3-1-1-0",
                "",
                "",
                "30 s",
                "",
                "",
                f"ended early · note: {RIGHT_NOTE}",
            ],
        ]
        assert text(pilot, "#set-detail") == ""
        assert text(pilot, "#progress-heading") == f"Progress · {NORDIC}"

        await pilot.press("tab", "down", "down")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#sets")
        assert text(pilot, "#progress-heading") == f"Progress · {RDL}"
        assert await plotted(pilot) == {
            "load": (None, NOT_ENOUGH_LOADED),
            "volume": (None, NOT_ENOUGH_LOADED),
            "tut-load": (None, NOT_ENOUGH_LOADED),
            "tut": (None, NOT_ENOUGH),
            "reps": (None, NOT_ENOUGH),
            "effort": (None, NOT_ENOUGH_RATED),
            "adherence": (None, NOT_ENOUGH_TAPPED),
        }


async def test_a_session_without_sets_has_nothing_to_plot(tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite3") as history:
        start(history, "Nordic ladder", FIRST)
        app, _ = make_app(history)
        async with app.run_test() as pilot:
            await open_history(pilot, history)
            assert cells(pilot, "#sets") == []
            assert text(pilot, "#progress-heading") == "Progress · this session has no sets"
            assert not app.screen.query_one("#plots").display


async def test_an_empty_history_says_where_sessions_will_appear(tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite3") as history:
        app, _ = make_app(history)
        async with app.run_test() as pilot:
            await open_history(pilot, history)
            assert text(pilot, "#history-empty") == EMPTY_MESSAGE
            assert not app.screen.query(DataTable)


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_or_q_goes_back(history: History, key: str) -> None:
    app, _ = make_app(history)
    async with app.run_test() as pilot:
        await open_history(pilot, history)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


def test_snapshot_at_80_by_24(history: History, utc: None, snap_compare: Snap) -> None:
    """Newest session highlighted, its two sets, Nordic TUT, reps and effort over time;
    dates in UTC, because the `utc` fixture makes UTC the local time zone."""
    app, _ = make_app(history)

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_history(pilot, history)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_loads_plot_in_the_units_setting_with_ticks_in_their_own_words(
    history: History, utc: None
) -> None:
    points = history.exercise_history(NORDIC)
    load = next(measure for measure in MEASURES if measure.id == "load")
    values = load.values(points, 0.2, "lb")
    assert [value for _, value in values] == [11.0, 22.0]
    plot = series(load, values, "lb")
    assert plot.y_label == "lb"
    assert plot.y_ticks == ((11.0, "11 lb"), (16.5, "16.5 lb"), (22.0, "22 lb"))
    assert plot.x_ticks == (("2026-11-18", "18 Nov"), ("2026-11-25", "25 Nov"))
    assert caption(load, [value for _, value in values], "lb") == (
        "Load 11 lb → 22 lb over 2 sessions"
    )


async def test_the_highlighted_set_shows_its_tapped_lowering_and_notes_in_full(
    history: History, utc: None
) -> None:
    """At 80 columns the Eccentric and Notes columns are off the table's right edge; the
    line under it gives the highlighted set's, the lifter's words as written."""
    app, _ = make_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, history)
        assert shown(pilot, "#set-detail") == f"Set W1: note: {WARMUP_NOTE}"
        await pilot.press("tab", "down")
        await pilot.pause()
        assert shown(pilot, "#set-detail") == "Set 1: eccentric 5.2 s ± 0.2 s · 3/3"
        await pilot.press("down")
        await pilot.pause()
        assert shown(pilot, "#set-detail") == ""
        await pilot.press("shift+tab", "down")  # the interrupted session: its RDL, right side
        await pilot.pause()
        await pilot.press("tab", "ctrl+end")
        await pilot.pause()
        assert shown(pilot, "#set-detail") == f"Set 1 R: ended early · note: {RIGHT_NOTE}"


async def test_sets_give_volume_and_a_heavier_plan_in_the_units_setting(
    history: History, utc: None
) -> None:
    app, _ = make_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(HistoryScreen(history, units="lb"))
        await pilot.pause()
        await pilot.press("ctrl+end")  # the oldest session: BW + 5 kg lifted, the second planned 10
        await pilot.pause()
        assert cells(pilot, "#sets") == [
            [
                *(NORDIC, "1", "4", "5-0-X-0", "BW + 11 lb", "44.1 lb", "20 s", "7"),
                *("4.2 s ± 0.8 s · 1/2", ""),
            ],
            [
                *(NORDIC, "2", "4", "5-0-X-0", "BW + 11 lb", "44.1 lb", "20 s", "8"),
                *("", "planned BW + 22 lb"),
            ],
        ]


async def test_the_sessions_table_fits_80_columns_with_long_names_and_big_totals(
    tmp_path: Path, utc: None
) -> None:
    """A year of sessions (a scrollbar), a name longer than the column, an hour under
    tension and a five-figure volume: every column still shows, the name ends in "…"."""
    long_name = "Single-leg Romanian deadlift, heavy [b]day[/b]"
    with History(tmp_path / "history.sqlite3") as history:
        for week in range(52):
            started = FIRST + timedelta(weeks=week)
            session = start(history, long_name if week == 51 else "Nordic ladder", started)
            history.record_set(
                session,
                a_set(RDL, 1, started, reps_done=99, tut_ms=3_600_000, load=Load(amount=150)),
            )
        app, _ = make_app(history)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_history(pilot, history)
            table = app.screen.query_one("#sessions", DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
            header, newest = drawn(table).splitlines()[:2]
            assert header.split() == ["Date", "Workout", "Status", "Sets", "TUT", "Volume"]
            assert newest.split() == [
                *("2027-11-10", "Single-leg", "Romanian", "deadl…"),
                *("interrupted", "1", "1:00:00", "14850", "kg"),
            ]


async def test_a_resize_refits_the_workout_column_and_keeps_the_highlighted_set(
    history: History, utc: None
) -> None:
    app, _ = make_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, history)
        await pilot.press("down", "tab", "down", "down")  # the second session's left RDL set
        await pilot.pause()
        assert text(pilot, "#progress-heading") == f"Progress · {RDL}"
        for width, names in ((60, ["Nordic ladd…", "Hamstring m…"]), (100, ["Nordic ladder"])):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            sessions = app.screen.query_one("#sessions", DataTable)
            assert sessions.virtual_size.width <= sessions.scrollable_content_region.width
            assert names[0] in drawn(sessions) and names[-1] in drawn(sessions)
            assert (sessions.cursor_row, app.screen.query_one("#sets", DataTable).cursor_row) == (
                1,
                2,
            )
            assert text(pilot, "#progress-heading") == f"Progress · {RDL}"


async def test_a_wide_table_shows_the_notes_as_written(history: History, utc: None) -> None:
    app, _ = make_app(history)
    async with app.run_test(size=(200, 30)) as pilot:
        await open_history(pilot, history)
        await pilot.press("down")
        await pilot.pause()
        assert f"ended early · note: {RIGHT_NOTE}" in drawn(app.screen.query_one("#sets"))
