"""The ``tempo-coach`` command: list, show, validate and describe workout files.

Every error meant for a person (a broken file, an unknown workout) is printed as a message,
never as a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tempo_coach import __version__
from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.describe import describe_finding, describe_workout, format_duration
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError, WorkoutNotFoundError
from tempo_coach.core.loading import WorkoutEntry, discover, load_workout, workout_files
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.paths import bundled_workouts_dir, user_workouts_dir


def workout_sources(extra: Sequence[Path] = ()) -> list[tuple[str, Path]]:
    """Where workouts are looked for: the bundled ones, the user's folder, then given paths."""
    return [
        ("bundled", bundled_workouts_dir()),
        ("user", user_workouts_dir()),
        *(("given", path) for path in extra),
    ]


def find_workout(name: str) -> Path:
    """A workout named by path, or by file stem in the user's folder, then the bundled one."""
    path = Path(name)
    if path.is_file():
        return path
    by_stem = {  # later sources win: the user's own beats a bundled one of the same name
        found.stem: found for _, folder in workout_sources() for found in workout_files(folder)
    }
    if name in by_stem:
        return by_stem[name]
    close = difflib.get_close_matches(name, list(by_stem), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `tempo-coach list` shows them"
    raise WorkoutNotFoundError(f"no workout called {name!r}{hint}")


def _print_entry(entry: WorkoutEntry) -> None:
    if entry.workout is not None:
        timeline = compile_timeline(entry.workout)
        print(f"  {entry.stem:<24} {entry.workout.name}"
              f" ({format_duration(timeline.total_ms)})")
    else:
        print(f"  {entry.stem:<24} BROKEN: {entry.error}")


def command_list(arguments: argparse.Namespace) -> int:
    entries = discover(workout_sources(arguments.paths))
    for source in ("bundled", "user", "given"):
        chosen = [entry for entry in entries if entry.source == source]
        if source == "user" and not chosen:
            print(f"Your workouts ({user_workouts_dir()}): none yet")
            continue
        if not chosen:
            continue
        titles = {"bundled": "Bundled workouts", "user": "Your workouts", "given": "Given"}
        print(f"{titles[source]}:")
        for entry in chosen:
            _print_entry(entry)
    return 1 if any(entry.error for entry in entries if entry.source == "given") else 0


def command_show(arguments: argparse.Namespace) -> int:
    workout = load_workout(find_workout(arguments.workout))
    print("\n".join(describe_workout(workout)))
    return 0


def command_validate(arguments: argparse.Namespace) -> int:
    """Errors always fail; programming-check warnings fail only with ``--strict``."""
    failed = 0
    for name in arguments.files:
        path = Path(name)
        try:
            workout: Workout = load_workout(path)
        except WorkoutFileError as error:
            failed += 1
            print(error, file=sys.stderr)
            continue
        warnings = active(check_workout(workout))
        if warnings and arguments.strict:
            failed += 1
        verdict = f"{len(warnings)} warning(s)" if warnings else "ok"
        print(f"{path}: {verdict} — {workout.name}")
        for finding in warnings:
            print(f"{path}: {describe_finding(finding)}")
    if failed:
        print(f"{failed} of {len(arguments.files)} file(s) failed", file=sys.stderr)
    return 1 if failed else 0


def command_schema(arguments: argparse.Namespace) -> int:
    print(json.dumps(Workout.model_json_schema(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tempo-coach",
        description="A tempo coach for eccentric hamstring training.",
    )
    parser.add_argument("--version", action="version", version=f"tempo-coach {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser("list", help="list bundled and your own workouts")
    listing.add_argument("paths", nargs="*", type=Path, help="more workout files or folders")
    listing.set_defaults(handler=command_list)

    show = commands.add_parser("show", help="print a workout's plan, session time and TUT")
    show.add_argument("workout", help="a workout's name (file stem) or path")
    show.set_defaults(handler=command_show)

    validate = commands.add_parser("validate", help="check workout files for errors")
    validate.add_argument("files", nargs="+", help="workout files (.toml)")
    validate.add_argument("--strict", action="store_true",
                          help="fail on programming-check warnings too")
    validate.set_defaults(handler=command_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of workout files")
    schema.set_defaults(handler=command_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        print()
        return command_list(argparse.Namespace(paths=[]))
    try:
        result: int = arguments.handler(arguments)
    except TempoCoachError as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return result
