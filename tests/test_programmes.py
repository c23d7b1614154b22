"""Programme files: validation, compiling onto the calendar, today, weekly checks, show."""

from __future__ import annotations

import datetime
import itertools
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import Load
from tempo_coach.core.programmes import (
    Block,
    Deload,
    Done,
    ExerciseOverride,
    Programme,
    ProgrammeError,
    Schedule,
    Session,
    Week,
    check_weeks,
    compile_programme,
    describe_programme,
    parse_programme,
    programme_json_schema,
    programme_problems,
    today,
)
from tempo_coach.core.progression import ProgressionRule, RepRange, Working
from tempo_coach.core.schema import field_docstrings
from tempo_coach.core.tempo import parse_tempo
from tests.conftest import BUNDLED_WORKOUTS, REPO

BUNDLED_PROGRAMMES = sorted((REPO / "programmes").glob("*.toml"))
MONDAY = datetime.date(2026, 3, 2)
WORKOUTS = {
    path.stem: parse_workout(path.read_text(encoding="utf-8"), path) for path in BUNDLED_WORKOUTS
}


def programme(blocks: list[dict[str, Any]], **extra: Any) -> Programme:
    return Programme.model_validate(
        {"format_version": 1, "name": "Test", "blocks": blocks, **extra}
    )


def week(*sessions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"sessions": list(sessions), **extra}


def nordic(**override: Any) -> dict[str, Any]:
    return {
        "workout": "nordic-curl",
        "exercises": [{"name": "Eccentric Nordic curl", **override}] if override else [],
    }


def rdl(**override: Any) -> dict[str, Any]:
    return {
        "workout": "tempoed-rdl",
        "exercises": [{"name": "Tempoed Romanian deadlift", **override}] if override else [],
    }


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Programme.model_validate(data)
    return [str(problem) for problem in programme_problems(caught.value.errors())]


def base(**blocks_extra: Any) -> dict[str, Any]:
    return {
        "format_version": 1,
        "name": "Test",
        "blocks": [{"name": "A", "weeks": [week(nordic())], **blocks_extra}],
    }


# Bundled programmes -----------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED_PROGRAMMES, ids=lambda path: path.stem)
def test_bundled_programmes_validate_compile_and_cite_their_source(path: Path) -> None:
    loaded = Programme.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    assert loaded.source, "a bundled programme cites its source"
    plan = compile_programme(loaded, MONDAY, WORKOUTS)
    assert plan
    active = [item for item in check_weeks(loaded, plan) if item.finding.silenced_because is None]
    assert active == []
    assert describe_programme(loaded, WORKOUTS)[0] == loaded.name


def test_there_are_two_published_protocols_and_a_tempoed_rdl_block() -> None:
    stems = {path.stem for path in BUNDLED_PROGRAMMES}
    assert {"nordic-hamstring-programme", "nordic-four-week-primer", "tempoed-rdl-block"} <= stems


def test_the_nordic_programme_is_27_sessions_in_10_weeks_then_one_a_week() -> None:
    path = REPO / "programmes" / "nordic-hamstring-programme.toml"
    plan = compile_programme(
        parse_programme(path.read_text(encoding="utf-8"), path), MONDAY, WORKOUTS
    )
    build_up = [session for session in plan if session.block == "Build-up"]
    assert len(build_up) == 27
    per_week = [sum(1 for session in plan if session.week == number) for number in range(1, 21)]
    assert per_week == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3] + [1] * 10
    first, last = plan[0].exercises[0], plan[-1].exercises[0]
    assert (first.reps, first.load) == ((5, 5), Load(bodyweight=True))
    assert last.reps == (12, 10, 8)
    week_3 = next(session for session in plan if session.week == 3).exercises[0]
    assert (week_3.reps, week_3.rep_range) == ((6, 6, 6), RepRange(6, 8))


