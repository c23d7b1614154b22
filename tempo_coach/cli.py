"""The ``tempo-coach`` command: list, show, validate and run workouts, and read the history.

Every error meant for a person (a broken file, an unknown workout, a locked history) is
printed as a message, never as a traceback, and nothing read from a file or the history
reaches the terminal with its control characters. Each command imports only what it
uses, so ``list``, ``show`` and ``validate`` load no audio, asyncio or database code.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import gc
import json
import os
import sys
import types
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tempo_coach import __version__
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.text import printable

if TYPE_CHECKING:
    from tempo_coach.catalog import Catalog, LoadedWorkout
    from tempo_coach.core.models import Workout
    from tempo_coach.programme_session import ProgrammeRun
    from tempo_coach.programme_store import ProgrammeStore
    from tempo_coach.sessions import Overrides
    from tempo_coach.store import History
    from tempo_coach.workout_index import ListedWorkout, WorkoutIndex

AUDIO_TAIL_SECONDS = 2.0
"""How long the session-complete chime and voice take to be heard after the last rep."""


def say(text: str, *, stream: Any = None) -> None:
    """Print a line of text that may quote a file or the history, control characters escaped."""
    print(printable(text, keep_newlines=True), file=stream or sys.stdout, flush=True)


def catalog(given: Sequence[Path] = ()) -> Catalog:
    from tempo_coach.catalog import Catalog

    return Catalog.default(given)


def _entry_line(entry: ListedWorkout) -> str:
    note = f" ({entry.note})" if entry.note else ""
    if entry.heading is None:
        return f"  {entry.stem:<24} BROKEN: {entry.error}{note}"
    return f"  {entry.stem:<24} {entry.heading.name} ({entry.heading.duration}){note}"


def workout_index() -> WorkoutIndex:
    """The index `list`, `show` and `validate` answer from: a file read before (same bytes,
    same code) needs no pydantic (see `tempo_coach.workout_index`)."""
    from tempo_coach.workout_index import WorkoutIndex

    return WorkoutIndex()


def command_list(arguments: argparse.Namespace) -> int:
    workouts = catalog(arguments.paths)
    index = workout_index()
    entries = index.listing(workouts)
    index.save()
    titles = {"bundled": "Bundled workouts", "user": "Your workouts", "given": "Given"}
    for source, title in titles.items():
        chosen = [entry for entry in entries if entry.source == source]
        if source == "user" and not chosen:
            say(f"Your workouts ({workouts.user}): none yet")
        elif chosen:
            say(f"{title}:")
            for entry in chosen:
                say(_entry_line(entry))
    return 1 if any(entry.error for entry in entries if entry.source == "given") else 0


def command_show(arguments: argparse.Namespace) -> int:
    from tempo_coach.config_file import read_config_file

    index = workout_index()
    try:
        # The units setting, read without validating the config (which takes pydantic).
        summary = index.summary(catalog().find(arguments.workout), read_config_file().units)
    finally:
        index.save()  # a broken file's problems are kept too
    say("\n".join(summary.plan))
    return 0


def command_validate(arguments: argparse.Namespace) -> int:
    """Errors always fail; programming-check warnings fail only with ``--strict``."""
    index = workout_index()
    failed = 0
    for name in arguments.files:
        path = Path(name)
        try:
            summary = index.summary(path)
        except WorkoutFileError as error:
            failed += 1
            say(str(error), stream=sys.stderr)
            continue
        warnings = summary.warnings
        if warnings and arguments.strict:
            failed += 1
        verdict = f"{len(warnings)} warning(s)" if warnings else "ok"
        say(f"{path}: {verdict} — {summary.name}")
        for warning in warnings:
            say(f"{path}: {warning}")
    index.save()
    if failed:
        say(f"{failed} of {len(arguments.files)} file(s) failed", stream=sys.stderr)
    return 1 if failed else 0


def command_schema(arguments: argparse.Namespace) -> int:
    if arguments.programme:
        from tempo_coach.core.programmes import programme_json_schema

        print(json.dumps(programme_json_schema(), indent=2))
        return 0
    from tempo_coach.core.schema import workout_json_schema

    print(json.dumps(workout_json_schema(), indent=2))
    return 0


Handler = Callable[[argparse.Namespace], int]
"""A command: its parsed arguments in, its exit code out."""

QUICK_COMMANDS: frozenset[Handler] = frozenset(
    {command_list, command_show, command_validate, command_schema}
)
"""Commands that only read files and print: the installed command ends them without the
interpreter's teardown (see `console`)."""


