"""The whole history as flat rows, one per set, for spreadsheets and other programs.

Times are ISO 8601 in UTC and time under tension is in seconds with a dot decimal, so CSV
opens the same whatever the reader's locale; missing values are empty cells (null in JSON).
Each side of a single-leg set is a row of its own; `completes_set` is 1 on the row that
completes a set (both sides done in full, `count_sets`), so summing it counts sets as the
app does, and `partial` is 1 for a set cut short by a stop.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from tempo_coach.core.summary import completing_units
from tempo_coach.store.history import History, iso_utc

COLUMNS = (
    "session_id",
    "workout_name",
    "workout_hash",
    "session_started_at",
    "session_status",
    "exercise",
    "side",
    "set_number",
    "reps_done",
    "target_tempo",
    "tut_s",
    "rpe",
    "phase_durations",
    "completed_at",
    "partial",
    "completes_set",
)
"""The export's columns, in order: the CSV header and the key order of each JSON object."""


def export_rows(history: History) -> list[dict[str, object]]:
    """Every set joined with its session, oldest session first, sets in the order done."""
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
                "exercise": done.exercise,
                "side": done.side,
                "set_number": done.set_number,
                "reps_done": done.reps_done,
                "target_tempo": done.target_tempo,
                "tut_s": done.tut_ms / 1000,
                "rpe": done.rpe,
                "phase_durations": None
                if done.phase_durations is None
                else json.dumps(done.phase_durations, separators=(",", ":")),
                "completed_at": iso_utc(done.completed_at),
                "partial": int(done.partial),
                "completes_set": int(completes),
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
