"""Whole-set alignment of taps: the issue's scripted set, slow lowerings on every bundled tempo,
a missed boundary at every position, double and stray taps, a lifter who stops tapping, the
metronome's cues as evidence, adherence, and properties over any taps at all."""

from __future__ import annotations

from datetime import date
from itertools import accumulate, pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.catalog import load_workout
from tempo_coach.core.taps import (
    LATE_S,
    PhaseTarget,
    SetTiming,
    TapOutcome,
    TapTimer,
    adherence,
    free_phases,
    set_cues,
    targets_for,
    weekly_adherence,
    within,
)
from tempo_coach.core.timeline import compile_timeline

WORKOUTS = Path(__file__).resolve().parent.parent / "workouts"
START = 1000.0


def bundled_exercises() -> list[tuple[str, list[PhaseTarget]]]:
    """Every exercise of every bundled workout, with one rep's phases."""
    found = []
    for path in sorted(WORKOUTS.glob("*.toml")):
        workout = load_workout(path)
        for exercise in workout.exercises:
            phases = targets_for(exercise, exercise.settings(workout.defaults))
            found.append((f"{path.stem}: {exercise.name}", phases))
    return found


def tempoed_rdl() -> list[PhaseTarget]:
    workout = load_workout(WORKOUTS / "tempoed-rdl.toml")
    exercise = workout.exercises[0]
    return targets_for(exercise, exercise.settings(workout.defaults))


def boundaries(durations: list[int]) -> list[float]:
    """Tap times for phases of these lengths (ms), from START."""
    return [START + ms / 1000 for ms in accumulate(durations, initial=0)]


def on_target(phases: list[PhaseTarget], reps: int) -> list[int]:
    return [phase.target_ms or 1000 for _ in range(reps) for phase in phases]


def tap_all(timer: TapTimer, times: list[float]) -> None:
    for at in times:
        timer.tap(at)


def test_the_issues_scripted_set() -> None:
    """tempoed-rdl (4-1-X-2): a 3.5 s lowering, a true 5 s one, then a 4 s one with the
    Bottom/Drive tap left out on purpose."""
    assert [(p.name, p.target_ms) for p in tempoed_rdl()] == [
        ("Hinge", 4000),
        ("Bottom", 1000),
        ("Drive", 1000),
        ("Squeeze", 2000),
    ]
    timer = TapTimer(tempoed_rdl())
    seconds = [0, 3.5, 4.7, 5.5, 8.0, 13, 14, 15, 16, 20, 22, 24]
    lines = [timer.tap(START + at).describe() for at in seconds]
    assert lines[5] == "Hinge 5 s of 4 s — slower"  # slow, not a missed tap
    assert lines[8] == "Squeeze 1 s of 2 s — faster"  # the old rule said "Hinge 1 s of 4 s"
    assert lines[11] == (
        "Squeeze 2 s of 2 s — on tempo · re-read: Bottom + Drive 2 s of 2 s — missed tap"
    )
    finished = timer.end_set()
    assert finished.eccentric_ms() == [3500, 5000, 4000]
    assert [rep.missed for rep in finished.reps] == [[], [], ["Bottom → Drive"]]
    assert finished.durations() == [
        [3500, 1200, 800, 2500],
        [5000, 1000, 1000, 1000],
        [4000, 2000, 2000],
    ]
    assert finished.summary_line() == (
        "Eccentric 4.2 s ± 0.6 s over 3 reps (target 4 s) · 1 rep under target · 1 missed tap"
        " · adherence 2/3 (67%) within ±20%"
    )


@pytest.mark.parametrize(("name", "phases"), bundled_exercises())
@pytest.mark.parametrize("slower", [1.5, 1.75, 2.0])
def test_a_slow_lowering_is_slow_never_a_missed_tap(
    name: str, phases: list[PhaseTarget], slower: float
) -> None:
    eccentric = [i for i, phase in enumerate(phases) if phase.kind == "eccentric"]
    assert eccentric, name
    durations = on_target(phases, 3)
    slow = len(phases) + eccentric[0]  # rep 2's (first) lowering
    durations[slow] = round(durations[slow] * slower)
    timer = TapTimer(phases)
    times = boundaries(durations)
    tap_all(timer, times[: slow + 1])
    live = timer.tap(times[slow + 1]).measured
    assert live is not None and not live.merged, name
    assert live.verdict == "slower"
    tap_all(timer, times[slow + 2 :])
    finished = timer.end_set(reps=3)
    assert finished.missed_taps == 0
    assert finished.durations() == [
        durations[i : i + len(phases)] for i in range(0, 3 * len(phases), len(phases))
    ]


