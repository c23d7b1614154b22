"""Programming checks: the hamstring article's rules, weighed against a workout.

Each check has a stable kebab-case id (what a workout's ``[[silenced]]`` names), a title and
the article's reason. Checks warn, they never stop a workout from loading: a file may depart
from a rule on purpose, and then says why in ``[[silenced]]``, so the finding is still
reported but marked with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tempo_coach.core.models import Exercise, PhaseKind, Trains, Workout
from tempo_coach.core.text import close_matches
from tempo_coach.core.timeline import RepPhase, rep_phases

HAMSTRING_WORK: frozenset[Trains] = frozenset({"hip_extension", "knee_flexion", "both"})
"""What counts as a hamstring exercise."""
HIP_EXTENSION: frozenset[Trains] = frozenset({"hip_extension", "both"})
KNEE_FLEXION: frozenset[Trains] = frozenset({"knee_flexion", "both"})

STRENGTH_COMPOUND_MAX_REPS = 8
"""The article says five reps suffice on compound lifts for strength; warn only well past it."""
ASSISTANCE_MAX_REPS = 12
"""The article's "up to 12 reps per set" for assistance work."""

UNKNOWN_SILENCE = "unknown-silence"
"""The id of the finding for a ``[[silenced]]`` entry that names no check; not silenceable."""
UNKNOWN_SILENCE_REASON = (
    "A silence must name a check exactly, or it hides nothing and the warning it was meant "
    "for still shows."
)

_GLUTE_HAM_RAISE = re.compile(r"glute[\s-]*ham|\bghrs?\b", re.IGNORECASE)
_GLUTE_WORK = re.compile(r"glute[\s-]*bridge|hip[\s-]*thrust", re.IGNORECASE)
_STRETCH = re.compile(r"stretch", re.IGNORECASE)
# Names that place a stretch on the hamstrings; a hip-flexor stretch is something the
# article recommends, so "stretch" alone is not enough.
_HAMSTRING_NAME = re.compile(
    r"hamstring|toe[\s-]*touch|sit[\s-]*and[\s-]*reach|hurdler", re.IGNORECASE
)
_MOVING: frozenset[PhaseKind] = frozenset({"eccentric", "concentric"})


@dataclass(frozen=True)
class Finding:
    """One way a workout departs from a check, in words about this workout."""

    check: str
    """The id of the check that found it."""
    message: str
    """What is off in this workout and what to do, e.g. "Romanian deadlift: 10 reps a set is
    past 8 for a strength goal"."""
    reason: str
    """The article's reason for the rule, one sentence."""
    exercise_index: int | None
    """The exercise it is about (from 0), or None when it is about the whole workout."""
    silenced_because: str | None = None
    """The workout's own reason when its ``[[silenced]]`` names this check, else None."""


@dataclass(frozen=True)
class Hit:
    """What a check found, before it is tied to the check's id and the workout's silences."""

    exercise_index: int | None
    message: str


@dataclass(frozen=True)
class Check:
    """A rule from the article: its id, a title for lists, its reason, and how to find it."""

    id: str
    title: str
    reason: str
    find: Callable[[Workout], Iterator[Hit]]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _seconds(milliseconds: int) -> str:
    return f"{milliseconds / 1000:g} s"


def _sets(workout: Workout, trains: frozenset[Trains]) -> int:
    """Work sets only: warm-up sets are not working volume, so they never count here."""
    return sum(
        len(exercise.reps_per_set) for exercise in workout.exercises if exercise.trains in trains
    )


def _phase_ms(phases: Iterable[RepPhase], kind: PhaseKind) -> int:
    return sum(phase.duration_ms for phase in phases if phase.kind == kind)


def _backside_volume(workout: Workout) -> Iterator[Hit]:
    """Sets are counted as written: a unilateral set (left then right) is one set."""
    hamstring = _sets(workout, HAMSTRING_WORK)
    quadriceps = _sets(workout, frozenset({"quadriceps"}))
    if quadriceps and hamstring < 2 * quadriceps:
        yield Hit(
            None,
            f"{_plural(hamstring, 'hamstring set')} for {_plural(quadriceps, 'quadriceps set')}"
            f"; two for each quadriceps set would be {2 * quadriceps}",
        )


