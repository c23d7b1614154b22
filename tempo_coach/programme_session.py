"""A programme's session, from "what to do today" to what it logs, for the app and plain
mode alike.

`read_today` lays the followed programme out and progresses it from its log: the session
due, its loads and the reason for each change (what the picker's first row and `tempo-coach
today` show). `ProgrammeLog` listens to that session as it runs and, once it is over, turns
what the history stored (reps done, ended-early sets included; the load used; the effort
rated; the tapped lowerings) into the programme's log entry for it, which the next
`read_today` progresses from. It writes that entry when the session ends and again when the
session is finished with, so a rating given on the summary screen still counts.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tempo_coach.catalog import LoadedWorkout
from tempo_coach.core.errors import TempoCoachError
from tempo_coach.core.events import Event, SessionCompleted, SessionStopped
from tempo_coach.core.models import Load, LoadUnit
from tempo_coach.core.programmes import (
    Done,
    PlannedSession,
    Today,
    compile_programme,
    exercise_line,
    replay,
    today,
)
from tempo_coach.core.progression import LoggedSet, PlannedExercise
from tempo_coach.core.taps import ADHERENCE_TOLERANCE, adherence
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import Place
from tempo_coach.programme_store import ProgrammeStore
from tempo_coach.store import History, HistoryError, SetRow

SETTLE_SECONDS = 2.0
"""How long the log waits at a session's end for the history to commit its last set."""


@dataclass(frozen=True)
class TodayView:
    """The followed programme's next session as the lifter is told it."""

    stem: str
    """The programme's file stem, as the state file and the history name it."""
    name: str
    """The programme's own name."""
    today: Today
    on: datetime.date
    """The day it was read for."""
    reasons: dict[str, str]
    """Per exercise, the latest progression change and why ("+2.5 kg: all 4 × 5 done")."""
    units: LoadUnit | None = None
    """The lifter's units for the loads (None: as the programme writes them)."""

    @property
    def session(self) -> PlannedSession | None:
        return self.today.session

    def headline(self) -> str:
        """``"Today · Tempoed RDL block · week 1, session 1"``, or the programme's message
        (missed sessions, the next day, finished) after its name."""
        session = self.today.session
        if session is not None and not self.today.missed and self.today.due == self.on:
            return f"Today · {self.name} · {session.title}"
        return f"{self.name} · {self.today.message}"

    def lines(self) -> list[str]:
        """The message, the session and each exercise's sets × reps @ load with its reason."""
        lines = [self.today.message]
        session = self.today.session
        if session is None:
            return lines
        deload = " · deload" if session.deload else ""
        lines.append(
            f"{session.title.capitalize()} · {session.block} · {session.workout.name}{deload}"
        )
        for planned, written in zip(session.exercises, session.workout.exercises, strict=True):
            reason = self.reasons.get(planned.name)
            why = f" — {reason}" if reason else ""
            line = exercise_line(planned, written, units=self.units, as_planned=False)
            lines.append(f"  {line}{why}")
        return lines


def read_today(
    store: ProgrammeStore, on: datetime.date, units: LoadUnit | None = None
) -> TodayView | None:
    """The followed programme's session due next as of `on`, progressed from its log, its
    loads in `units`; None when no programme is followed.

    Raises:
        TempoCoachError: the state file, the programme file or its plan is broken; the
            message names the file and what is wrong.
    """
    following = store.following()
    if following is None:
        return None
    programme = store.load(store.find(following.name))
    plan = compile_programme(programme, following.start, store.workouts_by_stem())
    done = store.done()
    progress = replay(programme, plan, done)
    result = today(plan, done, on, progress.working)
    reasons = {change.exercise: str(change) for change in progress.changes}
    return TodayView(following.name, programme.name, result, on, reasons, units)


@dataclass(frozen=True)
class ProgrammeRun:
    """A programme session about to be run: which one, and where what it logs goes."""

    store: ProgrammeStore
    stem: str
    session: PlannedSession
    on: datetime.date
    """The day it is done: the date its log entry is given."""

    @property
    def tag(self) -> tuple[str, int]:
        """The programme and session number the history tags the session with."""
        return (self.stem, self.session.number)

    def loaded(self) -> LoadedWorkout:
        """The session's workout as the session maker takes a file: its text is the
        compiled workout, whose hash ties the history's session (and a resume) to it."""
        workout = self.session.workout
        return LoadedWorkout(
            Path(f"programme {self.stem} {self.session.title}"),
            workout.model_dump_json(),
            workout,
        )