@pytest.mark.parametrize(
    "model",
    [Programme, Block, Week, Session, ExerciseOverride, Schedule, Deload, Load, ProgressionRule],
    ids=lambda model: model.__name__,
)
def test_every_field_of_a_programme_file_has_a_docstring(model: type[BaseModel]) -> None:
    assert set(field_docstrings(model)) == set(model.model_fields)


def test_the_schema_file_is_the_models_schema() -> None:
    path = REPO / "programmes" / "programme.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == programme_json_schema()


# Compiling --------------------------------------------------------------------------------


def test_a_start_too_late_for_the_calendar_is_a_sentence() -> None:
    with pytest.raises(ProgrammeError, match="would run past the year 9999"):
        compile_programme(
            programme([{"name": "Build", "weeks": [week(rdl()), week(rdl())]}]),
            datetime.date(9999, 12, 27),
            WORKOUTS,
        )


def test_weeks_become_dated_sessions_with_the_overrides_applied() -> None:
    plan = compile_programme(
        programme(
            [
                {
                    "name": "Build",
                    "weeks": [
                        week(
                            rdl(sets=3, reps=6, tempo="5-1-X-2", load="60 kg"),
                            schedule={"per_week": 3},
                        ),
                        week(rdl(reps=[8, 6, 4], load="bodyweight + 10 kg"), repeat=2),
                    ],
                }
            ]
        ),
        MONDAY,
        WORKOUTS,
    )
    assert [(session.week, session.session, session.on.isoformat()) for session in plan] == [
        (1, 1, "2026-03-02"),
        (1, 2, "2026-03-04"),
        (1, 3, "2026-03-06"),
        (2, 1, "2026-03-09"),
        (3, 1, "2026-03-16"),
    ]
    exercise = plan[0].workout.exercises[0]
    assert (exercise.reps_per_set, exercise.tempo) == ([6, 6, 6], parse_tempo("5-1-X-2"))
    assert str(plan[0].exercises[0].load) == "60 kg"
    assert plan[3].workout.exercises[0].reps_per_set == [8, 6, 4]
    assert str(plan[3].exercises[0].load) == "bodyweight + 10 kg"
    # What the override leaves alone stays as the workout wrote it.
    assert plan[0].workout.exercises[0].setup == WORKOUTS["tempoed-rdl"].exercises[0].setup


def test_a_rep_range_aims_for_its_bottom() -> None:
    plan = compile_programme(
        programme([{"name": "A", "weeks": [week(nordic(sets=3, reps="6-8"))]}]), MONDAY, WORKOUTS
    )
    assert plan[0].exercises[0].reps == (6, 6, 6)
    assert plan[0].exercises[0].rep_range == RepRange(6, 8)


def test_sets_cut_a_workouts_per_set_reps_or_repeat_the_last() -> None:
    curl = {"workout": "swiss-ball-leg-curl", "exercises": [{"name": "Swiss ball leg curl"}]}
    fewer = {**curl, "exercises": [{"name": "Swiss ball leg curl", "sets": 2}]}
    more = {**curl, "exercises": [{"name": "Swiss ball leg curl", "sets": 6}]}
    plan = compile_programme(
        programme([{"name": "A", "weeks": [week(curl), week(fewer), week(more)]}]),
        MONDAY,
        WORKOUTS,
    )
    assert [session.exercises[0].reps for session in plan] == [
        (12, 10, 10, 8),
        (12, 10),
        (12, 10, 10, 8, 8, 8),
    ]


def test_every_n_days_runs_across_the_weeks_of_a_block() -> None:
    plan = compile_programme(
        programme(
            [{"name": "A", "schedule": {"every_days": 3}, "weeks": [week(nordic(), repeat=2)]}]
        ),
        MONDAY,
        WORKOUTS,
    )
    days = [(session.on - MONDAY).days for session in plan]
    assert days == [0, 3, 6, 9, 12]
    assert [session.week for session in plan] == [1, 1, 1, 2, 2]


