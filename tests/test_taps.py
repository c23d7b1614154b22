"""Tap-to-time on scripted taps: exact milliseconds, verdicts, double and missed taps, summaries.

Taps are float seconds on a monotonic clock, starting at 1000.0 as the fake clock does; every
expected number below is worked out by hand from the tap times. The alignment's own cases (the
issue's scripted set, slow lowerings, missed boundaries everywhere, cues, properties) are in
tests/test_taps_alignment.py.
"""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

import pytest

from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.core.models import Workout
from tempo_coach.core.taps import (
    PhaseTarget,
    PhaseTiming,
    Running,
    TapOutcome,
    TapTimer,
    free_phases,
    judge,
    targets_for,
)
from tempo_coach.store import History

from .tui_support import START, at, make_app, pick, session_screen, text

HINGE = PhaseTarget("Hinge", "eccentric", 4000)
BOTTOM = PhaseTarget("Bottom", "hold", 1000)
DRIVE = PhaseTarget("Drive", "concentric", 1000)
SQUEEZE = PhaseTarget("Squeeze", "squeeze", 2000)


def rdl() -> list[PhaseTarget]:
    """A 4-1-1-2 Romanian deadlift at one second a count, through the real tempo compiler."""
    names = {
        "eccentric": "Hinge",
        "stretched": "Bottom",
        "concentric": "Drive",
        "contracted": "Squeeze",
    }
    workout = Workout.model_validate(
        {
            "format_version": 1,
            "name": "W",
            "exercises": [
                {
                    "name": "RDL",
                    "trains": "hip_extension",
                    "category": "compound",
                    "sets": 3,
                    "reps": 5,
                    "tempo": "4-1-1-2",
                    "phases": {key: {"name": name} for key, name in names.items()},
                }
            ],
        }
    )
    exercise = workout.exercises[0]
    return targets_for(exercise, exercise.settings(workout.defaults))


def tap_all(timer: TapTimer, times: list[float]) -> list[TapOutcome]:
    return [timer.tap(at) for at in times]


def tap_intervals(timer: TapTimer, seconds: list[float], start: float = 1000.0) -> None:
    """Tap once at `start`, then once after each interval."""
    tap_all(timer, list(accumulate(seconds, initial=start)))


def test_targets_follow_the_tempo_and_the_stopwatch_has_none() -> None:
    assert rdl() == [HINGE, BOTTOM, DRIVE, SQUEEZE]
    assert free_phases() == [
        PhaseTarget("Lower", "eccentric", None),
        PhaseTarget("Pause", "hold", None),
        PhaseTarget("Lift", "concentric", None),
    ]


@pytest.mark.parametrize(
    ("measured", "target", "verdict"),
    [
        (4400, 4000, "on tempo"),  # 10 % of 4 s is 400 ms, bound included
        (4401, 4000, "slower"),
        (3600, 4000, "on tempo"),
        (3599, 4000, "faster"),
        (1250, 1000, "on tempo"),  # 10 % would be 100 ms; the floor is 250 ms
        (1251, 1000, "slower"),
        (749, 1000, "faster"),
    ],
)
def test_on_tempo_is_within_ten_percent_or_250_ms(measured: int, target: int, verdict: str) -> None:
    assert judge(measured, target) == verdict


