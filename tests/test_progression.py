"""Progression rules, each on a fake history: success, failures, limits, deloads, misses."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import Load
from tempo_coach.core.programmes import (
    Done,
    PlannedSession,
    Programme,
    compile_programme,
    parse_programme,
    programme_problems,
    replay,
    today,
)
from tempo_coach.core.progression import (
    LoggedSet,
    PlannedExercise,
    ProgressionRule,
    RepRange,
    Working,
    apply_working,
    progress,
)
from tempo_coach.core.tempo import parse_tempo
from tests.conftest import BUNDLED_WORKOUTS, REPO

MONDAY = datetime.date(2026, 3, 2)
WORKOUTS = {
    path.stem: parse_workout(path.read_text(encoding="utf-8"), path) for path in BUNDLED_WORKOUTS
}
RDL = "Tempoed Romanian deadlift"


def rule(**fields: Any) -> ProgressionRule:
    return ProgressionRule.model_validate(fields)


def kg(amount: float) -> Load:
    return Load(amount=amount)


def sets(
    reps: Sequence[int],
    *,
    target: int | Sequence[int] = 5,
    load: Load | None = None,
    rpe: float | None = 8,
    adherence: float | None = None,
) -> list[LoggedSet]:
    targets = [target] * len(reps) if isinstance(target, int) else list(target)
    return [
        LoggedSet(goal, done, load, rpe, adherence)
        for goal, done in zip(targets, reps, strict=True)
    ]


def planned(
    *,
    reps: Sequence[int] = (5, 5, 5, 5),
    rep_range: RepRange | None = None,
    tempo: str = "4-1-X-2",
    load: Load | None = None,
) -> list[PlannedExercise]:
    return [PlannedExercise(RDL, tuple(reps), rep_range, parse_tempo(tempo), load or kg(80))]


# Loads and rules as written in files --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "load", "shown"),
    [
        ("80 kg", Load(amount=80), "80 kg"),
        ("175 lbs", Load(amount=175, unit="lb"), "175 lb"),
        ("bodyweight", Load(bodyweight=True), "bodyweight"),
        ("bodyweight + 10 kg", Load(bodyweight=True, amount=10), "bodyweight + 10 kg"),
        ("BW - 20 kg", Load(bodyweight=True, amount=-20), "bodyweight − 20 kg (band)"),
    ],
)
def test_a_load_is_read_from_text(text: str, load: Load, shown: str) -> None:
    assert Load.model_validate(text) == load
    assert str(load) == shown


def test_band_assistance_shrinks_on_its_way_to_added_weight() -> None:
    assisted = Load(bodyweight=True, amount=-2.5)
    assert assisted.plus(2.5) == Load(bodyweight=True, amount=0)
    assert assisted.plus(5) == Load(bodyweight=True, amount=2.5)
    assert kg(2.5).plus(-2.5) == kg(2.5), "a weight never drops to nothing"
    assert kg(100).scaled(77) == kg(77)
    assert Load(bodyweight=True, amount=-20).scaled(50) == Load(bodyweight=True, amount=-20)


def test_a_rule_names_the_keys_it_lacks_or_does_not_take() -> None:
    with pytest.raises(ValidationError) as caught:
        Programme.model_validate(
            {
                "format_version": 1,
                "name": "x",
                "blocks": [{"name": "A", "weeks": [{"sessions": [{"workout": "nordic-curl"}]}]}],
                "progression": [
                    {"rule": "effort", "ceiling": 6},
                    {"rule": "double", "exercise": "x", "load_step": 0},
                    {"rule": "load", "exercise": "x", "load_step": 2.5},
                    {"rule": "tempo", "exercise": "x", "load_step": 2.5, "ceiling": 6},
                ],
            }
        )
    assert [str(problem) for problem in programme_problems(caught.value.errors())] == [
        'progression[0]: a "effort" rule needs `max_rpe` and does not take `ceiling`',
        "progression[1].load_step: must be between 0.25 and 100 (got 0)",
    ]
    with pytest.raises(ValidationError) as caught:
        Programme.model_validate(
            {
                "format_version": 1,
                "name": "x",
                "blocks": [{"name": "A", "weeks": [{"sessions": [{"workout": "nordic-curl"}]}]}],
                "progression": [
                    {"rule": "load", "exercise": "x", "load_step": 2.5},
                    {"rule": "tempo", "exercise": "x", "load_step": 2.5, "ceiling": 6},
                ],
            }
        )
    assert [str(problem) for problem in programme_problems(caught.value.errors())] == [
        '"x" has more than one double, tempo or load rule; give it one'
    ]


# Load steps -------------------------------------------------------------------------------


def test_a_load_step_on_success_says_why() -> None:
    result = progress(
        [rule(rule="load", exercise=RDL, load_step=2.5)], planned(), {RDL: sets([5] * 4)}, {}
    )
    assert result.working[RDL] == Working(load=kg(82.5))
    [change] = result.changes
    assert (change.rule, change.kind) == ("load", "progress")
    assert str(change) == "+2.5 kg: all 4 × 5 done at RPE ≤ 8"


def test_a_failure_holds_and_failing_again_steps_back() -> None:
    rules = [rule(rule="load", exercise=RDL, load_step=2.5, failures_before_step_back=2)]
    first = progress(rules, planned(), {RDL: sets([5, 5, 4, 3])}, {})
    assert first.working[RDL] == Working(load=kg(80), failures=1)
    assert str(first.changes[0]) == "Hold at 80 kg: 2 of 4 sets fell short of their reps"
    second = progress(rules, planned(), {RDL: sets([5, 5, 5, 4])}, first.working)
    assert second.working[RDL] == Working(load=kg(77.5))
    assert second.changes[0].kind == "step_back"
    assert str(second.changes[0]) == "−2.5 kg: set 4 had 4 of 5 reps, 2 sessions in a row"


def test_a_set_not_done_is_a_shortfall() -> None:
    result = progress(
        [rule(rule="load", exercise=RDL, load_step=2.5)], planned(), {RDL: sets([5, 5, 5])}, {}
    )
    assert str(result.changes[0]) == "Hold at 80 kg: set 4 had 0 of 5 reps"


def test_the_next_step_starts_from_the_load_used() -> None:
    rules = [rule(rule="load", exercise=RDL, load_step=2.5)]
    heavier = {RDL: sets([5] * 4, load=kg(85))}
    assert progress(rules, planned(), heavier, {}).working[RDL] == Working(load=kg(87.5))
    ramp = {RDL: [*sets([5, 5], load=kg(75)), *sets([5, 5], load=kg(80))]}
    assert progress(rules, planned(), ramp, {}).working[RDL] == Working(load=kg(77.5))


def test_success_after_a_failure_clears_the_count() -> None:
    rules = [rule(rule="load", exercise=RDL, load_step=2.5)]
    held = {RDL: Working(load=kg(80), failures=1)}
    assert progress(rules, planned(), {RDL: sets([5] * 4)}, held).working[RDL] == Working(
        load=kg(82.5)
    )


# Double progression -----------------------------------------------------------------------


def test_double_progression_climbs_the_range_then_adds_load() -> None:
    rules = [rule(rule="double", exercise=RDL, load_step=5)]
    plan = planned(reps=(6, 6, 6), rep_range=RepRange(6, 8))
    working: dict[str, Working] = {}
    said = []
    for done in ([6, 6, 6], [7, 7, 7], [8, 8, 8]):
        target = apply_working(plan[0], working.get(RDL)).reps[0]
        result = progress(rules, plan, {RDL: sets(done, target=target, rpe=None)}, working)
        working = result.working
        said.append(str(result.changes[0]))
    assert said == [
        "7 reps a set (was 6): all 3 × 6 done",
        "8 reps a set (was 7): all 3 × 7 done",
        "+5 kg and back to 6 reps: all 3 × 8 done, the top of 6–8",
    ]
    assert working[RDL] == Working(load=kg(85), reps=6)


def test_double_progression_steps_back_a_rep_before_a_load() -> None:
    rules = [rule(rule="double", exercise=RDL, load_step=5, failures_before_step_back=1)]
    plan = planned(reps=(6, 6, 6), rep_range=RepRange(6, 8))
    result = progress(rules, plan, {RDL: sets([7, 6, 5], target=7)}, {RDL: Working(kg(80), 7)})
    assert result.working[RDL] == Working(load=kg(80), reps=6)
    result = progress(rules, plan, {RDL: sets([6, 5, 5], target=6)}, result.working)
    assert result.working[RDL] == Working(load=kg(75), reps=6)


# Tempo progression ------------------------------------------------------------------------


def test_tempo_progression_lengthens_the_lowering_to_the_ceiling_then_adds_load() -> None:
    rules = [rule(rule="tempo", exercise=RDL, load_step=2.5, ceiling=6)]
    working: dict[str, Working] = {}
    said = []
    for _ in range(3):
        result = progress(rules, planned(), {RDL: sets([5] * 4, rpe=7)}, working)
        working = result.working
        said.append(str(result.changes[0]))
    assert said == [
        "Lowering 5 counts (was 4): all 4 × 5 done at RPE ≤ 7",
        "Lowering 6 counts (was 5): all 4 × 5 done at RPE ≤ 7",
        "+2.5 kg and lowering back to 4 counts: all 4 × 5 done at RPE ≤ 7 at the 6-count ceiling",
    ]
    assert working[RDL] == Working(load=kg(82.5), eccentric=4)
    assert apply_working(planned()[0], Working(eccentric=5)).tempo == parse_tempo("5-1-X-2")


# Limits on effort and adherence -------------------------------------------------------------


def test_too_hard_a_set_holds_the_progress() -> None:
    rules = [
        rule(rule="load", exercise=RDL, load_step=2.5),
        rule(rule="effort", max_rpe=8.5),
    ]
    result = progress(rules, planned(), {RDL: sets([5] * 4, rpe=9.5)}, {})
    assert result.working[RDL] == Working(load=kg(80))
    assert (result.changes[0].rule, result.changes[0].kind) == ("effort", "hold")
    assert str(result.changes[0]) == "Hold at 80 kg: set 1 rated RPE 9.5, above 8.5"


def test_too_hard_a_set_can_step_back() -> None:
    rules = [
        rule(rule="tempo", exercise=RDL, load_step=2.5, ceiling=6),
        rule(rule="effort", exercise=RDL, max_rpe=8, action="step_back"),
    ]
    done = sets([5] * 4, rpe=9)
    at_five = {RDL: Working(load=kg(80), eccentric=5)}
    assert progress(rules, planned(), {RDL: done}, at_five).working[RDL] == Working(
        load=kg(80), eccentric=4
    )
    at_start = {RDL: Working(load=kg(80), eccentric=4)}
    result = progress(rules, planned(), {RDL: done}, at_start)
    assert result.working[RDL] == Working(load=kg(77.5), eccentric=4)
    assert str(result.changes[0]) == "−2.5 kg: set 1 rated RPE 9, above 8"


def test_poor_tempo_adherence_holds_or_steps_back() -> None:
    load_rule = rule(rule="load", exercise=RDL, load_step=2.5)
    loose = {RDL: sets([5] * 4, adherence=0.6)}
    held = progress([load_rule, rule(rule="adherence", min_share=0.8)], planned(), loose, {})
    assert str(held.changes[0]) == "Hold at 80 kg: 60% of lowerings kept the tempo, below 80%"
    back = progress(
        [load_rule, rule(rule="adherence", min_share=0.8, action="step_back")],
        planned(),
        loose,
        {},
    )
    assert back.working[RDL] == Working(load=kg(77.5))
    untimed = progress(
        [load_rule, rule(rule="adherence", min_share=0.8)], planned(), {RDL: sets([5] * 4)}, {}
    )
    assert untimed.working[RDL] == Working(load=kg(82.5)), "untimed sets do not count"


def test_a_limit_for_another_exercise_does_not_apply() -> None:
    rules = [
        rule(rule="load", exercise=RDL, load_step=2.5),
        rule(rule="effort", exercise="Nordic curl", max_rpe=6),
    ]
    result = progress(rules, planned(), {RDL: sets([5] * 4, rpe=9)}, {})
    assert result.working[RDL] == Working(load=kg(82.5))


# Deloads and sessions not logged -----------------------------------------------------------


def test_a_deload_week_changes_nothing() -> None:
    rules = [rule(rule="load", exercise=RDL, load_step=2.5)]
    working = {RDL: Working(load=kg(90))}
    result = progress(rules, planned(), {RDL: sets([5, 5])}, working, deload=True)
    assert result.working == working
    assert str(result.changes[0]) == "Hold at 90 kg: a deload week"


def test_an_exercise_not_logged_keeps_its_values() -> None:
    rules = [rule(rule="load", exercise=RDL, load_step=2.5)]
    working = {RDL: Working(load=kg(90))}
    result = progress(rules, planned(), {}, working)
    assert (result.working, result.changes) == (working, ())


# A fake history through the bundled tempoed-RDL block --------------------------------------


def rdl_block() -> tuple[Programme, list[PlannedSession]]:
    path = REPO / "programmes" / "tempoed-rdl-block.toml"
    block = parse_programme(path.read_text(encoding="utf-8"), path)
    return block, compile_programme(block, MONDAY, WORKOUTS)


def logged(session: PlannedSession, short: bool = False, rpe: float = 8) -> Done:
    """Every planned set done (one rep short in the last set when `short`)."""
    result = {}
    for exercise in session.exercises:
        reps = list(exercise.reps)
        if short:
            reps[-1] -= 1
        result[exercise.name] = sets(reps, target=list(exercise.reps), load=exercise.load, rpe=rpe)
    return Done(session.number, session.on, result)


def test_the_rdl_block_follows_a_history_with_a_miss_a_failure_and_a_deload() -> None:
    block, plan = rdl_block()
    history: list[Done] = []

    def next_session(on: datetime.date) -> PlannedSession:
        state = replay(block, plan, history)
        result = today(plan, history, on, state.working)
        assert result.session is not None
        return result.session

    # Week 1: the RDL day goes well: the lowering gets a count longer.
    first = next_session(MONDAY)
    assert first.exercises[0].tempo == parse_tempo("4-1-X-2")
    history.append(logged(first))
    assert str(replay(block, plan, history).changes[0]) == (
        "Lowering 5 counts (was 4): all 4 × 5 done at RPE ≤ 8"
    )
    # The GHR day (Thursday) is missed; on Friday the plan carries on with it.
    friday = MONDAY + datetime.timedelta(days=4)
    result = today(plan, history, friday, replay(block, plan, history).working)
    assert result.message == "You missed Thursday's session; carrying on with week 1, session 2."
    ghr = next_session(friday)
    assert ghr.workout.name == "Glute-ham raise"
    history.append(Done(ghr.number, friday, logged(ghr).sets))
    # Week 2's RDL day, now at a 5-count lowering, falls short: hold.
    rdl = next_session(MONDAY + datetime.timedelta(days=7))
    assert rdl.workout.exercises[0].tempo == parse_tempo("5-1-X-2")
    history.append(
        Done(rdl.number, MONDAY + datetime.timedelta(days=7), logged(rdl, short=True).sets)
    )
    changes = {change.exercise: change for change in replay(block, plan, history).changes}
    assert str(changes[RDL]) == "Hold at 40 kg: set 4 had 4 of 5 reps"
    assert str(changes["Glute-ham raise"]) == "7 reps a set (was 6): all 3 × 6 done at RPE ≤ 8"
    # On time from here: the GHR day, then week 3's RDL day at 5 counts reaches 6.
    for _ in range(3):
        session = next_session(history[-1].on + datetime.timedelta(days=3))
        history.append(
            Done(session.number, history[-1].on + datetime.timedelta(days=3), logged(session).sets)
        )
    assert replay(block, plan, history).working[RDL] == Working(load=kg(40), eccentric=6)
    # Week 4 is a deload: half the sets, 80 % of the load, and no progression from it.
    deload = next_session(history[-1].on + datetime.timedelta(days=4))
    assert deload.deload and len(deload.exercises[0].reps) == 2
    assert deload.exercises[0].load == kg(32)
    assert deload.workout.exercises[0].tempo == parse_tempo("6-1-X-2")
    for _ in range(2):
        session = next_session(history[-1].on + datetime.timedelta(days=3))
        history.append(
            Done(session.number, history[-1].on + datetime.timedelta(days=3), logged(session).sets)
        )
    state = replay(block, plan, history)
    assert state.working[RDL] == Working(load=kg(40), eccentric=6)
    assert str(state.changes[0]) == "Hold at 40 kg: a deload week"
    # Week 5: all done at the 6-count ceiling, so +2.5 kg and back to a 4-count lowering.
    session = next_session(history[-1].on + datetime.timedelta(days=4))
    history.append(logged(session))
    assert replay(block, plan, history).working[RDL] == Working(load=kg(42.5), eccentric=4)