def test_twice_a_day_puts_two_sessions_on_each_training_day() -> None:
    plan = compile_programme(
        programme(
            [
                {
                    "name": "A",
                    "weeks": [week(nordic(), rdl(), schedule={"per_week": 2, "per_day": 2})],
                }
            ]
        ),
        MONDAY,
        WORKOUTS,
    )
    assert [(session.on.day, session.workout_name) for session in plan] == [
        (2, "nordic-curl"),
        (2, "tempoed-rdl"),
        (5, "nordic-curl"),
        (5, "tempoed-rdl"),
    ]


def test_an_inline_workout_is_used_as_written() -> None:
    inline = WORKOUTS["pull-through"].model_dump(exclude_unset=True)
    plan = compile_programme(
        programme([{"name": "A", "weeks": [week({"workout": inline})]}]), MONDAY, WORKOUTS
    )
    assert plan[0].workout_name == "Cable pull-through"
    assert plan[0].workout.model_dump() == WORKOUTS["pull-through"].model_dump()


def test_a_deload_week_takes_off_sets_and_load() -> None:
    plan = compile_programme(
        programme(
            [
                {
                    "name": "A",
                    "weeks": [week(rdl(load="100 kg")), week(rdl(load="100 kg"), deload=True)],
                }
            ],
            deload={"sets_percent": 50, "load_percent": 70},
        ),
        MONDAY,
        WORKOUTS,
    )
    normal, deload = plan[0].exercises[0], plan[1].exercises[0]
    assert (len(normal.reps), str(normal.load), plan[0].deload) == (4, "100 kg", False)
    assert (len(deload.reps), str(deload.load), plan[1].deload) == (2, "70 kg", True)


def test_blocks_follow_one_another() -> None:
    plan = compile_programme(
        programme(
            [
                {"name": "Build-up", "weeks": [week(nordic(), schedule={"per_week": 3})]},
                {"name": "Maintenance", "weeks": [week(nordic(), repeat=2)]},
            ]
        ),
        MONDAY,
        WORKOUTS,
    )
    assert [(session.block, session.week) for session in plan] == [
        ("Build-up", 1),
        ("Build-up", 1),
        ("Build-up", 1),
        ("Maintenance", 2),
        ("Maintenance", 3),
    ]
    assert [session.number for session in plan] == [1, 2, 3, 4, 5]


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    def override() -> st.SearchStrategy[dict[str, Any]]:
        reps = st.one_of(
            st.integers(1, 12),
            st.lists(st.integers(1, 12), min_size=1, max_size=5),
            st.tuples(st.integers(1, 10), st.integers(1, 5)).map(
                lambda pair: f"{pair[0]}-{pair[0] + pair[1]}"
            ),
        )
        return st.fixed_dictionaries(
            {"name": st.just("Eccentric Nordic curl")},
            optional={
                "sets": st.integers(1, 5),
                "reps": reps,
                "load": st.sampled_from(["bodyweight", "bodyweight - 30 kg", "10 kg"]),
            },
        )

    def session() -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(
            lambda items: {"workout": "nordic-curl", "exercises": items},
            st.lists(override(), max_size=1),
        )

    schedule = st.one_of(
        st.none(),
        st.builds(lambda n, d: {"per_week": n, "per_day": d}, st.integers(3, 7), st.integers(1, 3)),
        st.builds(lambda n: {"every_days": n}, st.integers(1, 3)),
    )
    weeks = st.lists(
        st.builds(
            lambda sessions, repeat, deload, when: {
                "sessions": sessions,
                "repeat": repeat,
                "deload": deload,
                **({"schedule": when} if when else {}),
            },
            st.lists(session(), min_size=1, max_size=2),
            st.integers(1, 3),
            st.booleans(),
            schedule,
        ),
        min_size=1,
        max_size=3,
    )
    blocks = draw(
        st.lists(st.builds(lambda w: {"name": "Block", "weeks": w}, weeks), min_size=1, max_size=2)
    )
    return Programme.model_validate({"format_version": 1, "name": "Fuzz", "blocks": blocks})


