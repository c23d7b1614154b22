"""Change a workout and write it back as a file: what Customize and ``tempo-coach new`` share.

Workouts are frozen, so every edit builds a new one from the data a file would hold and
validates it, and an edit the file format would reject is refused with the reason. Writing
the text to a file is the catalog's job (tempo_coach/catalog.py).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from tempo_coach.core.errors import Problem, TempoCoachError
from tempo_coach.core.loading import validation_problems
from tempo_coach.core.models import (
    Exercise,
    ExerciseSettings,
    Load,
    PhaseKind,
    Workout,
    load_text,
)
from tempo_coach.core.timeline import rep_phases


class EditError(TempoCoachError):
    """An edit or a save that was refused; the message says why, in the file's words."""


MAX_STEM = 60
"""The longest file stem made from a name: well inside every file system's limit."""


def slug(name: str) -> str:
    """A file stem for a name ("My RDL!" becomes ``my-rdl``) that is safe in any folder."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:MAX_STEM].strip("-")
    if not stem:
        raise EditError(f"{name!r} has no letters or digits to name a file with")
    return stem


def workout_data(workout: Workout) -> dict[str, Any]:
    """The workout as a file would hold it: defaults left out, tempos as strings.

    An exercise's ``setup`` keeps exactly the keys that were given, because a key left out
    there means "as the workout's defaults say", unlike a key equal to the default.
    """
    data = workout.model_dump(mode="json", exclude_defaults=True)
    for exercise, written in zip(workout.exercises, data["exercises"], strict=True):
        if exercise.setup is not None:
            written["setup"] = exercise.setup.model_dump(mode="json", exclude_unset=True)
        _loads_as_text(exercise, written)
    result: dict[str, Any] = _whole_numbers(data)
    return result


def _loads_as_text(exercise: Exercise, written: dict[str, Any]) -> None:
    """Loads as a lifter writes them ("80 kg", "bodyweight + 10 kg"), not as tables."""
    if exercise.load is not None:
        written["load"] = _text(exercise.load)
    for warmup, item in zip(exercise.warmup, written.get("warmup", []), strict=True):
        if warmup.load is not None:
            item["load"] = load_text(warmup.load)


def _text(load: Load | list[Load]) -> str | list[str]:
    return [load_text(each) for each in load] if isinstance(load, list) else load_text(load)


def _whole_numbers(value: Any) -> Any:
    """``150`` rather than ``150.0``: the models read either as the same number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def validated(data: dict[str, Any]) -> Workout:
    """A workout from file-shaped data, or an EditError listing what is wrong with it."""
    try:
        return Workout.model_validate(data)
    except ValidationError as error:
        problems = validation_problems(error.errors())
        raise EditError("; ".join(str(problem) for problem in problems)) from None


def edit_workout(workout: Workout, **changes: Any) -> Workout:
    """The workout with top-level keys changed (``name="My RDL"``); None removes a key."""
    return validated(_changed(workout_data(workout), changes))


def edit_exercise(workout: Workout, index: int, **changes: Any) -> Workout:
    """The workout with one exercise's keys changed; None removes a key (back to default)."""
    data = workout_data(workout)
    data["exercises"][index] = _changed(data["exercises"][index], changes)
    return validated(data)


