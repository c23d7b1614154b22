"""``tempo-coach new`` and ``tempo-coach edit``: a workout of your own, changed in your editor.

``new`` copies a workout's file verbatim into the user's folder, comments and all; ``edit``
opens one there in ``$VISUAL`` / ``$EDITOR`` (``vi`` if neither is set) and validates it
when the editor closes, offering to go back in until it loads.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.describe import describe_finding
from tempo_coach.core.editing import copy_workout, slug
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.loading import WORKOUT_SUFFIX, load_workout
from tempo_coach.paths import bundled_workouts_dir, user_workouts_dir


def command_new(arguments: argparse.Namespace) -> int:
    """Copy ``--from`` WORKOUT (a stem or a path) to NAME in the user's folder."""
    # Imported here: cli.py imports this module to register the commands.
    from tempo_coach.cli import find_workout

    source = find_workout(arguments.source)
    path = copy_workout(source, arguments.name, user_workouts_dir(),
                        bundled=bundled_workouts_dir())
    print(f"Copied {source} to {path}")
    print(f"Change it with: tempo-coach edit {path.stem}")
    return 0


def user_workout(name: str) -> Path:
    """One of the user's own workout files, by name or stem; bundled ones are refused."""
    path = user_workouts_dir() / f"{slug(name)}{WORKOUT_SUFFIX}"
    if path.is_file():
        return path
    if (bundled_workouts_dir() / path.name).is_file():
        raise TempoCoachError(
            f"{path.stem} is a bundled workout, which is never edited; make your own copy "
            f"with `tempo-coach new my-{path.stem} --from {path.stem}`")
    raise TempoCoachError(f"you have no workout called {path.stem} in {path.parent}; "
                          f"`tempo-coach new {path.stem} --from WORKOUT` makes one")


def editor_command() -> list[str]:
    """The editor the user asked for, with any arguments it was given."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def command_edit(arguments: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    """Edit until the file loads (or the user gives up), then show its warnings."""
    path = user_workout(arguments.name)
    while True:
        command = [*editor_command(), str(path)]
        try:
            subprocess.run(command, check=False)
        except OSError as error:
            raise TempoCoachError(f"cannot run the editor {command[0]!r}: {error.strerror}; "
                                  "set $EDITOR to the one you use") from None
        try:
            workout = load_workout(path)
        except WorkoutFileError as error:
            print(error)
            if ask("Edit it again? [Y/n] ").strip().lower() in ("n", "no"):
                print(f"{path} still has errors; the picker lists it as broken until fixed.")
                return 1
            continue
        warnings = active(check_workout(workout))
        print(f"{path}: ok — {workout.name}")
        for finding in warnings:
            print(f"{path}: {describe_finding(finding)}")
        return 0
