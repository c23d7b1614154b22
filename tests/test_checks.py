"""The article's programming checks: each fires on the workout it is about, and only there."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core.checks import (
    CHECK_IDS,
    CHECKS,
    UNKNOWN_SILENCE,
    Finding,
    active,
    check_workout,
)
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import Workout

BUNDLED_WORKOUTS = sorted((Path(__file__).resolve().parents[1] / "workouts").glob("*.toml"))


def exercise(name: str, trains: str, **fields: Any) -> dict[str, Any]:
    """A valid exercise: 3 × 5, compound, a slow lowering; fields override any of it."""
    return {
        "name": name,
        "trains": trains,
        "category": "compound",
        "sets": 3,
        "reps": 5,
        "tempo": "3-0-1-0",
        **fields,
    }


RDL = exercise("Romanian deadlift", "hip_extension", tempo="4-1-X-2", eccentric_emphasis=True)
GHR = exercise("Glute-ham raise", "knee_flexion", category="assistance", reps=6)


def workout(*exercises: dict[str, Any], **fields: Any) -> Workout:
    return Workout.model_validate(
        {"format_version": 1, "name": "Test", "exercises": list(exercises), **fields}
    )


def found(subject: Workout, check: str) -> list[Finding]:
    return [finding for finding in check_workout(subject) if finding.check == check]


def messages(subject: Workout, check: str) -> list[str]:
    return [finding.message for finding in found(subject, check)]


def test_a_balanced_workout_has_no_findings() -> None:
    assert check_workout(workout(RDL, GHR, goal="strength")) == []


def test_check_ids_are_the_stable_kebab_case_ones() -> None:
    assert CHECK_IDS == (
        "backside-volume",
        "both-functions",
        "loading",
        "single-leg",
        "eccentric-emphasis",
        "glutes-need-hamstrings",
        "no-static-stretching",
    )
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", check.id) for check in CHECKS)
    assert all(check.title and check.reason.endswith(".") for check in CHECKS)
    assert UNKNOWN_SILENCE not in CHECK_IDS


def test_the_checks_import_nothing_from_the_terminal_sound_or_storage() -> None:
    code = (
        "import sys, tempo_coach.core.checks; "
        "print(sorted(m for m in ('textual', 'simpleaudio', 'sqlite3') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# backside-volume


def test_backside_volume_fires_below_two_hamstring_sets_per_quadriceps_set() -> None:
    squat = exercise("Back squat", "quadriceps", sets=3)
    subject = workout(squat, RDL, GHR | {"sets": 2, "reps": 6})
    (finding,) = found(subject, "backside-volume")
    assert finding.message == (
        "5 hamstring sets for 3 quadriceps sets; two for each quadriceps set would be 6"
    )
    assert finding.exercise_index is None
    assert "two hamstring sets for every set of a quadriceps exercise" in finding.reason


def test_backside_volume_counts_a_single_set_in_the_singular() -> None:
    subject = workout(exercise("Split squat", "quadriceps", sets=1), RDL | {"sets": 1})
    assert messages(subject, "backside-volume") == [
        "1 hamstring set for 1 quadriceps set; two for each quadriceps set would be 2"
    ]


@pytest.mark.parametrize(
    "exercises",
    [
        pytest.param([exercise("Back squat", "quadriceps", sets=3), RDL, GHR], id="exactly-2x"),
        pytest.param([RDL], id="no-quadriceps-work"),
    ],
)
def test_backside_volume_is_quiet_at_two_to_one_or_without_quadriceps_work(
    exercises: list[dict[str, Any]],
) -> None:
    assert found(workout(*exercises), "backside-volume") == []


# both-functions


@pytest.mark.parametrize(
    ("only", "words"),
    [
        (
            RDL,
            "the hamstrings are trained only through hip extension; add knee flexion such as "
            "glute-ham raises or Swiss-ball, TRX or slider leg curls",
        ),
        (
            GHR,
            "the hamstrings are trained only through knee flexion; add hip extension such as "
            "Romanian deadlifts, pull-throughs or another deadlift variation",
        ),
    ],
    ids=["hip-extension-only", "knee-flexion-only"],
)
def test_both_functions_names_the_missing_function_and_suggests_exercises(
    only: dict[str, Any], words: str
) -> None:
    (finding,) = found(workout(only), "both-functions")
    assert finding.message == words
    assert finding.exercise_index is None
    assert "extend the hip" in finding.reason and "flex the knee" in finding.reason


@pytest.mark.parametrize(
    "exercises",
    [
        pytest.param([RDL, GHR], id="one-of-each"),
        pytest.param([exercise("Nordic curl", "both")], id="both-counts-as-both"),
        pytest.param([exercise("Back squat", "quadriceps")], id="no-hamstring-work"),
    ],
)
def test_both_functions_is_quiet_when_both_are_trained_or_no_hamstring_work(
    exercises: list[dict[str, Any]],
) -> None:
    assert found(workout(*exercises), "both-functions") == []


# loading


@pytest.mark.parametrize(
    ("lift", "goal", "words"),
    [
        (
            RDL | {"reps": 10},
            "strength",
            "Romanian deadlift: 10 reps a set is past 8 for a strength goal",
        ),
        (
            exercise("Leg curl", "knee_flexion", category="assistance", sets=None, reps=[15, 12]),
            "hypertrophy",
            "Leg curl: up to 15 reps a set is past 12 for assistance work",
        ),
    ],
    ids=["compound-for-strength", "assistance"],
)
def test_loading_fires_past_the_rep_ceiling(lift: dict[str, Any], goal: str, words: str) -> None:
    (finding,) = found(workout(lift, goal=goal), "loading")
    assert finding.message == words
    assert finding.exercise_index == 0
    assert "fast-twitch" in finding.reason


@pytest.mark.parametrize(
    ("lift", "goal"),
    [
        pytest.param(RDL | {"reps": 10}, "hypertrophy", id="compound-not-for-strength"),
        pytest.param(RDL | {"reps": 8}, "strength", id="compound-at-8"),
        pytest.param(GHR | {"reps": 12}, "strength", id="assistance-at-12"),
    ],
)
def test_loading_is_quiet_within_the_ceiling(lift: dict[str, Any], goal: str) -> None:
    assert found(workout(lift, goal=goal), "loading") == []


# single-leg


@pytest.mark.parametrize(
    "name", ["Glute-ham raise", "glute ham raise", "Single-leg GHR", "Banded GHRs"]
)
def test_single_leg_fires_on_a_unilateral_glute_ham_raise(name: str) -> None:
    subject = workout(RDL, GHR | {"name": name, "unilateral": True})
    (finding,) = found(subject, "single-leg")
    assert finding.message == (
        f"{name} is set to one leg at a time; do glute-ham raises with both legs"
        " (set unilateral = false)"
    )
    assert finding.exercise_index == 1
    assert "not safe to do on one leg" in finding.reason


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(GHR, id="bilateral-glute-ham-raise"),
        pytest.param(
            exercise("Single-leg slider leg curl", "knee_flexion", unilateral=True),
            id="unilateral-leg-curl",
        ),
    ],
)
def test_single_leg_is_quiet_for_bilateral_raises_and_other_single_leg_work(
    other: dict[str, Any],
) -> None:
    assert found(workout(RDL, other), "single-leg") == []


# eccentric-emphasis


@pytest.mark.parametrize(
    ("fields", "lowering", "lifting"),
    [
        pytest.param({"tempo": "1-0-3-0"}, "1 s", "3 s", id="faster-lowering"),
        pytest.param({"tempo": "2-0-2-0"}, "2 s", "2 s", id="equal"),
        pytest.param({"tempo": "1-0-X-0", "explosive_beats": 2}, "1 s", "2 s", id="long-explosive"),
        pytest.param(
            {"tempo": "2-0-2-0", "beat_seconds": 0.5, "starts_with": "concentric"},
            "1 s",
            "1 s",
            id="half-second-beats",
        ),
        pytest.param(
            {
                "tempo": None,
                "custom_phases": [
                    {"name": "Down", "kind": "eccentric", "beats": 2},
                    {"name": "Up", "kind": "concentric", "seconds": 2.5},
                ],
            },
            "2 s",
            "2.5 s",
            id="custom-phases",
        ),
    ],
)
def test_eccentric_emphasis_compares_lowering_with_lifting(
    fields: dict[str, Any], lowering: str, lifting: str
) -> None:
    nordic = exercise("Nordic curl", "knee_flexion", eccentric_emphasis=True, **fields)
    (finding,) = found(workout(RDL, nordic), "eccentric-emphasis")
    assert finding.message == (
        f"Nordic curl: the lowering takes {lowering} a rep and the lifting {lifting};"
        " an eccentric exercise should lower more slowly than it lifts"
    )
    assert finding.exercise_index == 1
    assert "brakes" in finding.reason


@pytest.mark.parametrize(
    "nordic",
    [
        pytest.param(
            exercise(
                "Nordic curl",
                "knee_flexion",
                eccentric_emphasis=True,
                tempo=None,
                custom_phases=[
                    {"name": "Lower", "kind": "eccentric", "seconds": 5},
                    {"name": "Push back up", "kind": "other", "seconds": 2},
                ],
            ),
            id="custom-lowering-only",
        ),
        pytest.param(
            exercise(
                "Slider leg curl",
                "knee_flexion",
                eccentric_emphasis=True,
                tempo="3-0-X-0",
                beat_seconds=0.5,
                starts_with="concentric",
            ),
            id="slower-lowering-at-half-second-beats",
        ),
        pytest.param(
            exercise("Leg curl", "knee_flexion", tempo="1-0-3-0"), id="not-billed-eccentric"
        ),
    ],
)
def test_eccentric_emphasis_is_quiet_when_lowering_is_slower_or_not_claimed(
    nordic: dict[str, Any],
) -> None:
    assert found(workout(RDL, nordic), "eccentric-emphasis") == []


# glutes-need-hamstrings


@pytest.mark.parametrize(
    ("glute_work", "names"),
    [
        pytest.param(
            [exercise("Barbell hip thrust", "hip_extension")],
            "Barbell hip thrust",
            id="hip-thrust-filed-as-hip-extension",
        ),
        pytest.param(
            [exercise("Glute bridge", "other"), exercise("Single-leg hip-thrust", "other")],
            "Glute bridge, Single-leg hip-thrust",
            id="bridge-and-thrust",
        ),
    ],
)
def test_glutes_need_hamstrings_fires_without_hamstring_hip_extension(
    glute_work: list[dict[str, Any]], names: str
) -> None:
    (finding,) = found(workout(GHR, *glute_work), "glutes-need-hamstrings")
    assert finding.message == (
        f"glute work ({names}) without a hamstring hip-extension exercise; add cable or band"
        " pull-throughs or a deadlift variation"
    )
    assert finding.exercise_index == 1
    assert "only as good as the hamstrings" in finding.reason


@pytest.mark.parametrize(
    "hinge",
    [
        pytest.param(RDL, id="romanian-deadlift"),
        pytest.param(exercise("Cable pull-through", "hip_extension"), id="pull-through"),
        pytest.param(exercise("Nordic curl", "both"), id="both-counts-as-hip-extension"),
    ],
)
def test_glutes_need_hamstrings_is_quiet_with_a_hamstring_hinge(hinge: dict[str, Any]) -> None:
    subject = workout(exercise("Barbell hip thrust", "hip_extension"), hinge)
    assert found(subject, "glutes-need-hamstrings") == []


def test_glutes_need_hamstrings_is_quiet_without_glute_work() -> None:
    assert found(workout(GHR), "glutes-need-hamstrings") == []


# no-static-stretching

HOLD_30_S = {"tempo": None, "custom_phases": [{"name": "Hold", "kind": "hold", "seconds": 30}]}


@pytest.mark.parametrize(
    "stretch",
    [
        pytest.param(
            exercise("Standing hamstring stretch", "other", **HOLD_30_S), id="named-stretch"
        ),
        pytest.param(exercise("Toe-touch stretch", "other", tempo="0-30-0-0"), id="toe-touch"),
        pytest.param(
            exercise("Seated hamstring stretch", "other", tempo="10-20-0-0"),
            id="named-stretch-with-a-slow-reach",
        ),
        pytest.param(exercise("Hamstring hang", "other", **HOLD_30_S), id="unloaded-hold"),
    ],
)
def test_no_static_stretching_suggests_the_tempoed_rdl(stretch: dict[str, Any]) -> None:
    (finding,) = found(workout(RDL, GHR, stretch), "no-static-stretching")
    assert finding.message == (
        f"{stretch['name']} is a static hamstring stretch; use the tempoed Romanian deadlift"
        " instead, which lengthens the hamstrings under load as they lower"
    )
    assert finding.exercise_index == 2
    assert "loaded eccentric work" in finding.reason


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(
            exercise("Half-kneeling hip flexor stretch", "other", **HOLD_30_S),
            id="hip-flexor-stretch",
        ),
        pytest.param(
            exercise("Hamstring bridge hold", "knee_flexion", **HOLD_30_S), id="loaded-isometric"
        ),
        pytest.param(
            exercise("Hamstring walkout", "other", tempo="3-0-3-0"), id="moving-hamstring-drill"
        ),
    ],
)
def test_no_static_stretching_is_quiet_for_other_stretches_and_hamstring_work(
    other: dict[str, Any],
) -> None:
    assert found(workout(RDL, GHR, other), "no-static-stretching") == []


# silencing

RDL_ALONE = """\
format_version = 1
name = "Tempoed RDL"
goal = "strength"

