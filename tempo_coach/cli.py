"""The ``tempo-coach`` command: list, show, validate and describe workout files.

Every error meant for a person (a broken file, an unknown workout) is printed as a message,
never as a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from tempo_coach import __version__
from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.clock import MonotonicClock
from tempo_coach.core.cues import AUDIO_MODES
from tempo_coach.core.describe import describe_finding, describe_workout, format_duration
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError, WorkoutNotFoundError
from tempo_coach.core.loading import (
    WorkoutEntry,
    discover,
    load_workout,
    validation_problems,
    workout_files,
)
from tempo_coach.core.models import AudioMode, Workout
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.editor_cli import command_edit, command_new
from tempo_coach.paths import bundled_workouts_dir, user_workouts_dir
from tempo_coach.plain import run_plain
from tempo_coach.session_log import SessionRecorder, find_resumable, resume_words
from tempo_coach.settings import Settings, load_settings
from tempo_coach.store import History, HistoryError, export_rows, write_csv, write_json

AUDIO_TAIL_SECONDS = 2.0
"""How long the session-complete chime and voice take to be heard after the last rep."""


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


def quick_workout(arguments: argparse.Namespace) -> Workout:
    """A one-exercise workout straight from a tempo string, for ``tempo-coach tempo``."""
    setup: dict[str, object] = (
        {"mode": "manual", "cue": "Get into position."} if arguments.setup is None
        else {"mode": "timed", "seconds": arguments.setup, "cue": "Get into position."}
    )
    raw = {
        "format_version": 1,
        "name": f"Tempo {arguments.tempo}",
        "count_in_beats": arguments.count_in,
        "defaults": {"beat_seconds": arguments.beat, "rest_seconds": arguments.rest,
                     "setup": setup},
        "exercises": [{
            "name": "Quick tempo", "trains": "other", "category": "assistance",
            "sets": arguments.sets, "reps": arguments.reps, "tempo": arguments.tempo,
            "starts_with": "concentric" if arguments.concentric_first else "eccentric",
        }],
    }
    try:
        return Workout.model_validate(raw)
    except ValidationError as error:
        lines = []
        for problem in validation_problems(error.errors()):
            field = problem.where.rsplit(".", 1)[-1]
            flag = QUICK_FLAGS.get(field)
            lines.append(problem.message if flag is None else f"{flag}: {problem.message}")
        raise TempoCoachError("\n".join(lines)) from None


QUICK_FLAGS = {"reps": "--reps", "sets": "--sets", "beat_seconds": "--beat",
               "rest_seconds": "--rest", "count_in_beats": "--count-in", "seconds": "--setup"}
"""The ``tempo`` command's flag for each workout field it fills in."""


def command_tempo(arguments: argparse.Namespace) -> int:
    workout = quick_workout(arguments)
    # Logged like any workout; its "file" is the tempo command itself.
    source = f"tempo-coach tempo {arguments.tempo}"
    return play_plain(workout, arguments, source_path=Path(source),
                      source_text=workout.model_dump_json(), resumable=False)


def command_run(arguments: argparse.Namespace) -> int:
    path = find_workout(arguments.workout)
    workout = load_workout(path)  # a broken file is reported here, before any screen
    if arguments.plain:
        return play_plain(workout, arguments, source_path=path,
                          source_text=path.read_text(encoding="utf-8"),
                          resumable=not arguments.fresh)
    return run_app(start_with=path, audio_mode=arguments.audio, volume=arguments.volume)


def session_settings(
    audio_mode: AudioMode | None, volume: float | None
) -> tuple[Settings, str | None]:
    """The user's settings with the command line's choices on top, and any config notice."""
    settings, notice = load_settings()
    given = {key: value for key, value in (("audio_mode", audio_mode), ("volume", volume))
             if value is not None}
    try:
        return Settings.model_validate(settings.model_dump() | given), notice
    except ValidationError as error:
        problem = validation_problems(error.errors())[0]
        raise TempoCoachError(f"--{problem.where.replace('_', '-')}: {problem.message}") from None


