"""Editing workouts and writing them back: round trips, refusals, copies and the rep strip."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import pytest

from tempo_coach.catalog import HEADER, load_workout, workout_to_toml
from tempo_coach.core.editing import (
    EditError,
    add_exercise,
    edit_exercise,
    move_exercise,
    remove_exercise,
    rep_strip,
    slug,
)
from tempo_coach.core.errors import TempoCoachError
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import Workout
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.editor_cli import command_edit, command_new

from .conftest import BUNDLED_WORKOUTS, REPO

BUNDLED = REPO / "workouts"
RDL = load_workout(BUNDLED / "tempoed-rdl.toml")
BACKSIDE = load_workout(BUNDLED / "backside-session.toml")


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
def test_every_bundled_workout_survives_a_round_trip(path: Path) -> None:
    workout = load_workout(path)
    text = workout_to_toml(workout)
    assert parse_workout(text, path) == workout
    assert text.startswith(HEADER + "format_version = 1\n")


def test_the_file_leaves_defaults_out_and_writes_tempos_canonically() -> None:
    workout = edit_exercise(RDL, 0, tempo="41x2")
    text = workout_to_toml(workout)
    assert 'tempo = "4-1-X-2"' in text
    assert "starts_with" not in text and "unilateral" not in text
    assert "rest_seconds = 150\n" in text  # a whole number, not 150.0
    assert text.count("#") == 1  # one header comment, nothing in the way of the data


def test_a_setup_override_keeps_only_the_keys_it_gives() -> None:
    """A cue-only setup must not turn into a timed one that hides the workout's manual mode."""
    manual = RDL.model_validate(
        {
            **RDL.model_dump(mode="json"),
            "defaults": {"setup": {"mode": "manual"}},
            "exercises": [
                {
                    **RDL.exercises[0].model_dump(mode="json", exclude_defaults=True),
                    "setup": {"cue": "Get set"},
                }
            ],
        }
    )
    loaded = parse_workout(workout_to_toml(manual), Path("x.toml"))
    exercise = loaded.exercises[0]
    assert exercise.settings(loaded.defaults).setup.mode == "manual"


def test_slugs() -> None:
    assert slug("My slow RDL!") == "my-slow-rdl"
    assert slug("../../etc/passwd") == "etc-passwd"
    with pytest.raises(EditError):
        slug("?!")


def test_editing_an_exercise_gives_a_new_validated_workout() -> None:
    edited = edit_exercise(RDL, 0, sets=3, tempo="5-1-X-2", rest_seconds=120)
    exercise = edited.exercises[0]
    assert (exercise.sets, exercise.tempo, exercise.rest_seconds) == (
        3,
        parse_tempo("5-1-X-2"),
        120,
    )
    assert RDL.exercises[0].sets == 4  # the original is untouched
    assert edit_exercise(edited, 0, rest_seconds=None).exercises[0].rest_seconds is None
    with pytest.raises(EditError, match=r"exercises\[0\]\.tempo"):
        edit_exercise(RDL, 0, tempo="4-1")
    with pytest.raises(EditError, match="`sets` is 4 but `reps` lists 3"):
        edit_exercise(RDL, 0, reps=[12, 10, 8])
    assert edit_exercise(RDL, 0, sets=None, reps=[12, 10, 8]).exercises[0].reps_per_set == [
        12,
        10,
        8,
    ]


def test_adding_moving_and_removing_exercises() -> None:
    names = [exercise.name for exercise in BACKSIDE.exercises]
    added = add_exercise(BACKSIDE, 1)
    assert [e.name for e in added.exercises] == [names[0], names[1], names[1], *names[2:]]
    moved = move_exercise(BACKSIDE, 0, 2)
    assert [e.name for e in moved.exercises] == [names[1], names[2], names[0], names[3]]
    assert move_exercise(BACKSIDE, 0, -1) == BACKSIDE
    assert move_exercise(BACKSIDE, 3, 5).exercises[-1] == BACKSIDE.exercises[-1]
    removed = remove_exercise(BACKSIDE, 0)
    assert [e.name for e in removed.exercises] == names[1:]
    with pytest.raises(EditError, match="exercises: needs at least 1"):
        remove_exercise(RDL, 0)


def strip_of(workout: Workout, width: int) -> list[tuple[str, str, int]]:
    exercise = workout.exercises[0]
    return [
        (name, kind, cells)
        for name, kind, cells in rep_strip(exercise, exercise.settings(workout.defaults), width)
    ]


def test_the_rep_strip_is_to_scale_and_fills_the_width() -> None:
    # 4-1-X-2 at one second a beat: 4 + 1 + 1 + 2 = 8 s.
    assert strip_of(RDL, 40) == [
        ("Hinge", "eccentric", 20),
        ("Bottom", "hold", 5),
        ("Drive", "concentric", 5),
        ("Squeeze", "squeeze", 10),
    ]
    for width in range(4, 90):
        assert sum(cells for _, _, cells in strip_of(RDL, width)) == width
        assert all(cells >= 1 for _, _, cells in strip_of(RDL, width))


def test_a_strip_too_narrow_for_every_phase_still_fills_exactly() -> None:
    assert sum(cells for _, _, cells in strip_of(RDL, 3)) == 3
    assert strip_of(RDL, 0) == []


# `tempo-coach new` and `tempo-coach edit` (tempo_coach/editor_cli.py).

EDITOR_SCRIPT = """
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
if 'tempo = "4-1-X-2"' in text:
    path.write_text(text.replace('tempo = "4-1-X-2"', 'tempo = "4-1"'), encoding="utf-8")
else:
    path.write_text(text.replace('tempo = "4-1"', 'tempo = "5-1-X-2"'), encoding="utf-8")
"""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An "editor" that breaks the tempo on its first run and fixes it on its second."""
    script = tmp_path / "fake editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", shlex.join([sys.executable, str(script)]))


def test_new_copies_and_edit_reopens_until_the_file_loads(
    editor: None,
    private_user_folders: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert command_new(argparse.Namespace(name="My RDL", source="tempoed-rdl")) == 0
    path = private_user_folders / "workouts" / "my-rdl.toml"
    assert path.read_text(encoding="utf-8") == (BUNDLED / "tempoed-rdl.toml").read_text(
        encoding="utf-8"
    )
    questions: list[str] = []

    def again(question: str) -> str:
        questions.append(question)
        return "y"

    assert command_edit(argparse.Namespace(name="my-rdl"), ask=again) == 0
    out = capsys.readouterr().out
    assert "exercises[0].tempo" in out and f"{path}: ok — Tempoed Romanian deadlift" in out
    assert len(questions) == 1
    assert load_workout(path).exercises[0].tempo == parse_tempo("5-1-X-2")


def test_edit_gives_up_when_asked_and_never_opens_a_bundled_file(
    editor: None,
    private_user_folders: Path,
) -> None:
    command_new(argparse.Namespace(name="mine", source="tempoed-rdl"))
    assert command_edit(argparse.Namespace(name="mine"), ask=lambda _: "n") == 1
    with pytest.raises(TempoCoachError, match="bundled workout, which is never edited"):
        command_edit(argparse.Namespace(name="tempoed-rdl"))
    with pytest.raises(TempoCoachError, match="no workout called nothing"):
        command_edit(argparse.Namespace(name="nothing"))
