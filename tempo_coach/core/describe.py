"""A workout's plan in the words a lifter reads it: "4 × 5 @ 4-1-X-2, rest 2:30".

Shared by the CLI's ``show`` and the TUI's workout details, so both say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tempo_coach.core.checks import Finding, check_workout
from tempo_coach.core.models import KG_PER_LB, Exercise, Load, LoadUnit, Workout, number_text
from tempo_coach.core.tempo import format_tempo
from tempo_coach.core.text import counted
from tempo_coach.core.timeline import Place, Timeline, compile_timeline, rep_phases


def format_duration(milliseconds: int) -> str:
    """``"4.5 s"`` under a minute, ``"11:42"`` above, ``"1:02:03"`` above an hour."""
    if milliseconds < 59_950:
        return f"{round(milliseconds / 1000, 1):g} s"
    seconds = round(milliseconds / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _number(value: float) -> str:
    return f"{value:g}"


def _count(value: float, unit: str) -> str:
    """``"1 beat"``, ``"2.5 beats"``."""
    return f"{_number(value)} {unit}" + ("" if value == 1 else "s")


def sets_and_reps(exercise: Exercise) -> str:
    """``"4 × 5"``, ``"3 × 12/10/8"``, with ``" per side"`` for unilateral work."""
    reps = exercise.reps_per_set
    written = str(reps[0]) if len(set(reps)) == 1 else "/".join(str(rep) for rep in reps)
    per_side = " per side" if exercise.unilateral else ""
    return f"{len(reps)} × {written}{per_side}"


def rhythm(exercise: Exercise) -> str:
    """The tempo string, or the custom phases as ``"Lower 5 s · Hold 2 s"``."""
    if exercise.tempo is not None:
        return format_tempo(exercise.tempo)
    assert exercise.custom_phases is not None  # an exercise has a tempo or custom phases
    return " · ".join(
        f"{phase.name} {_count(phase.beats, 'beat')}"
        if phase.beats is not None
        else f"{phase.name} {_number(phase.seconds or 0)} s"
        for phase in exercise.custom_phases
    )


def load_words(load: Load, units: LoadUnit | None = None) -> str:
    """``"80 kg"``, ``"bodyweight + 10 kg"``: in the lifter's `units`, or as the plan wrote
    it when None."""
    return str(load if units is None else load.in_unit(units))


def kilograms_in(kg: float | None, units: LoadUnit) -> float | None:
    """A figure the history keeps in kg, in the lifter's `units` (to the nearest tenth)."""
    if kg is None:
        return None
    return kg if units == "kg" else round(kg / KG_PER_LB, 1)


def mass_words(kg: float | None, units: LoadUnit, per: str = "") -> str:
    """A volume figure kept in kg, in the lifter's `units`: to a tenth under 1000
    (``"422.5 kg"``, a half never rounded away), whole above (``"2183 lb"``); blank for none
    (bodyweight work shows its reps and TUT, never "0 kg")."""
    shown = kilograms_in(kg, units)
    if shown is None:
        return ""
    scale = 10 if shown < 1000 else 1
    return f"{number_text(math.floor(shown * scale + 0.5) / scale)} {units}{per}"


def loads_words(loads: list[Load | None], units: LoadUnit | None = None) -> str:
    """Each set's load, once when they are all alike: ``"80 kg"``, ``"80/85/90 kg"`` for
    weights in one unit, else each in full (``"bodyweight, bodyweight + 5 kg"``); "" when
    the plan gives none. A set without one reads "no load"."""
    if all(load is None for load in loads):
        return ""
    shown = [
        None if load is None else load if units is None else load.in_unit(units) for load in loads
    ]
    if len(set(shown)) == 1 and shown[0] is not None:
        return str(shown[0])
    weights = [load for load in shown if load is not None and not load.bodyweight]
    if len(weights) == len(shown) and len({load.unit for load in weights}) == 1:
        return "/".join(number_text(load.amount) for load in weights) + f" {weights[0].unit}"
    return ", ".join("no load" if load is None else str(load) for load in shown)


def set_label(place: Place) -> str:
    """``"Set 2/4"`` or ``"Warm-up 1/2"``: warm-ups are numbered apart from work sets."""
    kind = "Warm-up" if place.warmup else "Set"
    return f"{kind} {place.set_number}/{place.set_count}"


def set_words(place: Place, exercise: Exercise, units: LoadUnit | None = None) -> str:
    """A set as the lifter is told it: ``"set 2/4 · 5 reps @ 4-1-X-2 · 80 kg"``,
    ``"warm-up 1/2 · 5 reps @ 4-1-X-2 · 40 kg"``, with the load in `units` (None: as the
    plan wrote it) and left out when the plan gives none. The one wording of a set for the
    rest line, plain mode and the plan."""
    per_side = " per side" if place.side is not None else ""
    load = f" · {load_words(place.load, units)}" if place.load is not None else ""
    return (
        f"{set_label(place).lower()} · {counted(place.rep_count, 'rep')}{per_side}"
        f" @ {rhythm(exercise)}{load}"
    )


def next_set(timeline: Timeline, index: int, units: LoadUnit | None = None) -> str | None:
    """The set after segment `index`, as a rest announces it: "Tempoed Romanian deadlift ·
    set 2/4 · 5 reps @ 4-1-X-2 · 80 kg" (see `set_words`); None when no work follows."""
    work = timeline.next_phase(index)
    if work is None:
        return None
    place = work.place
    exercise = timeline.workout.exercises[place.exercise_index]
    return f"{place.exercise_name} · {set_words(place, exercise, units)}"