def logged_sets(
    rows: Sequence[SetRow], session: PlannedSession, tolerance: float = ADHERENCE_TOLERANCE
) -> dict[str, list[LoggedSet]]:
    """The work sets of a session as progression reads them, per exercise in order.

    Each set counts with the reps done (a set ended early or stopped part-way too), the load
    lifted (written in the plan's unit), the effort rated and the share of tapped lowerings
    within `tolerance`; warm-ups do not count. Both sides of a unilateral set make one set:
    its weaker side's reps, its harder rating, the share over both sides' lowerings.
    """
    by_set: dict[tuple[int, int], list[SetRow]] = {}
    for row in rows:
        if not row.warmup and 0 <= row.exercise_index < len(session.exercises):
            by_set.setdefault((row.exercise_index, row.set_number), []).append(row)
    sets: dict[str, list[LoggedSet]] = {}
    for (index, set_number), sides in sorted(by_set.items()):
        planned = session.exercises[index]
        rated = [row.rpe for row in sides if row.rpe is not None]
        score = adherence(
            (reading for row in sides if row.phase_spans for reading in row.phase_spans.readings()),
            tolerance,
        )
        sets.setdefault(planned.name, []).append(
            LoggedSet(
                target_reps=_target(planned, set_number),
                reps=min(row.reps_done for row in sides),
                load=_lifted(sides[0].load, planned.load),
                rpe=max(rated) if rated else None,
                adherence=score.share,
            )
        )
    return sets


def planned_sets(
    done: Iterable[tuple[Place, int]], session: PlannedSession
) -> dict[str, list[LoggedSet]]:
    """The work sets a session completed as it saw them itself (each side's place and reps
    done), for when the history has none of them (it could not be opened or written): loads
    as planned, unrated. Both sides of a unilateral set make one set, of its weaker side."""
    reps_by_set: dict[tuple[int, int], int] = {}
    for place, reps in done:
        key = (place.exercise_index, place.set_number)
        if place.warmup or not 0 <= place.exercise_index < len(session.exercises):
            continue
        reps_by_set[key] = min(reps, reps_by_set.get(key, reps))
    sets: dict[str, list[LoggedSet]] = {}
    for (index, set_number), reps in sorted(reps_by_set.items()):
        planned = session.exercises[index]
        sets.setdefault(planned.name, []).append(
            LoggedSet(
                target_reps=_target(planned, set_number),
                reps=reps,
                load=planned.load,
                rpe=None,
                adherence=None,
            )
        )
    return sets


def _target(planned: PlannedExercise, set_number: int) -> int:
    return planned.reps[min(max(set_number, 1), len(planned.reps)) - 1]


def _lifted(stored: Load | None, planned: Load | None) -> Load | None:
    """The load lifted, in the plan's unit, so a step of "2.5" stays in the unit the
    programme wrote (the history keeps kg); the plan's load when none was stored."""
    if stored is None:
        return planned
    if planned is None:
        return stored
    if stored.bodyweight == planned.bodyweight and abs(stored.kilograms - planned.kilograms) < 0.01:
        return planned
    return stored.in_unit(planned.unit)


@dataclass
class ProgrammeLog:
    """Writes a programme session's log entry from what the history stored of it.

    Subscribe it to the session's engine: at the session's end it waits (off the event
    loop) for the history to commit the last set, then writes the entry; `finish` writes it
    again once the history is closed, with any rating given since. A history that cannot be
    read, or a state file that cannot be written, is told through `notify`, never raised.
    """

    run: ProgrammeRun
    history: History | None
    notify: Callable[[str], None]
    tolerance: float = ADHERENCE_TOLERANCE
    settle: Callable[[float], None] | None = None
    """Waits up to the given seconds for the history's queued writes (the recorder's)."""
    session_id: Callable[[], int | None] = lambda: None
    """The history's row for this run (the recorder's `session_id`), once written."""
    fallback: Callable[[], Iterable[tuple[Place, int]]] = tuple
    """Each side the session completed and its reps done, for when the history has none."""
    on_written: Callable[[Done], None] | None = None
    """Told of each entry written (the app's picker shows the next session from it)."""
    done: Done | None = None
    """The entry written last."""
    _ending: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    def __call__(self, event: Event) -> None:
        if isinstance(event, SessionCompleted | SessionStopped) and self._ending is None:
            self._ending = asyncio.get_running_loop().create_task(self._at_end())

    async def _at_end(self) -> None:
        if self.settle is not None:
            await asyncio.to_thread(self.settle, SETTLE_SECONDS)
        self.write()

    async def finish(self) -> Done | None:
        """Once the history is closed: the entry, rewritten with everything stored."""
        if self._ending is not None:
            await self._ending
        self.write()
        return self.done

    def write(self) -> None:
        """Record the session's work sets in the programme's log (in place of an entry
        written before for the same session)."""
        rows = self.rows()
        sets = (
            logged_sets(rows, self.run.session, self.tolerance)
            if rows
            else planned_sets(self.fallback(), self.run.session)
        )
        if not sets:
            return
        done = Done(self.run.session.number, self.run.on, sets)
        if done == self.done:
            return
        try:
            self.run.store.record(done)
        except TempoCoachError as error:
            self.notify(f"{error}; this session does not count in your programme")
            return
        self.done = done
        if self.on_written is not None:
            self.on_written(done)

    def rows(self) -> list[SetRow]:
        """This run's sets in the history (one indexed query: no scan of the history)."""
        if self.history is None:
            return []
        try:
            session_id = self.session_id()
            return [] if session_id is None else self.history.sets(session_id)
        except HistoryError as error:
            self.notify(f"{printable(str(error))}; your programme counts the planned reps")
            return []
