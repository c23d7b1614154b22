"""Planned loads and warm-up sets: how files give them, where the timeline puts them, how the
plan words them, and that warm-ups are never counted as working volume."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input

from tempo_coach.catalog import Catalog, load_workout, updated_toml
from tempo_coach.core.checks import check_workout
from tempo_coach.core.describe import describe_workout, next_set, set_label, set_words
from tempo_coach.core.editing import draft_problems, edit_exercise, form_data, workout_data
from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import (
    MAX_WORKOUT_SETS,
    WARMUP_REST_SECONDS,
    Load,
    Workout,
    load_text,
)
from tempo_coach.core.programmes import Programme, compile_programme, with_progress
from tempo_coach.core.progression import Working
from tempo_coach.core.summary import UnitDone, count_sets, summarize
from tempo_coach.core.timeline import Place, compile_timeline
from tempo_coach.tui.screens.customize import CustomizeScreen
from tempo_coach.tui.screens.workout_form import parse_loads

from .conftest import REPO
from .fakes import InstantClock, RecordingPlayer
from .test_customize import error, field
from .tui_support import make_app, text

RDL_PATH = REPO / "workouts" / "tempoed-rdl.toml"
FILE = Path("my-rdl.toml")


def exercise(**extra: Any) -> dict[str, Any]:
    return {
        "name": "RDL",
        "trains": "hip_extension",
        "category": "compound",
        "sets": 3,
        "reps": 5,
        "tempo": "3-1-1-0",
        **extra,
    }


def workout(*exercises: dict[str, Any], **extra: Any) -> Workout:
    return Workout.model_validate(
        {
            "format_version": 1,
            "name": "Test",
            "defaults": {"rest_seconds": 90, "setup": {"seconds": 5}},
            "exercises": list(exercises) or [exercise()],
            **extra,
        }
    )


def problems_in(toml_exercise: str) -> list[str]:
    """The problems `tempo-coach validate` lists for a file holding this one exercise."""
    text = (
        'format_version = 1\nname = "x"\n\n[[exercises]]\nname = "RDL"\n'
        'trains = "hip_extension"\ncategory = "compound"\ntempo = "3-1-1-0"\n' + toml_exercise
    )
    with pytest.raises(WorkoutFileError) as caught:
        parse_workout(text, FILE)
    assert caught.value.path == FILE
    return [str(problem) for problem in caught.value.problems]


# The file format ---------------------------------------------------------------------------


def test_a_load_is_given_once_for_every_set_or_once_a_set() -> None:
    one = workout(exercise(load="80 kg")).exercises[0]
    assert one.set_loads == [Load(amount=80)] * 3
    each = workout(exercise(load=["60 kg", "70 kg", {"amount": 175, "unit": "lb"}])).exercises[0]
    assert [str(load) for load in each.set_loads] == ["60 kg", "70 kg", "175 lb"]
    assert workout().exercises[0].set_loads == [None, None, None]


def test_a_per_set_load_list_must_match_the_sets() -> None:
    """Said of the exercise, as `sets` against `reps` is; Customize puts it under `load`."""
    assert problems_in('sets = 3\nreps = 5\nload = ["60 kg", "70 kg"]\n') == [
        "exercises[0]: the exercise has 3 sets but `load` lists 2 loads; give one per "
        "set, or a single load for every set"
    ]
    assert problems_in('reps = [5, 5]\nload = ["60 kg", "70 kg", "80 kg"]\n')[0].startswith(
        "exercises[0]: the exercise has 2 sets but `load` lists 3 loads"
    )


def test_an_unreadable_load_names_its_field_and_the_spellings() -> None:
    (problem,) = problems_in('sets = 3\nreps = 5\nwarmup = [{ reps = 5, load = "heavy" }]\n')
    assert problem.startswith("exercises[0].warmup[0].load: a load is written like")


def test_a_warmup_gives_a_load_or_a_percent_not_both() -> None:
    assert problems_in(
        'sets = 3\nreps = 5\nload = "80 kg"\n'
        'warmup = [{ reps = 5, load = "40 kg", percent = 50 }]\n'
    ) == [
        "exercises[0].warmup[0]: give a warm-up set either a `load` or a `percent` of the work"
        " load, not both"
    ]


def test_a_warmup_percent_needs_the_exercises_load() -> None:
    (problem,) = problems_in("sets = 3\nreps = 5\nwarmup = [{ reps = 5, percent = 50 }]\n")
    assert problem.startswith(
        "exercises[0]: a warm-up set given as a `percent` needs the exercise's `load`"
    )
    assert problems_in(
        'sets = 3\nreps = 5\nload = "80 kg"\nwarmup = [{ reps = 5, percent = 150 }]\n'
    ) == ["exercises[0].warmup[0].percent: must be between 1 and 100 % (got 150)"]


def test_warmups_are_capped_and_count_toward_the_workouts_caps() -> None:
    too_many = "\n".join("[[exercises.warmup]]\nreps = 3" for _ in range(7))
    assert problems_in(f"sets = 3\nreps = 5\n{too_many}\n") == [
        "exercises[0].warmup: has 7 items; at most 6 are allowed"
    ]
    # 17 exercises of 5 work sets are 85 sets, inside the cap; one warm-up each passes it.
    fits = [exercise(sets=5, reps=1)] * 17
    assert sum(len(item.reps_per_set) for item in workout(*fits).exercises) < MAX_WORKOUT_SETS
    with pytest.raises(ValueError, match="the workout plans 102 sets in all"):
        workout(*[exercise(sets=5, reps=1, warmup=[{"reps": 1}])] * 17)


def test_an_empty_warmup_is_allowed_and_has_no_load() -> None:
    (warmup,) = workout(exercise(warmup=[{"reps": 8}])).exercises[0].warmup
    assert (warmup.load, warmup.percent) == (None, None)


# The timeline ------------------------------------------------------------------------------


def set_places(timeline_workout: Workout) -> list[Place]:
    """Each set's place, once, in the order the session plays them."""
    places: list[Place] = []
    for segment in compile_timeline(timeline_workout).segments:
        place = segment.place
        if segment.kind == "setup":
            places.append(place)
    return places