QUICK_FLAGS = {
    "reps": "--reps",
    "sets": "--sets",
    "beat_seconds": "--beat",
    "rest_seconds": "--rest",
    "count_in_beats": "--count-in",
    "seconds": "--setup",
    "tempo": "tempo",
}
"""The ``tempo`` command's flag for each workout field it fills in."""


def quick_workout(arguments: argparse.Namespace) -> Workout:
    """A one-exercise workout straight from a tempo string, for ``tempo-coach tempo``."""
    from pydantic import ValidationError

    from tempo_coach.core.loading import validation_problems
    from tempo_coach.core.models import Workout

    setup: dict[str, object] = (
        {"mode": "manual", "cue": "Get into position."}
        if arguments.setup is None
        else {"mode": "timed", "seconds": arguments.setup, "cue": "Get into position."}
    )
    raw = {
        "format_version": 1,
        "name": f"Tempo {arguments.tempo}",
        "count_in_beats": arguments.count_in,
        "defaults": {
            "beat_seconds": arguments.beat,
            "rest_seconds": arguments.rest,
            "setup": setup,
        },
        "exercises": [
            {
                "name": "Quick tempo",
                "trains": "other",
                "category": "assistance",
                "sets": arguments.sets,
                "reps": arguments.reps,
                "tempo": arguments.tempo,
                "starts_with": "concentric" if arguments.concentric_first else "eccentric",
            }
        ],
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


def overrides_from(arguments: argparse.Namespace) -> Overrides:
    """The command line's choices, each problem named by its flag (``--volume: …``)."""
    from pydantic import ValidationError

    from tempo_coach.core.loading import validation_problems
    from tempo_coach.sessions import OVERRIDE_FLAGS, Overrides

    given = {
        "audio_mode": arguments.audio,
        "volume": arguments.volume,
        "setup_seconds": getattr(arguments, "setup", None),
    }
    try:
        return Overrides.model_validate(given)
    except ValidationError as error:
        problems = validation_problems(error.errors(), root=Overrides)
        raise TempoCoachError(
            "\n".join(
                f"{OVERRIDE_FLAGS.get(problem.where, problem.where)}: {problem.message}"
                for problem in problems
            )
        ) from None


def command_tempo(arguments: argparse.Namespace) -> int:
    from tempo_coach.catalog import LoadedWorkout

    workout = quick_workout(arguments)
    # Logged like any workout; its "file" is the tempo command itself.
    loaded = LoadedWorkout(
        Path(f"tempo-coach tempo {arguments.tempo}"), workout.model_dump_json(), workout
    )
    # --setup already made the setup timed; it is not an override here.
    overrides = overrides_from(argparse.Namespace(audio=arguments.audio, volume=arguments.volume))
    return play_plain(loaded, overrides, fresh=True, setup_flag="--setup SECONDS")


def command_run(arguments: argparse.Namespace) -> int:
    from tempo_coach.catalog import read_workout

    overrides = overrides_from(arguments)
    loaded = read_workout(catalog().find(arguments.workout))  # reported before any screen
    if arguments.plain or not sys.stdout.isatty():  # a pipe gets lines, not escape codes
        return play_plain(loaded, overrides, fresh=arguments.fresh, setup_flag="--setup SECONDS")
    return run_app(start_with=loaded.path, overrides=overrides, fresh=arguments.fresh)


def run_app(
    *, start_with: Path | None = None, overrides: Overrides | None = None, fresh: bool = False
) -> int:
    """The full-screen app. It paints silent first: the sound device is probed in a thread
    after the first frame, with ALSA's error text silenced, and then takes over. `fresh`:
    `start_with` starts over instead of offering to resume an interrupted session."""
    from tempo_coach.audio.silent import SilentPlayer
    from tempo_coach.config_file import read_config_file
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.tui.app import PlayerChoice, TempoCoachApp

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise TempoCoachError(
            "the full-screen app needs a terminal; `tempo-coach run WORKOUT --plain` prints "
            "lines instead, and `tempo-coach --help` lists the commands"
        )
    clock = MonotonicClock()
    workouts = catalog()

    def make_player() -> PlayerChoice:
        """Run in a thread after the first frame: numpy, simpleaudio and the sounds load
        there, not before the UI. Start-up is over, so garbage is collected again. The app
        validated the settings just before (on the event loop)."""
        gc.enable()
        from tempo_coach.audio import open_sound

        settings = app.settings
        # No overrides (the app started bare) are not built here: their module is the sessions'.
        volume = (
            settings.volume if overrides is None or overrides.volume is None else overrides.volume
        )
        silent = ((overrides and overrides.audio_mode) or settings.audio_mode) == "silent"

        def device_lost(notice: str) -> None:
            app.sound_lost(notice)  # the player calls it on the event loop

        # Every workout the picker offers gets its speech now, before any session starts.
        from tempo_coach.core.timeline import compile_timeline

        sound = open_sound(
            clock,
            audio_enabled=True,
            volume=volume,
            on_failure=device_lost,
            guard_stderr=False,
            timelines=[
                compile_timeline(entry.workout)
                for entry in workouts.entries()
                if entry.workout is not None
            ],
            speak_cues=settings.speak_cues,
            speech_voice=settings.speech_voice,
            speech_speed=settings.speech_speed,
            speech_volume=settings.speech_volume,
        )
        # Nothing was to be heard: the device matters only if m is pressed.
        notice = None if silent else sound.notice
        return PlayerChoice(sound.player, notice, sound.spoken, sound.prepare_speech)

    def open_history() -> tuple[History | None, str | None]:
        """Called by the app once its first frame is painted (sooner if a session starts
        first): the session machinery, the store and SQLite load then, not before."""
        from tempo_coach.sessions import open_history

        return open_history()

    app = TempoCoachApp(
        catalog=workouts,
        clock=clock,
        player=SilentPlayer(),
        settings=read_config_file(),
        overrides=overrides,
        start_with=start_with,
        start_fresh=fresh,
        make_player=make_player,
        open_history=open_history,
    )
    try:
        app.run()
    finally:
        app.close_history()
    return app.return_code or 0


def play_plain(
    loaded: LoadedWorkout,
    overrides: Overrides,
    *,
    fresh: bool,
    setup_flag: str,
    programme: ProgrammeRun | None = None,
) -> int:
    """Run a session in plain mode with real sound (or the visual fallback), logging each
    completed set; an interrupted session of the same file is resumed unless `fresh`.
    A `programme` session is logged in the programme once it is over."""
    import asyncio

    from tempo_coach.audio import open_sound  # audio loads only for sessions
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.core.timeline import compile_timeline
    from tempo_coach.plain import OutputLost, PlainOutput, format_clock, run_plain
    from tempo_coach.session_log import SavedSet, resume_words
    from tempo_coach.sessions import SessionMaker, audio_mode_for, open_history
    from tempo_coach.settings import load_settings

    gc.enable()  # start-up is over: a session runs for minutes (see `main`)
    settings, settings_notice = load_settings()
    history, history_notice = open_history()
    mode = audio_mode_for(loaded.workout, settings, overrides)

    output = PlainOutput(sys.stdout)

    def notify(notice: str) -> None:
        output.say(f"! {notice}")

    async def session() -> bool:
        clock = MonotonicClock()
        volume = overrides.volume if overrides.volume is not None else settings.volume
        # Speech is synthesized here, before the session, off the loop (the first run
        # of a workout with its own words takes a moment; later ones read the cache).
        sound = await asyncio.to_thread(
            open_sound,
            clock,
            audio_enabled=mode != "silent",
            volume=volume,
            on_failure=notify,
            timelines=[compile_timeline(loaded.workout)],
            speak_cues=settings.speak_cues,
            speech_voice=settings.speech_voice,
            speech_speed=settings.speech_speed,
            speech_volume=settings.speech_volume,
        )
        player, notice, spoken = sound.player, sound.notice, sound.spoken
        for line in (settings_notice, history_notice, notice):
            if line:
                notify(line)
        maker = SessionMaker(
            clock=clock,
            player=player,
            spoken=spoken,
            settings=settings,
            overrides=overrides,
            history=history,
            notify=notify,
        )
        plan = maker.plan(loaded)
        if plan.timeline.manual_setups and not sys.stdin.isatty():
            raise TempoCoachError(
                f"{loaded.workout.name}: its setups wait for Enter, and there is no terminal"
                f" to press it in; give {setup_flag} to count each setup down instead"
            )

        def saved(done: SavedSet) -> None:
            """Said once the set is committed: a line the lifter (or a test) can trust."""
            output.say(f"[{format_clock(running.engine.position_ms)}] Saved {done.words}")

        running = maker.start(plan, resume=not fresh, on_saved=saved, programme=programme)
        if plan.resumable is not None and not fresh:
            notify(
                f"Resuming your interrupted session: "
                f"{resume_words(plan.timeline, plan.resumable)} (--fresh starts over)"
            )
        completed = await run_plain(running, output, tolerance=settings.adherence_tolerance)
        if completed and spoken is not None:
            await asyncio.sleep(AUDIO_TAIL_SECONDS)  # let "workout complete" be heard
        return completed

    try:
        asyncio.run(session())
    except OutputLost as lost:
        _quiet_stdout()
        if not isinstance(lost.error, BrokenPipeError):  # `| head` wanted no more: fine
            reason = lost.error.strerror or lost.error
            say(
                f"cannot write to the output ({reason}); the session was stopped and its"
                " sets are kept",
                stream=sys.stderr,
            )
        if lost.unsaved is not None:
            say(lost.unsaved, stream=sys.stderr)
        return 1
    finally:
        if history is not None:
            history.close()
    return 0


def _quiet_stdout() -> None:
    """Point standard output at /dev/null: Python's last flush at exit would otherwise
    fail again on a closed pipe or full device and print its own complaint."""
    import os

    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), sys.stdout.fileno())