@pytest.mark.parametrize(("name", "phases"), bundled_exercises())
def test_a_missed_boundary_anywhere_in_a_rep_merges_exactly_its_two_phases(
    name: str, phases: list[PhaseTarget]
) -> None:
    count = len(phases)
    for boundary in range(count + 1, 2 * count + 1):  # every boundary of rep 2, and its end
        durations = on_target(phases, 4)
        # Lifelike: each phase a little off its target, never the same twice.
        durations = [ms + (37 * i) % 200 - 100 for i, ms in enumerate(durations)]
        times = boundaries(durations)
        timer = TapTimer(phases)
        tap_all(timer, times[:boundary] + times[boundary + 1 :])
        finished = timer.end_set(reps=4)
        merged = [t for t in finished.timings() if t.merged]
        assert len(merged) == 1, (name, boundary)
        before = phases[(boundary - 1) % count].name
        after = phases[boundary % count].name
        assert merged[0].spans == (before, after)
        assert merged[0].measured_ms == round((times[boundary + 1] - times[boundary - 1]) * 1000)
        assert finished.missed_taps == 1
        assert len(finished.timings()) == 4 * count - 1  # nothing shifted, nothing lost


def test_double_taps_are_dropped_wherever_they_fall() -> None:
    phases = tempoed_rdl()
    durations = on_target(phases, 3)
    times = boundaries(durations)
    for bounce in (0.06, 0.15, 0.2, 0.25):
        doubled = sorted([*times, *(at + bounce for at in times[1::3])])
        timer = TapTimer(phases)
        tap_all(timer, doubled)
        finished = timer.end_set(reps=3)
        assert finished.durations() == [durations[0:4], durations[4:8], durations[8:12]], bounce
        assert finished.missed_taps == 0


def test_a_stray_tap_mid_phase_is_dropped() -> None:
    phases = tempoed_rdl()
    durations = on_target(phases, 3)
    times = boundaries(durations)
    stray = times[4] + 1.8  # halfway through rep 2's lowering
    timer = TapTimer(phases)
    tap_all(timer, sorted([*times, stray]))
    finished = timer.end_set(reps=3)
    assert finished.durations() == [durations[0:4], durations[4:8], durations[8:12]]
    assert finished.missed_taps == 0


@pytest.mark.parametrize("short", [1, 2, 3, 5])
def test_a_set_that_stops_a_few_phases_short_is_not_stretched_to_its_end(short: int) -> None:
    phases = tempoed_rdl()
    durations = on_target(phases, 3)[:-short]
    timer = TapTimer(phases)
    tap_all(timer, boundaries(durations))
    finished = timer.end_set(reps=3)
    assert [ms for rep in finished.durations() for ms in rep] == durations
    assert finished.missed_taps == 0


def test_a_lifter_who_stops_tapping_keeps_what_was_tapped() -> None:
    phases = tempoed_rdl()
    times = boundaries(on_target(phases, 5))[:7]  # rep 1, then rep 2 as far as Drive
    timer = TapTimer(phases)
    tap_all(timer, times)
    finished = timer.end_set(reps=5)  # the set had 5 reps; nothing is made up for the rest
    assert finished.durations() == [[4000, 1000, 1000, 2000], [4000, 1000]]
    assert finished.missed_taps == 0
    assert finished.timings()[-1].end_ms == round((times[-1] - times[0]) * 1000)


def test_cues_tell_a_missed_tap_from_a_slow_phase_where_tempo_alone_cannot() -> None:
    """3-0-3-0: two equal phases, so a missed tap shifts nothing the durations could show."""
    phases = [PhaseTarget("Down", "eccentric", 3000), PhaseTarget("Up", "concentric", 3000)]
    times = boundaries(on_target(phases, 4))
    tapped = times[:3] + times[4:]  # rep 2's Down → Up boundary left out
    blind, cued = TapTimer(phases), TapTimer(phases)
    tap_all(blind, tapped)
    for at in tapped:
        cued.tap(at, cues=times)
    assert blind.end_set().missed_taps == 0  # read as a 6 s Down: the tempo cannot tell
    finished = cued.end_set()
    assert [t.spans for t in finished.timings()][2] == ("Down", "Up")
    assert len(finished.timings()) == 7


