"""Read workout files and turn every way they can be wrong into sentences a lifter can act on.

A file is decoded as UTF-8, read with the standard library's TOML parser, its format version
is checked, and it is validated by the pydantic models; pydantic's errors are rewritten with
the field's path as it appears in the file (``exercises[2].tempo``) and, for a misspelt key, a
did-you-mean suggestion. No pydantic or codec wording reaches the user, and whatever is
quoted from the file is shown with its control characters escaped.
"""

from __future__ import annotations

import codecs
import datetime
import re
import tomllib
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tempo_coach.core.errors import Problem, WorkoutFileError
from tempo_coach.core.files import MAX_WORKOUT_BYTES as MAX_WORKOUT_BYTES
from tempo_coach.core.files import WORKOUT_SUFFIX as WORKOUT_SUFFIX
from tempo_coach.core.models import FORMAT_VERSION, PLAIN_ERRORS, Workout
from tempo_coach.core.text import close_matches, printable, quote

MAX_NESTING = 10
"""How deeply lists and tables may nest; a workout needs four at most."""
MAX_DIGITS = 100
"""The longest run of digits a number may have: no workout value comes close, and Python
refuses to read integers past a few thousand digits."""
MAX_PROBLEMS = 20
"""Problems listed for one file; the rest are counted, so a runaway file cannot flood."""

_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$"
)
_AT_END = " (at end of document)"
_TOML_TOKENS = re.compile(
    "|".join([f"[0-9][0-9_]{{{MAX_DIGITS},}}", "'''", '"""', r"""["'#\[\]{}\n]"""])
)
"""What `_scan` looks at: long numbers, string quotes, comments, brackets and line ends."""


def decode_workout(data: bytes, path: Path) -> str:
    """The text of a workout file's bytes: UTF-8, with any byte-order mark dropped.

    Raises:
        WorkoutFileError: for more bytes than a workout can have, or bytes that are not
            UTF-8, saying where the first bad one is.
    """
    if len(data) > MAX_WORKOUT_BYTES:
        raise WorkoutFileError(path, [_too_big(len(data))])
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        line = data.count(b"\n", 0, offset) + 1
        problem = Problem(
            f"line {line}", f"not UTF-8 text, at byte {offset}; save the file as UTF-8"
        )
        raise WorkoutFileError(path, [problem]) from None


def _too_big(size: int) -> Problem:
    return Problem(
        "",
        f"too big for a workout file: {size // 1024} KiB, at most {MAX_WORKOUT_BYTES // 1024} KiB",
    )


def parse_workout(text: str, path: Path) -> Workout:
    """Validate a workout given as TOML text; `path` is only used in error messages."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_WORKOUT_BYTES:
        raise WorkoutFileError(path, [_too_big(size)])
    raw = parse_toml(text, path)
    version_problem = _format_version_problem(raw)
    if version_problem is not None:
        raise WorkoutFileError(path, [version_problem])
    try:
        return Workout.model_validate(raw)
    except ValidationError as error:
        raise WorkoutFileError(path, validation_problems(error.errors())) from None
    except RecursionError:
        raise WorkoutFileError(path, [_too_deep(_scan(text).deepest_line)]) from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """The TOML document in `text`, or a WorkoutFileError whose problem always has a line:
    also for the settings file, so both speak the same words."""
    scan = _scan(text)
    if scan.refusal is not None:
        raise WorkoutFileError(path, [scan.refusal])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WorkoutFileError(path, [_toml_problem(error, text, scan)]) from None
    except RecursionError:  # a backstop: the scan refuses deep nesting first
        raise WorkoutFileError(path, [_too_deep(scan.deepest_line)]) from None


@dataclass(frozen=True)
class _Scan:
    """What a quick pass over TOML text found before the parser sees it."""

    refusal: Problem | None
    """Nesting or a number the parser would fail on, or None."""
    deepest_line: int
    """The line where lists and tables nest deepest."""
    left_open: tuple[int, str] | None
    """The line and the opening mark (a quote or bracket) of the innermost string, list or
    table that never closes; None when all close."""


def _scan(text: str) -> _Scan:
    """Follow strings, comments and brackets far enough to find where a construct left open
    starts (the parser only says "at end of document"), and to refuse nesting and numbers
    the parser would fail on with RecursionError or ValueError."""
    line, string_line, quote_mark, in_comment = 1, 0, "", False
    brackets: list[tuple[int, str]] = []
    deepest = (0, 1)
    for token in _TOML_TOKENS.finditer(text):
        mark = token.group()
        if mark == "\n":
            line += 1
            in_comment = False
            if quote_mark in ('"', "'"):
                quote_mark = ""  # a one-line string; the parser gives this one's line
        elif in_comment:
            continue
        elif quote_mark:
            closes = mark.startswith(quote_mark) and len(mark) >= len(quote_mark)
            if closes and not (quote_mark[0] == '"' and _escaped(text, token.start())):
                quote_mark = ""
        elif mark[0].isdigit():
            problem = Problem(
                f"line {line}",
                f"a number with more than {MAX_DIGITS} digits; no value in a workout is that long",
            )
            return _Scan(problem, line, None)
        elif mark == "#":
            in_comment = True
        elif mark[0] in "\"'":
            quote_mark, string_line = mark, line
        elif mark in "[{":
            brackets.append((line, mark))
            if len(brackets) > MAX_NESTING:
                return _Scan(_too_deep(line), line, None)
            if len(brackets) > deepest[0]:
                deepest = (len(brackets), line)
        elif brackets:
            brackets.pop()
    left_open = (string_line, quote_mark) if quote_mark else brackets[-1] if brackets else None
    return _Scan(None, deepest[1], left_open)


def _escaped(text: str, position: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes (looking
    back a little way: enough to place a string, which is all `_scan` needs)."""
    before = text[max(0, position - 64) : position]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 1


