"""How right tap-to-time is: simulated lifters tapping the bundled workouts, old rule vs new.

    .venv/bin/python benchmarks/taps.py [--sets 3000] [--seed 13]

A measurement, not a test: it prints numbers beside their targets and never fails. Each set is
one exercise of a bundled workout; the simulated lifter lowers, pauses and lifts with every
phase off its target by up to ±60 %, taps each boundary with a reaction jitter (sd 80 ms),
misses 5 % of the boundaries, double-taps 3 % of the taps (40 to 250 ms apart) and now and
then taps by mistake mid-phase. The same taps go through the rule Tempo Coach used before
whole-set alignment (a frozen copy below) and through `TapTimer`. benchmarks/README.md explains
each number.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from pathlib import Path

from tempo_coach.catalog import load_workout
from tempo_coach.core.taps import PhaseTarget, TapTimer, judge, targets_for

WORKOUTS = Path(__file__).resolve().parent.parent / "workouts"
DEVIATION = 0.6
JITTER_S = 0.080
MISSED = 0.05
DOUBLE = 0.03
STRAY = 0.01
RIGHT_MS = 150

Span = tuple[int, int, int]
"""(first set position covered, phases covered, measured ms)."""


@dataclass(frozen=True)
class SimulatedSet:
    phases: list[PhaseTarget]
    reps: int
    taps: list[float]
    truth: list[Span]
    """What a perfect reading of these taps gives: every real boundary tap in its place."""
    real_ms: list[int]
    """Each phase's real duration, before the reaction jitter."""
    cues: list[float]
    """With the metronome on, when each boundary was cued (clock seconds); else empty."""


def exercises() -> list[list[PhaseTarget]]:
    """One rep's phases of every exercise of every bundled workout."""
    found = []
    for path in sorted(WORKOUTS.glob("*.toml")):
        workout = load_workout(path)
        for exercise in workout.exercises:
            found.append(targets_for(exercise, exercise.settings(workout.defaults)))
    return found


def simulate(rng: random.Random, phases: list[PhaseTarget], metronome: bool) -> SimulatedSet:
    """A set of 4 to 8 reps. Without the metronome every phase is off by up to ±60 %; with it,
    the lifter starts each rep on its cue (or as soon as the last rep is done), the phases
    inside off as much, and the rep's last phase takes up the slack."""
    reps = rng.randint(4, 8)
    targets = [phase.target_ms or 1000 for _ in range(reps) for phase in phases]
    real = [round(ms * (1 + rng.uniform(-DEVIATION, DEVIATION))) for ms in targets]
    cued = [0, *accumulate(targets)]
    if metronome:
        count = len(phases)
        for rep in range(reps):
            last = (rep + 1) * count - 1
            start = sum(real[: rep * count])
            inside = sum(real[rep * count : last])
            floor = round(0.3 * targets[last])
            real[last] = max(cued[last + 1] - start - inside, floor)
            # A lifter who finished early waits for the next rep's cue.
    boundaries = [0, *accumulate(real)]
    taps: list[tuple[float, int | None]] = []  # (time, the boundary it marks or None)
    for number, at_ms in enumerate(boundaries):
        inner = 0 < number < len(boundaries) - 1
        if not (inner and rng.random() < MISSED):
            at = max(at_ms / 1000 + rng.gauss(0, JITTER_S), taps[-1][0] if taps else 0.0)
            taps.append((at, number))
            if rng.random() < DOUBLE:
                taps.append((at + rng.uniform(0.040, 0.250), None))
        if number < len(real) and rng.random() < STRAY:
            taps.append((at_ms / 1000 + rng.uniform(0.3, 0.7) * real[number] / 1000, None))
    taps.sort(key=lambda tap: tap[0])
    origin = taps[0][0]
    marked = [(round((at - origin) * 1000), number) for at, number in taps if number is not None]
    truth = [(first, last - first, end - start) for (start, first), (end, last) in pairwise(marked)]
    cues = [1000.0 + ms / 1000 for ms in cued] if metronome else []
    return SimulatedSet(phases, reps, [1000.0 + at for at, _ in taps], truth, real, cues)


def old_rule(phases: Sequence[PhaseTarget], taps: Sequence[float]) -> list[Span]:
    """The rule before whole-set alignment, frozen here for comparison: a missed tap judged
    from one interval (at least the targets so far + 0.6 × the next, and "slower")."""
    count, spans, position = len(phases), [], 0
    last = taps[0]
    for at in taps[1:]:
        measured = round((at - taps[0]) * 1000) - round((last - taps[0]) * 1000)
        if measured <= 150:
            continue
        span, total = 1, phases[position % count].target_ms
        while span < count and total is not None:
            following = phases[(position + span) % count].target_ms
            if (
                following is None
                or measured < total + 0.6 * following
                or judge(measured, total) != "slower"
            ):
                break
            span, total = span + 1, total + following
        spans.append((position, span, measured))
        position += span
        last = at
    return spans


