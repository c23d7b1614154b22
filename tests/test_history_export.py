"""The history export: one row per set, compared byte for byte with golden CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.core.taps import PhaseTarget, SetTiming
from tempo_coach.core.timeline import Side
from tempo_coach.store import (
    COLUMNS,
    History,
    HistoryError,
    SetRecord,
    export_rows,
    workout_hash,
    write_csv,
    write_json,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
MONDAY = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)
THURSDAY = datetime(2025, 3, 6, 18, 0, tzinfo=UTC)


TAPPED = SetTiming.from_spans(
    [PhaseTarget("Lower", "eccentric", 5000), PhaseTarget("Catch", "hold", 1000)],
    [
        (1, 0, 1, 0, 5200),
        (1, 1, 1, 5200, 6150),
        (2, 0, 1, 6150, 9950),  # 3.8 s: more than 20 % under 5 s
        (2, 1, 2, 9950, 16100),  # a missed tap: Catch and rep 3's Lower in one span
        (3, 1, 1, 16100, 17100),
        (4, 0, 1, 17100, 22000),
    ],
)
"""Set 2's taps: four reps, one lowering left out for a missed tap."""


def two_sessions(path: Path) -> History:
    """Unilateral RDLs run to the end, then Nordics with timed phases and ratings, stopped
    in the third set."""
    history = History(path)
    rdl = history.start_session(
        workout_name="Single-leg Romanian deadlift",
        workout_path="/w/single-leg-rdl.toml",
        workout_hash=workout_hash("rdl"),
        started_at=MONDAY,
    )
    units: list[tuple[int, Side]] = [(1, "left"), (1, "right"), (2, "left"), (2, "right")]
    for minute, (set_number, side) in enumerate(units, start=1):
        history.record_set(
            rdl,
            SetRecord(
                exercise_index=0,
                exercise="Single-leg Romanian deadlift",
                side=side,
                set_number=set_number,
                reps_done=6,
                target_tempo="3-1-1-0",
                tut_ms=30_000,
                completed_at=MONDAY + timedelta(minutes=3 * minute),
            ),
        )
    history.finish_session(rdl, status="completed", ended_at=MONDAY + timedelta(minutes=15))
    nordic = history.start_session(
        workout_name="Nordics, slow",
        workout_path="/w/nordic.toml",
        workout_hash=workout_hash("nordic"),
        started_at=THURSDAY,
    )
    history.record_set(
        nordic,
        SetRecord(
            exercise_index=0,
            exercise="Eccentric Nordic curl",
            side=None,
            set_number=1,
            reps_done=4,
            target_tempo="Lower 5 s · Catch 1 s",
            tut_ms=20_500,
            completed_at=THURSDAY + timedelta(minutes=2),
            phase_durations=[[5120, 980], [4870, 1010], [5005, 995], [4400, 1200]],
            rpe=7,
        ),
    )
    second = history.record_set(
        nordic,
        SetRecord(
            exercise_index=0,
            exercise="Eccentric Nordic curl",
            side=None,
            set_number=2,
            reps_done=4,
            target_tempo="Lower 5 s · Catch 1 s",
            tut_ms=20_500,
            completed_at=THURSDAY + timedelta(minutes=6, seconds=15),
        ),
    )
    history.set_effort(second, 9)
    history.set_phase_durations(second, TAPPED.durations(), TAPPED)
    history.record_set(
        nordic,
        SetRecord(  # stopped in its third rep
            exercise_index=0,
            exercise="Eccentric Nordic curl",
            side=None,
            set_number=3,
            reps_done=2,
            target_tempo="Lower 5 s · Catch 1 s",
            tut_ms=10_250,
            completed_at=THURSDAY + timedelta(minutes=8),
            partial=True,
        ),
    )
    history.finish_session(nordic, status="stopped", ended_at=THURSDAY + timedelta(minutes=8))
    return history


@pytest.fixture
def rows(tmp_path: Path) -> list[dict[str, object]]:
    with two_sessions(tmp_path / "h.sqlite3") as history:
        return export_rows(history)


