"""Every way a workout file can be wrong gets the path, the place and a plain sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from tempo_coach.core.errors import Problem, WorkoutFileError
from tempo_coach.core.loading import (
    MAX_PROBLEMS,
    MAX_WORKOUT_BYTES,
    decode_workout,
    parse_workout,
    validation_problems,
)
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
        "line 10, column 10: not valid TOML: expected newline or end of document after a statement"
        ' (text values need quotes, like tempo = "4-1-X-2")'
    ]


def test_bad_tempo_names_the_field_and_the_rule() -> None:
    text = GOOD + GOOD[GOOD.index("[[exercises]]") :].replace("4-1-X-2", "4-1-Y-2")
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
    text = GOOD + "\n[exercises.setup]\nwobble = 1\n"
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
    assert "exercises[0].sets: must be between 1 and 20 (got 0)" in found


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


EXERCISE = GOOD[GOOD.index("[[exercises]]") :]
PHASES_ONLY = GOOD.replace('tempo = "4-1-X-2"\n', "")
RAW_WORDING = ("Input should be", "Value error", "Traceback", "pydantic", "[type=")


def custom_phase(length: str) -> str:
    return f'\n[[exercises.custom_phases]]\nname = "Lower"\nkind = "eccentric"\n{length}\n'


def one_problem(text: str) -> str:
    """The one problem found in `text`, checked for raw pydantic wording."""
    found = problems_of(text)
    assert len(found) == 1, found
    for wording in RAW_WORDING:
        assert wording not in found[0]
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD + "beat_seconds = 1e-9\n",
            "exercises[0].beat_seconds: must be between 0.1 and 10 s (got 1e-09)",
        ),
        (
            GOOD + "beat_seconds = 11\n",
            "exercises[0].beat_seconds: must be between 0.1 and 10 s (got 11)",
        ),
        (
            GOOD + "explosive_beats = 0\n",
            "exercises[0].explosive_beats: must be between 0.25 and 4 counts (got 0)",
        ),
        (
            GOOD + "rest_seconds = -1\n",
            "exercises[0].rest_seconds: must be between 0 and 1200 s (got -1)",
        ),
        (
            GOOD + "rest_after_seconds = 1e308\n",
            "exercises[0].rest_after_seconds: must be between 0 and 1200 s (got 1e+308)",
        ),
        (
            GOOD + "side_switch_seconds = 121\n",
            "exercises[0].side_switch_seconds: must be between 0 and 120 s (got 121)",
        ),
        (
            GOOD + "[exercises.setup]\nseconds = 601\n",
            "exercises[0].setup.seconds: must be between 0 and 600 s (got 601)",
        ),
        (
            PHASES_ONLY + custom_phase("beats = 61"),
            "exercises[0].custom_phases[0].beats: must be between 0.25 and 60 counts (got 61)",
        ),
        (
            PHASES_ONLY + custom_phase("seconds = 0"),
            "exercises[0].custom_phases[0].seconds: must be between 0.1 and 120 s (got 0)",
        ),
        (
            GOOD.replace('name = "Test"', 'name = "Test"\ncount_in_beats = 9'),
            "count_in_beats: must be between 0 and 8 counts (got 9)",
        ),
        (
            GOOD.replace("sets = 3", "sets = 21"),
            "exercises[0].sets: must be between 1 and 20 (got 21)",
        ),
        (
            GOOD.replace("reps = 5", "reps = 51"),
            "exercises[0].reps: must be between 1 and 50 (got 51)",
        ),
        (
            GOOD.replace("reps = 5", "reps = [5, 0, 5]"),
            "exercises[0].reps[1]: must be between 1 and 50 (got 0)",
        ),
        (
            GOOD.replace("4-1-X-2", "61-0-X-0"),
            'exercises[0].tempo: "61-0-X-0": each tempo part must be at most 60 counts',
        ),
        (
            GOOD.replace("4-1-X-2", "9" * 60 + "-0-X-0"),
            f'exercises[0].tempo: "{"9" * 60}…": each tempo part must be at most 60 counts',
        ),
        (
            GOOD.replace("4-1-X-2", "²-1-X-2"),
            'exercises[0].tempo: "²-1-X-2": each tempo part must be a number of seconds or X',
        ),
    ],
)
def test_every_number_has_a_sane_range_said_with_its_unit(text: str, expected: str) -> None:
    assert one_problem(text) == expected


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "+inf", "-inf"])
@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("beat_seconds = {}", "exercises[0].beat_seconds: must be between 0.1 and 10 s"),
        ("sets = {}", "exercises[0].sets: must be between 1 and 20"),
        ("rest_seconds = {}", "exercises[0].rest_seconds: must be between 0 and 1200 s"),
    ],
)
def test_nan_and_infinity_are_refused_with_the_range(value: str, line: str, field: str) -> None:
    text = GOOD.replace("sets = 3\n", "").replace("reps = 5", "reps = [5, 5, 5]")
    shown = value.lstrip("+").replace("-nan", "nan")
    assert one_problem(text + line.format(value) + "\n") == f"{field} (got {shown})"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("sets = 3", "sets = 2.5"),
            "exercises[0].sets: must be a whole number (got 2.5)",
        ),
        (
            GOOD.replace("sets = 3", "sets = 1979-05-27"),
            "exercises[0].sets: must be a whole number (got 1979-05-27)",
        ),
        (
            GOOD.replace("sets = 3", "sets = 0x" + "f" * 90),
            "exercises[0].sets: must be between 1 and 20 (got a number too long to show)",
        ),
        (GOOD.replace('name = "Test"', "name = 3"), "name: must be text in quotes (got 3)"),
        (GOOD.replace('name = "Test"', 'name = ""'), "name: must not be empty"),
        (
            GOOD.replace('name = "Test"', f'name = "{"x" * 81}"'),
            "name: must be at most 80 characters long",
        ),
        (
            GOOD + '[exercises.phases.eccentric]\nname = ""\n',
            "exercises[0].phases.eccentric.name: must not be empty",
        ),
        (
            GOOD.replace("reps = 5", "reps = [" + "5, " * 21 + "]").replace("sets = 3\n", ""),
            "exercises[0].reps: has 21 items; at most 20 are allowed",
        ),
        (
            GOOD.replace("reps = 5", "reps = [5, 1.5, 5]"),
            "exercises[0].reps[1]: must be a whole number (got 1.5)",
        ),
        (GOOD + EXERCISE * 40, "exercises: has 41 items; at most 40 are allowed"),
        (
            PHASES_ONLY + custom_phase("beats = 1") * 13,
            "exercises[0].custom_phases: has 13 items; at most 12 are allowed",
        ),
        (
            GOOD + '[[silenced]]\ncheck = "loading"\nreason = "r"\n' * 21,
            "silenced: has 21 items; at most 20 are allowed",
        ),
        (
            GOOD.replace("format_version = 1", "format_version = 0x" + "f" * 40),
            "format_version: must be a whole number like 1",
        ),
    ],
)
def test_type_and_length_errors_are_plain_sentences(text: str, expected: str) -> None:
    assert one_problem(text) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"reps = 5": "reps = 50"},
            "the workout plans 2000 reps in all (each side counted); at most 1000 are allowed",
        ),
        (
            {"4-1-X-2": "60-60-60-60"},
            "the workout plans 14.5 hours of planned time; at most 4 hours are allowed",
        ),
    ],
)
def test_a_whole_workout_is_capped(changes: dict[str, str], expected: str) -> None:
    exercise = EXERCISE.replace("sets = 3", "sets = 20")
    for old, new in changes.items():
        exercise = exercise.replace(old, new)
    assert one_problem(GOOD.replace(EXERCISE, exercise) + exercise) == expected


def test_a_workout_is_capped_at_100_sets() -> None:
    exercise = EXERCISE.replace("sets = 3", "sets = 20").replace("reps = 5", "reps = 1")
    assert one_problem(GOOD.replace(EXERCISE, exercise) + exercise * 5) == (
        "the workout plans 120 sets in all; at most 100 are allowed"
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (r"\u001b[2J\u001b[31mRED", r"\x1b at position 0"),
        (r"a\tb", r"\x09 at position 1"),
        (r"a\nb", r"\x0a at position 1"),
        (r"a\u007f", r"\x7f at position 1"),
        (r"a\u0085", r"\x85 at position 1"),
        (r"abc\u202e", r"\u202e at position 3"),
        (r"\u2066x", r"\u2066 at position 0"),
    ],
)
def test_control_characters_in_text_are_refused(value: str, found: str) -> None:
    text = GOOD.replace('name = "Test"', f'name = "{value}"')
    assert one_problem(text) == f"name: must not contain control characters (found {found})"


def test_every_text_field_refuses_control_characters() -> None:
    text = (
        GOOD.replace('name = "Test"', 'name = "Test"\ndescription = "d\\t"').replace(
            'name = "Romanian deadlift"', 'name = "R\\u001b"'
        )
        + '[exercises.setup]\ncue = "\\u001b"\n'
        + '[exercises.phases.stretched]\nname = "\\u001b"\ncue = "\\u001b"\n'
        + '[[silenced]]\ncheck = "\\u009b"\nreason = "\\u202a"\n'
    )
    found = problems_of(text)
    assert {problem.split(": ")[0] for problem in found} == {
        "description",
        "exercises[0].name",
        "exercises[0].setup.cue",
        "exercises[0].phases.stretched.name",
        "exercises[0].phases.stretched.cue",
        "silenced[0].check",
        "silenced[0].reason",
    }
    assert all("must not contain control characters" in problem for problem in found)
    custom = PHASES_ONLY + custom_phase('beats = 1\ncue = "\\u001b"').replace("Lower", "\\u001b")
    assert {problem.split(": ")[0] for problem in problems_of(custom)} == {
        "exercises[0].custom_phases[0].name",
        "exercises[0].custom_phases[0].cue",
    }


def test_a_description_may_span_lines() -> None:
    text = GOOD.replace('name = "Test"', 'name = "Test"\ndescription = """one\ntwo"""')
    assert parse_workout(text, Path("good.toml")).description == "one\ntwo"


def test_an_unknown_key_is_quoted_escaped_and_short() -> None:
    found = one_problem(GOOD + f'"\\u001b[2J{"k" * 100}" = 1\n')
    key = "\\x1b[2J" + "k" * 36 + "…"
    assert found.startswith(f"exercises[0].{key}: unknown key `{key}`; the keys allowed")


def test_a_quoted_value_is_shown_escaped_and_short() -> None:
    text = GOOD.replace('trains = "hip_extension"', f'trains = "\\u001b{"x" * 99}"')
    assert one_problem(text).endswith(f'(got "\\x1b{"x" * 59}…")')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD + 'cue = "never closed',
            'line 11: not valid TOML: unterminated string; the " on this line is never closed',
        ),
        (
            GOOD.replace('tempo = "4-1-X-2"', 'tempo = """4-1-X-2'),
            'line 10: not valid TOML: unterminated string; the """ on this line is never closed',
        ),
        (
            GOOD.replace('tempo = "4-1-X-2"', "tempo = '''4-1-X-2"),
            "line 10: not valid TOML: expected \"'''\"; the ''' on this line is never closed",
        ),
        (
            GOOD + "reps = [5,\n 5,\n",
            "line 11: not valid TOML: invalid value; the [ on this line is never closed",
        ),
        (
            GOOD + "setup = {mode = 'timed'",
            "line 11: not valid TOML: unclosed inline table; the { on this line is never closed",
        ),
        (
            GOOD + "silenced = [{check = 'a', reason = 'b'}, {check = \"c]}\"",
            "line 11: not valid TOML: unclosed inline table; the { on this line is never closed",
        ),
        (
            GOOD + "cue = 'it\\'\nnote = \"a\\\"",
            'line 12: not valid TOML: unterminated string; the " on this line is never closed',
        ),
        (
            GOOD + "# a [ comment\nreps = [",
            "line 12: not valid TOML: invalid value; the [ on this line is never closed",
        ),
    ],
)
def test_toml_errors_at_the_end_of_the_file_name_the_line_it_starts(
    text: str, expected: str
) -> None:
    assert one_problem(text) == expected


