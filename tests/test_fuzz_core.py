"""Mangled workout files never make the core fall over: every one loads or is refused with
plain, printable sentences, and whatever loads compiles and describes quickly.

The cases start from the bundled workouts and mutate them the ways the fuzzer's 2,408
files did. `benchmarks/fuzz.py` runs the same generator over thousands of seeded cases.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.core.describe import describe_workout
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import decode_workout, parse_workout
from tempo_coach.core.models import MAX_WORKOUT_HOURS, Workout
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import compile_timeline

from .conftest import BUNDLED_WORKOUTS

SEEDS = [path.read_text(encoding="utf-8") for path in BUNDLED_WORKOUTS]
PATH = Path("fuzzed.toml")
RAW_WORDING = (
    "Input should be",
    "Value error",
    "Traceback",
    "[type=",
    "errors.pydantic.dev",
    "(at end of document)",
    "invalid literal for int()",
    "codec can't decode",
)
"""Pydantic's, tomllib's and Python's own wording: a message showing any of it is unclear."""

VALUES = [
    "nan",
    "+nan",
    "-nan",
    "inf",
    "-inf",
    "1e-9",
    "1e308",
    "-1e308",
    "-1",
    "0",
    "0.0",
    "-0",
    "9" * 30,
    "9" * 200,
    "0x" + "f" * 40,
    "0o777",
    "1_000_000",
    '""',
    "''",
    '" "',
    '"[b]x[/b]"',
    '"[/i]"',
    '"[red]"',
    '"\\u001b[2J\\u001b[31mRED"',
    '"\\u009b"',
    '"\\u202e"',
    '"a\\tb"',
    '"a\\nb"',
    '"\\u0000"',
    '"²-1-X-2"',
    '"4-1-X-2"',
    '"10-0-X-0"',
    '"61-0-X-0"',
    '"' + "9" * 60 + '-1-X-2"',
    '"41012"',
    '"x"',
    "true",
    "1979-05-27",
    "07:32:00",
    "[]",
    "[1, 2, 3]",
    "[nan]",
    "{}",
    "{a = 1}",
    "[" * 40 + "]" * 40,
    "{a = " * 30 + "1" + "}" * 30,
    '"' + "x" * 5000 + '"',
    "4-1-X-2",
    '"""',
    "'''",
    "[",
    "{",
    '"unterminated',
]
"""Values put in place of a real one: non-finite, tiny, huge, wrong-typed, markup, control
characters, odd digits, deep nesting and broken syntax."""

KEYS = [
    "beat_seconds",
    "explosive_beats",
    "rest_seconds",
    "rest_after_seconds",
    "side_switch_seconds",
    "count_in_beats",
    "sets",
    "reps",
    "tempo",
    "name",
    "description",
    "cue",
    "seconds",
    "beats",
    "format_version",
    "unilateral",
    "starts_with",
    '"\\u001b[2J"',
]
CHARACTERS = [
    *"\"'[]{}=#.,-\n\t 0123456789Xx\\",
    "\x1b",
    "\x00",
    "\x7f",
    "\x85",
    "\u202e",
    "²",
    "é",
    "\ufeff",
    "\r",
]


def _span(rng: random.Random, text: str) -> tuple[int, int]:
    start = rng.randrange(len(text) + 1)
    return start, min(len(text), start + rng.choice([1, 2, 5, 20, 200]))


def _delete(rng: random.Random, text: str) -> str:
    start, end = _span(rng, text)
    return text[:start] + text[end:]


def _duplicate(rng: random.Random, text: str) -> str:
    start, end = _span(rng, text)
    return text[:end] + text[start:end] * rng.choice([1, 2, 50]) + text[end:]


def _insert(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    noise = "".join(rng.choice(CHARACTERS) for _ in range(rng.choice([1, 3, 10])))
    return text[:at] + noise + text[at:]


def _truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _lines(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True) or [""]
    index = rng.randrange(len(lines))
    action = rng.choice(["delete", "duplicate", "swap"])
    if action == "delete":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index] * rng.choice([1, 2, 60]))
    else:
        other = rng.randrange(len(lines))
        lines[index], lines[other] = lines[other], lines[index]
    return "".join(lines)


