"""The compiled timeline: exact segments, no gaps or overlaps, totals checked by hand."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.catalog import load_workout
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import compile_timeline

REPO = Path(__file__).resolve().parents[1]


def test_tempoed_rdl_totals_by_hand() -> None:
    """2 warm-up sets and 4 work sets × 5 reps of 4-1-X-2 at one second a count, X one
    count: 8 s a rep. A warm-up rests a minute; its time under tension is not the work's."""
    timeline = compile_timeline(load_workout(REPO / "workouts" / "tempoed-rdl.toml"))
    rep_s = 4 + 1 + 1 + 2
    assert timeline.tut_ms(0, 1) == 5 * rep_s * 1000  # 40 s a set
    assert timeline.tut_ms() == 4 * 5 * rep_s * 1000  # 2:40
    assert timeline.tut_ms(warmup=True) == 2 * 5 * rep_s * 1000
    assert timeline.eccentric_ms() == 4 * 5 * 4 * 1000  # 1:20 of lowering
    setup_s, count_in_s, rest_s, warmup_rest_s = 20, 3, 150, 60
    set_s = setup_s + count_in_s + 5 * rep_s
    assert timeline.total_ms == (6 * set_s + 2 * warmup_rest_s + 3 * rest_s) * 1000
    assert timeline.total_ms == 948_000  # 15:48


def workout_with(**exercise: Any) -> Workout:
    base: dict[str, Any] = {"name": "Curl", "trains": "knee_flexion", "category": "assistance"}
    return Workout.model_validate(
        {"format_version": 1, "name": "W", "count_in_beats": 2, "exercises": [base | exercise]}
    )


def test_concentric_first_exercises_start_with_the_lift() -> None:
    workout = workout_with(sets=1, reps=1, tempo="3-1-1-2", starts_with="concentric")
    phases = [s for s in compile_timeline(workout).segments if s.kind == "phase"]
    assert [(s.label, s.duration_ms) for s in phases] == [
        ("Lift", 1000),
        ("Squeeze", 2000),
        ("Lower", 3000),
        ("Hold", 1000),
    ]


def test_unilateral_sets_do_left_then_right_with_a_switch() -> None:
    workout = workout_with(sets=1, reps=2, tempo="3010", unilateral=True, side_switch_seconds=4)
    segments = compile_timeline(workout).segments
    assert [(s.kind, s.place.side) for s in segments if s.kind != "phase"] == [
        ("setup", "left"),
        ("count_in", "left"),
        ("side_switch", "right"),
        ("count_in", "right"),
    ]
    assert compile_timeline(workout).reps() == 4  # two reps on each side


def test_zero_parts_are_skipped_and_x_lasts_the_explosive_length() -> None:
    workout = workout_with(sets=1, reps=1, tempo="3-0-X-0", explosive_beats=0.5, beat_seconds=0.8)
    phases = [s for s in compile_timeline(workout).segments if s.kind == "phase"]
    assert [(s.label, s.duration_ms, s.beats) for s in phases] == [
        ("Lower", 2400, 3),
        ("Lift", 400, 1),
    ]


def test_manual_setup_waits_and_takes_no_planned_time() -> None:
    workout = workout_with(sets=2, reps=1, tempo="1111", setup={"mode": "manual"}, rest_seconds=30)
    timeline = compile_timeline(workout)
    setups = [s for s in timeline.segments if s.kind == "setup"]
    assert [(s.waits_for_ready, s.duration_ms) for s in setups] == [(True, 0), (True, 0)]
    assert timeline.manual_setups == 2
    assert timeline.total_ms == 2 * (2000 + 4000) + 30_000


def test_per_set_reps_and_rest_after_the_exercise() -> None:
    workout = Workout.model_validate(
        {
            "format_version": 1,
            "name": "W",
            "count_in_beats": 0,
            "defaults": {"rest_seconds": 60, "rest_after_seconds": 100, "setup": {"seconds": 0}},
            "exercises": [
                {
                    "name": "A",
                    "trains": "knee_flexion",
                    "category": "assistance",
                    "reps": [3, 2],
                    "tempo": "1-0-1-0",
                },
                {
                    "name": "B",
                    "trains": "quadriceps",
                    "category": "compound",
                    "sets": 1,
                    "reps": 1,
                    "tempo": "1-0-1-0",
                    "rest_seconds": 5,
                },
            ],
        }
    )
    timeline = compile_timeline(workout)
    rests = [s.duration_ms for s in timeline.segments if s.kind == "rest"]
    assert rests == [60_000, 100_000]  # between A's sets, then after A; none after the last
    assert timeline.reps(0) == 5
    assert timeline.total_ms == (3 + 2 + 1) * 2000 + 160_000


tempo_part = st.one_of(st.integers(0, 12), st.just("X"))
tempos = (
    st.tuples(tempo_part, tempo_part, tempo_part, tempo_part)
    .filter(lambda parts: any(part != 0 for part in parts))
    .map(lambda parts: "-".join(str(part) for part in parts))
)
custom_phase = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Lower", "Hold", "Up"]),
        "kind": st.sampled_from(["eccentric", "concentric", "hold", "squeeze", "other"]),
    }
).flatmap(
    lambda phase: st.one_of(
        st.floats(0.25, 8).map(lambda beats: phase | {"beats": beats}),
        st.floats(0.1, 8).map(lambda seconds: phase | {"seconds": seconds}),
    )
)