def test_a_toml_error_at_the_very_end_names_the_last_line() -> None:
    assert one_problem(GOOD + "tempo =") == (
        "line 11: not valid TOML: invalid value at the end of the file"
    )


@pytest.mark.parametrize(
    "value", ["[" * 11 + "]" * 11, "[" * 2000, "{a = " * 600 + "1" + "}" * 600, "[{a = [" * 400]
)
def test_deep_nesting_is_refused_before_parsing(value: str) -> None:
    assert one_problem(GOOD + f"reps = {value}\n") == (
        "line 11: lists and tables nested too deeply: at most 10 levels"
    )


def test_brackets_in_strings_and_comments_are_not_nesting() -> None:
    text = GOOD + f'[exercises.setup]\ncue = "{"[" * 50}"  # {"{" * 50}\n'
    assert parse_workout(text, Path("good.toml")).exercises[0].setup is not None


def test_a_number_with_thousands_of_digits_is_refused_with_its_line() -> None:
    assert one_problem(GOOD.replace("sets = 3", "sets = " + "9" * 5000)) == (
        "line 8: a number with more than 100 digits; no value in a workout is that long"
    )


def test_the_problems_listed_are_capped() -> None:
    text = GOOD.replace('tempo = "4-1-X-2"', "\n".join(f"k{i} = 1" for i in range(30)))
    found = problems_of(text)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1] == f"and {30 - MAX_PROBLEMS} more problems"


