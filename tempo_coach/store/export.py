"""The whole history as flat rows, one per set, for spreadsheets and other programs.

Times are ISO 8601 in UTC and time under tension is in seconds with a dot decimal, so CSV
opens the same whatever the reader's locale; missing values are empty cells (null in JSON).
Each side of a single-leg set is a row of its own; `completes_set` is 1 on the row that
completes a work set (both sides done in full, `count_sets`), so summing it counts sets as the
app does; `partial` is 1 for a set cut short by a stop, `ended_early` for one the lifter ended
before its last rep (its reps done are logged, and it is a set done), and `warmup` for a
warm-up set, which is shown but never counted.

Loads are in kilograms, whatever unit the lifter uses: `planned_load` and `load` (the load
lifted) as text ("42.5 kg", "bodyweight + 10 kg", "bodyweight − 20 kg (band)"), and the load
lifted as numbers: `load_kg` (the weight, or what is added to the bodyweight, negative for a
band's help) and `load_bodyweight` (1 when the lifter's body is the load). `volume_load_kg`
is reps × kg and `tut_load_kg_s` time under tension (s) × kg, where the kg counted is the
weight, or for bodyweight work only the weight added (no bodyweight is stored); both are
empty for warm-ups and for sets with no weight to count (bodyweight alone, band-assisted, no
load given), so summing them gives the working volume as the app counts it.

A tapped set also has `phase_spans` (each measured span: its rep, the phases it covers, more
than one where a tap was missed, and its start and end in ms from the set's first tap) and its
tempo adherence: the clean lowerings' mean and spread in seconds, and how many of those with a
target were within the tolerance (`adherent_reps` of `judged_reps`, `adherence` the share).
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from tempo_coach.core.summary import completing_units
from tempo_coach.core.taps import ADHERENCE_TOLERANCE, SetTiming, adherence
from tempo_coach.store.history import History, iso_utc

COLUMNS = (
    "session_id",
    "workout_name",
    "workout_hash",
    "session_started_at",
    "session_status",
    "programme",
    "programme_session",
    "session_note",
    "exercise",
    "side",
    "set_number",
    "warmup",
    "reps_done",
    "target_tempo",
    "tut_s",
    "rpe",
    "planned_load",
    "load",
    "load_kg",
    "load_bodyweight",
    "volume_load_kg",
    "tut_load_kg_s",
    "phase_durations",
    "phase_spans",
    "eccentric_mean_s",
    "eccentric_spread_s",
    "adherent_reps",
    "judged_reps",
    "adherence",
    "completed_at",
    "partial",
    "ended_early",
    "completes_set",
    "note",
)
"""The export's columns, in order: the CSV header and the key order of each JSON object."""


def tap_cells(timing: SetTiming | None, tolerance: float) -> dict[str, object]:
    """A set's spans and adherence, readable without the app; all None for an untimed set."""
    if timing is None:
        return dict.fromkeys(COLUMNS[COLUMNS.index("phase_spans") : COLUMNS.index("completed_at")])
    score = adherence(timing.readings(), tolerance)
    spans = [
        {"rep": t.rep, "phases": list(t.spans), "start_ms": t.start_ms, "end_ms": t.end_ms}
        for t in timing.timings()
    ]
    return {
        "phase_spans": json.dumps(spans, separators=(",", ":"), ensure_ascii=False),
        "eccentric_mean_s": None if score.mean_ms is None else round(score.mean_ms) / 1000,
        "eccentric_spread_s": None if score.spread_ms is None else round(score.spread_ms) / 1000,
        "adherent_reps": score.adherent if score.judged else None,
        "judged_reps": score.judged if score.judged else None,
        "adherence": None if score.share is None else round(score.share, 3),
    }


def export_rows(
    history: History, tolerance: float = ADHERENCE_TOLERANCE
) -> list[dict[str, object]]:
    """Every set joined with its session, oldest session first, sets in the order done;
    adherence within `tolerance` of the target (the setting)."""
    rows: list[dict[str, object]] = []
    for session in reversed(history.sessions()):
        sets = history.sets(session.id)
        for done, completes in zip(sets, completing_units([row.unit for row in sets]), strict=True):
            row: dict[str, object] = {
                "session_id": session.id,
                "workout_name": session.workout_name,
                "workout_hash": session.workout_hash,
                "session_started_at": iso_utc(session.started_at),
                "session_status": session.status,
                "programme": session.programme,
                "programme_session": session.programme_session,
                "session_note": session.note,
                "exercise": done.exercise,
                "side": done.side,
                "set_number": done.set_number,
                "warmup": int(done.warmup),
                "reps_done": done.reps_done,
                "target_tempo": done.target_tempo,
                "tut_s": done.tut_ms / 1000,
                "rpe": done.rpe,
                "planned_load": None if done.planned_load is None else str(done.planned_load),
                "load": None if done.load is None else str(done.load),
                "load_kg": None if done.load is None else done.load.kilograms,
                "load_bodyweight": None if done.load is None else int(done.load.bodyweight),
                "volume_load_kg": done.volume_kg,
                "tut_load_kg_s": done.tut_load_kg_s,
                "phase_durations": None
                if done.phase_durations is None
                else json.dumps(done.phase_durations, separators=(",", ":")),
                **tap_cells(done.phase_spans, tolerance),
                "completed_at": iso_utc(done.completed_at),
                "partial": int(done.partial),
                "ended_early": int(done.ended_early),
                "completes_set": int(completes),
                "note": done.note,
            }
            rows.append(row)
    return rows


def write_csv(rows: list[dict[str, object]], stream: TextIO) -> None:
    """A header row, then one line per set; None becomes an empty cell."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def write_json(rows: list[dict[str, object]], stream: TextIO) -> None:
    """A JSON array of objects, indented, keys in column order."""
    json.dump(rows, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