def test_warmups_come_first_numbered_apart_with_their_loads() -> None:
    ramp = [{"reps": 5, "percent": 50}, {"reps": 3, "percent": 77}, {"reps": 2, "load": "70 kg"}]
    places = set_places(workout(exercise(load=["62.5 kg", "65 kg", "67.5 kg"], warmup=ramp)))
    assert [
        (place.warmup, place.set_number, place.set_count, place.rep_count, str(place.load))
        for place in places
    ] == [
        (True, 1, 3, 5, "31 kg"),  # 31.25 to the nearest half
        (True, 2, 3, 3, "48 kg"),  # 48.125
        (True, 3, 3, 2, "70 kg"),
        (False, 1, 3, 5, "62.5 kg"),
        (False, 2, 3, 5, "65 kg"),
        (False, 3, 3, 5, "67.5 kg"),
    ]


def test_a_bodyweight_load_stays_bodyweight_and_only_added_weight_scales() -> None:
    ramp = [{"reps": 5, "percent": 50}]
    (bodyweight, _, _) = workout(exercise(load="bodyweight", warmup=ramp)).exercises[0].set_loads
    assert bodyweight == Load(bodyweight=True)
    loads = workout(exercise(load="bodyweight + 20 kg", warmup=ramp)).exercises[0].warmup_loads
    assert [str(load) for load in loads] == ["bodyweight + 10 kg"]
    band = workout(exercise(load="bodyweight - 20 kg", warmup=ramp)).exercises[0].warmup_loads
    assert [str(load) for load in band] == ["bodyweight − 20 kg (band)"]


def test_a_warmup_rests_a_minute_or_the_exercises_shorter_rest() -> None:
    def rests(rest_seconds: float) -> list[tuple[bool, int]]:
        timeline = compile_timeline(
            workout(exercise(rest_seconds=rest_seconds, warmup=[{"reps": 5}, {"reps": 5}]))
        )
        return [(s.place.warmup, s.duration_ms) for s in timeline.segments if s.kind == "rest"]

    minute = WARMUP_REST_SECONDS * 1000
    assert rests(150) == [(True, minute), (True, minute), (False, 150_000), (False, 150_000)]
    assert rests(30) == [(True, 30_000), (True, 30_000), (False, 30_000), (False, 30_000)]


@pytest.mark.parametrize("unilateral", [False, True])
def test_planned_seconds_is_what_the_timeline_totals_with_warmups(unilateral: bool) -> None:
    planned = workout(
        exercise(unilateral=unilateral, load="40 kg", warmup=[{"reps": 5, "percent": 50}]),
        exercise(name="Curl", trains="knee_flexion", reps=[8, 6], sets=None, warmup=[{"reps": 3}]),
    )
    assert planned.planned_seconds() == compile_timeline(planned).total_ms / 1000