def test_a_clean_set_of_three_reps() -> None:
    timer = TapTimer(rdl())
    outcomes = tap_all(
        timer,
        [
            1000.0,
            1003.4,
            1004.5,
            1005.2,
            1007.2,  # start; 3.4, 1.1, 0.7, 2.0
            1011.5,
            1012.4,
            1013.7,
            1016.1,  # 4.3, 0.9, 1.3, 2.4
            1020.6,
            1021.6,
            1022.6,
            1024.5,  # 4.5 (slower, not a missed tap), 1.0, 1.0, 1.9
        ],
    )
    assert [outcome.describe() for outcome in outcomes] == [
        "Rep 1 started",
        "Hinge 3.4 s of 4 s — faster",
        "Bottom 1.1 s of 1 s — on tempo",
        "Drive 0.7 s of 1 s — faster",
        "Squeeze 2 s of 2 s — on tempo",
        "Hinge 4.3 s of 4 s — on tempo",
        "Bottom 0.9 s of 1 s — on tempo",
        "Drive 1.3 s of 1 s — slower",
        "Squeeze 2.4 s of 2 s — slower",
        "Hinge 4.5 s of 4 s — slower",
        "Bottom 1 s of 1 s — on tempo",
        "Drive 1 s of 1 s — on tempo",
        "Squeeze 1.9 s of 2 s — on tempo",
    ]
    # The tap that ends a rep's last phase also starts the next rep.
    assert [outcome.started_rep for outcome in outcomes] == [
        1,
        None,
        None,
        None,
        2,
        None,
        None,
        None,
        3,
        None,
        None,
        None,
        4,
    ]
    assert outcomes[1].measured == PhaseTiming(
        rep=1,
        index=0,
        name="Hinge",
        kind="eccentric",
        start_ms=0,
        end_ms=3400,
        target_ms=4000,
        spans=("Hinge",),
    )
    assert outcomes[7].measured is not None and outcomes[7].measured.verdict == "slower"

    finished = timer.end_set()
    assert finished.durations() == [
        [3400, 1100, 700, 2000],
        [4300, 900, 1300, 2400],
        [4500, 1000, 1000, 1900],
    ]  # the rep started by the last tap measured nothing, so it is not kept
    assert [rep.rep for rep in finished.reps] == [1, 2, 3]
    assert [rep.missed for rep in finished.reps] == [[], [], []]
    assert finished.eccentric_ms() == [3400, 4300, 4500]
    assert finished.eccentric_mean_ms == pytest.approx(12_200 / 3)
    # Deviations from the mean are -2000/3, 700/3 and 1300/3 ms.
    assert finished.eccentric_spread_ms == pytest.approx(math.sqrt(6_180_000 / 27))  # 478.4
    assert finished.under_target == 1  # 3.4 s is more than 400 ms under 4 s
    assert finished.summary_line() == (
        "Eccentric 4.1 s ± 0.5 s over 3 reps (target 4 s) · 1 rep under target"
        " · adherence 3/3 (100%) within ±20%"
    )