def _both_functions(workout: Workout) -> Iterator[Hit]:
    """Fires on single-exercise workouts too: the rule is about a whole program, so a
    one-lift workout says in ``[[silenced]]`` where the other function is trained."""
    trained = {exercise.trains for exercise in workout.exercises}
    if not trained & HAMSTRING_WORK:
        return
    if not trained & HIP_EXTENSION:
        yield Hit(
            None,
            "the hamstrings are trained only through knee flexion; add hip extension such as "
            "Romanian deadlifts, pull-throughs or another deadlift variation",
        )
    if not trained & KNEE_FLEXION:
        yield Hit(
            None,
            "the hamstrings are trained only through hip extension; add knee flexion such as "
            "glute-ham raises or Swiss-ball, TRX or slider leg curls",
        )


def _reps_a_set(exercise: Exercise) -> str:
    reps = exercise.reps_per_set
    most = max(reps)
    return f"{most} reps a set" if len(set(reps)) == 1 else f"up to {most} reps a set"


def _loading(workout: Workout) -> Iterator[Hit]:
    for index, exercise in enumerate(workout.exercises):
        most = max(exercise.reps_per_set)
        if (
            exercise.category == "compound"
            and workout.goal == "strength"
            and most > STRENGTH_COMPOUND_MAX_REPS
        ):
            yield Hit(
                index,
                f"{exercise.name}: {_reps_a_set(exercise)} is past "
                f"{STRENGTH_COMPOUND_MAX_REPS} for a strength goal",
            )
        elif exercise.category == "assistance" and most > ASSISTANCE_MAX_REPS:
            yield Hit(
                index,
                f"{exercise.name}: {_reps_a_set(exercise)} is past "
                f"{ASSISTANCE_MAX_REPS} for assistance work",
            )


def _single_leg(workout: Workout) -> Iterator[Hit]:
    for index, exercise in enumerate(workout.exercises):
        if exercise.unilateral and _GLUTE_HAM_RAISE.search(exercise.name):
            yield Hit(
                index,
                f"{exercise.name} is set to one leg at a time; do glute-ham raises with both "
                "legs (set unilateral = false)",
            )


def _eccentric_emphasis(workout: Workout) -> Iterator[Hit]:
    """Compares the rep's phases as they will be played, so X and custom phases count."""
    for index, exercise in enumerate(workout.exercises):
        if not exercise.eccentric_emphasis:
            continue
        phases = rep_phases(exercise, exercise.settings(workout.defaults))
        lowering = _phase_ms(phases, "eccentric")
        lifting = _phase_ms(phases, "concentric")
        if lowering <= lifting:
            yield Hit(
                index,
                f"{exercise.name}: the lowering takes {_seconds(lowering)} a rep and the lifting"
                f" {_seconds(lifting)}; an eccentric exercise should lower more slowly than it"
                " lifts",
            )


def _glutes_need_hamstrings(workout: Workout) -> Iterator[Hit]:
    """A hip thrust filed as hip extension does not satisfy the rule it is the subject of."""
    exercises = workout.exercises
    glute_work = [
        index for index, exercise in enumerate(exercises) if _GLUTE_WORK.search(exercise.name)
    ]
    hamstring_hinge = any(
        exercise.trains in HIP_EXTENSION and not _GLUTE_WORK.search(exercise.name)
        for exercise in exercises
    )
    if glute_work and not hamstring_hinge:
        names = ", ".join(exercises[index].name for index in glute_work)
        yield Hit(
            glute_work[0],
            f"glute work ({names}) without a hamstring hip-extension exercise; add cable or "
            "band pull-throughs or a deadlift variation",
        )