def history_lines(history: History, session_id: int | None) -> list[str]:
    """The sessions as a table, newest first, with their volume load, tempo adherence and its
    trend by week; or one session's sets, each with its load (in the lifter's units), volume
    load, TUT × load and tapped lowering, warm-ups marked "W" and never counted."""
    from tempo_coach.core.describe import format_duration, mass_words
    from tempo_coach.core.taps import adherence, weekly_adherence
    from tempo_coach.settings import load_settings

    settings = load_settings()[0]  # a broken config: the defaults
    tolerance, units = settings.adherence_tolerance, settings.units
    if session_id is not None:
        session = next((row for row in history.sessions() if row.id == session_id), None)
        if session is None:
            raise TempoCoachError(f"no session {session_id}; `tempo-coach history` lists them")
        programme = (
            f" · programme {session.programme}, session {session.programme_session}"
            if session.programme is not None
            else ""
        )
        lines = [
            f"Session {session.id}: {session.workout_name}, "
            f"{session.started_at.astimezone():%Y-%m-%d %H:%M} ({session.status}){programme}",
        ]
        if session.note is not None:
            lines.append(f"Note: {session.note}")
        lines.append(
            f"{'Exercise':<28} {'Set':>3} {'Side':<5} {'Reps':>4} {'Tempo':<9} {'Load':<17} "
            f"{'Volume':>8} {'TUT':>6} {'TUT×load':>11} {'RPE':>3}  Eccentric"
        )
        readings = []
        for done in history.sets(session.id):
            tapped = ""
            if done.phase_spans is not None:
                tapped = adherence(done.phase_spans.readings(), tolerance).describe()
                readings.extend(done.phase_spans.readings())
            number = f"W{done.set_number}" if done.warmup else str(done.set_number)
            load = "" if done.load is None else str(done.load.in_unit(units))
            lines.append(
                f"{done.exercise[:28]:<28} {number:>3} {done.side or '':<5} "
                f"{done.reps_done:>4} {done.target_tempo[:9]:<9} {load:<17} "
                f"{mass_words(done.volume_kg, units):>8} {format_duration(done.tut_ms):>6} "
                f"{mass_words(done.tut_load_kg_s, units, '·s'):>11} {done.rpe or '':>3}  "
                f"{tapped}".rstrip()
            )
            marks = done.marks(lambda load: str(load.in_unit(units)))
            if marks:
                lines.append(f"    {' · '.join(marks)}")
        if readings:
            lines.append(f"Session: {adherence(readings, tolerance).describe()}")
        return lines
    sessions = history.sessions()
    if not sessions:
        return ["No sessions yet."]
    lines = [
        f"{'Id':>4}  {'Started':<16}  {'Workout':<30} {'Status':<10} {'Sets':>4} "
        f"{'Reps':>4} {'TUT':>6} {'Volume':>9} {'Adherence':>9}  Programme"
    ]
    by_day: list[tuple[datetime.date, int, int | None]] = []
    for row in sessions:
        readings = [
            reading
            for done in history.sets(row.id)
            if done.phase_spans is not None
            for reading in done.phase_spans.readings()
        ]
        by_day.extend((row.started_at.astimezone().date(), ms, target) for ms, target in readings)
        share = adherence(readings, tolerance).share
        programme = "" if row.programme is None else f"{row.programme} #{row.programme_session}"
        lines.append(
            f"{row.id:>4}  {row.started_at.astimezone():%Y-%m-%d %H:%M}  "
            f"{row.workout_name[:30]:<30} {row.status:<10} {row.sets_done:>4} "
            f"{row.reps_done:>4} {format_duration(row.tut_ms):>6} "
            f"{mass_words(row.volume_kg, units):>9} "
            f"{'' if share is None else f'{share:.0%}':>9}  {programme}".rstrip()
        )
    weeks = [
        f"{monday:%G-W%V} {score.share:.0%} of {score.judged}"
        for monday, score in weekly_adherence(by_day, tolerance)
        if score.share is not None
    ]
    if weeks:
        lines.append("Tempo adherence by week: " + " · ".join(weeks))
    return lines