def test_cues_come_from_the_engines_timeline() -> None:
    workout = load_workout(WORKOUTS / "tempoed-rdl.toml")
    timeline = compile_timeline(workout)
    first = next(segment for segment in timeline.segments if segment.kind == "phase")
    # The engine is 250 ms into the set's first phase at clock time 50.0.
    cues = set_cues(timeline.segments, first.place, first.start_ms + 250, 50.0)
    reps = first.place.rep_count
    assert len(cues) == reps * 4 + 1
    assert cues[0] == pytest.approx(49.75)
    assert cues[1] - cues[0] == pytest.approx(4.0)
    assert cues[-1] - cues[0] == pytest.approx(reps * 8.0)


def test_adherence_per_rep_set_and_weeks() -> None:
    assert within(4800, 4000) and within(3200, 4000) and not within(4801, 4000)
    assert within(4400, 4000, tolerance=0.1) and not within(4401, 4000, tolerance=0.1)
    score = adherence([(3500, 4000), (5000, 4000), (4000, 4000)])
    assert (score.adherent, score.judged) == (2, 3)
    assert score.share == pytest.approx(2 / 3)
    assert score.describe() == "Adherence 2/3 (67%) within ±20% · eccentric 4.2 s ± 0.6 s"
    assert adherence([(3000, None)]).describe() == "Eccentric 3 s ± 0 s"
    assert adherence([]).describe() == "Eccentric not measured"
    weeks = weekly_adherence(
        [
            (date(2026, 11, 17), 4000, 4000),  # Tuesday of the week of Monday 16th
            (date(2026, 11, 22), 2000, 4000),  # Sunday, same week
            (date(2026, 11, 23), 4100, 4000),
        ]
    )
    assert [(monday, s.adherent, s.judged) for monday, s in weeks] == [
        (date(2026, 11, 16), 1, 2),
        (date(2026, 11, 23), 1, 1),
    ]


def test_a_set_read_back_from_its_spans_is_the_same_set() -> None:
    timer = TapTimer(tempoed_rdl())
    tap_all(timer, [START + at for at in [0, 3.5, 4.7, 5.5, 8.0, 13, 14, 15, 16, 20, 22, 24]])
    finished = timer.end_set()
    spans = [(t.rep, t.index, len(t.spans), t.start_ms, t.end_ms) for t in finished.timings()]
    again = SetTiming.from_spans(finished.phases, spans)
    assert again == finished
    assert again.summary_line() == finished.summary_line()


PHASE_SETS = st.sampled_from([phases for _, phases in bundled_exercises()] + [free_phases()])


@settings(max_examples=150, deadline=None)
@given(
    phases=PHASE_SETS,
    gaps=st.lists(st.integers(min_value=0, max_value=12_000), min_size=1, max_size=30),
    cued=st.booleans(),
)
def test_measured_phases_tile_the_tapped_span_and_no_tap_is_invented(
    phases: list[PhaseTarget], gaps: list[int], cued: bool
) -> None:
    times = [START + ms / 1000 for ms in accumulate(gaps, initial=0)]
    cues = boundaries(on_target(phases, 6)) if cued else []
    timer = TapTimer(phases)
    for at in times:
        timer.tap(at, cues)
        live = timer.progress().timings()
        assert all(a.end_ms == b.start_ms for a, b in pairwise(live))
    timings = timer.end_set().timings()
    tapped = {round((at - times[0]) * 1000) for at in times}
    if timings:
        assert timings[0].start_ms == 0
        assert all(a.end_ms == b.start_ms for a, b in pairwise(timings))
        assert timings[-1].end_ms <= max(tapped)
    assert all(t.start_ms in tapped and t.end_ms in tapped for t in timings)
    assert all(t.end_ms > t.start_ms for t in timings)
    assert len(timings) <= len(tapped) - 1