@st.composite
def exercises(draw: st.DrawFn) -> dict[str, Any]:
    exercise: dict[str, Any] = {
        "name": "E",
        "trains": draw(st.sampled_from(["hip_extension", "knee_flexion", "quadriceps"])),
        "category": draw(st.sampled_from(["compound", "assistance"])),
        "unilateral": draw(st.booleans()),
        "starts_with": draw(st.sampled_from(["eccentric", "concentric"])),
        "beat_seconds": draw(st.sampled_from([0.5, 0.75, 1.0, 1.3])),
        "rest_seconds": draw(st.integers(0, 200)),
        "rest_after_seconds": draw(st.integers(0, 200)),
        "setup": draw(
            st.fixed_dictionaries(
                {"mode": st.sampled_from(["timed", "manual"]), "seconds": st.integers(0, 30)}
            )
        ),
    }
    if draw(st.booleans()):
        exercise["reps"] = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    else:
        exercise["sets"], exercise["reps"] = draw(st.integers(1, 5)), draw(st.integers(1, 12))
    if draw(st.booleans()):
        exercise["tempo"] = draw(tempos)
    else:
        exercise["custom_phases"] = draw(st.lists(custom_phase, min_size=1, max_size=4))
    return exercise


workouts = st.builds(
    lambda exercise_list, count_in: Workout.model_validate(
        {
            "format_version": 1,
            "name": "W",
            "count_in_beats": count_in,
            "exercises": exercise_list,
        }
    ),
    st.lists(exercises(), min_size=1, max_size=4),
    st.integers(0, 5),
)


@settings(max_examples=150, deadline=None)
@given(workouts)
def test_timeline_invariants(workout: Workout) -> None:
    timeline = compile_timeline(workout)
    segments = timeline.segments
    # Tiled: each segment starts where the previous one ended, from zero to the total.
    assert segments[0].start_ms == 0
    for before, after in itertools.pairwise(segments):
        assert after.start_ms == before.end_ms
    assert sum(s.duration_ms for s in segments) == timeline.total_ms
    # Only manual setups take no time.
    assert all(s.duration_ms > 0 or s.waits_for_ready for s in segments)
    # Rep counts equal what the file says, per set and side.
    for index, exercise in enumerate(workout.exercises):
        sides = 2 if exercise.unilateral else 1
        assert timeline.reps(index) == sides * sum(exercise.reps_per_set)
        for set_number, reps in enumerate(exercise.reps_per_set, start=1):
            done = {
                (s.place.side, s.place.rep)
                for s in timeline.select(index, set_number)
                if s.kind == "phase"
            }
            assert len(done) == sides * reps
    # Time under tension adds up across sets, exercises and the workout.
    per_set = sum(
        timeline.tut_ms(index, set_number)
        for index, exercise in enumerate(workout.exercises)
        for set_number in range(1, len(exercise.reps_per_set) + 1)
    )
    assert per_set == sum(timeline.tut_ms(i) for i in range(len(workout.exercises)))
    assert per_set == timeline.tut_ms()
    assert timeline.eccentric_ms() <= timeline.tut_ms() <= timeline.total_ms
    # Every phase's beats fit inside it.
    for segment in segments:
        if segment.kind == "phase":
            assert segment.beats >= 1
            assert (segment.beats - 1) * segment.beat_ms < segment.duration_ms


def test_other_phases_are_not_time_under_tension() -> None:
    workout = workout_with(
        sets=1,
        reps=2,
        custom_phases=[
            {"name": "Lower", "kind": "eccentric", "seconds": 5},
            {"name": "Reset", "kind": "other", "beats": 3},
        ],
    )
    timeline = compile_timeline(workout)
    assert timeline.tut_ms() == timeline.eccentric_ms() == 10_000
    assert timeline.total_ms == 10_000 + 2 * 3000 + 2000 + 10_000  # + count-in and setup


def test_an_exercise_setup_overrides_the_default_key_by_key() -> None:
    workout = Workout.model_validate(
        {
            "format_version": 1,
            "name": "W",
            "defaults": {"setup": {"mode": "timed", "seconds": 25, "cue": "Default"}},
            "exercises": [
                {
                    "name": "A",
                    "trains": "knee_flexion",
                    "category": "assistance",
                    "sets": 1,
                    "reps": 1,
                    "tempo": "1111",
                    "setup": {"cue": "Own cue"},
                }
            ],
        }
    )
    setup = compile_timeline(workout).segments[0]
    assert (setup.kind, setup.duration_ms, setup.cue) == ("setup", 25_000, "Own cue")


def test_resume_point_is_the_first_unit_of_work_not_done() -> None:
    workout = workout_with(sets=2, reps=1, tempo="1111", unilateral=True)
    timeline = compile_timeline(workout)
    segments = timeline.segments
    assert timeline.resume_point(set()) == 0
    left_done = timeline.resume_point({(0, 1, "left")})
    assert left_done is not None and segments[left_done].kind == "side_switch"
    assert segments[left_done].place.side == "right"
    first_set = timeline.resume_point({(0, 1, "left"), (0, 1, "right")})
    assert first_set is not None and segments[first_set].kind == "setup"
    assert segments[first_set].place.set_number == 2
    everything = {(0, n, side) for n in (1, 2) for side in ("left", "right")}
    assert timeline.resume_point(everything) is None  # type: ignore[arg-type]
