"""``tempo-coach new`` and ``tempo-coach edit``: a workout of your own, changed in your editor.

``new`` copies a workout's file verbatim into the user's folder, comments and all; ``edit``
opens one there in ``$VISUAL`` / ``$EDITOR`` (``vi`` if neither is set) and validates it
when the editor closes, offering to go back in until it loads.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable

from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.describe import describe_finding
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.text import printable


def command_new(arguments: argparse.Namespace) -> int:
    """Copy ``--from`` WORKOUT (a stem or a path) to NAME in the user's folder."""
    workouts = Catalog.default()
    source = workouts.find(arguments.source)
    path = workouts.copy(source, arguments.name)
    print(printable(f"Copied {source} to {path}"))
    print(printable(f"Change it with: tempo-coach edit {path.stem}"))
    return 0


FALLBACK_EDITORS = ("editor", "nano", "vi")
"""Tried in order when $VISUAL and $EDITOR name nothing usable (Debian's `editor` first)."""


def editor_command() -> tuple[list[str], str | None]:
    """The editor the user asked for, with its arguments, and a notice when $VISUAL /
    $EDITOR had to be passed over. A blank or unreadable variable falls back to a known
    editor: the workout file itself must never end up as the command."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable)
        if value is None or value == "":
            continue
        try:
            command = shlex.split(value)
        except ValueError as error:
            problem = f"${variable} ({value!r}) cannot be read: {error}"
        else:
            if command:
                return command, None
            problem = f"${variable} is blank"
        fallback = _fallback_editor()
        return [fallback], printable(f"{problem}; using {fallback} instead")
    return [_fallback_editor()], None


def _fallback_editor() -> str:
    return next((name for name in FALLBACK_EDITORS if shutil.which(name)), "vi")


def answer(ask: Callable[[str], str], question: str) -> str:
    """The reply to a question; a closed input (Ctrl+D, no terminal) or Ctrl+C is "no"."""
    try:
        return ask(question)
    except (EOFError, KeyboardInterrupt):
        print()
        return "no"


def command_edit(arguments: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    """Edit until the file loads (or the user gives up), then show its warnings."""
    path = Catalog.default().user_file(arguments.name)
    editor, notice = editor_command()
    if notice is not None:
        print(notice)
    while True:
        command = [*editor, str(path)]
        try:
            subprocess.run(command, check=False)
        except OSError as error:
            raise TempoCoachError(
                f"cannot run the editor {command[0]!r}: {error.strerror}; "
                "set $EDITOR to the one you use"
            ) from None
        try:
            workout = load_workout(path)
        except WorkoutFileError as error:
            print(printable(str(error), keep_newlines=True))
            if answer(ask, "Edit it again? [Y/n] ").strip().lower() in ("n", "no"):
                print(
                    printable(
                        f"{path} still has errors; the picker lists it as broken until fixed."
                    )
                )
                return 1
            continue
        warnings = active(check_workout(workout))
        print(printable(f"{path}: ok — {workout.name}"))
        for finding in warnings:
            print(printable(f"{path}: {describe_finding(finding)}"))
        return 0