def test_a_double_tap_counts_once() -> None:
    timer = TapTimer(rdl())
    outcomes = tap_all(
        timer,
        [
            1000.0,
            1000.1,  # 100 ms: a bounce, dropped before any alignment
            1004.0,
            1004.15,  # exactly 150 ms: a bounce too
            1005.0,
            1005.151,  # 151 ms: past the debounce, but the second of a double tap
            1006.0,
            1008.0,
        ],
    )
    assert [outcome.ignored for outcome in outcomes] == [
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert outcomes[1] == TapOutcome(measured=None, started_rep=None)
    assert outcomes[1].describe() == "Extra tap ignored"
    # Each measurement runs from the tap that marks the boundary, never from a dropped one.
    assert timer.progress().durations() == [[4000, 1000, 1000, 2000]]


def test_a_missed_boundary_is_flagged_and_measured_as_one_interval() -> None:
    timer = TapTimer(rdl())
    outcomes = tap_all(
        timer,
        [
            1000.0,
            1004.0,
            1005.0,
            1006.0,
            1008.0,
            1013.1,  # no tap between Hinge (4.2 s) and Bottom (0.9 s)
            1014.2,
            1016.1,
            1019.9,
            1020.9,  # Hinge 3.8 s, Bottom 1 s
        ],
    )
    # On its own, 5.1 s reads as a slow lowering; the taps after it make the missed tap clear.
    assert outcomes[5].describe() == "Hinge 5.1 s of 4 s — slower"
    assert outcomes[7].describe() == "Drive 1.9 s of 1 s — slower"
    # Squeeze 3.8 s of 2 s would be far off: now only the missed tap explains the taps.
    assert outcomes[8].revised[0].spans == ("Hinge", "Bottom")
    merged = timer.progress().reps[1].phases[0]
    assert merged == PhaseTiming(
        rep=2,
        index=0,
        name="Hinge",
        kind="eccentric",
        start_ms=8000,
        end_ms=13100,
        target_ms=5000,
        spans=("Hinge", "Bottom"),
    )
    assert merged.verdict is None  # the split between the two is unknown, so not judged
    assert merged.describe() == "Hinge + Bottom 5.1 s of 5 s — missed tap"
    assert outcomes[8].describe() == (
        "Hinge 3.8 s of 4 s — on tempo · re-read: Hinge + Bottom 5.1 s of 5 s — missed tap"
    )
    assert outcomes[9].describe() == "Bottom 1 s of 1 s — on tempo"

    finished = timer.end_set()
    assert [[timing.name for timing in rep.phases] for rep in finished.reps] == [
        ["Hinge", "Bottom", "Drive", "Squeeze"],
        ["Hinge", "Drive", "Squeeze"],
        ["Hinge", "Bottom"],
    ]
    assert finished.durations() == [[4000, 1000, 1000, 2000], [5100, 1100, 1900], [3800, 1000]]
    assert [rep.missed for rep in finished.reps] == [[], ["Hinge → Bottom"], []]
    assert finished.eccentric_ms() == [4000, None, 3800]
    assert (finished.flagged_reps, finished.missed_taps) == (1, 1)
    assert finished.summary_line() == (
        "Eccentric 3.9 s ± 0.1 s over 2 reps (target 4 s) · 0 reps under target · 1 missed tap"
        " · adherence 2/2 (100%) within ±20%"
    )


def test_a_missed_tap_between_reps_spans_into_the_next_rep() -> None:
    timer = TapTimer(rdl())
    outcomes = tap_all(
        timer,
        [
            1000.0,
            1004.0,
            1005.0,
            1006.0,
            1012.0,  # no tap between Squeeze (2 s) and the next Hinge (4 s)
            1013.0,
            1014.0,
            1016.0,
        ],
    )
    assert outcomes[4].describe() == "Squeeze + Hinge 6 s of 6 s — missed tap"
    assert outcomes[4].started_rep == 2
    following = outcomes[5].measured
    assert following is not None
    assert (following.rep, following.index, following.name) == (2, 1, "Bottom")

    finished = timer.end_set()
    assert finished.durations() == [[4000, 1000, 1000, 6000], [1000, 1000, 2000]]
    assert [rep.missed for rep in finished.reps] == [["Squeeze → Hinge"], []]
    # Rep 2's lowering is inside rep 1's merged interval: flagged, not counted.
    assert finished.eccentric_ms() == [4000, None]
    assert (finished.flagged_reps, finished.missed_taps) == (1, 1)


def test_a_missed_tap_in_the_stopwatch_invents_nothing() -> None:
    timer = TapTimer(free_phases())
    outcomes = tap_all(
        timer,
        [
            1000.0,
            1003.0,
            1005.5,  # no tap between Pause (1 s) and Lift (1.5 s)
            1008.7,
            1009.5,
        ],
    )
    # With no targets nothing can be judged missed: each interval is the phase the taps say.
    assert [outcome.describe() for outcome in outcomes[1:]] == [
        "Lower 3 s",
        "Pause 2.5 s",
        "Lift 3.2 s",
        "Lower 0.8 s",
    ]
    assert all(o.measured is not None and o.measured.verdict is None for o in outcomes[1:])

    finished = timer.end_set()
    assert finished.durations() == [[3000, 2500, 3200], [800]]  # four taps, four intervals
    assert [rep.missed for rep in finished.reps] == [[], []]
    assert (finished.missed_taps, finished.flagged_reps) == (0, 0)
    assert finished.eccentric_ms() == [3000, 800]
    assert finished.eccentric_target_ms is None
    assert finished.under_target == 0
    assert finished.summary_line() == "Eccentric 1.9 s ± 1.1 s over 2 reps"


def test_set_summary_mean_spread_and_reps_under_target() -> None:
    timer = TapTimer(rdl())
    tap_intervals(
        timer,
        [
            3.1,
            1.0,
            1.0,
            2.0,
            3.4,
            1.0,
            1.0,
            2.0,
            5.0,
            1.0,
            2.0,  # a missed tap inside the lowering: flagged, left out
            3.8,
            1.0,
            1.0,
            2.0,
            4.0,
            1.0,
            1.0,
            2.0,
            3.7,
            1.0,
            1.0,
            2.0,
        ],
    )
    finished = timer.end_set()
    assert finished.eccentric_ms() == [3100, 3400, None, 3800, 4000, 3700]
    # Mean 18000 / 5 = 3600; deviations -500, -200, 200, 400, 100 square to 500000 in all.
    assert finished.eccentric_mean_ms == 3600
    assert finished.eccentric_spread_ms == pytest.approx(math.sqrt(500_000 / 5))  # population
    assert finished.eccentric_target_ms == 4000
    assert finished.under_target == 2  # 3.1 s and 3.4 s; 3.7 s is within 400 ms
    assert (finished.flagged_reps, finished.missed_taps) == (1, 1)
    # A sample deviation (÷ 4) would read 0.4 s.
    assert finished.summary_line() == (
        "Eccentric 3.6 s ± 0.3 s over 5 reps (target 4 s) · 2 reps under target · 1 missed tap"
        " · adherence 4/5 (80%) within ±20%"  # 3.1 s is more than 20 % under 4 s
    )


def test_an_unfinished_rep_is_kept_as_far_as_it_was_measured() -> None:
    taps = [1000.0, 1004.0, 1005.0, 1006.0, 1008.0, 1012.1, 1013.3]
    dropped, closed = TapTimer(rdl()), TapTimer(rdl())
    tap_all(dropped, taps)
    tap_all(closed, taps)

    finished = dropped.end_set()  # Drive was under way: no tap ended it
    assert finished.durations() == [[4000, 1000, 1000, 2000], [4100, 1200]]
    assert finished.eccentric_ms() == [4000, 4100]
    assert [rep.missed for rep in finished.reps] == [[], []]

    # A set-ending action that is itself the last tap ends the phase under way.
    assert closed.end_set(1014.2).durations() == [[4000, 1000, 1000, 2000], [4100, 1200, 900]]


def test_ending_a_set_starts_the_next_one_afresh() -> None:
    timer = TapTimer(rdl())
    tap_all(timer, [1000.0, 1004.0, 1005.0])
    timer.end_set()
    assert timer.running is None
    assert timer.tap(1100.0).started_rep == 1
    assert timer.tap(1104.2).describe() == "Hinge 4.2 s of 4 s — on tempo"
    assert timer.end_set().durations() == [[4200]]
    empty = timer.end_set()
    assert empty.reps == []
    assert empty.summary_line() == "Eccentric not measured"


def test_the_running_phase_and_the_set_so_far() -> None:
    timer = TapTimer(rdl())
    assert timer.running is None
    timer.tap(1000.0)
    assert timer.running == Running(rep=1, phase=HINGE, since=1000.0)
    timer.tap(1003.9)
    assert timer.running == Running(rep=1, phase=BOTTOM, since=1003.9)
    so_far = timer.progress()
    assert so_far.durations() == [[3900]]
    assert so_far.summary_line() == (
        "Eccentric 3.9 s ± 0 s over 1 rep (target 4 s) · 0 reps under target"
        " · adherence 1/1 (100%) within ±20%"
    )
    tap_all(timer, [1004.9, 1005.9, 1007.9])
    assert timer.running == Running(rep=2, phase=HINGE, since=1007.9)
    assert timer.progress().durations() == [[3900, 1000, 1000, 2000]]


def test_bad_phases_and_taps_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one phase"):
        TapTimer([])
    with pytest.raises(ValueError, match="positive"):
        TapTimer([PhaseTarget("Lower", "eccentric", 0)])
    timer = TapTimer(rdl())
    timer.tap(1000.0)
    with pytest.raises(ValueError, match="time order"):
        timer.tap(999.0)


def test_a_long_stop_reads_as_one_rep_of_missed_taps_once_the_taps_go_on() -> None:
    timer = TapTimer(rdl())
    outcomes = tap_all(timer, [1000.0, 1030.0, 1034.0, 1035.0, 1036.0, 1038.0])
    # A 30 s gap where an 8 s rep was due: alone, it is no phase at all...
    assert outcomes[1].describe() == "Extra tap ignored"
    # ...until a rep tapped after it shows what it was: one span, never split.
    assert outcomes[3].describe() == (
        "Bottom 1 s of 1 s — on tempo"
        " · re-read: Hinge + Bottom + Drive + Squeeze 30 s of 8 s — missed tap"
    )
    assert timer.running == Running(rep=3, phase=HINGE, since=1038.0)
    assert timer.end_set().durations() == [[30000], [4000, 1000, 1000, 2000]]


def test_a_rep_with_no_lowering_has_no_eccentric_to_report() -> None:
    timer = TapTimer([PhaseTarget("Hold", "hold", 5000)])
    tap_all(timer, [1000.0, 1005.0, 1010.2])
    finished = timer.end_set()
    assert finished.durations() == [[5000], [5200]]
    assert finished.eccentric_ms() == [None, None]
    assert finished.eccentric_target_ms is None
    assert finished.summary_line() == "Eccentric not measured"


async def test_the_session_screen_keeps_a_late_last_tap_and_drops_a_restarted_attempt(
    tmp_path: Path,
) -> None:
    """tempoed-rdl's first set, a lifter 0.3 s behind every cue: rep 2 is begun, restarted
    with `r` and done again; the set's last tap comes after the engine has ended the set."""
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            await pilot.press("t")
            engine = session_screen(pilot).engine
            phases = [s for s in engine.timeline.segments if s.kind == "phase"]
            first_set = [s for s in phases if s.place == replace(phases[0].place, rep=s.place.rep)]
            cues = [s.start_ms / 1000 for s in first_set] + [first_set[-1].end_ms / 1000]
            lag, count = 0.3, 4

            async def tap(seconds: float) -> str:
                await clock.advance_to(START + AUDIO_LEAD_SECONDS + seconds)
                await pilot.press("space")
                return text(pilot, "#tap-line")

            for cue in cues[: count + 2]:  # rep 1, rep 2's start and its hinge
                await tap(cue + lag)
            restart = cues[count + 1] + 0.5  # in rep 2's Bottom
            await at(pilot, clock, restart)
            await pilot.press("r")
            delay = restart - cues[count]  # rep 2 starts again now: every later cue moves
            assert await tap(cues[count] + delay + lag) == "Rep 2 started · adherence 1/1"
            for cue in cues[count + 1 : -1]:
                await tap(cue + delay + lag)
            await at(pilot, clock, cues[-1] + delay + 0.1)  # the set is over, one tap short
            assert text(pilot, "#tap-line").startswith("Eccentric 4 s ± 0 s over")
            line = await tap(cues[-1] + delay + lag)
            assert line.startswith("Squeeze 2 s of 2 s — on tempo · Eccentric 4 s ± 0 s over")
            recorder = session_screen(pilot).recorder
            assert recorder is not None
            recorder.writer.wait_idle(5)
            (session,) = history.sessions()
            stored = history.sets(session.id)[0]
            reps = len(cues[:-1]) // count
            assert stored.phase_durations == [[4000, 1000, 1000, 2000]] * reps
