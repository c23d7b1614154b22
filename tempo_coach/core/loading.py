"""Read workout files and turn every way they can be wrong into sentences a lifter can act on.

A file is read with the standard library's TOML parser, its format version is checked, and
it is validated by the pydantic models; pydantic's errors are rewritten with the field's
path as it appears in the file (``exercises[2].tempo``) and, for a misspelt key, a
did-you-mean suggestion.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tempo_coach.core.errors import Problem, WorkoutFileError
from tempo_coach.core.models import FORMAT_VERSION, Workout

WORKOUT_SUFFIX = ".toml"

_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$"
)


def load_workout(path: Path) -> Workout:
    """Read and validate one workout file.

    Raises:
        WorkoutFileError: naming the file and every problem found in it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise WorkoutFileError(path, [Problem("", f"cannot read the file: {reason}")]) from None
    return parse_workout(text, path)


def parse_workout(text: str, path: Path) -> Workout:
    """Validate a workout given as TOML text; `path` is only used in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WorkoutFileError(path, [_toml_problem(error, text)]) from None
    version_problem = _format_version_problem(raw)
    if version_problem is not None:
        raise WorkoutFileError(path, [version_problem])
    try:
        return Workout.model_validate(raw)
    except ValidationError as error:
        raise WorkoutFileError(path, validation_problems(error.errors())) from None


def _toml_problem(error: tomllib.TOMLDecodeError, text: str) -> Problem:
    match = _TOML_POSITION.match(str(error))
    if match is None:
        return Problem("", f"not valid TOML: {error}")
    line = int(match["line"])
    message = match["message"][:1].lower() + match["message"][1:]
    lines = text.splitlines()
    if line <= len(lines) and _unquoted_text(lines[line - 1]):
        message += ' (text values need quotes, like tempo = "4-1-X-2")'
    return Problem(f"line {line}, column {match['column']}", f"not valid TOML: {message}")


def _unquoted_text(line: str) -> bool:
    """Whether a ``key = value`` line's value is bare text, the commonest TOML slip."""
    _key, equals, value = line.partition("=")
    if not equals or not value.strip() or value.strip()[0] in "\"'[{":
        return False
    try:
        tomllib.loads(f"value = {value}")
    except tomllib.TOMLDecodeError:
        return True
    return False


def _format_version_problem(raw: dict[str, Any]) -> Problem | None:
    version = raw.get("format_version")
    if version is None:
        return Problem("format_version",
                       f"missing; add `format_version = {FORMAT_VERSION}` at the top of the file")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return Problem("format_version", f"must be a whole number like {FORMAT_VERSION}")
    if version > FORMAT_VERSION:
        return Problem(
            "format_version",
            f"this file is format {version}, written by a newer Tempo Coach; this one reads "
            f"up to format {FORMAT_VERSION}, so upgrade Tempo Coach to use it",
        )
    return None


def validation_problems(errors: Sequence[ErrorDetails]) -> list[Problem]:
    """Rewrite pydantic's errors as problems keyed by the field path a person would write.

    Errors from the branches of one union (``reps`` is a number or a list) land on the same
    path and are merged into one sentence that quotes the value once.
    """
    merged: dict[str, tuple[list[str], str]] = {}
    for error in _drop_mismatched_branches(errors):
        if error["type"] == "extra_forbidden":
            path, parent = _walk(error["loc"][:-1])
            key = str(error["loc"][-1])
            path = f"{path}.{key}" if path else key
            message, shown = _unknown_key_message(key, parent), ""
        else:
            path, _ = _walk(error["loc"])
            message, shown = _plain_message(error)
        messages, _ = merged.setdefault(path, ([], shown))
        if message not in messages:
            messages.append(message)
    return [
        Problem(path, _join_alternatives(messages) + (f" (got {shown})" if shown else ""))
        for path, (messages, shown) in merged.items()
    ]