def command_history(arguments: argparse.Namespace) -> int:
    from tempo_coach.store import History

    with History.open() as history:
        say("\n".join(history_lines(history, arguments.session)))
    return 0


OUTPUT_ERRORS = {errno.ENOSPC, errno.EIO, errno.EBADF}
"""What writing to standard output can fail with (a full device, a gone terminal)."""

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database: an export never writes over one."""


def command_export(arguments: argparse.Namespace) -> int:
    import io

    from tempo_coach.catalog import write_atomically
    from tempo_coach.settings import load_settings
    from tempo_coach.store import History, default_history_path, export_rows, write_csv, write_json

    tolerance = load_settings()[0].adherence_tolerance
    write = write_csv if arguments.format == "csv" else write_json
    if arguments.output is None:
        with History.open() as history:
            rows = export_rows(history, tolerance)
        write(rows, sys.stdout)
        return 0
    target: Path = arguments.output
    _refuse_export_target(target, default_history_path())
    with History.open() as history:
        rows = export_rows(history, tolerance)
    text = io.StringIO(newline="")
    write(rows, text)
    # A synced temporary file renamed into place: killed mid-export, the old one stays whole.
    write_atomically(target, text.getvalue(), overwrite=True)
    say(f"{len(rows)} set{'s' if len(rows) != 1 else ''} written to {target}", stream=sys.stderr)
    return 0


def _refuse_export_target(target: Path, history: Path) -> None:
    """An export goes to a new or an old export, never over the history (or any SQLite
    file), a folder or a device."""
    shown = printable(str(target))
    if target.exists() and history.exists() and target.resolve() == history.resolve():
        raise TempoCoachError(f"{shown} is your history itself; export to another file")
    if target.is_dir():
        raise TempoCoachError(f"{shown} is a folder; give a file name, like {shown}/history.csv")
    if not target.parent.is_dir():
        raise TempoCoachError(f"cannot write {shown}: the folder {target.parent} does not exist")
    if target.exists():
        if not target.is_file():
            raise TempoCoachError(f"{shown} is not a regular file; export to a file")
        with target.open("rb") as existing:
            if existing.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
                raise TempoCoachError(
                    f"{shown} is a SQLite database; an export never "
                    "writes over one — choose another file"
                )


def programmes() -> ProgrammeStore:
    from tempo_coach.programme_store import ProgrammeStore

    return ProgrammeStore.default()


def command_programme_list(arguments: argparse.Namespace) -> int:
    from tempo_coach.core.programmes import ProgrammeError, compile_programme

    store = programmes()
    workouts = store.workouts_by_stem()
    for stem, path in sorted(store.by_stem().items()):
        try:
            programme = store.load(path)
            plan = compile_programme(programme, datetime.date(2001, 1, 1), workouts)
        except (WorkoutFileError, ProgrammeError) as error:
            say(f"  {stem:<28} BROKEN: {error}")
            continue
        weeks = plan[-1].week if plan else 0
        say(f"  {stem:<28} {programme.name} ({len(plan)} sessions over {weeks} weeks)")
    return 0


def command_programme_show(arguments: argparse.Namespace) -> int:
    from tempo_coach.config_file import read_config_file
    from tempo_coach.core.programmes import describe_programme

    store = programmes()
    programme = store.load(store.find(arguments.name))
    # Loads in the units setting, as `show` gives them: the config read, not validated.
    units = read_config_file().units
    say("\n".join(describe_programme(programme, store.workouts_by_stem(), units)))
    return 0


def command_programme_start(arguments: argparse.Namespace) -> int:
    from tempo_coach.core.programmes import compile_programme

    store = programmes()
    path = store.find(arguments.name)
    programme = store.load(path)
    start = arguments.on or datetime.date.today()
    compile_programme(programme, start, store.workouts_by_stem())  # refuse a broken plan now
    store.follow(path.stem, start)
    say(
        f"Following {programme.name} from {start:%A %d %B %Y}; `tempo-coach today` says what to do."
    )
    return 0


def command_today(arguments: argparse.Namespace) -> int:
    """What to do today in the programme followed: the session, its loads and why."""
    from tempo_coach.programme_session import ProgrammeRun, read_today
    from tempo_coach.settings import load_settings

    settings, _ = load_settings()  # a broken config is said when the session runs
    store = programmes()
    on = datetime.date.today()
    view = read_today(store, on, settings.units)
    if view is None:
        raise TempoCoachError(
            "you follow no programme yet; `tempo-coach programme list` shows them and "
            "`tempo-coach programme start NAME` starts one"
        )
    following = store.following()
    assert following is not None  # read_today found it
    lines = view.lines()
    say(f"{view.name} (from {following.start:%d %B %Y}): {lines[0]}")
    if lines[1:]:
        say("\n".join(lines[1:]))
    if view.session is None or not getattr(arguments, "run", False):
        return 0
    run = ProgrammeRun(store, view.stem, view.session, on)
    return run_programme_session(run, overrides_from(arguments))


def run_programme_session(run: ProgrammeRun, overrides: Overrides) -> int:
    """Today's session in plain mode; what it logs (reps, loads, efforts, tapped
    lowerings of its work sets) goes into the programme's log, which the next `today`
    progresses from."""
    return play_plain(
        run.loaded(), overrides, fresh=True, setup_flag="--setup SECONDS", programme=run
    )


class _AudioModes(Collection[str]):
    """``--audio``'s choices, the cues' `AUDIO_MODES`, looked up only when argparse checks a
    value or prints help: the cues load the workout models, which every command would
    otherwise pay for when the parser is built (``list`` included)."""

    @staticmethod
    def _modes() -> tuple[str, ...]:
        from tempo_coach.core.cues import AUDIO_MODES

        return AUDIO_MODES

    def __contains__(self, value: object) -> bool:
        return value in self._modes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._modes())

    def __len__(self) -> int:
        return len(self._modes())


def _add_audio_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--audio",
        choices=_AudioModes(),
        metavar="MODE",  # else argparse lists the choices as the parser is built
        default=None,
        help="what is heard: both (clicks and voice, the default), clicks, voice, or silent",
    )
    parser.add_argument(
        "--volume", type=float, default=None, help="0.0 to 1.0 (default 1.0, or your config)"
    )


def command_new(arguments: argparse.Namespace) -> int:
    from tempo_coach.editor_cli import command_new  # subprocess and the editor: only here

    return command_new(arguments)


def command_edit(arguments: argparse.Namespace) -> int:
    from tempo_coach.editor_cli import command_edit

    return command_edit(arguments)


if TYPE_CHECKING:  # where each command's parser is added (a type argparse does not name)
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _add_list(commands: Commands) -> None:
    listing = commands.add_parser("list", help="list bundled and your own workouts")
    listing.add_argument("paths", nargs="*", type=Path, help="more workout files or folders")
    listing.set_defaults(handler=command_list)


def _add_show(commands: Commands) -> None:
    show = commands.add_parser("show", help="print a workout's plan, session time and TUT")
    show.add_argument("workout", help="a workout's name (file stem) or path")
    show.set_defaults(handler=command_show)


def _add_validate(commands: Commands) -> None:
    validate = commands.add_parser("validate", help="check workout files for errors")
    validate.add_argument("files", nargs="+", help="workout files (.toml)")
    validate.add_argument(
        "--strict", action="store_true", help="fail on programming-check warnings too"
    )
    validate.set_defaults(handler=command_validate)


def _add_schema(commands: Commands) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of workout files")
    schema.add_argument(
        "--programme", action="store_true", help="the schema of programme files instead"
    )
    schema.set_defaults(handler=command_schema)


def _add_tempo(commands: Commands) -> None:
    tempo = commands.add_parser("tempo", help="play sets straight from a tempo string")
    tempo.add_argument("tempo", help='a tempo such as "4-1-X-2" (lowering, pause, lift, pause)')
    tempo.add_argument("--reps", type=int, default=5, help="reps per set (default 5)")
    tempo.add_argument("--sets", type=int, default=1, help="sets (default 1)")
    tempo.add_argument("--beat", type=float, default=1.0, help="seconds per count (default 1)")
    tempo.add_argument("--rest", type=float, default=90, help="rest between sets, seconds")
    tempo.add_argument("--count-in", type=int, default=3, help="counts before each set")
    tempo.add_argument(
        "--setup",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds of setup before each set (default: wait for Enter)",
    )
    tempo.add_argument(
        "--concentric-first", action="store_true", help="start each rep with the lift (leg curls)"
    )
    _add_audio_options(tempo)
    tempo.set_defaults(handler=command_tempo)


def _add_run(commands: Commands) -> None:
    run = commands.add_parser("run", help="follow a workout, cued phase by phase")
    run.add_argument("workout", help="a workout's name (file stem) or path")
    run.add_argument(
        "--plain",
        action="store_true",
        help="print a line per segment instead of the full-screen app (the"
        " default when the output is not a terminal)",
    )
    run.add_argument(
        "--fresh",
        action="store_true",
        help="start over: an interrupted session is abandoned, not resumed (plain mode) or"
        " offered (the full-screen app)",
    )
    run.add_argument(
        "--setup",
        type=float,
        default=None,
        metavar="SECONDS",
        help="count every setup down this long instead of waiting for a key",
    )
    _add_audio_options(run)
    run.set_defaults(handler=command_run)


def _add_history(commands: Commands) -> None:
    history = commands.add_parser("history", help="your sessions, newest first")
    history.add_argument("session", nargs="?", type=int, help="a session's id: its sets")
    history.set_defaults(handler=command_history)


def _add_export(commands: Commands) -> None:
    export = commands.add_parser(
        "export", help="write the whole history for a spreadsheet (loads and volume in kg)"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", type=Path, default=None, help="a file (default: stdout)")
    export.set_defaults(handler=command_export)


def _add_new(commands: Commands) -> None:
    new = commands.add_parser("new", help="copy a workout into your folder to change it")
    new.add_argument("name", help="the new workout's name (its file is NAME.toml)")
    new.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="WORKOUT",
        help="the workout to copy, by name or path",
    )
    new.set_defaults(handler=command_new)


def _add_programme(commands: Commands) -> None:
    programme = commands.add_parser("programme", help="multi-week programmes")
    steps = programme.add_subparsers(dest="step", metavar="STEP", required=True)
    steps.add_parser("list", help="bundled and your own programmes").set_defaults(
        handler=command_programme_list
    )
    show_programme = steps.add_parser("show", help="a programme's weeks, sessions and rules")
    show_programme.add_argument("name", help="a programme's name (file stem) or path")
    show_programme.set_defaults(handler=command_programme_show)
    start = steps.add_parser("start", help="follow a programme from today (or --on DATE)")
    start.add_argument("name", help="a programme's name (file stem) or path")
    start.add_argument(
        "--on",
        type=datetime.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the first day of week 1 (default today)",
    )
    start.set_defaults(handler=command_programme_start)
    steps.add_parser("status", help="where you are in the programme you follow").set_defaults(
        handler=command_today
    )


def _add_today(commands: Commands) -> None:
    today_parser = commands.add_parser("today", help="today's session of your programme")
    today_parser.add_argument(
        "--run",
        action="store_true",
        help="do it now, in plain mode; its sets go into the programme",
    )
    today_parser.add_argument(
        "--setup",
        type=float,
        default=None,
        metavar="SECONDS",
        help="count every setup down this long instead of waiting",
    )
    _add_audio_options(today_parser)
    today_parser.set_defaults(handler=command_today)


def _add_edit(commands: Commands) -> None:
    edit = commands.add_parser("edit", help="open one of your workouts in $EDITOR, then check it")

    edit.add_argument("name", help="one of your workouts, by name")
    edit.set_defaults(handler=command_edit)


COMMANDS: dict[str, Callable[[Commands], None]] = {
    "list": _add_list,
    "show": _add_show,
    "validate": _add_validate,
    "schema": _add_schema,
    "tempo": _add_tempo,
    "run": _add_run,
    "history": _add_history,
    "export": _add_export,
    "new": _add_new,
    "programme": _add_programme,
    "today": _add_today,
    "edit": _add_edit,
}
"""Each command's name, and what adds its parser (in the order help lists them)."""