[[exercises]]
name = "Romanian deadlift"
trains = "hip_extension"
category = "compound"
sets = 4
reps = 10
tempo = "4-1-X-2"
"""

SILENCE = """
[[silenced]]
check = "{check}"
reason = "{reason}"
"""


def test_silencing_by_id_marks_the_finding_with_the_files_reason() -> None:
    reason = "Leg curls are on Thursday"
    text = RDL_ALONE + SILENCE.format(check="both-functions", reason=reason)
    findings = check_workout(parse_workout(text, Path("x.toml")))
    (silenced,) = [finding for finding in findings if finding.check == "both-functions"]
    assert silenced.silenced_because == reason
    assert "only through hip extension" in silenced.message
    assert [finding.message for finding in active(findings)] == [
        "Romanian deadlift: 10 reps a set is past 8 for a strength goal"
    ]


def test_without_the_silence_the_same_finding_is_active() -> None:
    findings = check_workout(parse_workout(RDL_ALONE, Path("x.toml")))
    assert [finding.check for finding in active(findings)] == ["both-functions", "loading"]
    assert all(finding.silenced_because is None for finding in findings)


def test_an_unknown_silence_suggests_the_closest_check() -> None:
    text = RDL_ALONE + SILENCE.format(check="both-function", reason="typo")
    findings = check_workout(parse_workout(text, Path("x.toml")))
    unknown = [finding for finding in findings if finding.check == UNKNOWN_SILENCE]
    assert [finding.message for finding in unknown] == [
        '[[silenced]] names "both-function", which is not a check; did you mean "both-functions"?'
    ]
    assert unknown[0].exercise_index is None
    assert "must name a check exactly" in unknown[0].reason
    assert {finding.check for finding in active(findings)} == {
        "both-functions",
        "loading",
        UNKNOWN_SILENCE,
    }


def test_unknown_silence_cannot_itself_be_silenced_and_lists_the_checks() -> None:
    subject = workout(
        RDL,
        GHR,
        silenced=[
            {"check": "volume-of-everything", "reason": "x"},
            {"check": UNKNOWN_SILENCE, "reason": "hide the typo"},
        ],
    )
    listed = ", ".join(CHECK_IDS)
    assert [finding.message for finding in active(check_workout(subject))] == [
        f'[[silenced]] names "volume-of-everything", which is not a check; the checks are {listed}',
        f'[[silenced]] names "{UNKNOWN_SILENCE}", which is not a check; the checks are {listed}',
    ]


# bundled workouts


def test_the_bundled_workouts_are_found() -> None:
    assert "tempoed-rdl" in [path.stem for path in BUNDLED_WORKOUTS]


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=[path.stem for path in BUNDLED_WORKOUTS])
def test_every_bundled_workout_follows_the_checks_or_says_why_not(path: Path) -> None:
    findings = active(check_workout(load_workout(path)))
    assert [f"{finding.check}: {finding.message}" for finding in findings] == []