def run_app(*, start_with: Path | None = None, audio_mode: AudioMode | None = None,
            volume: float | None = None) -> int:
    """The full-screen app. Sound is probed first, so no ALSA message reaches the screen."""
    from tempo_coach.audio import make_player
    from tempo_coach.tui.app import TempoCoachApp

    settings, settings_notice = session_settings(audio_mode, volume)
    clock = MonotonicClock()

    def device_lost(notice: str) -> None:
        app.device_lost(notice)

    player, audio_notice, spoken = make_player(clock, audio_enabled=True,
                                               volume=settings.volume, on_failure=device_lost)
    history, history_notice = open_history()
    if settings.audio_mode == "silent":
        audio_notice = None  # nothing was to be heard; the device matters only if m is pressed
    notices = [notice for notice in (settings_notice, history_notice, audio_notice) if notice]
    app = TempoCoachApp(load_entries=lambda: discover(workout_sources()), clock=clock,
                        player=player, settings=settings, spoken=spoken, history=history,
                        notices=notices, start_with=start_with)
    try:
        app.run()
    finally:
        if history is not None:
            history.close()
    return 0


def open_history() -> tuple[History | None, str | None]:
    """The history database, or None and a notice: a broken history never stops training."""
    try:
        return History.open(), None
    except HistoryError as error:
        return None, f"{error}; this session will not be logged"


def play_plain(
    workout: Workout, arguments: argparse.Namespace, *, source_path: Path, source_text: str,
    resumable: bool,
) -> int:
    """Run a session in plain mode with real sound (or the visual fallback), logging each
    completed set; an interrupted session of the same file is resumed unless `resumable`
    is False (then it is abandoned)."""
    from tempo_coach.audio import make_player  # audio loads only for sessions

    settings, settings_notice = session_settings(arguments.audio, arguments.volume)
    # The command line wins, then the workout's own choice, then the user's settings.
    mode = arguments.audio or workout.audio_mode or settings.audio_mode
    timeline = compile_timeline(workout)
    history, history_notice = open_history()
    resume = None
    if history is not None:
        resume = find_resumable(history, timeline, source_text)
        if resume is not None and not resumable:
            history.abandon(resume.session.id)
            resume = None

    async def session() -> bool:
        clock = MonotonicClock()

        def device_lost(notice: str) -> None:
            print(f"! {notice}", flush=True)

        player, notice, spoken = make_player(
            clock, audio_enabled=mode != "silent", volume=settings.volume,
            on_failure=device_lost,
        )
        for line in (settings_notice, history_notice, notice):
            if line:
                print(f"! {line}", flush=True)
        engine = SessionEngine(timeline, clock, player, audio_mode=mode, spoken=spoken,
                               start_at=resume.start_at if resume else 0)
        if resume is not None:
            print(f"! Resuming your interrupted session: {resume_words(timeline, resume)}"
                  " (--fresh starts over)", flush=True)
        recorder = None
        if history is not None:
            recorder = SessionRecorder(history, timeline, workout_path=source_path,
                                       workout_text=source_text, resume=resume,
                                       on_failure=device_lost)
            engine.subscribe(recorder)
        completed = await run_plain(engine, recorder=recorder)
        if completed and spoken is not None:
            await asyncio.sleep(AUDIO_TAIL_SECONDS)  # let "workout complete" be heard
        return completed

    asyncio.run(session())
    return 0