def test_decode_reports_the_first_bad_byte_and_its_line() -> None:
    with pytest.raises(WorkoutFileError) as caught:
        decode_workout(b'format_version = 1\nname = "caf\xe9"\n', Path("latin1.toml"))
    assert str(caught.value) == (
        "latin1.toml: line 2: not UTF-8 text, at byte 30; save the file as UTF-8"
    )


def test_decode_drops_a_byte_order_mark_and_counts_bytes_from_the_file_start() -> None:
    assert decode_workout(b"\xef\xbb\xbf" + GOOD.encode(), Path("bom.toml")) == GOOD
    with pytest.raises(WorkoutFileError, match="at byte 4;"):
        decode_workout(b"\xef\xbb\xbfa\xff", Path("bom.toml"))


def test_a_byte_order_mark_in_text_is_ignored() -> None:
    assert parse_workout("\ufeff" + GOOD, Path("bom.toml")).name == "Test"


def test_too_big_a_file_is_refused_before_parsing() -> None:
    text = GOOD + "#" * MAX_WORKOUT_BYTES
    assert one_problem(text) == "too big for a workout file: 256 KiB, at most 256 KiB"
    with pytest.raises(WorkoutFileError, match="too big for a workout file"):
        decode_workout(text.encode(), Path("big.toml"))