@settings(max_examples=60, deadline=None)
@given(programmes(), st.dates(datetime.date(2000, 1, 1), datetime.date(2090, 1, 1)))
def test_compiling_never_makes_an_empty_or_negative_session(
    generated: Programme, start: datetime.date
) -> None:
    try:
        plan = compile_programme(generated, start, WORKOUTS)
    except ProgrammeError as error:
        # Only a list of reps given with a different `sets` is refused, and said so.
        assert all("`sets` is" in problem.message for problem in error.problems)
        return
    assert plan
    assert [session.number for session in plan] == list(range(1, len(plan) + 1))
    assert plan[0].on >= start
    assert all(later.on >= earlier.on for earlier, later in itertools.pairwise(plan))
    for session in plan:
        assert session.workout.exercises
        assert session.workout.planned_seconds() > 0
        for exercise in session.exercises:
            assert exercise.reps and all(reps >= 1 for reps in exercise.reps)
            assert exercise.load is None or exercise.load.bodyweight or exercise.load.amount > 0


# Errors -----------------------------------------------------------------------------------


def test_an_unknown_workout_is_named_with_a_suggestion() -> None:
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme([{"name": "A", "weeks": [week({"workout": "nordic-curls"})]}]),
            MONDAY,
            WORKOUTS,
        )
    assert str(caught.value) == (
        'blocks[0].weeks[0].sessions[0].workout: no workout is named "nordic-curls"; '
        'did you mean "nordic-curl"?'
    )


def test_an_override_must_name_an_exercise_of_the_workout() -> None:
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme(
                [
                    {
                        "name": "A",
                        "weeks": [
                            week(
                                {
                                    "workout": "nordic-curl",
                                    "exercises": [{"name": "Nordic", "sets": 2}],
                                }
                            )
                        ],
                    }
                ]
            ),
            MONDAY,
            WORKOUTS,
        )
    assert str(caught.value) == (
        "blocks[0].weeks[0].sessions[0].exercises[0].name: Eccentric Nordic curl has no "
        'exercise named "Nordic"; it has "Eccentric Nordic curl"'
    )


def test_an_override_that_breaks_the_workout_says_where_and_why() -> None:
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme([{"name": "A", "weeks": [week(nordic(tempo="3-0-1-0"))]}]), MONDAY, WORKOUTS
        )
    assert str(caught.value) == (
        "blocks[0].weeks[0].sessions[0] (nordic-curl): exercises[0]: give an exercise either "
        "`tempo` or `custom_phases`"
    )
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme([{"name": "A", "weeks": [week(rdl(sets=2, reps=[5, 5, 5]))]}]),
            MONDAY,
            WORKOUTS,
        )
    assert "`sets` is 2 but `reps` lists 3 numbers" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"load": "eighty kilos"},
            'blocks[0].weeks[0].sessions[0].exercises[0].load: a load is written like "80 kg", '
            '"bodyweight", "bodyweight + 10 kg" or "bodyweight - 20 kg" (band assistance)',
        ),
        (
            {"load": "0 kg"},
            "blocks[0].weeks[0].sessions[0].exercises[0].load: a weight must be more than 0; "
            'for bodyweight work write `bodyweight = true` (or "bodyweight")',
        ),
        (
            {"reps": "8-6"},
            "blocks[0].weeks[0].sessions[0].exercises[0].reps: a rep range is two numbers from 1 "
            'to 50, the smaller first, like "6-8"',
        ),
        (
            {"reps": 0},
            "blocks[0].weeks[0].sessions[0].exercises[0].reps: must be between 1 and 50 (got 0)",
        ),
        (
            {"tempo": "4-1-X"},
            'blocks[0].weeks[0].sessions[0].exercises[0].tempo: "4-1-X": a tempo has four parts '
            "(lowering, bottom pause, lifting, top pause), this one has 3",
        ),
        (
            {"set": 3},
            "blocks[0].weeks[0].sessions[0].exercises[0].set: unknown key `set`; did you mean "
            "`sets`?",
        ),
        (
            {"name": "Nordic\x1b[2J"},
            "blocks[0].weeks[0].sessions[0].exercises[0].name: must not contain control "
            "characters (found \\x1b at position 6)",
        ),
    ],
)
def test_errors_in_a_file_are_sentences_with_field_paths(
    change: dict[str, Any], expected: str
) -> None:
    data = base()
    data["blocks"][0]["weeks"][0]["sessions"][0]["exercises"] = [
        {"name": "Eccentric Nordic curl", **change}
    ]
    assert problems(data) == [expected]


