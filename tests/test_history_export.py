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

from tempo_coach.core.models import Load
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


KG_20, KG_40 = Load(amount=20), Load(amount=40)


def two_sessions(path: Path) -> History:
    """Unilateral RDLs of a programme, a warm-up set and two work sets at 40 kg (the second
    done at 42.5 kg, one side with a note), run to the end; then bodyweight Nordics with
    timed phases and ratings, the first ended early, stopped in the third set."""
    history = History(path)
    rdl = history.start_session(
        workout_name="Single-leg Romanian deadlift",
        workout_path="/w/single-leg-rdl.toml",
        workout_hash=workout_hash("rdl"),
        started_at=MONDAY,
        programme=("tempoed-rdl-block", 2),
    )
    units: list[tuple[bool, int, Side]] = [
        (True, 1, "left"),
        (True, 1, "right"),
        (False, 1, "left"),
        (False, 1, "right"),
        (False, 2, "left"),
        (False, 2, "right"),
    ]
    for minute, (warmup, set_number, side) in enumerate(units, start=1):
        load = KG_20 if warmup else KG_40
        done = history.record_set(
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
                planned_load=load,
                load=load,
                warmup=warmup,
            ),
        )
        if set_number == 2:
            history.set_load(done, Load(amount=42.5))
    history.set_note(done, "Left hip shifted, 'dropped' at rep 5")
    history.finish_session(rdl, status="completed", ended_at=MONDAY + timedelta(minutes=21))
    history.set_session_note(rdl, "Grip gave out, straps next time")
    bodyweight = Load(bodyweight=True)
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
            planned_load=bodyweight,
            load=bodyweight,
            ended_early=True,
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
            planned_load=bodyweight,
            load=Load(bodyweight=True, amount=5),
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
            planned_load=bodyweight,
            load=bodyweight,
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
    assert back[5]["note"] == "Left hip shifted, 'dropped' at rep 5"


def test_rows_are_one_per_set_oldest_session_first(rows: list[dict[str, object]]) -> None:
    assert [tuple(row) for row in rows] == [COLUMNS] * 9
    assert [(row["session_id"], row["set_number"], row["side"]) for row in rows] == [
        (1, 1, "left"),
        (1, 1, "right"),
        (1, 1, "left"),
        (1, 1, "right"),
        (1, 2, "left"),
        (1, 2, "right"),
        (2, 1, None),
        (2, 2, None),
        (2, 3, None),
    ]
    assert rows[6]["tut_s"] == 20.5
    assert json.loads(str(rows[6]["phase_durations"]))[0] == [5120, 980]


def test_a_tapped_set_exports_its_spans_and_adherence(rows: list[dict[str, object]]) -> None:
    tapped = rows[7]
    spans = json.loads(str(tapped["phase_spans"]))
    assert spans[3] == {"rep": 2, "phases": ["Catch", "Lower"], "start_ms": 9950, "end_ms": 16100}
    # Lowerings 5.2, 3.8 and 4.9 s (rep 3's is in the merged span): two within ±20 % of 5 s.
    assert (tapped["adherent_reps"], tapped["judged_reps"], tapped["adherence"]) == (2, 3, 0.667)
    assert tapped["eccentric_mean_s"] == 4.633
    assert all(rows[6][column] is None for column in ("phase_spans", "adherence"))


def test_an_empty_history_exports_a_header_and_an_empty_array(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        rows = export_rows(history)
    csv_out, json_out = io.StringIO(), io.StringIO()
    write_csv(rows, csv_out)
    write_json(rows, json_out)
    assert csv_out.getvalue() == ",".join(COLUMNS) + "\n"
    assert json_out.getvalue() == "[]\n"


def test_summing_completes_set_counts_sets_as_the_app_does(tmp_path: Path) -> None:
    """Both sides of a single-leg set are one set, a set cut short is none, a set ended early
    is one, and a warm-up set is none."""
    with two_sessions(tmp_path / "h.sqlite3") as history:
        rows = export_rows(history)
        sets_done = {session.id: session.sets_done for session in history.sessions()}
    for session_id in (1, 2):
        mine = [row for row in rows if row["session_id"] == session_id]
        assert sum(int(str(row["completes_set"])) for row in mine) == sets_done[session_id]
    assert sets_done == {1: 2, 2: 2}
    assert [(row["warmup"], row["completes_set"]) for row in rows[:4]] == [
        (1, 0),
        (1, 0),
        (0, 0),
        (0, 1),
    ]
    assert [
        (row["set_number"], row["partial"], row["ended_early"], row["completes_set"])
        for row in rows[6:]
    ] == [(1, 0, 1, 1), (2, 0, 0, 1), (3, 1, 0, 0)]


def test_loads_are_in_kg_with_volume_counted_over_work_sets_only(
    rows: list[dict[str, object]],
) -> None:
    """Summing volume_load_kg gives the working volume: warm-ups and bodyweight alone add
    nothing, the weight added to bodyweight counts."""
    loads = [(row["planned_load"], row["load"], row["volume_load_kg"]) for row in rows]
    assert loads == [
        ("20 kg", "20 kg", None),  # a warm-up is never working volume
        ("20 kg", "20 kg", None),
        ("40 kg", "40 kg", 240.0),
        ("40 kg", "40 kg", 240.0),
        ("40 kg", "42.5 kg", 255.0),  # done heavier than planned, both sides
        ("40 kg", "42.5 kg", 255.0),
        ("bodyweight", "bodyweight", None),
        ("bodyweight", "bodyweight + 5 kg", 20.0),
        ("bodyweight", "bodyweight", None),
    ]
    assert [
        (row["load_kg"], row["load_bodyweight"], row["tut_load_kg_s"]) for row in rows[5:8]
    ] == [
        (42.5, 0, 1275.0),
        (0.0, 1, None),
        (5.0, 1, 102.5),
    ]
    assert [(row["programme"], row["programme_session"], row["session_note"]) for row in rows] == [
        ("tempoed-rdl-block", 2, "Grip gave out, straps next time")
    ] * 6 + [(None, None, None)] * 3


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