def build_parser(words: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser, for the command line `words` (None: every command).
    Adding every command's arguments takes about 4 ms (argparse formats each one to check
    it), a tenth of a `list`; so when the first word names a command, only that one is
    added; with no words, none; for anything else (help, a mistyped command) all of them,
    as help lists them."""
    parser = argparse.ArgumentParser(
        prog="tempo-coach",
        description="A tempo coach for eccentric hamstring training.",
    )
    parser.add_argument("--version", action="version", version=f"tempo-coach {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    if words is not None and not words:
        return parser  # no words: the app, and no command to add
    first = None if words is None else words[0]
    for name, add in COMMANDS.items():
        if first == name or first not in COMMANDS:
            add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. Start-up runs without the cyclic garbage collector: importing
    makes many objects and frees few, and collecting meanwhile cost about 25 ms. Sessions
    turn it back on when their start-up is over; in-process callers get it back on return."""
    return _run(argv).code


def console() -> NoReturn:
    """The installed command (and ``python -m tempo_coach``): `main`, then, after a command
    that only reads and prints, an exit without the interpreter's teardown. Freeing every
    module and each of pydantic's validators one by one took about 28 ms, as long as
    `validate`'s own work; those commands hold nothing open once their output is flushed
    (the workout index is written and closed before they return)."""
    ended = _run(None)
    if ended.command in QUICK_COMMANDS and _flushed():
        os._exit(ended.code)
    sys.exit(ended.code)