def _changed(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    updated = {**data, **changes}
    return {key: value for key, value in updated.items() if value is not None}


def add_exercise(workout: Workout, index: int) -> Workout:
    """The workout with the exercise at `index` duplicated right after it."""
    data = workout_data(workout)
    exercises = data["exercises"]
    exercises.insert(index + 1, dict(exercises[index]))
    return validated(data)


def remove_exercise(workout: Workout, index: int) -> Workout:
    """The workout without the exercise at `index`; refused for the only exercise."""
    data = workout_data(workout)
    del data["exercises"][index]
    return validated(data)


def move_exercise(workout: Workout, index: int, step: int) -> Workout:
    """The workout with the exercise at `index` moved `step` places, stopping at the ends."""
    data = workout_data(workout)
    exercises = data["exercises"]
    target = min(max(index + step, 0), len(exercises) - 1)
    exercises.insert(target, exercises.pop(index))
    return validated(data)


def rep_strip(
    exercise: Exercise, settings: ExerciseSettings, width: int
) -> list[tuple[str, PhaseKind, int]]:
    """Each phase of one rep as (name, kind, cells), the cells summing to `width`, to scale.

    Cells are shared by largest remainder; a phase too short for a cell still gets one when
    there is room, taken from the longest, so no phase silently disappears from the strip.
    """
    phases = rep_phases(exercise, settings)
    total = sum(phase.duration_ms for phase in phases)
    if not phases or width <= 0 or total <= 0:
        return []
    shares = [phase.duration_ms * width / total for phase in phases]
    cells = [int(share) for share in shares]
    by_remainder = sorted(range(len(phases)), key=lambda i: shares[i] - cells[i], reverse=True)
    for i in by_remainder[: width - sum(cells)]:
        cells[i] += 1
    if width >= len(phases):
        for i, count in enumerate(cells):
            if count == 0:
                cells[i] = 1
                cells[cells.index(max(cells))] -= 1
    return [
        (phase.label.name, phase.kind, count) for phase, count in zip(phases, cells, strict=True)
    ]


Path = tuple[str | int, ...]
"""Where a value sits in file-shaped data: ``("exercises", 0, "sets")``."""

_BELONGS_TO = {
    "tempo_or_phases": "tempo",
    "reps_length": "reps",
    "reps_empty": "reps",
    "sets_missing": "sets",
    "phase_length": "seconds",
    "load_length": "load",
    "warmup_percent": "warmup",
    "warmup_load": "percent",
}
"""Errors a model raises about itself, and the field a person would fix them in."""


def display_path(path: Path) -> str:
    """``exercises[0].sets``: a path as `validation_problems` writes it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def draft_problems(data: dict[str, Any]) -> tuple[Workout | None, list[Problem]]:
    """Validate a form's data: the workout when it is valid, else each problem keyed by
    the path of the field to fix (a whole-exercise rule such as "give `tempo` or
    `custom_phases`" is put on the field that breaks it)."""
    try:
        return Workout.model_validate(data), []
    except ValidationError as error:
        errors = [
            {**detail, "loc": (*detail["loc"], _BELONGS_TO[detail["type"]])}
            if detail["type"] in _BELONGS_TO
            else detail
            for detail in error.errors()
        ]
        return None, validation_problems(errors)  # type: ignore[arg-type]


def form_data(workout: Workout) -> dict[str, Any]:
    """The workout with every value spelled out, defaults included, so a form shows real
    values; keys left unset (an exercise's own overrides) stay out."""
    data = workout.model_dump(mode="json", exclude_none=True)
    for exercise, written in zip(workout.exercises, data["exercises"], strict=True):
        if exercise.setup is not None:
            written["setup"] = exercise.setup.model_dump(mode="json", exclude_unset=True)
        _loads_as_text(exercise, written)
    result: dict[str, Any] = _whole_numbers(data)
    return result


BLANK_EXERCISE: dict[str, Any] = {
    "name": "New exercise",
    "trains": "hip_extension",
    "category": "assistance",
    "sets": 3,
    "reps": 8,
    "tempo": "3-1-1-0",
}
"""A valid exercise to start from, with nothing but the required keys."""


BLANK_ITEMS: dict[str, dict[str, Any]] = {
    "silenced": {"check": "", "reason": ""},
    "warmup": {"reps": 5},
}
"""What a new item of a list starts as, by the list's key (exercises and custom phases
have their own starts): a warm-up set starts as an unloaded set of five."""


def blank_workout() -> Workout:
    """A workout to build from nothing: one blank exercise."""
    return validated({"format_version": 1, "name": "New workout", "exercises": [BLANK_EXERCISE]})


def phases_from_tempo(exercise: Exercise, settings: ExerciseSettings) -> list[dict[str, Any]]:
    """The exercise's tempo as custom phases, names and cues kept, so switching a rep to
    custom phases starts from what it was rather than from nothing."""
    return [
        _whole_numbers(
            {
                "name": phase.label.name,
                "kind": phase.kind,
                "seconds": phase.duration_ms / 1000,
                "cue": phase.label.cue,
            }
        )
        for phase in rep_phases(exercise, settings)
    ]