def test_a_workout_is_named_by_its_stem_not_a_path() -> None:
    data = base()
    data["blocks"][0]["weeks"][0]["sessions"][0] = {"workout": "../secret"}
    assert problems(data) == [
        "blocks[0].weeks[0].sessions[0].workout: a workout is named by its file stem, like "
        '"nordic-curl": letters, digits, ".", "_" and "-", not a path'
    ]


def test_schedule_rule_and_week_errors_are_sentences() -> None:
    assert problems(base(schedule={"per_week": 2, "every_days": 2})) == [
        "blocks[0].schedule: give a schedule either `per_week` or `every_days`, not both"
    ]
    crowded = base(schedule={"per_week": 1})
    crowded["blocks"][0]["weeks"][0]["sessions"] *= 2
    assert problems(crowded) == [
        "blocks[0]: a week lists 2 sessions but its schedule has room for 1"
    ]
    ruled = {**base(), "progression": [{"rule": "tempo", "exercise": "X", "max_rpe": 9}]}
    assert problems(ruled) == [
        'progression[0]: a "tempo" rule needs `ceiling`, `load_step` and does not take `max_rpe`'
    ]
    assert problems({**base(), "format_version": 2}) == ["format_version: must be one of 1 (got 2)"]


def test_a_rule_needs_what_it_moves() -> None:
    rules = [{"rule": "double", "exercise": "Tempoed Romanian deadlift", "load_step": 2.5}]
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme([{"name": "A", "weeks": [week(rdl(load="60 kg"))]}], progression=rules),
            MONDAY,
            WORKOUTS,
        )
    assert str(caught.value) == (
        "progression[0]: Tempoed Romanian deadlift in week 1, session 1: double progression "
        'needs reps written as a range, like "6-8"'
    )
    rules = [{"rule": "tempo", "exercise": "Eccentric Nordic curl", "load_step": 2.5, "ceiling": 6}]
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(  # the bundled Nordic curl plans no load (the RDL plans its own)
            programme([{"name": "A", "weeks": [week(nordic())]}], progression=rules),
            MONDAY,
            WORKOUTS,
        )
    assert "a progression rule needs a planned `load` to add to" in str(caught.value)
    rules = [{"rule": "load", "exercise": "Leg press", "load_step": 5}]
    with pytest.raises(ProgrammeError) as caught:
        compile_programme(
            programme([{"name": "A", "weeks": [week(rdl())]}], progression=rules), MONDAY, WORKOUTS
        )
    assert str(caught.value) == 'progression[0]: no session has an exercise named "Leg press"'


def test_a_bad_file_is_a_workout_file_error_with_a_line() -> None:
    with pytest.raises(WorkoutFileError) as caught:
        parse_programme('format_version = 1\nname = "x\n', Path("mine.toml"))
    assert str(caught.value).startswith("mine.toml: line 2")


# Today ------------------------------------------------------------------------------------