def test_csv_matches_the_golden_file(rows: list[dict[str, object]]) -> None:
    out = io.StringIO()
    write_csv(rows, out)
    assert out.getvalue() == (GOLDEN / "history_export.csv").read_text(encoding="utf-8")


def test_json_matches_the_golden_file(rows: list[dict[str, object]]) -> None:
    out = io.StringIO()
    write_json(rows, out)
    assert out.getvalue() == (GOLDEN / "history_export.json").read_text(encoding="utf-8")


def test_csv_reads_back_as_the_same_rows(rows: list[dict[str, object]]) -> None:
    out = io.StringIO()
    write_csv(rows, out)
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [list(row) for row in back] == [list(COLUMNS)] * len(rows)
    assert [row["workout_name"] for row in back][-1] == "Nordics, slow"
    assert back[-3]["phase_durations"] == "[[5120,980],[4870,1010],[5005,995],[4400,1200]]"
    assert [(row["side"], row["rpe"]) for row in back[:2]] == [("left", ""), ("right", "")]


def test_rows_are_one_per_set_oldest_session_first(rows: list[dict[str, object]]) -> None:
    assert [tuple(row) for row in rows] == [COLUMNS] * 7
    assert [(row["session_id"], row["set_number"], row["side"]) for row in rows] == [
        (1, 1, "left"),
        (1, 1, "right"),
        (1, 2, "left"),
        (1, 2, "right"),
        (2, 1, None),
        (2, 2, None),
        (2, 3, None),
    ]
    assert rows[4]["tut_s"] == 20.5
    assert json.loads(str(rows[4]["phase_durations"]))[0] == [5120, 980]


def test_a_tapped_set_exports_its_spans_and_adherence(rows: list[dict[str, object]]) -> None:
    tapped = rows[5]
    spans = json.loads(str(tapped["phase_spans"]))
    assert spans[3] == {"rep": 2, "phases": ["Catch", "Lower"], "start_ms": 9950, "end_ms": 16100}
    # Lowerings 5.2, 3.8 and 4.9 s (rep 3's is in the merged span): two within ±20 % of 5 s.
    assert (tapped["adherent_reps"], tapped["judged_reps"], tapped["adherence"]) == (2, 3, 0.667)
    assert tapped["eccentric_mean_s"] == 4.633
    assert all(rows[4][column] is None for column in ("phase_spans", "adherence"))


def test_an_empty_history_exports_a_header_and_an_empty_array(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        rows = export_rows(history)
    csv_out, json_out = io.StringIO(), io.StringIO()
    write_csv(rows, csv_out)
    write_json(rows, json_out)
    assert csv_out.getvalue() == ",".join(COLUMNS) + "\n"
    assert json_out.getvalue() == "[]\n"


def test_summing_completes_set_counts_sets_as_the_app_does(tmp_path: Path) -> None:
    """Both sides of a single-leg set are one set, and a set cut short is none."""
    with two_sessions(tmp_path / "h.sqlite3") as history:
        rows = export_rows(history)
        sets_done = {session.id: session.sets_done for session in history.sessions()}
    for session_id in (1, 2):
        mine = [row for row in rows if row["session_id"] == session_id]
        assert sum(int(str(row["completes_set"])) for row in mine) == sets_done[session_id]
    assert sets_done == {1: 2, 2: 2}
    assert [(row["set_number"], row["partial"], row["completes_set"]) for row in rows[4:]] == [
        (1, 0, 1),
        (2, 0, 1),
        (3, 1, 0),
    ]


def test_a_row_that_is_not_what_it_should_be_is_named(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with two_sessions(path) as history:
        pass
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE sets SET completed_at = 'Thursday' WHERE id = 5")
        raw.commit()
    with History(path) as history, pytest.raises(HistoryError) as raised:
        export_rows(history)
    assert str(raised.value) == (
        f"{path}: set 5 has completed_at 'Thursday', which is not a date and time"
    )
