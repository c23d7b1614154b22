"""The workout models' own arithmetic and text rules, apart from how errors are worded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core.models import Workout
from tempo_coach.core.schema import workout_json_schema
from tempo_coach.core.text import first_control, printable, quote
from tempo_coach.core.timeline import compile_timeline

from .conftest import REPO

BUNDLED = sorted((REPO / "workouts").glob("*.toml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_planned_seconds_is_what_the_timeline_totals(path: Path) -> None:
    workout = load_workout(path)
    assert workout.planned_seconds() == pytest.approx(
        compile_timeline(workout).total_ms / 1000, abs=0.01
    )


def test_planned_seconds_counts_both_sides_and_the_switch() -> None:
    workout = Workout.model_validate(
        {
            "format_version": 1,
            "name": "x",
            "count_in_beats": 2,
            "defaults": {
                "beat_seconds": 0.5,
                "rest_seconds": 30,
                "side_switch_seconds": 4,
                "setup": {"seconds": 6},
            },
            "exercises": [
                {
                    "name": "x",
                    "trains": "other",
                    "category": "assistance",
                    "unilateral": True,
                    "reps": [3, 2],
                    "tempo": "2-0-X-0",
                }
            ],
        }
    )
    assert workout.planned_seconds() == compile_timeline(workout).total_ms / 1000


def test_the_schema_carries_every_range() -> None:
    schema = workout_json_schema()
    settings = schema["$defs"]["ExerciseSettings"]["properties"]
    assert (settings["beat_seconds"]["minimum"], settings["beat_seconds"]["maximum"]) == (0.1, 10)
    assert "0.1 to 10 s" in settings["beat_seconds"]["description"]
    assert schema["properties"]["exercises"]["maxItems"] == 40
    one_line = re.compile(schema["properties"]["name"]["pattern"])
    lines = re.compile(schema["properties"]["description"]["pattern"])
    assert one_line.match("Nordic curl ²") and lines.match("one\ntwo")
    assert not one_line.match("one\ntwo") and not lines.match("\x1b[2J")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J\x1b[31mRED", "\\x1b[2J\\x1b[31mRED"),
        ("a\tb\x00", "a\\x09b\\x00"),
        ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
        ("bidi\u202e\u2066", "bidi\\u202e\\u2066"),
        ("two\nlines", "two\\x0alines"),
        ("plain text, café ² ×", "plain text, café ² ×"),
    ],
)
def test_printable_escapes_every_control_character(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert first_control(printable(text)) is None


def test_printable_may_keep_newlines() -> None:
    assert printable("one\ntwo\r", keep_newlines=True) == "one\ntwo\\x0d"


def test_quote_cuts_a_long_text_before_escaping() -> None:
    assert quote("\x1b" * 100, limit=3) == '"\\x1b\\x1b\\x1b…"'
    assert quote("short") == '"short"'