def test_cues_at_every_boundary_read_a_lifter_who_keeps_to_the_clicks() -> None:
    """A simulated lifter on the clicks (benchmarks/taps.py, seed 5): a stray tap in rep 3's
    Drive, then rep 3's Squeeze → rep 4's Hinge boundary missed. The durations alone read the
    stray as a boundary and the merged 3.9 s as a slow Hinge; the cues place every tap."""
    phases = [
        PhaseTarget("Hinge", "eccentric", 2000),
        PhaseTarget("Drive", "concentric", 1000),
        PhaseTarget("Squeeze", "squeeze", 2000),
    ]
    seconds = [0.174, 2.173, 3.113, 5.384, 6.899, 7.963, 10.333, 12.046, 12.517, 13.133]
    seconds += [17.018, 18.091, 20.13]
    cues = boundaries(on_target(phases, 4))
    blind, cued = TapTimer(phases), TapTimer(phases)
    for at in seconds:
        blind.tap(START + at)
        cued.tap(START + at, cues)
    assert blind.end_set(reps=4).missed_taps == 0  # the misreading this guards against
    finished = cued.end_set()
    marks = [round((at - seconds[0]) * 1000) for at in seconds[:8] + seconds[9:]]  # no stray
    spans = [b - a for a, b in pairwise(marks)]
    assert finished.durations() == [spans[0:3], spans[3:6], spans[6:9], spans[9:]]
    assert [rep.missed for rep in finished.reps] == [[], [], ["Squeeze → Hinge"], []]


def lagging_taps(
    phases: list[PhaseTarget], reps: int, lag: float
) -> tuple[list[float], list[float]]:
    """The cues of an on-target set, and a lifter's taps `lag` seconds behind each."""
    cues = boundaries(on_target(phases, reps))
    return cues, [at + lag for at in cues]


def test_a_lifter_behind_the_metronome_ends_the_set_after_the_engine_does() -> None:
    phases = tempoed_rdl()
    cues, taps = lagging_taps(phases, 3, 0.3)
    timer = TapTimer(phases)
    for at in taps[:-1]:
        timer.tap(at, cues)
    stored = timer.end_set()  # the engine ends the set at its cued end, before the last tap
    assert stored.durations()[-1] == [4000, 1000, 1000]
    assert stored.missed_taps == 0  # not stretched to reach the end
    late = timer.tap(taps[-1], cues)
    assert late.closed is not None and late.started_rep is None
    assert late.describe() == "Squeeze 2 s of 2 s — on tempo"
    assert late.closed.durations() == [[4000, 1000, 1000, 2000]] * 3
    assert timer.progress().reps == []  # the next set has not started
    following = [at + 70 for at in cues]  # after a minute's rest
    assert timer.tap(following[0] + 0.3, following) == TapOutcome(None, 1)


@pytest.mark.parametrize(
    ("after_end", "next_set_in"), [(LATE_S + 0.5, 60.0), (0.8, 0.5)], ids=["long after", "no rest"]
)
def test_a_tap_well_after_the_set_or_at_the_next_sets_start_starts_the_next_set(
    after_end: float, next_set_in: float
) -> None:
    phases = tempoed_rdl()
    cues, taps = lagging_taps(phases, 2, 0.2)
    timer = TapTimer(phases)
    for at in taps:
        timer.tap(at, cues)
    timer.end_set()
    following = [at + cues[-1] - cues[0] + next_set_in for at in cues]
    outcome = timer.tap(cues[-1] + after_end, following)
    assert outcome.closed is None and outcome.started_rep == 1


@pytest.mark.parametrize("cued", [False, True])
def test_restarting_a_rep_drops_the_attempt_and_times_the_rep_again(cued: bool) -> None:
    phases = tempoed_rdl()
    rep = [4000, 1000, 1000, 2000]
    first = boundaries(rep)  # rep 1, its last tap starting rep 2
    attempt = [first[-1] + 3.0, first[-1] + 4.5]  # rep 2 begun badly: a 3 s Hinge, a Bottom
    again = first[-1] + 6.0  # `r`, then rep 2 from its start
    redo = [again + ms / 1000 for ms in accumulate(rep * 2, initial=0)]
    cues_before = boundaries(rep * 3)
    cues_after = cues_before[:4] + [again + ms / 1000 for ms in accumulate(rep * 2, initial=0)]
    timer = TapTimer(phases)
    for at in first + attempt:
        timer.tap(at, cues_before if cued else ())
    timer.restart_rep(2)
    assert timer.progress().durations() == [rep]
    outcomes = [timer.tap(at, cues_after if cued else ()) for at in redo]
    assert outcomes[0].describe() == "Rep 2 started"
    assert outcomes[1].describe() == "Hinge 4 s of 4 s — on tempo"
    finished = timer.end_set(reps=3)
    assert finished.durations() == [rep, rep, rep]
    assert finished.missed_taps == 0
    assert finished.reps[1].phases[0].start_ms == round((again - first[0]) * 1000)