def _too_deep(line: int) -> Problem:
    return Problem(
        f"line {line}", f"lists and tables nested too deeply: at most {MAX_NESTING} levels"
    )


def _toml_problem(error: tomllib.TOMLDecodeError, text: str, scan: _Scan) -> Problem:
    match = _TOML_POSITION.match(str(error))
    if match is None:
        # Python's parser gives no position when the text ends inside a construct.
        message = _lower_first(printable(str(error).removesuffix(_AT_END)))
        if scan.left_open is not None:
            line, mark = scan.left_open
            return Problem(
                f"line {line}",
                f"not valid TOML: {message}; the {mark} on this line is never closed",
            )
        last_line = text.rstrip("\n").count("\n") + 1
        return Problem(f"line {last_line}", f"not valid TOML: {message} at the end of the file")
    line = int(match["line"])
    message = _lower_first(printable(match["message"]))
    if message == _NEWLINE_IN_STRING:
        message = (
            "unterminated string: text in quotes must close on the line it starts"
            ' (use """ for text over several lines)'
        )
    lines = text.split("\n")  # as the parser counts lines
    if line <= len(lines) and _unquoted_text(lines[line - 1]):
        message += ' (text values need quotes, like tempo = "4-1-X-2")'
    return Problem(f"line {line}, column {match['column']}", f"not valid TOML: {message}")


_NEWLINE_IN_STRING = "illegal character '\\n'"
"""The parser's words for a one-line string that reaches the end of its line."""


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


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
        return Problem(
            "format_version",
            f"missing; add `format_version = {FORMAT_VERSION}` at the top of the file",
        )
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 2**31:
        return Problem("format_version", f"must be a whole number like {FORMAT_VERSION}")
    if version > FORMAT_VERSION:
        return Problem(
            "format_version",
            f"this file is format {version}, written by a newer Tempo Coach; this one reads "
            f"up to format {FORMAT_VERSION}, so upgrade Tempo Coach to use it",
        )
    return None


