"""Progression: what the next session should use, worked out from what the last one logged.

A programme declares its rules (double progression, tempo progression, load steps, and limits
on effort and tempo adherence); after each session `progress` weighs the logged sets against
the plan and returns the new working values with every change as a sentence naming its rule
("+2.5 kg: all 4 × 5 done at RPE ≤ 8"). Pure: the history is passed in, nothing is read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tempo_coach.core.models import MAX_SETS, Line, Load, Range, RepCount, StrictModel, number_text
from tempo_coach.core.tempo import Tempo

MAX_REPS = 50
"""The most reps a set may target, as `RepCount` allows."""

PROGRESSION_ERRORS = frozenset({"load_text", "load_amount", "rep_range", "rule_fields"})
"""The error types raised here whose message is already a sentence for the lifter."""

_RANGE_TEXT = re.compile(r"^\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*$")


@dataclass(frozen=True)
class RepRange:
    """Reps written as a range ("6-8"): a set aims for the bottom and may go up to the top."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


def _to_rep_range(value: Any) -> RepRange:
    if isinstance(value, RepRange):
        return value
    if not isinstance(value, str):
        # A type error, so that a union with plain numbers reports only the number's rule.
        raise PydanticCustomError("string_type", "must be text in quotes")
    found = _RANGE_TEXT.match(value)
    low, high = (int(found[1]), int(found[2])) if found else (0, 0)
    if not 1 <= low < high <= MAX_REPS:
        raise PydanticCustomError(
            "rep_range",
            f'a rep range is two numbers from 1 to {MAX_REPS}, the smaller first, like "6-8"',
        )
    return RepRange(low, high)


RepRangeField = Annotated[
    RepRange,
    PlainValidator(_to_rep_range),
    PlainSerializer(lambda reps: f"{reps.low}-{reps.high}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\s*\d{1,3}\s*[-–]\s*\d{1,3}\s*$"}),
]

Reps = (
    RepCount | Annotated[list[RepCount], Field(min_length=1, max_length=MAX_SETS)] | RepRangeField
)
"""Reps as a programme gives them: one number for every set, one per set, or a range."""

RuleKind = Literal["double", "tempo", "load", "effort", "adherence"]
Action = Literal["hold", "step_back"]
LoadStep = Annotated[float, Range(0.25, 100)]

_RULE_FIELDS: dict[RuleKind, tuple[frozenset[str], frozenset[str]]] = {
    # rule: (fields it needs, fields it may also take)
    "double": (frozenset({"exercise", "load_step"}), frozenset({"failures_before_step_back"})),
    "tempo": (
        frozenset({"exercise", "load_step", "ceiling"}),
        frozenset({"tempo_step", "failures_before_step_back"}),
    ),
    "load": (frozenset({"exercise", "load_step"}), frozenset({"failures_before_step_back"})),
    "effort": (frozenset({"max_rpe"}), frozenset({"exercise", "action"})),
    "adherence": (frozenset({"min_share"}), frozenset({"exercise", "action"})),
}
LIMITS: frozenset[RuleKind] = frozenset({"effort", "adherence"})
"""Rules that only hold or step back another rule's progress."""


class ProgressionRule(StrictModel):
    """One rule applied after each session. "double": reps up one a session through the
    planned range, then `load_step` more and reps back to the bottom. "tempo": the lowering
    `tempo_step` counts longer a session up to `ceiling`, then `load_step` more and the
    lowering back to the plan's. "load": `load_step` more after every successful session.
    "effort" and "adherence" hold (or step back) the others when a set was rated above
    `max_rpe` or fewer than `min_share` of the lowerings kept the tempo."""

    rule: RuleKind
    """What the rule does: "double", "tempo", "load", "effort" or "adherence"."""
    exercise: Annotated[Line, Field(min_length=1, max_length=60)] | None = None
    """The exercise it applies to, by its name in the workout; "effort" and "adherence"
    apply to every exercise when it is left out."""
    load_step: LoadStep | None = None
    """How much heavier the load gets in one step, in the load's own unit (0.25 to 100);
    for bodyweight work it adds weight, or takes off band assistance."""
    tempo_step: Annotated[int, Range(1, 10, "counts")] = 1
    """"tempo" only: how many counts longer the lowering gets in one step, 1 to 10."""
    ceiling: Annotated[int, Range(1, 60, "counts")] | None = None
    """"tempo" only: the longest lowering, in counts (1 to 60), before the load goes up."""
    failures_before_step_back: Annotated[int, Range(1, 10)] = 2
    """Sessions in a row with planned reps missed before a step back (1 to 10); fewer only
    hold."""
    max_rpe: Annotated[float, Range(5, 10)] | None = None
    """"effort" only: the hardest a set may be rated (RPE 5 to 10) for progress to go on."""
    min_share: Annotated[float, Range(0, 1)] | None = None
    """"adherence" only: the share of lowerings (0 to 1) that must keep the tempo."""
    action: Action = "hold"
    """"effort" and "adherence": "hold" keeps the values, "step_back" goes one step back."""

    @model_validator(mode="after")
    def _fields_fit_the_rule(self) -> ProgressionRule:
        needed, optional = _RULE_FIELDS[self.rule]
        given = {name for name in self.model_fields_set if name != "rule"}
        missing = sorted(name for name in needed if getattr(self, name) is None)
        extra = sorted(given - needed - optional)
        if missing or extra:
            words = [f"needs {_keys(missing)}"] if missing else []
            words += [f"does not take {_keys(extra)}"] if extra else []
            raise PydanticCustomError(
                "rule_fields",
                f'a "{self.rule}" rule {" and ".join(words)}',
            )
        return self


