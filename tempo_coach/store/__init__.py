"""Storage outside the core: the training history in SQLite, and its export."""

from tempo_coach.store.export import COLUMNS, export_rows, write_csv, write_json
from tempo_coach.store.history import (
    SCHEMA_VERSION,
    ExercisePoint,
    FinalStatus,
    History,
    HistoryError,
    SessionRow,
    SessionStatus,
    SetRecord,
    SetRow,
    default_history_path,
    workout_hash,
)

__all__ = [
    "COLUMNS",
    "SCHEMA_VERSION",
    "ExercisePoint",
    "FinalStatus",
    "History",
    "HistoryError",
    "SessionRow",
    "SessionStatus",
    "SetRecord",
    "SetRow",
    "default_history_path",
    "export_rows",
    "workout_hash",
    "write_csv",
    "write_json",
]