def _is_static_hamstring_stretch(exercise: Exercise, phases: Iterable[RepPhase]) -> bool:
    """A hamstring stretch by name ("Standing hamstring stretch", "Toe-touch stretch"), or an
    unloaded hamstring hold: trains "other", named for the hamstrings, and no phase of its
    rep lowers or lifts. Loaded hamstring isometrics train a function and are not stretches.
    """
    if not _HAMSTRING_NAME.search(exercise.name):
        return False
    if _STRETCH.search(exercise.name):
        return True
    return exercise.trains == "other" and not any(phase.kind in _MOVING for phase in phases)


def _no_static_stretching(workout: Workout) -> Iterator[Hit]:
    for index, exercise in enumerate(workout.exercises):
        phases = rep_phases(exercise, exercise.settings(workout.defaults))
        if _is_static_hamstring_stretch(exercise, phases):
            yield Hit(
                index,
                f"{exercise.name} is a static hamstring stretch; use the tempoed Romanian "
                "deadlift instead, which lengthens the hamstrings under load as they lower",
            )


CHECKS: tuple[Check, ...] = (
    Check(
        "backside-volume",
        "Two hamstring sets for each quadriceps set",
        "Training only what you can see feeds the imbalances behind hamstring injuries, so the "
        "article asks for two hamstring sets for every set of a quadriceps exercise.",
        _backside_volume,
    ),
    Check(
        "both-functions",
        "Hamstrings through hip extension and knee flexion",
        "The hamstrings cross both the hip and the knee, so they need exercises that extend "
        "the hip and exercises that flex the knee.",
        _both_functions,
    ),
    Check(
        "loading",
        "Heavy, low-rep loading",
        "The hamstrings are mostly fast-twitch and respond to heavy, low-rep work: about five "
        "reps a set on compound lifts for maximal strength, up to 12 on assistance work.",
        _loading,
    ),
    Check(
        "single-leg",
        "Glute-ham raises on both legs",
        "Glute-ham raises are the one hamstring exercise in the article that is not safe to "
        "do on one leg.",
        _single_leg,
    ),
    Check(
        "eccentric-emphasis",
        "Eccentric work lowers slowly",
        "The hamstrings are the body's brakes, so eccentric work should train them braking: "
        "lowering more slowly than lifting.",
        _eccentric_emphasis,
    ),
    Check(
        "glutes-need-hamstrings",
        "Glute work needs hamstring hip extension",
        "Strong glutes are only as good as the hamstrings below them; glute bridges and hip "
        "thrusts do not replace hamstring hip-extension work.",
        _glutes_need_hamstrings,
    ),
    Check(
        "no-static-stretching",
        "Stretch the hamstrings eccentrically, not statically",
        "Static stretching only relieves tightness for a while and can add to neural tension; "
        "the article lengthens the hamstrings with loaded eccentric work instead.",
        _no_static_stretching,
    ),
)
"""Every check, in the order findings are reported."""

CHECK_IDS: tuple[str, ...] = tuple(check.id for check in CHECKS)
"""The ids a ``[[silenced]]`` entry may name."""


def _unknown_silence(check_id: str) -> Finding:
    close = close_matches(check_id, CHECK_IDS)
    hint = f'did you mean "{close[0]}"?' if close else f"the checks are {', '.join(CHECK_IDS)}"
    return Finding(
        UNKNOWN_SILENCE,
        f'[[silenced]] names "{check_id}", which is not a check; {hint}',
        UNKNOWN_SILENCE_REASON,
        None,
    )


def check_workout(workout: Workout) -> list[Finding]:
    """Every finding, silenced ones included (marked with the file's reason), in the order of
    `CHECKS` and then exercise order, followed by any silences that name no check."""
    reasons = {entry.check: entry.reason for entry in workout.silenced}
    findings = [
        Finding(check.id, hit.message, check.reason, hit.exercise_index, reasons.get(check.id))
        for check in CHECKS
        for hit in check.find(workout)
    ]
    findings.extend(
        _unknown_silence(entry.check) for entry in workout.silenced if entry.check not in CHECK_IDS
    )
    return findings


def active(findings: Iterable[Finding]) -> list[Finding]:
    """The findings the workout has not silenced: the ones to warn about."""
    return [finding for finding in findings if finding.silenced_because is None]
