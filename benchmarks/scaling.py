"""How the cost of a plan and of a history grows with its size. Prints numbers; never fails.

Workouts of 10, 100 and 1000 exercises of 3 × 5 (the RDL's first exercise, repeated): the
time to load the file, compile the timeline, build a `SessionEngine`, plan every cue,
`describe_workout` (what ``show`` and the picker print) and skip a segment (what the lifter
waits for on pressing ``n``: the engine re-plans the sound). Files past the 40-exercise cap
are loaded by validating each exercise as the file's own validation would, minus the cap.
Linear work grows 10× per 10× of exercises; quadratic work 100×.

Then a history of 100, 1000 and 10,000 sessions (four sets each): opening the history screen
(in-process, headless, to its first refresh) and ``export`` as CSV.

Run from the repository root: ``.venv/bin/python benchmarks/scaling.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from tempo_coach.catalog import Catalog, load_workout, workout_to_toml
from tempo_coach.core.clock import Clock, MonotonicClock
from tempo_coach.core.cues import Cue, plan_cues
from tempo_coach.core.describe import describe_workout
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.models import Exercise, Workout
from tempo_coach.core.timeline import Segment, Timeline, compile_timeline
from tempo_coach.settings import Settings
from tempo_coach.store import History, SetRecord, export_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
RDL = ROOT / "workouts" / "tempoed-rdl.toml"
SIZES = (10, 100, 1000)
HISTORY_SIZES = (100, 1000, 10_000)


class NullPlayer:
    """Takes the cues and plays nothing: the planning is what is timed."""

    def play(self, cues: Sequence[object], origin: float) -> None:
        del cues, origin

    def stop(self) -> None:
        pass


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` calls, in seconds: the least disturbed by the machine."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def big_workout(exercises: int) -> Workout:
    base = load_workout(RDL)
    exercise = base.exercises[0].model_copy(update={"sets": 3, "reps": 5})
    return base.model_copy(update={"exercises": [exercise] * exercises})


def load_uncapped(text: str) -> Workout:
    """The file's parse and validation, each exercise validated, past the exercise cap."""
    data = tomllib.loads(text)
    exercises = [Exercise.model_validate(item) for item in data.pop("exercises")]
    head = Workout.model_validate({**data, "exercises": [data_of(exercises[0])]})
    return head.model_copy(update={"exercises": exercises})


def data_of(exercise: Exercise) -> dict[str, object]:
    return exercise.model_dump(exclude_none=True, mode="json")


def new_engine(workout: Workout, segments: tuple[Segment, ...], clock: Clock) -> SessionEngine:
    return SessionEngine(Timeline(workout, segments), clock, NullPlayer())


def plan_all(workout: Workout, segments: tuple[Segment, ...]) -> list[Cue]:
    return plan_cues(Timeline(workout, segments), from_index=0, from_ms=0, mode="both")


def skip_once(engine: SessionEngine) -> None:
    """One press of ``n`` in a running session (what blocks the event loop)."""
    engine.state = "running"
    # As when the segment skipped to begins (no loop runs here): a press is a new skip,
    # not a second press of the one under way, which the engine ignores.
    engine._skipped = None
    engine.skip()


def plan_rows(runs: int) -> None:
    columns = ("load", "compile", "engine", "plan cues", "describe", "skip")
    results: dict[int, list[float]] = {}
    for size in SIZES:
        workout = big_workout(size)
        text = workout_to_toml(workout)
        timeline = compile_timeline(workout)
        clock = MonotonicClock()
        built = SessionEngine(timeline, clock, NullPlayer())
        skip_once(built)  # as in a session: its sound was planned when it started
        repeat = runs if size < 1000 else 1
        results[size] = [
            best_of(repeat, partial(load_uncapped, text)),
            best_of(repeat, partial(compile_timeline, workout)),
            # A fresh Timeline each time: what it computes once is part of the cost.
            best_of(repeat, partial(new_engine, workout, timeline.segments, clock)),
            best_of(repeat, partial(plan_all, workout, timeline.segments)),
            best_of(repeat, partial(describe_workout, workout)),
            best_of(repeat, partial(skip_once, built)),
        ]
    print(f"Plans of 3 × 5 per exercise (best of {runs}; one run at 1000), ms")
    header = f"{'exercises':>10}" + "".join(f"{name:>12}" for name in columns)
    print(header)
    for size in SIZES:
        print(f"{size:>10}" + "".join(f"{value * 1000:>12.2f}" for value in results[size]))
    for low, high in itertools.pairwise(SIZES):
        growth = [
            b / a if a else float("nan") for a, b in zip(results[low], results[high], strict=True)
        ]
        print(f"{f'×{high // low} {low}→{high}':>10}" + "".join(f"{g:>11.1f}×" for g in growth))


def fill_history(history: History, sessions: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for number in range(sessions):
        started = start + timedelta(hours=number)
        session = history.start_session(
            workout_name="Tempoed Romanian deadlift",
            workout_path=str(RDL),
            workout_hash="0" * 64,
            started_at=started,
        )
        for set_number in range(1, 5):
            history.record_set(
                session,
                SetRecord(
                    exercise_index=0,
                    exercise="Tempoed Romanian deadlift",
                    side=None,
                    set_number=set_number,
                    reps_done=5,
                    target_tempo="4-1-X-2",
                    tut_ms=35_000,
                    completed_at=started + timedelta(minutes=3 * set_number),
                ),
            )
        history.finish_session(session, status="completed", ended_at=started + timedelta(hours=1))


async def open_history_screen(history: History) -> float:
    from tempo_coach.audio.silent import SilentPlayer
    from tempo_coach.tui.app import TempoCoachApp

    app = TempoCoachApp(
        catalog=Catalog.default(),
        clock=MonotonicClock(),
        player=SilentPlayer(),
        settings=Settings(audio_mode="silent"),
        history=history,
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.action_history()
        await pilot.pause()
        return time.perf_counter() - started


def history_rows() -> None:
    print("History of four-set sessions (one run each), ms")
    print(f"{'sessions':>10}{'screen':>12}{'export csv':>12}")
    timings: dict[int, tuple[float, float]] = {}
    for size in HISTORY_SIZES:
        with tempfile.TemporaryDirectory() as folder:
            history = History.open(Path(folder) / "history.sqlite3")
            try:
                with history._connection:  # one transaction: filling is not what is timed
                    fill_history(history, size)
                screen = asyncio.run(open_history_screen(history))
                started = time.perf_counter()
                write_csv(export_rows(history), io.StringIO())
                export = time.perf_counter() - started
            finally:
                history.close()
        timings[size] = (screen, export)
        print(f"{size:>10}{screen * 1000:>12.1f}{export * 1000:>12.1f}")
    for low, high in itertools.pairwise(HISTORY_SIZES):
        growth = [b / a for a, b in zip(timings[low], timings[high], strict=True)]
        print(f"{f'×10 {low}→{high}':>10}" + "".join(f"{g:>11.1f}×" for g in growth))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure, best kept")
    parser.add_argument("--only", choices=("plan", "history"), action="append")
    arguments = parser.parse_args(argv)
    parts = arguments.only or ["plan", "history"]
    print(f"Python {sys.version.split()[0]}")
    if "plan" in parts:
        plan_rows(arguments.runs)
    if "history" in parts:
        history_rows()
    return 0


if __name__ == "__main__":
    sys.exit(main())