def test_restarting_rep_1_starts_the_set_afresh() -> None:
    phases = tempoed_rdl()
    timer = TapTimer(phases)
    timer.tap(START)
    timer.tap(START + 2.0)
    timer.restart_rep(1)
    assert timer.running is None
    times = boundaries(on_target(phases, 2))
    later = [at + 10 for at in times]
    tap_all(timer, later)
    assert timer.end_set().durations() == [[4000, 1000, 1000, 2000]] * 2


@settings(max_examples=100, deadline=None)
@given(
    phases=PHASE_SETS,
    gaps=st.lists(st.integers(min_value=0, max_value=6_000), min_size=1, max_size=30),
    restarts=st.sets(st.integers(min_value=1, max_value=29), max_size=3),
    late=st.lists(st.integers(min_value=0, max_value=4_000), max_size=3),
)
def test_restarts_and_late_taps_never_invent_a_tap_or_overlap_two_spans(
    phases: list[PhaseTarget], gaps: list[int], restarts: set[int], late: list[int]
) -> None:
    times = [START + ms / 1000 for ms in accumulate(gaps, initial=0)]
    cues = boundaries(on_target(phases, 3))
    timer = TapTimer(phases)
    for number, at in enumerate(times):
        running = timer.running
        if number in restarts and running is not None and running.rep > 1:
            timer.restart_rep(running.rep)  # (rep 1's restart starts the set afresh)
        timer.tap(at, cues)
    finished = timer.end_set()
    end = max(times[-1], cues[-1])
    for at in accumulate(late, initial=0):
        outcome = timer.tap(end + at / 1000, cues)
        finished = outcome.closed or finished
    tapped = {round((at - times[0]) * 1000) for at in times}
    tapped |= {round((end + at / 1000 - times[0]) * 1000) for at in accumulate(late, initial=0)}
    timings = finished.timings()
    assert all(a.end_ms <= b.start_ms for a, b in pairwise(timings))
    assert all(t.start_ms in tapped and t.end_ms in tapped for t in timings)
    assert all(t.end_ms > t.start_ms for t in timings)


def test_with_cues_a_restarted_rep_is_followed_even_if_its_start_was_not_tapped() -> None:
    phases = tempoed_rdl()
    rep = [4000, 1000, 1000, 2000]
    first = boundaries(rep)
    again = first[-1] + 2.0  # `r` in rep 2's Hinge, before any tap of it
    cues_after = boundaries(rep)[:4] + [again + ms / 1000 for ms in accumulate(rep * 2, initial=0)]
    timer = TapTimer(phases)
    for at in first:
        timer.tap(at, boundaries(rep * 3))
    timer.restart_rep(2)
    outcomes = [timer.tap(at + 0.2, cues_after) for at in cues_after[5:]]  # Hinge's end on
    assert outcomes[0].describe() == "Rep 2 started"
    finished = timer.end_set()
    assert finished.durations() == [rep, rep[1:], rep]  # the redone Hinge went untimed
    assert finished.missed_taps == 0


def test_a_lifter_who_ignores_the_metronome_is_read_by_the_tempo_alone() -> None:
    """A simulated lifter off the clicks (benchmarks/taps.py, no metronome, seed 21): rep 1's
    and rep 4's Squeeze → Lower taps missed. Reading every rep start by its cue would put rep
    3's start on a tap nearer its cue, a missed tap in rep 2 and the rest shifted by a phase;
    this lifter's reps keep to no cue, and the reading follows the tempo."""
    phases = [
        PhaseTarget("Curl", "concentric", 1000),
        PhaseTarget("Squeeze", "squeeze", 1000),
        PhaseTarget("Lower", "eccentric", 3000),
    ]
    seconds = [0.034, 0.653, 5.756, 6.739, 7.956, 12.304, 13.476, 14.98, 16.603, 17.293]
    seconds += [21.708]
    cues = boundaries(on_target(phases, 4))
    timer = TapTimer(phases)
    for at in seconds:
        timer.tap(START + at, cues)
    finished = timer.end_set()
    assert [rep.missed for rep in finished.reps] == [
        ["Squeeze → Lower"],
        [],
        [],
        ["Squeeze → Lower"],
    ]
    marks = [round((at - seconds[0]) * 1000) for at in seconds]
    assert [ms for rep in finished.durations() for ms in rep] == [b - a for a, b in pairwise(marks)]