def _replace_value(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    assignments = [index for index, line in enumerate(lines) if " = " in line]
    if not assignments:
        return text
    index = rng.choice(assignments)
    key = lines[index].split(" = ", 1)[0]
    lines[index] = f"{key} = {rng.choice(VALUES)}\n"
    return "".join(lines)


def _add_key(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    lines.insert(at, f"{rng.choice(KEYS)} = {rng.choice(VALUES)}\n")
    return "".join(lines)


def _many_exercises(rng: random.Random, text: str) -> str:
    start = text.find("[[exercises]]")
    if start < 0:
        return text
    end = text.find("[[silenced]]", start)
    block = text[start : end if end >= 0 else len(text)]
    return text + "\n" + block * rng.choice([2, 10, 45, 200])


def _random_tempo(rng: random.Random, text: str) -> str:
    parts = [
        rng.choice(["0", "1", "4", "X", "x", "60", "61", "²", "\u0661", "9" * 60, "", "-1"])
        for _ in range(rng.choice([3, 4, 5]))
    ]
    tempo = rng.choice(["-", "", "/", " "]).join(parts)
    return text.replace('tempo = "', f'tempo = "{tempo}" # ', 1)


TEXT_MUTATIONS: list[Callable[[random.Random, str], str]] = [
    _delete,
    _duplicate,
    _insert,
    _truncate,
    _lines,
    _replace_value,
    _replace_value,
    _add_key,
    _add_key,
    _many_exercises,
    _random_tempo,
]


def _mangle_bytes(rng: random.Random, data: bytes) -> bytes:
    """Bytes a text editor or a bad copy could leave: invalid UTF-8, other encodings, NULs."""
    action = rng.choice(["insert", "latin-1", "utf-16", "cut"])
    if action == "insert":
        at = rng.randrange(len(data) + 1)
        return (
            data[:at]
            + rng.choice([b"\xff", b"\xc3", b"\x00", b"\xe9", b"\xed\xa0\x80", rng.randbytes(8)])
            + data[at:]
        )
    if action == "cut":
        return data[: rng.randrange(len(data) + 1)]
    return data.decode("utf-8").encode(action, errors="replace")


def fuzz_case(rng: random.Random) -> bytes:
    """One mangled workout file: a bundled one with one to four mutations, sometimes
    mangled at the byte level too."""
    text = rng.choice(SEEDS)
    for _ in range(rng.choice([1, 1, 2, 4])):
        text = rng.choice(TEXT_MUTATIONS)(rng, text)
    data = text.encode("utf-8", errors="surrogatepass")
    return _mangle_bytes(rng, data) if rng.random() < 0.1 else data


def unclear(message: str) -> list[str]:
    """What is wrong with one problem message as a user would read it; empty when fine."""
    faults = [f"raw wording {wording!r}" for wording in RAW_WORDING if wording in message]
    if not message.strip():
        faults.append("empty")
    if "not valid TOML" in message and "line " not in message:
        faults.append("TOML error without a line")
    return faults


def load(data: bytes) -> Workout | WorkoutFileError:
    """The workout in a file's bytes, or the error refusing it."""
    try:
        return parse_workout(decode_workout(data, PATH), PATH)
    except WorkoutFileError as error:
        return error


def check_refusal(error: WorkoutFileError) -> None:
    assert error.problems
    for line in str(error).splitlines():
        assert line.startswith(f"{PATH}: ")
        assert printable(line) == line, line
        assert unclear(line) == [], line


def check_workout_runs(workout: Workout) -> None:
    started = time.perf_counter()
    timeline = compile_timeline(workout)
    assert describe_workout(workout)
    assert time.perf_counter() - started < 1.0
    assert timeline.total_ms <= MAX_WORKOUT_HOURS * 3600 * 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_mangled_file_loads_or_is_refused_in_plain_words(rng: random.Random) -> None:
    outcome = load(fuzz_case(rng))
    if isinstance(outcome, WorkoutFileError):
        check_refusal(outcome)
    else:
        check_workout_runs(outcome)


def test_the_biggest_workout_allowed_compiles_and_describes_quickly() -> None:
    phases = [{"name": "Phase", "kind": "eccentric", "seconds": 0.1}] * 12
    workout = Workout.model_validate(
        {
            "format_version": 1,
            "name": "Most",
            "defaults": {"beat_seconds": 0.1},
            "exercises": [
                {
                    "name": "Curl",
                    "trains": "other",
                    "category": "assistance",
                    "sets": 10,
                    "reps": 10,
                    "custom_phases": phases,
                }
            ]
            * 10,
        }
    )
    check_workout_runs(workout)
