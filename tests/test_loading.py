"""Every way a workout file can be wrong gets the path, the place and a plain sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import discover, load_workout, parse_workout
from tempo_coach.core.tempo import Tempo

GOOD = """\
format_version = 1
name = "Test"

[[exercises]]
name = "Romanian deadlift"
trains = "hip_extension"
category = "compound"
sets = 3
reps = 5
tempo = "4-1-X-2"
"""


def problems_of(text: str, path: Path = Path("bad.toml")) -> list[str]:
    with pytest.raises(WorkoutFileError) as caught:
        parse_workout(text, path)
    assert all(line.startswith(f"{path}: ") for line in str(caught.value).splitlines())
    return [str(problem) for problem in caught.value.problems]


def test_a_good_file_loads_with_its_values() -> None:
    workout = parse_workout(GOOD, Path("good.toml"))
    assert workout.exercises[0].tempo == Tempo(4, 1, "X", 2)
    assert workout.exercises[0].reps_per_set == [5, 5, 5]


def test_toml_syntax_error_names_line_and_column() -> None:
    text = GOOD.replace('tempo = "4-1-X-2"', "tempo = 4-1-X-2")
    assert problems_of(text) == [
        'line 10, column 10: not valid TOML: expected newline or end of document after a statement'
        ' (text values need quotes, like tempo = "4-1-X-2")'
    ]


def test_bad_tempo_names_the_field_and_the_rule() -> None:
    text = GOOD + GOOD[GOOD.index("[[exercises]]"):].replace("4-1-X-2", "4-1-Y-2")
    assert problems_of(text) == [
        'exercises[1].tempo: "4-1-Y-2": each tempo part must be a number of seconds or X'
    ]


def test_unknown_key_suggests_the_close_one() -> None:
    text = GOOD.replace("tempo =", "tmepo =")
    found = problems_of(text)
    assert "exercises[0].tmepo: unknown key `tmepo`; did you mean `tempo`?" in found


def test_unknown_key_in_a_nested_table_suggests_from_that_table() -> None:
    text = GOOD + '\n[exercises.setup]\nmode = "manual"\nsecnds = 20\n'
    assert problems_of(text) == [
        "exercises[0].setup.secnds: unknown key `secnds`; did you mean `seconds`?"
    ]


def test_unknown_key_with_nothing_close_lists_the_allowed_keys() -> None:
    text = GOOD + '\n[exercises.setup]\nwobble = 1\n'
    assert problems_of(text) == [
        "exercises[0].setup.wobble: unknown key `wobble`; the keys allowed here are:"
        " mode, seconds, cue"
    ]


def test_all_problems_in_a_file_are_reported() -> None:
    text = (
        GOOD.replace('trains = "hip_extension"', 'trains = "hamstrings"')
        .replace("sets = 3", "sets = 0")
        .replace('name = "Test"', 'name = "Test"\ncount_in = 3')
    )
    found = problems_of(text)
    assert len(found) == 3
    assert "count_in: unknown key `count_in`; did you mean `count_in_beats`?" in found
    assert any(
        line.startswith("exercises[0].trains: must be one of 'hip_extension'")
        and '(got "hamstrings")' in line
        for line in found
    )
    assert "exercises[0].sets: must be at least 1 (got 0)" in found


def test_a_value_of_the_wrong_type_says_what_was_expected() -> None:
    assert problems_of(GOOD.replace("reps = 5", 'reps = "five"')) == [
        'exercises[0].reps: must be a whole number, or a list, like [12, 10, 8] (got "five")'
    ]


def test_reps_per_set_must_match_the_sets() -> None:
    assert problems_of(GOOD.replace("reps = 5", "reps = [12, 10]")) == [
        "exercises[0]: `sets` is 3 but `reps` lists 2 numbers; give one per set"
    ]


def test_missing_required_field() -> None:
    assert problems_of(GOOD.replace('category = "compound"\n', "")) == [
        "exercises[0].category: is required but missing"
    ]


def test_tempo_or_custom_phases() -> None:
    assert problems_of(GOOD.replace('tempo = "4-1-X-2"\n', "")) == [
        "exercises[0]: give an exercise either `tempo` or `custom_phases`"
    ]


@pytest.mark.parametrize(
    ("version_line", "words"),
    [
        ("", "format_version: missing; add `format_version = 1` at the top of the file"),
        ("format_version = 7", "format_version: this file is format 7, written by a newer"),
        ('format_version = "one"', "format_version: must be a whole number like 1"),
    ],
)
def test_format_version(version_line: str, words: str) -> None:
    text = GOOD.replace("format_version = 1", version_line)
    assert problems_of(text)[0].startswith(words)


def test_unreadable_file_names_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(WorkoutFileError, match=r"nope\.toml: cannot read the file"):
        load_workout(missing)


def test_a_folder_with_one_broken_file_still_lists_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a-good.toml").write_text(GOOD)
    (tmp_path / "b-broken.toml").write_text(GOOD.replace("4-1-X-2", "4-1"))
    (tmp_path / "notes.txt").write_text("not a workout")
    entries = discover([("user", tmp_path)])
    assert [entry.stem for entry in entries] == ["a-good", "b-broken"]
    assert entries[0].workout is not None and entries[0].error is None
    assert entries[1].workout is None and entries[1].error is not None
    assert "exercises[0].tempo" in str(entries[1].error)
    assert "b-broken.toml" in str(entries[1].error)