def _keys(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


@dataclass(frozen=True)
class PlannedExercise:
    """What a session plans for one exercise, as progression and the lifter see it."""

    name: str
    reps: tuple[int, ...]
    """The target reps of each set."""
    rep_range: RepRange | None
    """The range the plan wrote, when it wrote one; the targets are then its bottom."""
    tempo: Tempo | None
    """None for exercises with custom phases."""
    load: Load | None


@dataclass(frozen=True)
class Working:
    """Where one exercise's progression stands: what its next session uses in place of the
    plan's values (None: the plan's)."""

    load: Load | None = None
    reps: int | None = None
    """Reps a set, for double progression."""
    eccentric: int | None = None
    """Lowering counts, for tempo progression."""
    failures: int = 0
    """Sessions in a row with planned reps missed."""


def apply_working(planned: PlannedExercise, working: Working | None) -> PlannedExercise:
    """The plan with the progression's values in place; reps stay inside a planned range."""
    if working is None:
        return planned
    reps = planned.reps
    if working.reps is not None:
        low, high = (
            (planned.rep_range.low, planned.rep_range.high) if planned.rep_range else (1, MAX_REPS)
        )
        reps = (min(max(working.reps, low), high),) * len(planned.reps)
    tempo = planned.tempo
    if working.eccentric is not None and tempo is not None:
        tempo = replace(tempo, eccentric=working.eccentric)
    load = working.load if working.load is not None else planned.load
    return replace(planned, reps=reps, tempo=tempo, load=load)


@dataclass(frozen=True)
class LoggedSet:
    """One work set as the history recorded it."""

    target_reps: int
    """The reps the set aimed for."""
    reps: int
    """Reps done."""
    load: Load | None
    """The load used, None when not logged (the plan's is then assumed)."""
    rpe: float | None
    """The effort rated after the set (1 to 10), None when not rated."""
    adherence: float | None
    """The share of lowerings (0 to 1) that kept the tempo, None when not timed."""


ChangeKind = Literal["progress", "hold", "step_back"]


@dataclass(frozen=True)
class Change:
    """One decision about one exercise, with the rule that made it and why."""

    exercise: str
    rule: RuleKind | Literal["deload"]
    kind: ChangeKind
    summary: str
    """What changes: "+2.5 kg", "Lowering 5 counts (was 4)", "Hold at 80 kg"."""
    reason: str
    """Why, from the logged sets: "all 4 × 5 done at RPE ≤ 8"."""

    def __str__(self) -> str:
        return f"{self.summary}: {self.reason}"


@dataclass(frozen=True)
class Progress:
    """What one session's log changed."""

    working: dict[str, Working]
    """Every exercise's working values after the session."""
    changes: tuple[Change, ...]


def progress(
    rules: Sequence[ProgressionRule],
    planned: Sequence[PlannedExercise],
    logged: Mapping[str, Sequence[LoggedSet]],
    working: Mapping[str, Working],
    *,
    deload: bool = False,
) -> Progress:
    """Apply the rules to one session: `planned` is the session as the file plans it (before
    any progression), `logged` the work sets done per exercise name, `working` where each
    exercise stood. Exercises not logged keep their values; a deload week changes nothing."""
    result = dict(working)
    changes: list[Change] = []
    plans = {exercise.name: exercise for exercise in planned}
    for rule in rules:
        if rule.rule in LIMITS or rule.exercise not in plans or not logged.get(rule.exercise):
            continue
        plan = plans[rule.exercise]
        before = working.get(rule.exercise) or _start(rule, plan)
        sets = logged[rule.exercise]
        if deload:
            changes.append(
                Change(plan.name, "deload", "hold", _hold(before, plan), "a deload week")
            )
            continue
        after, change = _decide(rule, rules, plan, before, sets)
        result[plan.name] = after
        changes.append(change)
    return Progress(result, tuple(changes))


def _start(rule: ProgressionRule, plan: PlannedExercise) -> Working:
    eccentric = plan.tempo.eccentric if plan.tempo is not None else None
    return Working(
        load=plan.load,
        reps=plan.rep_range.low if rule.rule == "double" and plan.rep_range else None,
        eccentric=eccentric if rule.rule == "tempo" and isinstance(eccentric, int) else None,
    )


def _decide(
    rule: ProgressionRule,
    rules: Sequence[ProgressionRule],
    plan: PlannedExercise,
    before: Working,
    sets: Sequence[LoggedSet],
) -> tuple[Working, Change]:
    used = _load_used(sets)
    if used is not None:
        before = replace(before, load=used)
    for limit in rules:
        reason = _limit_broken(limit, plan.name, sets)
        if reason is None:
            continue
        if limit.action == "step_back":
            after, summary = _step_back(rule, plan, before)
            return after, Change(plan.name, limit.rule, "step_back", summary, reason)
        return before, Change(plan.name, limit.rule, "hold", _hold(before, plan), reason)
    planned_reps = apply_working(plan, before).reps
    targets = [logged.target_reps for logged in sets] + list(planned_reps[len(sets) :])
    short = [
        index
        for index, target in enumerate(targets)
        if index >= len(sets) or sets[index].reps < target
    ]
    if short:
        reason = _shortfall(short, targets, sets)
        failures = before.failures + 1
        if failures >= rule.failures_before_step_back:
            after, summary = _step_back(rule, plan, before)
            reason += f", {failures} sessions in a row"
            return after, Change(plan.name, rule.rule, "step_back", summary, reason)
        held = replace(before, failures=failures)
        return held, Change(plan.name, rule.rule, "hold", _hold(before, plan), reason)
    after, summary, reason = _advance(rule, plan, before, targets, sets)
    return after, Change(plan.name, rule.rule, "progress", summary, reason)


def _load_used(sets: Sequence[LoggedSet]) -> Load | None:
    """The load the next step starts from when every set logged one: the lightest, so a
    lifter who went heavier than planned (or lighter) progresses from what was lifted."""
    loads = [logged.load for logged in sets]
    if not loads or None in loads:
        return None
    units = {load.unit for load in loads if load is not None}
    if len(units) != 1:
        return None
    return min((load for load in loads if load is not None), key=lambda load: load.amount)


def _limit_broken(limit: ProgressionRule, name: str, sets: Sequence[LoggedSet]) -> str | None:
    if limit.exercise not in (None, name):
        return None
    if limit.rule == "effort" and limit.max_rpe is not None:
        for number, logged in enumerate(sets, start=1):
            if logged.rpe is not None and logged.rpe > limit.max_rpe:
                rated, most = number_text(logged.rpe), number_text(limit.max_rpe)
                return f"set {number} rated RPE {rated}, above {most}"
    if limit.rule == "adherence" and limit.min_share is not None:
        timed = [(logged.adherence, logged.reps) for logged in sets if logged.adherence is not None]
        reps = sum(count for _, count in timed)
        if reps:
            share = sum(part * count for part, count in timed) / reps
            if share < limit.min_share:
                return (
                    f"{_percent(share)} of lowerings kept the tempo, below "
                    f"{_percent(limit.min_share)}"
                )
    return None


def _percent(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def _hold(before: Working, plan: PlannedExercise) -> str:
    load = before.load or plan.load
    return f"Hold at {load}" if load is not None else "Hold"


def _shortfall(short: list[int], targets: Sequence[int], sets: Sequence[LoggedSet]) -> str:
    first = short[0]
    done = sets[first].reps if first < len(sets) else 0
    if len(short) == 1:
        return f"set {first + 1} had {done} of {targets[first]} reps"
    return f"{len(short)} of {len(targets)} sets fell short of their reps"


def _advance(
    rule: ProgressionRule,
    plan: PlannedExercise,
    before: Working,
    targets: Sequence[int],
    sets: Sequence[LoggedSet],
) -> tuple[Working, str, str]:
    done = _all_done(targets, sets)
    step = rule.load_step or 0
    load = before.load
    if rule.rule == "double" and plan.rep_range is not None and before.reps is not None:
        if before.reps < plan.rep_range.high:
            reps = before.reps + 1
            return (
                Working(load, reps, None),
                f"{reps} reps a set (was {before.reps})",
                done,
            )
        heavier = load.plus(step) if load else None
        return (
            Working(heavier, plan.rep_range.low, None),
            f"{_signed(step, load)} and back to {plan.rep_range.low} reps",
            f"{done}, the top of {plan.rep_range}",
        )
    if rule.rule == "tempo" and before.eccentric is not None and rule.ceiling is not None:
        if before.eccentric + rule.tempo_step <= rule.ceiling:
            eccentric = before.eccentric + rule.tempo_step
            return (
                Working(load, None, eccentric),
                f"Lowering {eccentric} counts (was {before.eccentric})",
                done,
            )
        start = _start(rule, plan).eccentric
        heavier = load.plus(step) if load else None
        return (
            Working(heavier, None, start),
            f"{_signed(step, load)} and lowering back to {start} counts",
            f"{done} at the {rule.ceiling}-count ceiling",
        )
    heavier = load.plus(step) if load else None
    return replace(before, load=heavier, failures=0), _signed(step, load), done


def _all_done(targets: Sequence[int], sets: Sequence[LoggedSet]) -> str:
    reps = "/".join(str(target) for target in targets) if len(set(targets)) > 1 else targets[0]
    rated = [logged.rpe for logged in sets if logged.rpe is not None]
    effort = f" at RPE ≤ {number_text(max(rated))}" if len(rated) == len(sets) else ""
    return f"all {len(targets)} × {reps} done{effort}"


def _signed(step: float, load: Load | None) -> str:
    unit = load.unit if load is not None else "kg"
    return f"{'+' if step >= 0 else '−'}{number_text(abs(step))} {unit}"


def _step_back(
    rule: ProgressionRule, plan: PlannedExercise, before: Working
) -> tuple[Working, str]:
    """One step back along the rule's own path: a rep, a lowering step, else a load step."""
    start = _start(rule, plan)
    if rule.rule == "double" and before.reps is not None and before.reps > (start.reps or 0):
        reps = before.reps - 1
        return Working(before.load, reps, None), f"Back to {reps} reps a set"
    if (
        rule.rule == "tempo"
        and before.eccentric is not None
        and start.eccentric is not None
        and before.eccentric - rule.tempo_step >= start.eccentric
    ):
        eccentric = before.eccentric - rule.tempo_step
        return Working(before.load, None, eccentric), f"Back to a {eccentric}-count lowering"
    step = rule.load_step or 0
    lighter = before.load.plus(-step) if before.load else None
    if lighter == before.load:
        return replace(before, failures=0), _hold(before, plan)
    return replace(before, load=lighter, failures=0), f"{_signed(-step, before.load)}"


def describe_rule(rule: ProgressionRule, unit: str | None) -> str:
    """The rule in words, for ``programme show``; `unit` is the exercise's load unit."""
    who = rule.exercise or "every exercise"
    step = f"+{number_text(rule.load_step or 0)} {unit or ''}".rstrip()
    if rule.rule == "double":
        return (
            f"{who}: double progression: one rep a set more after each session with every "
            f"rep done, through the planned range; at its top, {step} and back to the bottom"
        )
    if rule.rule == "tempo":
        return (
            f"{who}: tempo progression: the lowering {rule.tempo_step} count longer after each "
            f"session with every rep done, up to {rule.ceiling} counts; then {step} and the "
            "lowering back to the plan's"
        )
    if rule.rule == "load":
        return f"{who}: {step} after each session with every rep done"
    action = "step back" if rule.action == "step_back" else "hold"
    if rule.rule == "effort":
        return f"{who}: {action} when a set is rated above RPE {number_text(rule.max_rpe or 0)}"
    share = _percent(rule.min_share or 0)
    return f"{who}: {action} when fewer than {share} of lowerings keep the tempo"