def three_a_week() -> list[Any]:
    return compile_programme(
        programme([{"name": "A", "weeks": [week(nordic(), schedule={"per_week": 3}, repeat=2)]}]),
        MONDAY,
        WORKOUTS,
    )


def test_today_on_the_first_day_is_the_first_session() -> None:
    result = today(three_a_week(), [], MONDAY)
    assert result.session is not None and result.session.number == 1
    assert (result.due, result.missed, result.message) == (
        MONDAY,
        0,
        "Today: week 1, session 1 (A).",
    )


def test_today_before_a_session_is_due_says_when() -> None:
    plan = three_a_week()
    result = today(plan, [Done(1, MONDAY)], MONDAY)
    assert result.message == "Next: week 1, session 2 (A) on Wednesday."


def test_a_missed_session_is_named_and_the_plan_carries_on() -> None:
    plan = three_a_week()  # Mon, Wed, Fri, then Mon, Wed, Fri
    done = [
        Done(1, MONDAY),
        Done(2, MONDAY + datetime.timedelta(days=2)),
        Done(3, MONDAY + datetime.timedelta(days=4)),
    ]
    tuesday = MONDAY + datetime.timedelta(days=8)
    # Week 2's Monday session is missed; on Tuesday the plan carries on with it.
    result = today(plan, done, tuesday)
    assert result.session is not None and result.session.number == 4
    assert result.missed == 1
    assert result.message == "You missed Monday's session; carrying on with week 2, session 1."


def test_several_missed_sessions_are_counted() -> None:
    plan = three_a_week()
    result = today(plan, [Done(1, MONDAY)], MONDAY + datetime.timedelta(days=9))
    assert result.session is not None and result.session.number == 2
    assert result.missed == 3
    assert result.message == (
        "You missed 3 sessions since Wednesday 4 March; carrying on with week 1, session 2."
    )


def test_a_late_session_moves_the_rest_of_the_plan_with_it() -> None:
    plan = three_a_week()
    # Session 1 done two days late: session 2 falls due two days later than planned.
    result = today(
        plan, [Done(1, MONDAY + datetime.timedelta(days=2))], MONDAY + datetime.timedelta(days=3)
    )
    assert result.due == MONDAY + datetime.timedelta(days=4)
    assert result.missed == 0
    assert result.message == "Next: week 1, session 2 (A) on Friday."


def test_today_when_every_session_is_done() -> None:
    plan = three_a_week()
    done = [Done(session.number, session.on) for session in plan]
    result = today(plan, done, MONDAY + datetime.timedelta(days=30))
    assert (result.session, result.loads) == (None, [])
    assert result.message == "Programme finished: all 6 sessions done."


def test_today_uses_the_progression_loads() -> None:
    plan = compile_programme(
        programme([{"name": "A", "weeks": [week(rdl(load="60 kg"))]}]), MONDAY, WORKOUTS
    )
    working = {"Tempoed Romanian deadlift": Working(load=Load(amount=62.5), eccentric=5)}
    result = today(plan, [], MONDAY, working)
    assert result.loads == [("Tempoed Romanian deadlift", Load(amount=62.5))]
    assert result.session is not None
    assert result.session.workout.exercises[0].tempo == parse_tempo("5-1-X-2")


# Weekly checks ----------------------------------------------------------------------------