def warmup_words(exercise: Exercise, units: LoadUnit | None = None) -> str:
    """The warm-up ramp: ``"warm-up 2 × 5 @ 40 kg, 60 kg"``; with reps that differ
    ``"warm-up 5 reps @ 40 kg, 3 reps @ 60 kg"``; with no loads ``"warm-up 8, 4 reps"``;
    "" when there is none."""
    if not exercise.warmup:
        return ""
    reps = [warmup.reps for warmup in exercise.warmup]
    given = any(load is not None for load in exercise.warmup_loads)
    loads = [
        "no load" if load is None else load_words(load, units) for load in exercise.warmup_loads
    ]
    per_side = " per side" if exercise.unilateral else ""
    if len(set(reps)) == 1:
        at = f" @ {', '.join(loads)}" if given else ""
        return f"warm-up {len(reps)} × {reps[0]}{per_side}{at}"
    if not given:
        return f"warm-up {', '.join(str(count) for count in reps)} reps{per_side}"
    ramp = ", ".join(f"{count} reps @ {load}" for count, load in zip(reps, loads, strict=True))
    return f"warm-up{per_side} {ramp}"


@dataclass(frozen=True)
class ExercisePlan:
    """One exercise of a plan, as lines of text and its totals."""

    headline: str
    details: tuple[str, ...]
    tut_ms: int
    eccentric_ms: int


def plan_exercise(timeline: Timeline, index: int, units: LoadUnit | None = None) -> ExercisePlan:
    """Describe the exercise at `index` of the timeline's workout, loads in `units` (None:
    as the plan wrote them). Time under tension is the work sets'."""
    workout = timeline.workout
    exercise = workout.exercises[index]
    settings = exercise.settings(workout.defaults)
    rest = format_duration(round(settings.rest_seconds * 1000))
    loads = loads_words(exercise.set_loads, units)
    load = f" · {loads}" if loads else ""
    headline = f"{exercise.name}: {sets_and_reps(exercise)} @ {rhythm(exercise)}{load}, rest {rest}"
    phases = rep_phases(exercise, settings)
    phase_words = " → ".join(
        f"{phase.label.name} {_number(phase.duration_ms / 1000)} s" for phase in phases
    )
    setup = settings.setup
    setup_words = (
        "setup: waits until you are ready"
        if setup.mode == "manual"
        else f"setup: {format_duration(round(setup.seconds * 1000))} countdown"
    )
    tut_ms = timeline.tut_ms(index)
    per_set = ", ".join(
        format_duration(timeline.tut_ms(index, set_number))
        for set_number in range(1, len(exercise.reps_per_set) + 1)
    )
    warmup = warmup_words(exercise, units)
    warmup_rest = format_duration(round(exercise.warmup_rest_seconds(settings) * 1000))
    details = (
        *((f"{warmup}, rest {warmup_rest} after each",) if warmup else ()),
        f"one rep: {phase_words} (beat {_number(settings.beat_seconds)} s)",
        setup_words + (f' — "{setup.cue}"' if setup.cue else ""),
        f"time under tension {format_duration(tut_ms)} (per set: {per_set}),"
        f" eccentric {format_duration(timeline.eccentric_ms(index))}",
        f"trains {exercise.trains.replace('_', ' ')} · {exercise.category}",
    )
    return ExercisePlan(headline, details, tut_ms, timeline.eccentric_ms(index))


def session_totals(timeline: Timeline) -> str:
    """``"Session 11:42 · TUT 2:40 · eccentric 1:20"``, noting setups that wait for you: the
    session's time includes its warm-ups, the time under tension is the work sets'."""
    manual = timeline.manual_setups
    waits = f" + {manual} setups at your pace" if manual else ""
    return (
        f"Session {format_duration(timeline.total_ms)}{waits} · "
        f"time under tension {format_duration(timeline.tut_ms())} · "
        f"eccentric {format_duration(timeline.eccentric_ms())}"
    )


def describe_finding(finding: Finding) -> str:
    """``"warning [loading] RDL: 10 reps… (why: …)"``, or the file's reason when silenced."""
    if finding.silenced_because is not None:
        return f"silenced [{finding.check}]: {finding.silenced_because}"
    return f"warning [{finding.check}] {finding.message} (why: {finding.reason})"


def describe_workout(workout: Workout, units: LoadUnit | None = None) -> list[str]:
    """The whole plan, a line per fact, as ``tempo-coach show`` prints it; loads in `units`
    (the lifter's setting), or as the file wrote them when None."""
    timeline = compile_timeline(workout)
    lines = [workout.name]
    if workout.description:
        lines.append(workout.description)
    lines.append("")
    for index in range(len(workout.exercises)):
        plan = plan_exercise(timeline, index, units)
        lines.append(f"{index + 1}. {plan.headline}")
        lines.extend(f"   {detail}" for detail in plan.details)
    lines.extend(["", session_totals(timeline)])
    findings = check_workout(workout)
    if findings:
        lines.extend(["", "Programming checks:"])
        lines.extend(f"  {describe_finding(finding)}" for finding in findings)
    return lines