def _drop_mismatched_branches(errors: Sequence[ErrorDetails]) -> list[ErrorDetails]:
    """Where a value had the right type for one branch of a union but broke its rule (reps
    = 0), the other branches' "must be a list" is noise: keep only the broken rule."""
    ruled = {_walk(error["loc"])[0] for error in errors if error["type"] not in _TYPE_WORDS}
    return [
        error for error in errors
        if error["type"] not in _TYPE_WORDS or _walk(error["loc"])[0] not in ruled
    ]


def _join_alternatives(messages: list[str]) -> str:
    rest = [message.removeprefix("must be ") for message in messages[1:]]
    return ", or ".join([messages[0], *rest])


def _walk(loc: tuple[int | str, ...]) -> tuple[str, type[BaseModel] | None]:
    """The display path of a pydantic location, and the model that holds its last key.

    Pydantic puts union branch tags (``int``, ``list[...]``) into locations; only real field
    names and list indices are kept.
    """
    annotation: Any = Workout
    path = ""
    for part in loc:
        if isinstance(part, int):
            annotation = _list_item(annotation)
            path += f"[{part}]"
            continue
        model = _find_model(annotation)
        if model is not None and part in model.model_fields:
            annotation = model.model_fields[part].annotation
            path = f"{path}.{part}" if path else part
    return path, _find_model(annotation)


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _find_model(argument)
        if found is not None:
            return found
    return None


def _list_item(annotation: Any) -> Any:
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            if typing.get_origin(argument) is list:
                return typing.get_args(argument)[0]
    return None


def _unknown_key_message(key: str, model: type[BaseModel] | None) -> str:
    known = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key `{key}`; did you mean `{close[0]}`?"
    if known:
        return f"unknown key `{key}`; the keys allowed here are: {', '.join(known)}"
    return f"unknown key `{key}`"


_TYPE_WORDS = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list, like [12, 10, 8]",
    "model_type": "must be a table of keys",
    "model_attributes_type": "must be a table of keys",
    "dict_type": "must be a table of keys",
}


def _plain_message(error: ErrorDetails) -> tuple[str, str]:
    """A sentence for one error, and the offending value as shown to the user ("" if none)."""
    kind, context, shown = error["type"], error.get("ctx", {}), _show(error["input"])
    if kind == "missing":
        return "is required but missing", ""
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind], shown
    if kind == "literal_error":
        return f"must be one of {context['expected']}", shown
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        return f"must be {words} {context[key]}", shown
    if kind == "too_short":
        return f"needs at least {context['min_length']} item(s)", ""
    if kind in ("too_long", "string_too_long"):
        return f"is too long: at most {context['max_length']}", ""
    if kind == "string_too_short":
        return "must not be empty", ""
    return str(error["msg"]), ""


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value).lower() if isinstance(value, bool) else repr(value)


@dataclass(frozen=True)
class WorkoutEntry:
    """A workout file found on disk: either its workout or the error that stops it loading."""

    path: Path
    source: str
    """Where it was found: "bundled", "user" or "given"."""
    workout: Workout | None
    error: WorkoutFileError | None

    @property
    def stem(self) -> str:
        return self.path.stem


def workout_files(folder: Path) -> list[Path]:
    """The workout files in a folder, sorted by name; none when the folder does not exist."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix == WORKOUT_SUFFIX)


def discover(sources: Iterable[tuple[str, Path]]) -> list[WorkoutEntry]:
    """Load every workout under the given (source, folder-or-file) pairs.

    A broken file does not hide the others: it is listed with its error.
    """
    entries = []
    for source, location in sources:
        if location.is_dir():
            paths = workout_files(location)
        elif location.exists() or source == "given":
            paths = [location]
        else:
            paths = []  # a user folder not created yet holds no workouts
        for path in paths:
            try:
                entries.append(WorkoutEntry(path, source, load_workout(path), None))
            except WorkoutFileError as error:
                entries.append(WorkoutEntry(path, source, None, error))
    return entries