def test_the_two_to_one_rule_is_weighed_over_the_week() -> None:
    squats = {
        "workout": {
            "format_version": 1,
            "name": "Squats",
            "exercises": [
                {
                    "name": "Squat",
                    "trains": "quadriceps",
                    "category": "compound",
                    "sets": 4,
                    "reps": 5,
                    "tempo": "3-1-1-0",
                }
            ],
        }
    }
    plan_data = programme([{"name": "A", "weeks": [week(squats, rdl(), nordic())]}])
    findings = check_weeks(plan_data, compile_programme(plan_data, MONDAY, WORKOUTS))
    # 4 RDL sets + 4 Nordic sets for 4 squat sets: 8, exactly two for one.
    assert findings == []
    plan_data = programme([{"name": "A", "weeks": [week(squats, rdl())]}])
    findings = check_weeks(plan_data, compile_programme(plan_data, MONDAY, WORKOUTS))
    assert [(item.week, item.finding.check, item.finding.message) for item in findings] == [
        (
            1,
            "backside-volume",
            "4 hamstring sets for 4 quadriceps sets; two for each quadriceps set would be 8",
        ),
        (
            1,
            "both-functions",
            "the hamstrings are trained only through hip extension; add knee flexion such as "
            "glute-ham raises or Swiss-ball, TRX or slider leg curls",
        ),
    ]


def test_a_week_with_both_functions_passes_though_each_workout_trains_one() -> None:
    plan_data = programme([{"name": "A", "weeks": [week(rdl(), nordic()), week(rdl())]}])
    findings = check_weeks(plan_data, compile_programme(plan_data, MONDAY, WORKOUTS))
    assert [(item.week, item.finding.check) for item in findings] == [(2, "both-functions")]


def test_a_programme_silences_a_weekly_check_with_its_reason() -> None:
    plan_data = programme(
        [{"name": "A", "weeks": [week(nordic())]}],
        silenced=[{"check": "both-functions", "reason": "Team training covers the hips."}],
    )
    findings = check_weeks(plan_data, compile_programme(plan_data, MONDAY, WORKOUTS))
    assert [item.finding.silenced_because for item in findings] == [
        "Team training covers the hips."
    ]


# Show -------------------------------------------------------------------------------------


def test_describe_lists_blocks_weeks_sessions_rules_and_checks() -> None:
    path = REPO / "programmes" / "tempoed-rdl-block.toml"
    lines = describe_programme(parse_programme(path.read_text(encoding="utf-8"), path), WORKOUTS)
    assert "Build · weeks 1–8" in lines
    assert "  Weeks 1–3 · twice a week" in lines
    assert "  Week 4 · twice a week · deload" in lines
    assert "    Session 1: Tempoed Romanian deadlift (tempoed-rdl) · RDL day" in lines
    assert "      Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 40 kg" in lines
    assert "      Tempoed Romanian deadlift: 2 × 5 @ 4-1-X-2 · 32 kg" in lines
    assert "      Glute-ham raise: 3 × 6–10 @ 3-1-2-1 · bodyweight" in lines
    assert "Progression:" in lines
    assert any(line.startswith("  Tempoed Romanian deadlift: tempo progression") for line in lines)
    assert "  every exercise: hold when a set is rated above RPE 8.5" in lines


def test_describe_words_other_schedules() -> None:
    lines = describe_programme(
        programme(
            [
                {"name": "A", "schedule": {"every_days": 2}, "weeks": [week(nordic())]},
                {"name": "B", "weeks": [week(nordic(), schedule={"per_week": 3, "per_day": 2})]},
            ],
            silenced=[{"check": "both-functions", "reason": "Nordics only."}],
        ),
        WORKOUTS,
    )
    assert "  Week 1 · every 2 days" in lines
    assert "  Week 2 · 3 days a week, twice a day" in lines
    assert "    Each session: Eccentric Nordic curl (nordic-curl)" in lines
    assert "  weeks 1–2: silenced [both-functions]: Nordics only." in lines


def test_describe_warns_with_the_checks_reason() -> None:
    lines = describe_programme(programme([{"name": "A", "weeks": [week(rdl())]}]), WORKOUTS)
    assert lines[-2:] == [
        "Programming checks, week by week:",
        "  week 1: warning [both-functions] the hamstrings are trained only through hip "
        "extension; add knee flexion such as glute-ham raises or Swiss-ball, TRX or slider leg "
        "curls (why: The hamstrings cross both the hip and the knee, so they need exercises "
        "that extend the hip and exercises that flex the knee.)",
    ]