@dataclass(frozen=True)
class Ended:
    """How the command line ended: its exit code, and the command that ran (None: the app,
    or none)."""

    code: int
    command: Handler | None = None


def _flushed() -> bool:
    """Whether everything printed has left the process (False: a closed pipe or a full
    device, which the normal exit deals with)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _run(argv: Sequence[str] | None) -> Ended:
    _without_pydantic_plugins()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


PLUGINS_OFF = ("__all__", "1", "true")
"""The values of ``PYDANTIC_DISABLE_PLUGINS`` that turn every pydantic plugin off."""


def _without_pydantic_plugins() -> None:
    """Turn pydantic's plugins off (Tempo Coach uses none; looking for them reads every
    installed package's metadata), unless the environment already says which to use.

    Off, pydantic's plugin loader returns no plugins, but importing it still imports
    ``importlib.metadata`` (with email, zipfile and csv): 13 ms of a 110 ms `validate`. So
    in that case the loader pydantic imports is one that returns no plugins and imports
    nothing; `tests/test_cli_startup.py` checks that pydantic asks it for nothing else."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in PLUGINS_OFF:
        sys.modules.setdefault(NO_PLUGINS.__name__, NO_PLUGINS)


def _no_plugins() -> tuple[()]:
    return ()


NO_PLUGINS = types.ModuleType(
    "pydantic.plugin._loader", "Pydantic's plugin loader with every plugin off (see above)."
)
NO_PLUGINS.get_plugins = _no_plugins  # type: ignore[attr-defined]


def _main(argv: Sequence[str] | None) -> Ended:
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        if sys.stderr is not None:
            print("tempo-coach: standard output is closed; nothing can be shown", file=sys.stderr)
        return Ended(1)
    words = sys.argv[1:] if argv is None else argv
    arguments = build_parser(words).parse_args(words)
    handler: Handler | None = getattr(arguments, "handler", None)
    try:
        if handler is None:
            return Ended(run_app())
        result = handler(arguments)
    except TempoCoachError as error:
        say(str(error), stream=sys.stderr)
        return Ended(1, handler)
    except KeyboardInterrupt:  # Ctrl+C outside a session: stop quietly
        return Ended(130, handler)
    except BrokenPipeError:  # `tempo-coach list | head -1`
        _quiet_stdout()
        return Ended(0, handler)
    except OSError as error:
        if error.errno not in OUTPUT_ERRORS:
            raise
        _quiet_stdout()
        say(f"cannot write to the output: {error.strerror or error}", stream=sys.stderr)
        return Ended(1, handler)
    return Ended(result, handler)
