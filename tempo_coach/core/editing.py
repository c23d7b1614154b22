"""Change a workout and write it back as a file: what Customize and ``tempo-coach new`` share.

Workouts are frozen, so every edit builds a new one from the data a file would hold and
validates it, and an edit the file format would reject is refused with the reason. Files
are only ever created in a folder the caller names, never inside the bundled workouts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.loading import WORKOUT_SUFFIX, parse_workout, validation_problems
from tempo_coach.core.models import Exercise, ExerciseSettings, PhaseKind, Workout
from tempo_coach.core.timeline import rep_phases

HEADER = "# Tempo Coach workout, saved by Customize\n"
"""The one comment a saved file carries, so the data reads straight through below it."""


class EditError(TempoCoachError):
    """An edit or a save that was refused; the message says why, in the file's words."""


def slug(name: str) -> str:
    """A file stem for a name ("My RDL!" becomes ``my-rdl``) that is safe in any folder."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
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
    result: dict[str, Any] = _whole_numbers(data)
    return result


def _whole_numbers(value: Any) -> Any:
    """``150`` rather than ``150.0``: the models read either as the same number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def workout_to_toml(workout: Workout) -> str:
    """The text of a workout file that loads back as exactly this workout."""
    return HEADER + tomli_w.dumps(workout_data(workout))


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


def _target(name: str, folder: Path, bundled: Path) -> Path:
    path = folder / f"{slug(name)}{WORKOUT_SUFFIX}"
    if path.resolve().is_relative_to(bundled.resolve()):
        raise EditError(f"{path} is among the bundled workouts, which are never overwritten; "
                        "save into your own workouts folder")
    return path


def _write(path: Path, text: str, *, overwrite: bool) -> None:
    """Write the file whole: a new file by exclusive creation, a replaced one by renaming."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite:
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            raise EditError(f"{path} already exists; choose another name") from None
        return
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def save_as(workout: Workout, name: str, folder: Path, *, bundled: Path,
            overwrite: bool = False) -> Path:
    """Write the workout to ``folder/<slug of name>.toml`` and return that path.

    The text is validated as the file it will become before anything is written.

    Raises:
        EditError: for a path in `bundled`, an existing file (unless `overwrite`), a name
            with no letters, or a workout that would not load back.
    """
    path = _target(name, folder, bundled)
    text = workout_to_toml(workout)
    try:
        parse_workout(text, path)
    except WorkoutFileError as error:
        raise EditError(f"not saved: {error}") from None
    _write(path, text, overwrite=overwrite)
    return path


def copy_workout(source: Path, name: str, folder: Path, *, bundled: Path) -> Path:
    """Copy a workout file's text verbatim (comments and all) to ``folder/<slug>.toml``.

    Raises:
        WorkoutFileError: when the source is not a valid workout.
        EditError: when it cannot be read, or as for `save_as` when the target is refused.
    """
    path = _target(name, folder, bundled)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EditError(f"cannot read {source}: {error}") from None
    parse_workout(text, source)
    _write(path, text, overwrite=False)
    return path


def rep_strip(exercise: Exercise, settings: ExerciseSettings,
              width: int) -> list[tuple[str, PhaseKind, int]]:
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
    return [(phase.label.name, phase.kind, count)
            for phase, count in zip(phases, cells, strict=True)]
