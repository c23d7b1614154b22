"""Programmes: weeks of sessions, compiled onto the calendar, and what to do today.

A programme file names workouts (by stem, or inline) and changes their sets, reps, tempo and
load week by week, in blocks (a build-up, then maintenance). `compile_programme` turns it,
a start date and the workouts into dated sessions; `today` finds the next one from what was
logged, carrying on when days were missed; `check_weeks` weighs each week against the
article's rules. Pure: workouts and history are passed in, nothing is read from disk.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, WithJsonSchema, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from tempo_coach.core.checks import CHECKS, Finding
from tempo_coach.core.describe import describe_finding, rhythm
from tempo_coach.core.errors import Problem, TempoCoachError, WorkoutFileError
from tempo_coach.core.loading import parse_toml, validation_problems
from tempo_coach.core.models import (
    MAX_EXERCISES,
    MAX_SILENCED,
    Exercise,
    Line,
    Load,
    LoadUnit,
    PlainText,
    Range,
    SetCount,
    SilencedCheck,
    StrictModel,
    TempoField,
    Workout,
)
from tempo_coach.core.progression import (
    LIMITS,
    PROGRESSION_ERRORS,
    Change,
    LoggedSet,
    PlannedExercise,
    Progress,
    ProgressionRule,
    RepRange,
    Reps,
    Working,
    apply_working,
    describe_rule,
    progress,
)
from tempo_coach.core.schema import field_docstrings
from tempo_coach.core.text import close_matches, quote

MAX_PROGRAMME_WEEKS = 104
"""Two years of weeks: past any published protocol, and a bound on the compiled plan."""
MAX_SESSIONS_A_WEEK = 21
"""Three a day, every day."""

PROGRAMME_ERRORS = PROGRESSION_ERRORS | {
    "schedule",
    "week_too_full",
    "programme_too_long",
    "workout_stem",
}
"""The error types raised for programme files whose message is already a sentence."""

_WEEK_DAYS = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
"""The days from the week's start that N sessions a week fall on: a rest day between them
where there is room, as the published protocols spread them."""

_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _stem(value: str) -> str:
    if not _STEM.match(value):
        raise PydanticCustomError(
            "workout_stem",
            'a workout is named by its file stem, like "nordic-curl": letters, digits, ".", "_" '
            'and "-", not a path',
        )
    return value


WorkoutStem = Annotated[
    Line,
    Field(min_length=1, max_length=80),
    AfterValidator(_stem),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 80, "pattern": _STEM.pattern}),
]
ExerciseName = Annotated[Line, Field(min_length=1, max_length=60)]


class ExerciseOverride(StrictModel):
    """Changes to one exercise of a session's workout, for this week."""

    name: ExerciseName
    """The exercise to change, by its name in the workout (up to 60 characters)."""
    sets: SetCount | None = None
    """Number of sets, 1 to 20; a workout's own per-set reps are cut to it (or their last
    number repeated)."""
    reps: Reps | None = None
    """Reps per set, 1 to 50: one number for every set, a list with one per set, or a range
    such as "6-8" (the sets aim for the bottom; double progression climbs it)."""
    tempo: TempoField | None = None
    """The tempo ("4-1-X-2"); only for exercises written with a tempo, not custom phases."""
    load: Load | None = None
    """The planned load: "80 kg", "175 lb", "bodyweight", "bodyweight + 10 kg" or
    "bodyweight - 20 kg" (a band's assistance), or a table of `bodyweight`, `amount` and
    `unit`."""


class Session(StrictModel):
    """One session of a week: a workout, and what this week changes in it."""

    workout: WorkoutStem | Workout
    """A workout by name (its file stem, like "nordic-curl"), or a whole workout inline."""
    label: Annotated[Line, Field(max_length=60)] = ""
    """A short name for the session ("Heavy day"); up to 60 characters."""
    exercises: list[ExerciseOverride] = Field(default=[], max_length=MAX_EXERCISES)
    """Changes to the workout's exercises, by exercise name (up to 40)."""