def test_the_bundled_rdl_warms_up_at_half_and_three_quarters_of_its_load() -> None:
    places = set_places(load_workout(RDL_PATH))
    assert [(set_label(place), str(place.load)) for place in places] == [
        ("Warm-up 1/2", "30 kg"),
        ("Warm-up 2/2", "45 kg"),
        ("Set 1/4", "60 kg"),
        ("Set 2/4", "60 kg"),
        ("Set 3/4", "60 kg"),
        ("Set 4/4", "60 kg"),
    ]


def test_a_warmup_and_the_work_set_of_the_same_number_are_different_sets() -> None:
    timeline = compile_timeline(workout(exercise(sets=2, warmup=[{"reps": 2}])))
    ends = [
        timeline.segments[i].place for i in range(len(timeline.segments)) if timeline.ends_set(i)
    ]
    assert [(place.warmup, place.set_number) for place in ends] == [
        (True, 1),
        (False, 1),
        (False, 2),
    ]
    rep_ms = 5000  # 3-1-1-0
    assert timeline.tut_ms(0, 1) == 5 * rep_ms and timeline.tut_ms(0, 1, warmup=True) == 2 * rep_ms
    assert timeline.tut_ms() == 10 * rep_ms and timeline.tut_ms(warmup=True) == 2 * rep_ms
    assert timeline.eccentric_ms(0) == 10 * 3000
    assert (timeline.reps(0), timeline.reps(0, warmup=True)) == (10, 2)
    warmup = list(timeline.select(0, 1, warmup=True))
    assert warmup and all(segment.place.warmup for segment in warmup)
    assert not any(segment.place.warmup for segment in timeline.select(0, 1))


def test_resuming_starts_an_exercise_not_begun_at_its_warmups_and_skips_them_once_begun() -> None:
    timeline = compile_timeline(
        workout(
            exercise(sets=2, warmup=[{"reps": 2}]),
            exercise(name="Curl", trains="knee_flexion", sets=2, warmup=[{"reps": 2}]),
        )
    )
    segments = timeline.segments

    def resumes_at(done: set[tuple[int, int, None]]) -> tuple[int, bool, int] | None:
        index = timeline.resume_point(done)
        return None if index is None else segments[index].place.set_key

    assert resumes_at({(0, 1, None)}) == (0, False, 2)
    assert resumes_at({(0, 1, None), (0, 2, None)}) == (1, True, 1)
    assert resumes_at({(0, 1, None), (0, 2, None), (1, 1, None)}) == (1, False, 2)
    assert resumes_at({(0, 1, None), (0, 2, None), (1, 1, None), (1, 2, None)}) is None


# Counting: warm-ups are never working volume ----------------------------------------------


def test_warmup_units_never_count_as_sets() -> None:
    units = [
        UnitDone(0, 1, None, warmup=True),
        UnitDone(0, 2, None, warmup=True),
        UnitDone(0, 1, None),
    ]
    assert count_sets(units) == 1


async def test_the_summary_counts_work_sets_and_warmups_apart() -> None:
    timeline = compile_timeline(workout(exercise(sets=2, reps=2, warmup=[{"reps": 3}])))
    engine = SessionEngine(timeline, InstantClock(), RecordingPlayer())
    await engine.run()
    summary = summarize(engine)
    assert (summary.sets_done, summary.sets_planned, summary.warmup_sets_done) == (2, 2, 1)
    assert (summary.reps_done, summary.tut_ms) == (4, 4 * 5000)