def history_lines(history: History, session_id: int | None) -> list[str]:
    """The sessions as a table, newest first; or one session's sets."""
    if session_id is not None:
        session = next((row for row in history.sessions() if row.id == session_id), None)
        if session is None:
            raise TempoCoachError(f"no session {session_id}; `tempo-coach history` lists them")
        lines = [f"Session {session.id}: {session.workout_name}, "
                 f"{session.started_at.astimezone():%Y-%m-%d %H:%M} ({session.status})",
                 f"{'Exercise':<28} {'Set':>3} {'Side':<5} {'Reps':>4} {'Tempo':<9} "
                 f"{'TUT':>6} {'RPE':>3}"]
        for done in history.sets(session.id):
            lines.append(
                f"{done.exercise[:28]:<28} {done.set_number:>3} {done.side or '':<5} "
                f"{done.reps_done:>4} {done.target_tempo[:9]:<9} "
                f"{format_duration(done.tut_ms):>6} {done.rpe or '':>3}")
        return lines
    sessions = history.sessions()
    if not sessions:
        return ["No sessions yet."]
    lines = [f"{'Id':>4}  {'Started':<16}  {'Workout':<30} {'Status':<10} {'Sets':>4} "
             f"{'Reps':>4} {'TUT':>6}"]
    for row in sessions:
        lines.append(
            f"{row.id:>4}  {row.started_at.astimezone():%Y-%m-%d %H:%M}  "
            f"{row.workout_name[:30]:<30} {row.status:<10} {row.sets_done:>4} "
            f"{row.reps_done:>4} {format_duration(row.tut_ms):>6}")
    return lines


def command_history(arguments: argparse.Namespace) -> int:
    with History.open() as history:
        print("\n".join(history_lines(history, arguments.session)))
    return 0


def command_export(arguments: argparse.Namespace) -> int:
    with History.open() as history:
        rows = export_rows(history)
    write = write_csv if arguments.format == "csv" else write_json
    if arguments.output is None:
        write(rows, sys.stdout)
    else:
        with arguments.output.open("w", encoding="utf-8", newline="") as stream:
            write(rows, stream)
        print(f"{len(rows)} sets written to {arguments.output}", file=sys.stderr)
    return 0


def _add_audio_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--audio", choices=AUDIO_MODES, default=None,
                        help="what is heard: both (clicks and voice, the default), clicks,"
                             " voice, or silent")
    parser.add_argument("--volume", type=float, default=None,
                        help="0.0 to 1.0 (default 1.0, or your config)")


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

    tempo = commands.add_parser("tempo", help="play sets straight from a tempo string")
    tempo.add_argument("tempo", help='a tempo such as "4-1-X-2" (lowering, pause, lift, pause)')
    tempo.add_argument("--reps", type=int, default=5, help="reps per set (default 5)")
    tempo.add_argument("--sets", type=int, default=1, help="sets (default 1)")
    tempo.add_argument("--beat", type=float, default=1.0, help="seconds per count (default 1)")
    tempo.add_argument("--rest", type=float, default=90, help="rest between sets, seconds")
    tempo.add_argument("--count-in", type=int, default=3, help="counts before each set")
    tempo.add_argument("--setup", type=float, default=None,
                       help="seconds of setup before each set (default: wait for Enter)")
    tempo.add_argument("--concentric-first", action="store_true",
                       help="start each rep with the lift (leg curls)")
    _add_audio_options(tempo)
    tempo.set_defaults(handler=command_tempo)

    run = commands.add_parser("run", help="follow a workout, cued phase by phase")
    run.add_argument("workout", help="a workout's name (file stem) or path")
    run.add_argument("--plain", action="store_true",
                     help="print a line per segment instead of the full-screen app")
    run.add_argument("--fresh", action="store_true",
                     help="start over instead of resuming an interrupted session (plain mode)")
    _add_audio_options(run)
    run.set_defaults(handler=command_run)

    history = commands.add_parser("history", help="your sessions, newest first")
    history.add_argument("session", nargs="?", type=int, help="a session's id: its sets")
    history.set_defaults(handler=command_history)

    export = commands.add_parser("export", help="write the whole history for a spreadsheet")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", type=Path, default=None, help="a file (default: stdout)")
    export.set_defaults(handler=command_export)

    new = commands.add_parser("new", help="copy a workout into your folder to change it")
    new.add_argument("name", help="the new workout's name (its file is NAME.toml)")
    new.add_argument("--from", dest="source", required=True, metavar="WORKOUT",
                     help="the workout to copy, by name or path")
    new.set_defaults(handler=command_new)

    edit = commands.add_parser("edit", help="open one of your workouts in $EDITOR, then check it")
    edit.add_argument("name", help="one of your workouts, by name")
    edit.set_defaults(handler=command_edit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        return run_app()
    try:
        result: int = arguments.handler(arguments)
    except TempoCoachError as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return result