def test_a_file_name_with_an_escape_is_shown_escaped() -> None:
    error = WorkoutFileError(Path("\x1b[2Jx.toml"), [Problem("", "broken")])
    assert str(error) == "\\x1b[2Jx.toml: broken"


class Config(BaseModel):
    """A settings-like model: another root for `validation_problems`."""

    model_config = ConfigDict(extra="forbid")

    volume: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    theme: str = ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"volumn": 1}, "volumn: unknown key `volumn`; did you mean `volume`?"),
        ({"wobble": 1}, "wobble: unknown key `wobble`; the keys allowed here are: volume, theme"),
        (
            {"volume": float("nan")},
            "volume: must be a finite number, not nan or infinity (got nan)",
        ),
        ({"volume": 2}, "volume: must be at most 1 (got 2)"),
        ({"theme": 3}, "theme: must be text in quotes (got 3)"),
    ],
)
def test_validation_problems_reads_paths_against_the_root_given(
    raw: dict[str, object], expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate(raw)
    problems = validation_problems(caught.value.errors(), root=Config)
    assert [str(problem) for problem in problems] == [expected]


def test_a_string_left_open_at_its_line_end_says_how_to_span_lines() -> None:
    assert one_problem(GOOD.replace('name = "Test"', 'name = "Test')) == (
        "line 2, column 13: not valid TOML: unterminated string: text in quotes must close on"
        ' the line it starts (use """ for text over several lines)'
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("value_error", "Value error, invalid literal for int() with base 10: '²'"),
        ("assertion_error", "Assertion failed, boom"),
        ("union_tag_invalid", "Input tag 'x' found using 'kind' does not match any tag"),
        ("some_future_error", "Input should be something new"),
    ],
)
def test_an_error_not_worded_here_gets_a_plain_generic_sentence(kind: str, message: str) -> None:
    error: ErrorDetails = {
        "type": kind,
        "loc": ("exercises", 2, "tempo"),
        "msg": message,
        "input": "²-1-X-2",
    }
    assert [str(problem) for problem in validation_problems([error])] == [
        'exercises[2].tempo: is not a value that can be used here (got "²-1-X-2")'
    ]


def test_recursion_is_said_plainly() -> None:
    error: ErrorDetails = {
        "type": "recursion_loop",
        "loc": ("defaults",),
        "msg": "Recursion error - cyclic reference detected",
        "input": {},
    }
    assert [str(problem) for problem in validation_problems([error])] == [
        "defaults: is nested too deeply (got a table)"
    ]