def new_rule(
    phases: Sequence[PhaseTarget], taps: Sequence[float], reps: int, cues: Sequence[float] = ()
) -> list[Span]:
    timer = TapTimer(phases)
    for at in taps:
        timer.tap(at, cues)
    count = len(phases)
    return [
        ((timing.rep - 1) * count + timing.index, len(timing.spans), timing.measured_ms)
        for timing in timer.end_set(reps=reps).timings()
    ]


def covering(spans: Sequence[Span]) -> dict[int, Span]:
    """Each set position, with the span that covers it."""
    return {span[0] + offset: span for span in spans for offset in range(span[1])}


def eccentric(spans: Sequence[Span], phases: Sequence[PhaseTarget], reps: int) -> list[int | None]:
    """Per rep, the lowering as these spans read it, None inside a merged span."""
    count, cover = len(phases), covering(spans)
    readings: list[int | None] = []
    for rep in range(reps):
        parts = [
            cover.get(rep * count + index)
            for index, phase in enumerate(phases)
            if phase.kind == "eccentric"
        ]
        clean = parts and all(part is not None and part[1] == 1 for part in parts)
        readings.append(sum(part[2] for part in parts if part is not None) if clean else None)
    return readings


@dataclass
class Tally:
    phases: int = 0
    right: int = 0
    missed: int = 0
    found: int = 0
    reps: int = 0
    called: int = 0
    after_first_error: int = 0
    wrong_after_first_error: int = 0
    sets_with_errors: int = 0

    def add(self, sim: SimulatedSet, spans: Sequence[Span]) -> None:
        truth, measured = covering(sim.truth), covering(spans)
        wrong = [
            measured.get(position) is None or not _agree(truth[position], measured[position])
            for position in sorted(truth)
        ]
        self.phases += len(wrong)
        self.right += wrong.count(False)
        if True in wrong:
            self.sets_with_errors += 1
            first = wrong.index(True)
            self.after_first_error += len(wrong) - first - 1
            self.wrong_after_first_error += wrong[first + 1 :].count(True)
        for first, covers, _ in sim.truth:
            for inner in range(first + 1, first + covers):
                self.missed += 1
                found = measured.get(inner)
                self.found += found is not None and found[0] < inner
        target = sum(p.target_ms or 0 for p in sim.phases if p.kind == "eccentric")
        if not target:
            return
        for real, read in zip(
            eccentric(sim.truth, sim.phases, sim.reps),
            eccentric(spans, sim.phases, sim.reps),
            strict=True,
        ):
            if real is not None:
                self.reps += 1
                self.called += read is not None and judge(read, target) == judge(real, target)


def _agree(truth: Span, measured: Span) -> bool:
    return truth[:2] == measured[:2] and abs(truth[2] - measured[2]) <= RIGHT_MS


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def run(sets: int, seed: int, metronome: bool) -> None:
    rng = random.Random(seed)
    catalog = exercises()
    old, new, cued = Tally(), Tally(), Tally()
    jitter_right = jitter_phases = 0
    for _ in range(sets):
        sim = simulate(rng, rng.choice(catalog), metronome)
        old.add(sim, old_rule(sim.phases, sim.taps))
        new.add(sim, new_rule(sim.phases, sim.taps, sim.reps))
        if metronome:
            cued.add(sim, new_rule(sim.phases, sim.taps, sim.reps, sim.cues))
        for first, covers, ms in sim.truth:
            if covers == 1:
                jitter_phases += 1
                jitter_right += abs(ms - sim.real_ms[first]) <= RIGHT_MS
    tallies = [old, new, cued] if metronome else [old, new]
    rows: list[tuple[str, str, list[str]]] = [
        (
            "phases right (same phases, within 150 ms)",
            ">= 98 %",
            [share(t.right, t.phases) for t in tallies],
        ),
        ("missed boundaries found", "high", [share(t.found, t.missed) for t in tallies]),
        (
            "reps called under / on / over correctly",
            "high",
            [share(t.called, t.reps) for t in tallies],
        ),
        ("sets with any wrong phase", "low", [share(t.sets_with_errors, sets) for t in tallies]),
        (
            "cascade: phases wrong after a set's first error",
            "low",
            [share(t.wrong_after_first_error, t.after_first_error) for t in tallies],
        ),
    ]
    title = "metronome on" if metronome else "no metronome"
    print(f"{title}: {sets} simulated sets, seed {seed}, {new.phases} phases")
    names = ["old rule", "new", "new + cues"][: len(tallies)]
    print(f"{'':48} {'target':>8}" + "".join(f" {name:>10}" for name in names))
    for name, target, figures in rows:
        print(f"{name:48} {target:>8}" + "".join(f" {figure:>10}" for figure in figures))
    print(
        "reaction jitter alone: tapped phases within 150 ms of the real duration: "
        f"{share(jitter_right, jitter_phases)}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    options = parser.parse_args()
    run(options.sets, options.seed, metronome=False)
    run(options.sets, options.seed, metronome=True)


if __name__ == "__main__":
    main()