def validation_problems(
    errors: Sequence[ErrorDetails], *, root: type[BaseModel] = Workout
) -> list[Problem]:
    """Rewrite pydantic's errors as problems keyed by the field path a person would write,
    with `root` as the model of the whole file (a workout, or another file such as the
    settings, whose own keys then make the did-you-mean suggestions).

    Errors from the branches of one union (``reps`` is a number or a list) land on the same
    path and are merged into one sentence that quotes the value once. Past `MAX_PROBLEMS`
    the rest are only counted.
    """
    merged: dict[str, tuple[list[str], str]] = {}
    for error in _drop_mismatched_branches(errors, root):
        if error["type"] == "extra_forbidden":
            path, parent = _walk(error["loc"][:-1], root)
            key = quote(str(error["loc"][-1]), limit=40)[1:-1]
            path = f"{path}.{key}" if path else key
            message, shown = _unknown_key_message(key, parent), ""
        else:
            path, _ = _walk(error["loc"], root)
            message, shown = _plain_message(error)
        messages, _ = merged.setdefault(path, ([], shown))
        if message not in messages:
            messages.append(message)
    problems = [
        Problem(path, _join_alternatives(messages) + (f" (got {shown})" if shown else ""))
        for path, (messages, shown) in merged.items()
    ]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], Problem("", f"and {more} more problems")]
    return problems


def _drop_mismatched_branches(
    errors: Sequence[ErrorDetails], root: type[BaseModel]
) -> list[ErrorDetails]:
    """Where a value had the right type for one branch of a union but broke its rule (reps
    = 0, or reps = [5, nan]), the other branches' "must be a list" or "must be a whole
    number" is noise: keep only the broken rule."""
    paths = [_walk(error["loc"], root)[0] for error in errors]
    ruled = {
        path for error, path in zip(errors, paths, strict=True) if error["type"] not in _TYPE_WORDS
    }
    ruled.update(parent for path in paths for parent in _parents(path))
    return [
        error
        for error, path in zip(errors, paths, strict=True)
        if error["type"] not in _TYPE_WORDS or path not in ruled
    ]


def _parents(path: str) -> Iterator[str]:
    """The paths that hold `path`: ``exercises`` and ``exercises[0]`` for
    ``exercises[0].reps``."""
    for position, character in enumerate(path):
        if character in "[." and position:
            yield path[:position]


def _join_alternatives(messages: list[str]) -> str:
    rest = [message.removeprefix("must be ") for message in messages[1:]]
    return ", or ".join([messages[0], *rest])


def _walk(loc: tuple[int | str, ...], root: type[BaseModel]) -> tuple[str, type[BaseModel] | None]:
    """The display path of a pydantic location, and the model that holds its last key.

    Pydantic puts union branch tags (``int``, ``list[...]``) into locations; only real field
    names and list indices are kept.
    """
    annotation: Any = root
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
    close = close_matches(key, known)
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
"""Pydantic's errors for a value of the wrong type; a union's branches each give one."""

_OTHER_WORDS = {
    "finite_number": "must be a finite number, not nan or infinity",
    "int_parsing_size": "is too large a number",
    "string_pattern_mismatch": "is not written in the form expected here",
    "recursion_loop": "is nested too deeply",
}
"""Pydantic's other errors that a TOML file can cause and that need no context."""

_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _plain_message(error: ErrorDetails) -> tuple[str, str]:
    """A sentence for one error, and the offending value as shown to the user ("" if none).

    Pydantic's own wording ("Input should be ...") is never shown: an error type not
    written out here gets a plain generic sentence.
    """
    kind, context, shown = error["type"], error.get("ctx", {}), _show(error["input"])
    if kind == "missing":
        return "is required but missing", ""
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind], shown
    if kind in _OTHER_WORDS:
        return _OTHER_WORDS[kind], shown
    if kind in PLAIN_ERRORS:
        return str(error["msg"]), shown if kind == "out_of_range" else ""
    if kind == "literal_error":
        return f"must be one of {context['expected']}", shown
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        bound = context[key]
        return f"must be {words} {f'{bound:g}' if isinstance(bound, float) else bound}", shown
    text = isinstance(error["input"], str)
    if kind == "string_too_short" or (kind == "too_short" and text):
        return "must not be empty", ""
    if kind == "string_too_long" or (kind == "too_long" and text):
        return f"must be at most {context['max_length']} characters long", ""
    if kind == "too_short":
        return f"needs at least {context['min_length']} item(s)", ""
    if kind == "too_long":
        return (
            f"has {context['actual_length']} items; at most {context['max_length']} are allowed"
        ), ""
    return "is not a value that can be used here", shown


def _show(value: object) -> str:
    """The value as the message quotes it: short, and safe to print."""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number too long to show"  # repr of thousands of digits fails
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return printable(repr(value))