WARMUPS: st.SearchStrategy[list[dict[str, Any]]] = st.lists(
    st.builds(
        dict,
        reps=st.integers(1, 12),
        percent=st.one_of(st.none(), st.floats(1, 100, allow_nan=False)),
    ),
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(rdl=WARMUPS, curl=WARMUPS)
def test_warmups_never_change_the_work_sets_or_the_checks(
    rdl: list[dict[str, Any]], curl: list[dict[str, Any]]
) -> None:
    def build(rdl_warmups: list[dict[str, Any]], curl_warmups: list[dict[str, Any]]) -> Workout:
        return workout(
            exercise(load="100 kg", warmup=rdl_warmups),
            exercise(name="Squat", trains="quadriceps", sets=4, load="80 kg", warmup=curl_warmups),
        )

    plain, warmed = build([], []), build(rdl, curl)
    work = [p for p in set_places(warmed) if not p.warmup]
    assert work == set_places(plain)
    assert [p.set_number for p in set_places(warmed) if p.warmup] == [
        *range(1, len(rdl) + 1),
        *range(1, len(curl) + 1),
    ]
    assert check_workout(warmed) == check_workout(plain)
    timeline = compile_timeline(warmed)
    assert timeline.tut_ms() == compile_timeline(plain).tut_ms()
    assert warmed.planned_seconds() == pytest.approx(timeline.total_ms / 1000, abs=0.01)


# The plan ----------------------------------------------------------------------------------


def test_set_words_say_the_set_its_reps_tempo_and_load_in_the_lifters_units() -> None:
    planned = workout(exercise(load="80 kg", warmup=[{"reps": 5, "percent": 50}]))
    warmup, first = set_places(planned)[:2]
    rdl = planned.exercises[0]
    assert set_words(first, rdl) == "set 1/3 · 5 reps @ 3-1-1-0 · 80 kg"
    assert set_words(warmup, rdl) == "warm-up 1/1 · 5 reps @ 3-1-1-0 · 40 kg"
    assert set_words(first, rdl, "lb") == "set 1/3 · 5 reps @ 3-1-1-0 · 176.4 lb"
    unloaded = set_places(workout(exercise(unilateral=True)))[0]
    assert set_words(unloaded, workout().exercises[0]) == "set 1/3 · 5 reps per side @ 3-1-1-0"


def test_a_rest_announces_the_next_set_warmup_or_work() -> None:
    timeline = compile_timeline(load_workout(RDL_PATH))
    rests = [i for i, segment in enumerate(timeline.segments) if segment.kind == "rest"]
    assert [next_set(timeline, i) for i in rests[:3]] == [
        "Tempoed Romanian deadlift · warm-up 2/2 · 5 reps @ 4-1-X-2 · 45 kg",
        "Tempoed Romanian deadlift · set 1/4 · 5 reps @ 4-1-X-2 · 60 kg",
        "Tempoed Romanian deadlift · set 2/4 · 5 reps @ 4-1-X-2 · 60 kg",
    ]


def test_the_plan_shows_loads_per_set_when_they_differ_and_the_warmup_ramp() -> None:
    lines = describe_workout(
        workout(
            exercise(
                load=["60 kg", "70 kg", "80 kg"],
                warmup=[{"reps": 5, "percent": 50}, {"reps": 5, "load": "45 kg"}],
            ),
            exercise(name="Nordic", trains="knee_flexion", load="bodyweight - 20 kg"),
            exercise(name="Curl", trains="knee_flexion", warmup=[{"reps": 8}, {"reps": 4}]),
        )
    )
    assert lines[2] == "1. RDL: 3 × 5 @ 3-1-1-0 · 60/70/80 kg, rest 1:30"
    assert lines[3] == "   warm-up 2 × 5 @ 30 kg, 45 kg, rest 1:00 after each"
    assert "2. Nordic: 3 × 5 @ 3-1-1-0 · bodyweight − 20 kg (band), rest 1:30" in lines
    assert "   warm-up 8, 4 reps, rest 1:00 after each" in lines
    in_pounds = describe_workout(workout(exercise(load="100 kg")), units="lb")
    assert in_pounds[2] == "1. RDL: 3 × 5 @ 3-1-1-0 · 220.5 lb, rest 1:30"


# Programmes --------------------------------------------------------------------------------


def rdl_programme(**extra: Any) -> Programme:
    session = {
        "workout": "tempoed-rdl",
        "exercises": [{"name": "Tempoed Romanian deadlift", "load": "100 kg"}],
    }
    return Programme.model_validate(
        {
            "format_version": 1,
            "name": "Test",
            "blocks": [
                {"name": "A", "weeks": [{"sessions": [session]}, {"sessions": [session], **extra}]}
            ],
            "deload": {"load_percent": 70},
        }
    )


def test_a_programme_session_plays_its_loads_and_its_warmups_follow_them() -> None:
    workouts = {"tempoed-rdl": load_workout(RDL_PATH)}
    first, deload = compile_programme(
        rdl_programme(deload=True), datetime.date(2026, 3, 2), workouts
    )
    assert [str(place.load) for place in set_places(first.workout)] == [
        "50 kg",
        "75 kg",
        *["100 kg"] * 4,
    ]
    assert [str(place.load) for place in set_places(deload.workout) if not place.warmup] == [
        "70 kg"
    ] * 2
    progressed = with_progress(first, {"Tempoed Romanian deadlift": Working(Load(amount=105))})
    assert str(set_places(progressed.workout)[-1].load) == "105 kg"


def test_a_workouts_own_load_is_the_programmes_plan_when_it_gives_none() -> None:
    workouts = {"tempoed-rdl": load_workout(RDL_PATH)}
    programme = Programme.model_validate(
        {
            "format_version": 1,
            "name": "Test",
            "blocks": [{"name": "A", "weeks": [{"sessions": [{"workout": "tempoed-rdl"}]}]}],
        }
    )
    (session,) = compile_programme(programme, datetime.date(2026, 3, 2), workouts)
    assert str(session.exercises[0].load) == "60 kg"


def test_a_workouts_per_set_loads_follow_the_programmes_sets_and_deload() -> None:
    ramp = workout(exercise(sets=3, load=["60 kg", "70 kg", "80 kg"]))
    session = {
        "workout": ramp.model_dump(exclude_unset=True),
        "exercises": [{"name": "RDL", "sets": 4}],
    }
    programme = Programme.model_validate(
        {
            "format_version": 1,
            "name": "Test",
            "blocks": [
                {
                    "name": "A",
                    "weeks": [{"sessions": [session]}, {"sessions": [session], "deload": True}],
                }
            ],
            "deload": {"sets_percent": 50, "load_percent": 50},
        }
    )
    normal, deload = compile_programme(programme, datetime.date(2026, 3, 2), {})
    assert [str(load) for load in normal.workout.exercises[0].set_loads] == [
        "60 kg",
        "70 kg",
        "80 kg",
        "80 kg",
    ]
    assert [str(load) for load in deload.workout.exercises[0].set_loads] == ["30 kg", "35 kg"]


# Customize ---------------------------------------------------------------------------------


def test_loads_are_written_back_as_text_and_read_back_the_same() -> None:
    for written in ("80 kg", "175 lb", "bodyweight", "bodyweight + 10 kg", "bodyweight - 20 kg"):
        load = Load.model_validate(written)
        assert Load.model_validate(load_text(load)) == load
    edited = edit_exercise(load_workout(RDL_PATH), 0, load=["60 kg", "65 kg", "70 kg", "75 kg"])
    assert workout_data(edited)["exercises"][0]["load"] == ["60 kg", "65 kg", "70 kg", "75 kg"]
    assert form_data(edited)["exercises"][0]["warmup"] == [
        {"reps": 5, "percent": 50},
        {"reps": 5, "percent": 75},
    ]


def test_a_load_edited_in_customize_saves_in_place_keeping_the_file_as_written() -> None:
    original = RDL_PATH.read_text(encoding="utf-8")
    data = form_data(load_workout(RDL_PATH))
    data["exercises"][0]["load"] = parse_loads("bodyweight + 10 kg")
    data["exercises"][0]["warmup"][1] = {"reps": 3, "load": parse_loads("20 kg")}
    edited, problems = draft_problems(data)
    assert problems == [] and edited is not None
    saved = updated_toml(original, edited)
    assert 'load = "bodyweight + 10 kg"' in saved
    assert "# An example load: change it" in saved  # the file's comments stay
    assert parse_workout(saved, FILE) == edited
    assert [str(load) for load in parse_workout(saved, FILE).exercises[0].warmup_loads] == [
        "bodyweight + 5 kg",
        "20 kg",
    ]


def test_a_per_set_load_of_the_wrong_length_is_shown_under_the_load_field() -> None:
    data = form_data(load_workout(RDL_PATH))
    data["exercises"][0]["load"] = parse_loads("60 kg, 70 kg")
    _, problems = draft_problems(data)
    assert [problem.where for problem in problems] == ["exercises[0].load"]
    assert parse_loads("  ") is None


async def enter(pilot: Pilot[None], selector: str, value: str) -> None:
    """Put text in a form field at once (typing it key by key re-checks the form each key)."""
    pilot.app.screen.query_one(selector, Input).value = value
    await pilot.pause()


async def test_customize_edits_a_per_set_load_and_a_warmup_and_shows_a_bad_one() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = CustomizeScreen(load_workout(RDL_PATH), RDL_PATH, Catalog.default())
        await app.push_screen(screen)
        await pilot.pause()
        await enter(pilot, field("exercises", 0, "load"), "60 kg, 70 kg")
        assert "`load` lists 2 loads" in text(pilot, error("exercises", 0, "load"))
        await enter(pilot, field("exercises", 0, "load"), "60 kg, 65 kg, 70 kg, 75 lb")
        await enter(pilot, field("exercises", 0, "warmup", 1, "percent"), "")
        await enter(pilot, field("exercises", 0, "warmup", 1, "load"), "bodyweight")
        assert text(pilot, error("exercises", 0, "load")) == ""
        rdl = screen.workout.exercises[0]
        assert [str(load) for load in rdl.set_loads] == ["60 kg", "65 kg", "70 kg", "75 lb"]
        assert [str(load) for load in rdl.warmup_loads] == ["30 kg", "bodyweight"]
        await enter(pilot, field("exercises", 0, "warmup", 1, "load"), "heavy")
        assert text(pilot, error("exercises", 0, "warmup", 1, "load")).startswith(
            'Load: "heavy" is not a load'
        )