class Schedule(StrictModel):
    """How often sessions are done: `per_week` or `every_days`, and `per_day`."""

    per_week: Annotated[int, Range(1, 7)] | None = None
    """Sessions a week, 1 to 7, spread with rest days between where there is room."""
    every_days: Annotated[int, Range(1, 14, "days")] | None = None
    """One training day every this many days (1 to 14), counted across the block."""
    per_day: Annotated[int, Range(1, 3)] = 1
    """Sessions on each training day, 1 to 3 (2: twice a day)."""

    @model_validator(mode="after")
    def _one_frequency(self) -> Schedule:
        if (self.per_week is None) == (self.every_days is None):
            raise PydanticCustomError(
                "schedule", "give a schedule either `per_week` or `every_days`, not both"
            )
        return self

    def most_sessions(self) -> int:
        """The most sessions a week can hold on this schedule."""
        days = self.per_week or -(-7 // (self.every_days or 1))
        return days * self.per_day


class Week(StrictModel):
    """A week of training, or several alike (`repeat`)."""

    sessions: list[Session] = Field(min_length=1, max_length=MAX_SESSIONS_A_WEEK)
    """The week's sessions in order (1 to 21); when the schedule has more, they repeat."""
    schedule: Schedule | None = None
    """How often to train this week; the block's schedule, else each session once, when
    left out."""
    repeat: Annotated[int, Range(1, MAX_PROGRAMME_WEEKS, "weeks")] = 1
    """How many weeks in a row this week is done, 1 to 104."""
    deload: bool = False
    """A lighter week: the programme's `deload` takes off sets and load, and progression
    rests."""

    @model_validator(mode="after")
    def _room_for_sessions(self) -> Week:
        if self.schedule is None and len(self.sessions) > 7:
            raise PydanticCustomError(
                "week_too_full",
                f"the week lists {len(self.sessions)} sessions; more than 7 need a `schedule` "
                "with `per_day`",
            )
        _fits_schedule(self, self.schedule)
        return self


class Block(StrictModel):
    """A phase of the programme: a build-up, a maintenance phase."""

    name: Annotated[Line, Field(min_length=1, max_length=60)]
    """The block's name ("Build-up"), up to 60 characters."""
    description: Annotated[str, PlainText(multiline=True), Field(max_length=1000)] = ""
    """What the block is for (up to 1000 characters; may span lines)."""
    schedule: Schedule | None = None
    """How often to train in every week of the block that does not give its own."""
    weeks: list[Week] = Field(min_length=1, max_length=MAX_PROGRAMME_WEEKS)
    """The weeks, in order."""

    @model_validator(mode="after")
    def _room_for_sessions(self) -> Block:
        for week in self.weeks:
            if week.schedule is None:
                _fits_schedule(week, self.schedule)
        return self


def _fits_schedule(week: Week, schedule: Schedule | None) -> None:
    if schedule is not None and len(week.sessions) > schedule.most_sessions():
        raise PydanticCustomError(
            "week_too_full",
            f"a week lists {len(week.sessions)} sessions but its schedule has room for "
            f"{schedule.most_sessions()}",
        )


class Deload(StrictModel):
    """What a deload week takes off."""

    sets_percent: Annotated[float, Range(30, 100, "%")] = 60
    """The share of each exercise's sets kept, 30 to 100 % (at least one set)."""
    load_percent: Annotated[float, Range(30, 100, "%")] = 80
    """The share of each load (or added weight) kept, 30 to 100 %."""


class Programme(StrictModel):
    """A whole programme file: blocks of weeks of sessions, and how to progress."""

    format_version: Literal[1]
    """The file format's version, so later versions of Tempo Coach can read or migrate it."""
    name: Annotated[Line, Field(min_length=1, max_length=80)]
    """The programme's title (up to 80 characters)."""
    description: Annotated[str, PlainText(multiline=True), Field(max_length=2000)] = ""
    """What the programme is for and how to use it (up to 2000 characters)."""
    source: Annotated[Line, Field(max_length=500)] = ""
    """The published protocol it follows, as a citation (up to 500 characters); bundled
    programmes always give one."""
    blocks: list[Block] = Field(min_length=1, max_length=12)
    """The blocks, in order (1 to 12); up to 104 weeks in all."""
    progression: list[ProgressionRule] = Field(default=[], max_length=40)
    """The rules applied after each session (up to 40)."""
    deload: Deload = Deload()
    """What deload weeks take off."""
    silenced: list[SilencedCheck] = Field(default=[], max_length=MAX_SILENCED)
    """Weekly programming checks this programme departs from, each with its reason."""

    @model_validator(mode="after")
    def _fits(self) -> Programme:
        weeks = sum(week.repeat for block in self.blocks for week in block.weeks)
        if weeks > MAX_PROGRAMME_WEEKS:
            raise PydanticCustomError(
                "programme_too_long",
                f"the programme has {weeks} weeks; at most {MAX_PROGRAMME_WEEKS} are allowed",
            )
        progressing = [rule.exercise for rule in self.progression if rule.rule not in LIMITS]
        twice = sorted({name for name in progressing if name and progressing.count(name) > 1})
        if twice:
            raise PydanticCustomError(
                "rule_fields",
                f"{quote(twice[0])} has more than one double, tempo or load rule; give it one",
            )
        return self


def programme_problems(errors: Sequence[ErrorDetails]) -> list[Problem]:
    """`validation_problems` for a programme file. This module's own sentences are passed
    as a type the loader already shows word for word (it lists only the workout models')."""
    plain: list[ErrorDetails] = []
    for error in errors:
        if error["type"] in PROGRAMME_ERRORS:
            error = error.copy()
            error["type"] = "tempo"
        plain.append(error)
    return validation_problems(plain, root=Programme)


def parse_programme(text: str, path: Path) -> Programme:
    """Validate a programme given as TOML text; `path` is only used in error messages."""
    raw = parse_toml(text.removeprefix("\ufeff"), path)
    try:
        return Programme.model_validate(raw)
    except ValidationError as error:
        raise WorkoutFileError(path, programme_problems(error.errors())) from None


class ProgrammeError(TempoCoachError):
    """A programme that cannot be laid out against the workouts given, with every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class PlannedSession:
    """One dated session of a compiled programme."""

    number: int
    """Its place in the programme, from 1: what a logged session refers to."""
    on: datetime.date
    """The date the plan puts it on, before any missed days move it."""
    block: str
    week: int
    """The week of the programme, from 1."""
    session: int
    """The session of the week, from 1."""
    workout_name: str
    """The stem the programme names, or the inline workout's title."""
    workout: Workout
    """The workout with this week's changes (and any progression) applied, validated."""
    exercises: tuple[PlannedExercise, ...]
    """One per exercise of `workout`, in its order: targets and loads."""
    deload: bool
    load_percent: float
    """The share of load a deload week keeps (100 otherwise)."""

    @property
    def title(self) -> str:
        """Where the lifter is told they are: "week 2, session 3"."""
        return f"week {self.week}, session {self.session}"


@dataclass(frozen=True)
class _WeekPlan:
    """One week as the file gives it, with where it sits."""

    block: Block
    block_index: int
    week: Week
    week_index: int
    number: int
    """The week of the programme, from 0."""
    day_in_block: int
    """Days from the block's first day to this week's."""

    @property
    def where(self) -> str:
        return f"blocks[{self.block_index}].weeks[{self.week_index}]"


def _weeks(programme: Programme) -> Iterator[_WeekPlan]:
    number = 0
    for block_index, block in enumerate(programme.blocks):
        day = 0
        for week_index, week in enumerate(block.weeks):
            for _ in range(week.repeat):
                yield _WeekPlan(block, block_index, week, week_index, number, day)
                number += 1
                day += 7


def _schedule(week: Week, block: Block) -> Schedule:
    """The week's own schedule, else its block's, else each of its sessions once."""
    return week.schedule or block.schedule or Schedule(per_week=len(week.sessions))


def _slots(plan: _WeekPlan) -> list[int]:
    """The day (from the week's start) of each session of the week, in order."""
    schedule = _schedule(plan.week, plan.block)
    if schedule.per_week is not None:
        days: Sequence[int] = _WEEK_DAYS[schedule.per_week]
    else:
        every = schedule.every_days or 1
        days = [day for day in range(7) if (plan.day_in_block + day) % every == 0]
    return [day for day in days for _ in range(schedule.per_day)]


def _find_workout(
    session: Session, workouts: Mapping[str, Workout], where: str
) -> tuple[str, Workout]:
    """The workout a session names (with its name as given) or holds inline."""
    if isinstance(session.workout, Workout):
        return session.workout.name, session.workout
    if session.workout in workouts:
        return session.workout, workouts[session.workout]
    close = close_matches(session.workout, workouts)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    raise ProgrammeError(
        [Problem(f"{where}.workout", f"no workout is named {quote(session.workout)}{hint}")]
    )


def _resolve(
    session: Session,
    workouts: Mapping[str, Workout],
    where: str,
    deload: Deload | None,
) -> tuple[str, Workout, tuple[PlannedExercise, ...]]:
    """The session's workout with its overrides (and a deload) applied and validated."""
    name, workout = _find_workout(session, workouts, where)
    names = [exercise.name for exercise in workout.exercises]
    problems = [
        Problem(
            f"{where}.exercises[{index}].name",
            f"{workout.name} has no exercise named {quote(override.name)}; it has "
            + ", ".join(quote(name) for name in names),
        )
        for index, override in enumerate(session.exercises)
        if override.name not in names
    ]
    if problems:
        raise ProgrammeError(problems)
    overrides = {override.name: override for override in session.exercises}
    data = workout.model_dump(exclude_unset=True)
    loads: list[Load | None] = []
    ranges: list[RepRange | None] = []
    for entry, exercise in zip(data["exercises"], workout.exercises, strict=True):
        override = overrides.get(exercise.name, ExerciseOverride(name=exercise.name))
        sets = override.sets or len(exercise.reps_per_set)
        reps: int | list[int] = exercise.reps
        if isinstance(override.reps, RepRange):
            reps = override.reps.low
        elif override.reps is not None:
            reps = override.reps
        elif isinstance(reps, list):
            # The workout's own per-set reps, cut or lengthened (the last repeated) to `sets`.
            reps = (reps + [reps[-1]] * sets)[:sets]
        if isinstance(reps, list) and override.sets is None:
            sets = len(reps)
        if deload is not None:
            kept = max(1, round(sets * deload.sets_percent / 100))
            reps = reps[:kept] if isinstance(reps, list) else reps
            sets = kept
        entry.update(sets=sets, reps=reps)
        if override.tempo is not None:
            entry["tempo"] = override.tempo
        load = override.load or _single(exercise.load)
        if deload is not None and load is not None:
            load = load.scaled(deload.load_percent)
        if load is not None:
            entry["load"] = load
        elif isinstance(exercise.load, list):
            # The workout's own per-set loads, fitted to `sets` as its reps are.
            fitted = (exercise.load + [exercise.load[-1]] * sets)[:sets]
            if deload is not None:
                fitted = [each.scaled(deload.load_percent) for each in fitted]
            entry["load"] = fitted
        loads.append(load)
        ranges.append(override.reps if isinstance(override.reps, RepRange) else None)
    try:
        compiled = Workout.model_validate(data)
    except ValidationError as error:
        raise ProgrammeError(
            [
                Problem(f"{where} ({name})", str(problem))
                for problem in validation_problems(error.errors())
            ]
        ) from None
    planned = tuple(
        PlannedExercise(
            exercise.name, tuple(exercise.reps_per_set), rep_range, exercise.tempo, load
        )
        for exercise, rep_range, load in zip(compiled.exercises, ranges, loads, strict=True)
    )
    return name, compiled, planned


def _single(load: Load | list[Load] | None) -> Load | None:
    """A workout's own load when it gives one for every set: the plan's load to progress."""
    return load if isinstance(load, Load) else None


def compile_programme(
    programme: Programme, start: datetime.date, workouts: Mapping[str, Workout]
) -> list[PlannedSession]:
    """Every session of the programme, dated from `start` (the first day of week 1), with
    each week's changes applied to its workouts and checked as a workout file is.

    Raises:
        ProgrammeError: a workout that is not given, an override naming no exercise, a
            change that makes a workout invalid, a rule the plan cannot follow, or a start
            too late for the calendar.
    """
    sessions: list[PlannedSession] = []
    for week in _weeks(programme):
        deload = programme.deload if week.week.deload else None
        resolved = [
            _resolve(session, workouts, f"{week.where}.sessions[{index}]", deload)
            for index, session in enumerate(week.week.sessions)
        ]
        for index, day in enumerate(_slots(week)):
            name, workout, planned = resolved[index % len(resolved)]
            try:
                on = start + datetime.timedelta(days=7 * week.number + day)
            except OverflowError:
                raise ProgrammeError(
                    [Problem("", f"started on {start}, the programme would run past the year 9999")]
                ) from None
            sessions.append(
                PlannedSession(
                    number=len(sessions) + 1,
                    on=on,
                    block=week.block.name,
                    week=week.number + 1,
                    session=index + 1,
                    workout_name=name,
                    workout=workout,
                    exercises=planned,
                    deload=deload is not None,
                    load_percent=deload.load_percent if deload is not None else 100,
                )
            )
    _check_rules(programme, sessions)
    return sessions


def _check_rules(programme: Programme, sessions: Sequence[PlannedSession]) -> None:
    """Each progressing exercise must have what its rule moves: a load, a rep range for
    double progression, a tempo with a counted lowering below the ceiling for tempo."""
    problems: list[Problem] = []
    for index, rule in enumerate(programme.progression):
        if rule.rule in LIMITS:
            continue
        where = f"progression[{index}]"
        planned = [
            (session, exercise)
            for session in sessions
            for exercise in session.exercises
            if exercise.name == rule.exercise
        ]
        if not planned:
            problems.append(
                Problem(where, f"no session has an exercise named {quote(rule.exercise or '')}")
            )
            continue
        unfit = [(session, exercise, _unfit(rule, exercise)) for session, exercise in planned]
        for session, exercise, reason in unfit:
            if reason:
                problems.append(Problem(where, f"{exercise.name} in {session.title}: {reason}"))
                break
    if problems:
        raise ProgrammeError(problems)


def _unfit(rule: ProgressionRule, exercise: PlannedExercise) -> str:
    if exercise.load is None:
        return "a progression rule needs a planned `load` to add to"
    if rule.rule == "double" and exercise.rep_range is None:
        return 'double progression needs reps written as a range, like "6-8"'
    if rule.rule == "tempo":
        eccentric = exercise.tempo.eccentric if exercise.tempo is not None else None
        if not isinstance(eccentric, int):
            return "tempo progression needs a tempo whose lowering is a number of counts"
        if rule.ceiling is not None and eccentric >= rule.ceiling:
            return f"the lowering is already {eccentric} counts, at or past the ceiling"
    return ""


def with_progress(session: PlannedSession, working: Mapping[str, Working]) -> PlannedSession:
    """The session as it is to be done: the progression's loads, reps and lowering in place
    of the plan's (scaled down in a deload week), and the workout changed to match."""
    exercises = []
    for planned in session.exercises:
        state = working.get(planned.name)
        if state is not None and state.load is not None and session.deload:
            state = replace(state, load=state.load.scaled(session.load_percent))
        exercises.append(apply_working(planned, state))
    if tuple(exercises) == session.exercises:
        return session
    data = session.workout.model_dump(exclude_unset=True)
    for entry, exercise in zip(data["exercises"], exercises, strict=True):
        entry.update(sets=len(exercise.reps), reps=list(exercise.reps))
        if exercise.tempo is not None:
            entry["tempo"] = exercise.tempo
        if exercise.load is not None:
            entry["load"] = exercise.load
    return replace(session, workout=Workout.model_validate(data), exercises=tuple(exercises))


@dataclass(frozen=True)
class Done:
    """A logged session: which planned session it was, when, and its work sets."""

    number: int
    """The `PlannedSession.number` it did."""
    on: datetime.date
    sets: Mapping[str, Sequence[LoggedSet]] = field(default_factory=dict)
    """The work sets by exercise name, in order; empty when only the date is known."""


def replay(programme: Programme, plan: Sequence[PlannedSession], done: Sequence[Done]) -> Progress:
    """The progression after every logged session, in the order they were done: the working
    values for the next session, and for each exercise the latest change (the reason the
    lifter is shown beside its load)."""
    working: dict[str, Working] = {}
    latest: dict[str, Change] = {}
    for entry in sorted(done, key=lambda entry: (entry.on, entry.number)):
        if not 1 <= entry.number <= len(plan):
            continue
        session = plan[entry.number - 1]
        result = progress(
            programme.progression, session.exercises, entry.sets, working, deload=session.deload
        )
        working = result.working
        latest.update((change.exercise, change) for change in result.changes)
    return Progress(working, tuple(latest.values()))


@dataclass(frozen=True)
class Today:
    """What to do next, and what the lifter is told about it."""

    session: PlannedSession | None
    """The next session (with progression applied), None when the programme is done."""
    due: datetime.date | None
    """When it is due: the plan's spacing, counted on from the last session done."""
    missed: int
    """Sessions that fell due before today and were not done."""
    message: str

    @property
    def loads(self) -> list[tuple[str, Load]]:
        """Each exercise's load to use, in order."""
        if self.session is None:
            return []
        return [(item.name, item.load) for item in self.session.exercises if item.load]


def today(
    plan: Sequence[PlannedSession],
    done: Sequence[Done],
    on: datetime.date,
    working: Mapping[str, Working] | None = None,
) -> Today:
    """The next session after the furthest one done. Missed days never skip sessions: the
    rest of the plan moves with the lifter, keeping its spacing from the last session done,
    and the message says what was missed."""
    last = max(
        (entry for entry in done if 1 <= entry.number <= len(plan)),
        default=None,
        key=lambda entry: (entry.number, entry.on),
    )
    following = last.number if last is not None else 0
    if following >= len(plan):
        return Today(None, None, 0, f"Programme finished: all {len(plan)} sessions done.")
    upcoming = plan[following]
    shift = datetime.timedelta(0) if last is None else last.on - plan[last.number - 1].on
    due = upcoming.on + shift
    missed = [session for session in plan[following:] if session.on + shift < on]
    session = with_progress(upcoming, working or {})
    if missed:
        return Today(session, due, len(missed), _missed_message(missed, shift, on, upcoming))
    if due == on:
        return Today(session, due, 0, f"Today: {upcoming.title} ({upcoming.block}).")
    return Today(session, due, 0, f"Next: {upcoming.title} ({upcoming.block}) on {_day(due, on)}.")


def _missed_message(
    missed: Sequence[PlannedSession],
    shift: datetime.timedelta,
    on: datetime.date,
    upcoming: PlannedSession,
) -> str:
    first = _day(missed[0].on + shift, on)
    what = (
        f"You missed {first}'s session"
        if len(missed) == 1
        else f"You missed {len(missed)} sessions since {first}"
    )
    return f"{what}; carrying on with {upcoming.title}."


def _day(day: datetime.date, on: datetime.date) -> str:
    """The day as a sentence names it: "Tuesday" within a week of `on`, else "Tuesday 3
    March"."""
    name = day.strftime("%A")
    return name if abs((on - day).days) < 7 else f"{name} {day.day} {day.strftime('%B')}"


@dataclass(frozen=True)
class WeekFinding:
    """A programming check's finding about one week of a programme."""

    week: int
    finding: Finding


WEEKLY_CHECKS = ("backside-volume", "both-functions")
"""The checks that weigh a whole week: the article's rules are about the programme."""


def check_weeks(programme: Programme, plan: Sequence[PlannedSession]) -> list[WeekFinding]:
    """The 2-to-1 rule and both hamstring functions, over each week's sessions, worded as
    the workout checks word them; the programme's `[[silenced]]` marks its departures."""
    reasons = {entry.check: entry.reason for entry in programme.silenced}
    checks = [check for check in CHECKS if check.id in WEEKLY_CHECKS]
    findings: list[WeekFinding] = []
    for week, sessions in itertools.groupby(plan, key=lambda session: session.week):
        exercises = [exercise for session in sessions for exercise in session.workout.exercises]
        # Unvalidated: a week may pass a single workout's caps, and the checks only count.
        merged = Workout.model_construct(format_version=1, name=f"week {week}", exercises=exercises)
        findings.extend(
            WeekFinding(
                week,
                Finding(check.id, hit.message, check.reason, None, reasons.get(check.id)),
            )
            for check in checks
            for hit in check.find(merged)
        )
    return findings


def _often(schedule: Schedule) -> str:
    """How often, in words: "3 sessions a week", "every 2 days", "2 days a week, twice a day"."""
    per_week, per_day = schedule.per_week or 0, schedule.per_day
    if schedule.every_days is not None:
        words = "every day" if schedule.every_days == 1 else f"every {schedule.every_days} days"
    elif per_day > 1:
        words = "one day a week" if per_week == 1 else f"{per_week} days a week"
    else:
        words = {1: "once a week", 2: "twice a week"}.get(per_week, f"{per_week} sessions a week")
    if per_day > 1:
        words += ", twice a day" if per_day == 2 else f", {per_day} times a day"
    return words


def exercise_line(
    exercise: PlannedExercise,
    written: Exercise,
    *,
    units: LoadUnit | None = None,
    as_planned: bool = True,
) -> str:
    """``"Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 40 kg"``: one exercise of a session,
    its reps as the plan writes them (a range "6–10") or, not `as_planned`, the targets to
    do today; the load in `units` (None: as the programme writes it)."""
    reps = exercise.reps
    shown = (
        str(exercise.rep_range)
        if as_planned and exercise.rep_range is not None
        else str(reps[0])
        if len(set(reps)) == 1
        else "/".join(str(rep) for rep in reps)
    )
    side = " per side" if written.unilateral else ""
    load = exercise.load if units is None or exercise.load is None else exercise.load.in_unit(units)
    weight = f" · {load}" if load is not None else ""
    return f"{exercise.name}: {len(reps)} × {shown}{side} @ {rhythm(written)}{weight}"


def describe_programme(
    programme: Programme, workouts: Mapping[str, Workout], units: LoadUnit | None = None
) -> list[str]:
    """The whole programme, a line per fact, as ``tempo-coach programme show`` prints it:
    blocks, weeks, sessions with sets × reps @ tempo and loads, the rules, the checks; loads
    and load steps in `units` (the lifter's setting; None: as the programme writes them).

    Raises:
        ProgrammeError: as `compile_programme` does.
    """
    lines = [programme.name]
    if programme.description:
        lines.append(programme.description)
    if programme.source:
        lines.append(f"Source: {programme.source}")
    plan = compile_programme(programme, datetime.date(2001, 1, 1), workouts)  # dates unused
    weeks = list(_weeks(programme))
    for block_index, block in enumerate(programme.blocks):
        lines.extend(
            _block_lines(
                block, [week for week in weeks if week.block_index == block_index], plan, units
            )
        )
    if programme.progression:
        written = {item.name: item.load.unit for s in plan for item in s.exercises if item.load}
        lines.extend(["", "Progression:"])
        lines.extend(
            f"  {_rule_line(rule, written.get(rule.exercise or ''), units)}"
            for rule in programme.progression
        )
    findings = check_weeks(programme, plan)
    if findings:
        lines.extend(["", "Programming checks, week by week:"])
        lines.extend(_finding_lines(findings))
    return lines


def _rule_line(rule: ProgressionRule, written: LoadUnit | None, units: LoadUnit | None) -> str:
    """The rule in words, its load step (in the exercise's `written` unit) in `units`, as
    the loads it adds to are shown."""
    if units is None or written is None or rule.load_step is None:
        return describe_rule(rule, written)
    step = Load(amount=rule.load_step, unit=written).in_unit(units).amount
    return describe_rule(rule.model_copy(update={"load_step": step}), units)


def _block_lines(
    block: Block,
    weeks: Sequence[_WeekPlan],
    plan: Sequence[PlannedSession],
    units: LoadUnit | None,
) -> Iterator[str]:
    """A block's weeks, those done alike (`repeat`) as one, each with its sessions."""
    yield ""
    yield f"{block.name} · {_span('week', [week.number + 1 for week in weeks])}"
    if block.description:
        yield f"  {block.description}"
    for week_index, week in enumerate(block.weeks):
        numbers = [item.number + 1 for item in weeks if item.week_index == week_index]
        deload = " · deload" if week.deload else ""
        yield f"  {_span('Week', numbers)} · {_often(_schedule(week, block))}{deload}"
        sessions = [session for session in plan if session.week == numbers[0]]
        repeated = len(week.sessions) == 1 and len(sessions) > 1
        for session, template in zip(sessions, week.sessions, strict=False):
            which = "Each session" if repeated else f"Session {session.session}"
            named = session.workout_name != session.workout.name
            stem = f" ({session.workout_name})" if named else ""
            label = f" · {template.label}" if template.label else ""
            yield f"    {which}: {session.workout.name}{stem}{label}"
            for index, exercise in enumerate(session.exercises):
                written = session.workout.exercises[index]
                yield f"      {exercise_line(exercise, written, units=units)}"


def _finding_lines(findings: Sequence[WeekFinding]) -> Iterator[str]:
    """Each finding once, with the weeks it holds for, worded as ``show`` words a workout's."""
    weeks: dict[Finding, list[int]] = {}
    for item in findings:
        weeks.setdefault(item.finding, []).append(item.week)
    for finding, numbers in weeks.items():
        yield f"  {_span('week', numbers)}: {describe_finding(finding)}"


def _span(noun: str, numbers: Sequence[int]) -> str:
    """Week numbers as runs: "week 3", "weeks 5–10", "weeks 1–4, 6"."""
    runs: list[str] = []
    for _, run in itertools.groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        values = [number for _, number in run]
        runs.append(str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}")
    plural = noun if len(numbers) == 1 else f"{noun}s"
    return f"{plural} {', '.join(runs)}"


def programme_json_schema() -> dict[str, Any]:
    """What programmes/programme.schema.json holds: each field's docstring as its
    description, as workout.schema.json has them."""
    schema = Programme.model_json_schema()
    models: dict[str, type[StrictModel]] = {}
    waiting: list[type[StrictModel]] = [StrictModel]
    while waiting:
        model = waiting.pop()
        models[model.__name__] = model
        waiting.extend(model.__subclasses__())
    _describe(schema, Programme)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            # A load's table is one branch of its schema; its text spelling is the other.
            tables = [part for part in definition.get("anyOf", []) if "properties" in part]
            _describe(tables[0] if tables else definition, models[name])
    return schema


def _describe(schema: dict[str, Any], model: type[StrictModel]) -> None:
    properties = schema.get("properties", {})
    for name, doc in field_docstrings(model).items():
        if name in properties and "description" not in properties[name]:
            properties[name] = dict(sorted({**properties[name], "description": doc}.items()))
