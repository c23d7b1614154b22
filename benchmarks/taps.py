"""How right tap-to-time is: simulated lifters tapping the bundled workouts, old rule vs new.

    .venv/bin/python benchmarks/taps.py [--sets 3000] [--seed 13]

A measurement, not a test: it prints numbers beside their targets and never fails. Each set is
one exercise of a bundled workout, 4 to 8 reps. Three lifters tap the same kind of sets:

* **no metronome** (the issue's lifter): every phase off its target by up to ±60 %, uniform
  and independent, each boundary tapped with a reaction jitter (sd 80 ms); in a session the
  metronome runs all the same, so "new + cues" is this lifter ignoring it;
* **follows the metronome**: each boundary meant at its cue plus the lifter's own lag (0.1 to
  0.4 s, the same all set) plus a small drift (sd 10 % of the shorter phase beside it), tapped
  with the same jitter: taps cluster around the cue times;
* **re-syncs each rep**: with the metronome on, phases inside a rep off by up to ±60 %, each
  rep started on its cue (or as soon as the last one is done), the rep's last phase taking up
  the slack.

Every lifter misses 5 % of the inner boundaries, double-taps 3 % of the taps (40 to 250 ms
apart) and taps by mistake mid-phase in 1 % of phases. The same taps go through the rule Tempo
Coach used before whole-set alignment (a frozen copy below), through `TapTimer` (told the set's
length), through `TapTimer` given the cue times as the session screen gives them (the set
closed at its cued end, later taps offered to it as late ones), and for the no-metronome
lifter through `TapTimer` scored with this simulator's own likelihood (`ExactModel`: the best
a reading can do knowing how the taps were made, though not which boundary each tap marks).
The **oracle** knows which boundary each tap marks: it reads every real boundary tap in its
place, so it is right about the taps by construction, and its figure against the real
durations is the ceiling the reaction jitter puts on any reading.

What is "the truth"? The lifter means to tap at the moment a phase ends, and taps 80 ms (sd)
either side of it. Two figures follow: phases right *against the taps* (the interval between
the right taps, what any reading of taps can at best give: the aligner's own error) and
*against the real durations* (what the lifter did; capped by the jitter, sd 113 ms on an
interval, for every reader alike, the oracle included).
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Literal

from tempo_coach.catalog import load_workout
from tempo_coach.core.taps import PhaseTarget, TapTimer, judge, targets_for

WORKOUTS = Path(__file__).resolve().parent.parent / "workouts"
DEVIATION = 0.6
JITTER_S = 0.080
MISSED = 0.05
DOUBLE = 0.03
DOUBLE_S = (0.040, 0.250)
STRAY = 0.01
LAG_S = (0.1, 0.4)
DRIFT = 0.10
RIGHT_MS = 150

Lifter = Literal["no metronome", "follows the metronome", "re-syncs each rep"]
LIFTERS: tuple[Lifter, ...] = ("no metronome", "follows the metronome", "re-syncs each rep")
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
    """Each phase's real duration: between the moments the lifter meant to tap."""
    cues: list[float]
    """When the metronome cued each boundary (clock seconds): the session screen always has
    them, even for a lifter who ignores the metronome."""


def exercises() -> list[list[PhaseTarget]]:
    """One rep's phases of every exercise of every bundled workout."""
    found = []
    for path in sorted(WORKOUTS.glob("*.toml")):
        workout = load_workout(path)
        for exercise in workout.exercises:
            found.append(targets_for(exercise, exercise.settings(workout.defaults)))
    return found


def meant_moments(rng: random.Random, targets: list[int], count: int, lifter: Lifter) -> list[int]:
    """When the lifter means to tap each boundary, in ms from the first cue."""
    cued = [0, *accumulate(targets)]
    if lifter == "follows the metronome":
        lag = round(1000 * rng.uniform(*LAG_S))
        moments = [lag]
        for number in range(1, len(cued)):
            beside = targets[number - 1 : number + 1]
            drift = round(rng.gauss(0, DRIFT * min(beside)))
            # Never before the previous boundary: the lifter does the phases in order.
            moments.append(max(cued[number] + lag + drift, moments[-1] + 200))
        return moments
    real = [round(ms * (1 + rng.uniform(-DEVIATION, DEVIATION))) for ms in targets]
    if lifter == "re-syncs each rep":
        for rep in range(len(targets) // count):
            last = (rep + 1) * count - 1
            start = sum(real[: rep * count])
            inside = sum(real[rep * count : last])
            # A lifter who finished early waits for the next rep's cue.
            real[last] = max(cued[last + 1] - start - inside, round(0.3 * targets[last]))
    return [0, *accumulate(real)]


def simulate(rng: random.Random, phases: list[PhaseTarget], lifter: Lifter) -> SimulatedSet:
    """A set of 4 to 8 reps of `phases`, tapped by `lifter`."""
    reps = rng.randint(4, 8)
    targets = [phase.target_ms or 1000 for _ in range(reps) for phase in phases]
    boundaries = meant_moments(rng, targets, len(phases), lifter)
    real = [b - a for a, b in pairwise(boundaries)]
    taps: list[tuple[float, int | None]] = []  # (time, the boundary it marks or None)
    for number, at_ms in enumerate(boundaries):
        inner = 0 < number < len(boundaries) - 1
        if not (inner and rng.random() < MISSED):
            at = max(at_ms / 1000 + rng.gauss(0, JITTER_S), taps[-1][0] if taps else 0.0)
            taps.append((at, number))
            if rng.random() < DOUBLE:
                taps.append((at + rng.uniform(*DOUBLE_S), None))
        if number < len(real) and rng.random() < STRAY:
            taps.append((at_ms / 1000 + rng.uniform(0.3, 0.7) * real[number] / 1000, None))
    taps.sort(key=lambda tap: tap[0])
    origin = taps[0][0]
    marked = [(round((at - origin) * 1000), number) for at, number in taps if number is not None]
    truth = [(first, last - first, end - start) for (start, first), (end, last) in pairwise(marked)]
    cues = [1000.0 + ms / 1000 for ms in [0, *accumulate(targets)]]
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


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class ExactModel(TapTimer):
    """`TapTimer` scored with the no-metronome simulator's own likelihood: how the ceiling of
    any reading of these taps is estimated (the costs are minus log-probabilities)."""

    def _span_cost(self, measured_ms: int, start: int, end: int) -> float:
        targets = [self._target(position) or 1000 for position in range(start, end)]
        jitter = math.sqrt(2) * JITTER_S * 1000
        missed = -(len(targets) - 1) * math.log(MISSED) - math.log(1 - MISSED)
        if len(targets) == 1:  # uniform ±60 % convolved with the jitter of two taps
            low, high = (1 - DEVIATION) * targets[0], (1 + DEVIATION) * targets[0]
            density = (_phi((measured_ms - low) / jitter) - _phi((measured_ms - high) / jitter)) / (
                high - low
            )
        else:  # a sum of uniforms, near enough normal
            mean = sum(targets)
            spread = math.sqrt(sum((2 * DEVIATION * t) ** 2 / 12 for t in targets) + jitter**2)
            density = math.exp(-(((measured_ms - mean) / spread) ** 2) / 2) / (
                spread * math.sqrt(2 * math.pi)
            )
        return missed - math.log(max(density, 1e-300))

    def _drop_cost(self, taps: Sequence[int], tap: int) -> float:
        gap = taps[tap] - taps[tap - 1]
        if DOUBLE_S[0] * 1000 <= gap <= DOUBLE_S[1] * 1000:
            return -math.log(DOUBLE / ((DOUBLE_S[1] - DOUBLE_S[0]) * 1000))
        return -math.log(STRAY / (0.4 * 2000))  # a stray, somewhere in a phase of about 2 s


@dataclass
class Reader:
    """One way of reading a simulated set's taps, and how long it took."""

    name: str
    read: Callable[[SimulatedSet], list[Span]]
    seconds: float = 0.0
    sets: int = 0

    def __call__(self, sim: SimulatedSet) -> list[Span]:
        began = time.perf_counter()
        spans = self.read(sim)
        self.seconds += time.perf_counter() - began
        self.sets += 1
        return spans


def aligned(
    sim: SimulatedSet, *, cues: bool = False, timer: type[TapTimer] = TapTimer
) -> list[Span]:
    """The spans `timer` reads. With the cues, as the session screen does it: the set is closed
    when the metronome ends it, and a lifter behind it taps the last boundary after that."""
    tapper = timer(sim.phases)
    given = sim.cues if cues else []
    ended = given[-1] if given else math.inf
    closed = None
    for at in sim.taps:
        if at > ended and closed is None:
            closed = tapper.end_set(reps=sim.reps)
        outcome = tapper.tap(at, given)
        if outcome.closed is not None:
            closed = outcome.closed
    if closed is None:
        closed = tapper.end_set(reps=sim.reps)
    count = len(sim.phases)
    return [
        ((timing.rep - 1) * count + timing.index, len(timing.spans), timing.measured_ms)
        for timing in closed.timings()
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


def real_spans(sim: SimulatedSet) -> list[Span]:
    """The truth's spans with what the lifter really took over them, not what the taps say."""
    return [
        (first, covers, sum(sim.real_ms[first : first + covers])) for first, covers, _ in sim.truth
    ]


@dataclass
class Tally:
    phases: int = 0
    right: int = 0
    right_real: int = 0
    missed: int = 0
    found: int = 0
    reps: int = 0
    called: int = 0
    called_real: int = 0
    sets: int = 0
    after_first_error: int = 0
    wrong_after_first_error: int = 0
    sets_with_errors: int = 0
    local: int = 0
    readers: list[Reader] = field(default_factory=list)

    def add(self, sim: SimulatedSet, spans: Sequence[Span]) -> None:
        self.sets += 1
        truth, measured, real = covering(sim.truth), covering(spans), covering(real_spans(sim))
        wrong = [
            measured.get(position) is None or not _agree(truth[position], measured[position])
            for position in sorted(truth)
        ]
        self.phases += len(wrong)
        self.right += wrong.count(False)
        self.right_real += sum(
            position in measured and _agree(real[position], measured[position])
            for position in truth
        )
        count = len(sim.phases)
        wrong_reps = {
            position // count for position, bad in zip(sorted(truth), wrong, strict=True) if bad
        }
        self.local += len(wrong_reps) <= 1
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
        for tapped, lowered, read in zip(
            eccentric(sim.truth, sim.phases, sim.reps),
            eccentric(real_spans(sim), sim.phases, sim.reps),
            eccentric(spans, sim.phases, sim.reps),
            strict=True,
        ):
            if tapped is not None and lowered is not None:
                self.reps += 1
                self.called += read is not None and judge(read, target) == judge(tapped, target)
                self.called_real += read is not None and judge(read, target) == judge(
                    lowered, target
                )


def _agree(truth: Span, measured: Span) -> bool:
    return truth[:2] == measured[:2] and abs(truth[2] - measured[2]) <= RIGHT_MS


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def readers(lifter: Lifter) -> list[Reader]:
    found = [
        Reader("old rule", lambda sim: old_rule(sim.phases, sim.taps)),
        Reader("new", aligned),
    ]
    found.append(Reader("new + cues", lambda sim: aligned(sim, cues=True)))
    if lifter == "no metronome":
        found.append(Reader("exact model", lambda sim: aligned(sim, timer=ExactModel)))
    found.append(Reader("oracle", lambda sim: list(sim.truth)))
    return found


def run(sets: int, seed: int, lifter: Lifter) -> None:
    rng = random.Random(seed)
    catalog = exercises()
    columns = readers(lifter)
    tallies = [Tally() for _ in columns]
    jitter_right = jitter_phases = worst_ms = 0.0
    for _ in range(sets):
        sim = simulate(rng, rng.choice(catalog), lifter)
        for reader, tally in zip(columns, tallies, strict=True):
            tally.add(sim, reader(sim))
        for first, covers, ms in sim.truth:
            if covers == 1:
                jitter_phases += 1
                jitter_right += abs(ms - sim.real_ms[first]) <= RIGHT_MS
        worst_ms = max(worst_ms, worst_tap_ms(sim))
    rows: list[tuple[str, str, list[str]]] = [
        (
            "phases right against the taps (150 ms)",
            ">= 98 %",
            [share(t.right, t.phases) for t in tallies],
        ),
        (
            "phases right against the real durations",
            "",
            [share(t.right_real, t.phases) for t in tallies],
        ),
        ("missed boundaries found", "high", [share(t.found, t.missed) for t in tallies]),
        (
            "reps called under / on / over (taps)",
            "high",
            [share(t.called, t.reps) for t in tallies],
        ),
        (
            "reps called under / on / over (real)",
            "high",
            [share(t.called_real, t.reps) for t in tallies],
        ),
        ("sets with any wrong phase", "low", [share(t.sets_with_errors, sets) for t in tallies]),
        (
            "errors stay local: sets wrong in <= 1 rep",
            "100 %",
            [share(t.local, t.sets) for t in tallies],
        ),
        (
            "cascade: phases wrong after a set's first error",
            "low",
            [share(t.wrong_after_first_error, t.after_first_error) for t in tallies],
        ),
        ("time per set (ms)", "", [f"{1000 * r.seconds / max(r.sets, 1):.1f}" for r in columns]),
    ]
    print(f"{lifter}: {sets} simulated sets, seed {seed}, {tallies[0].phases} phases")
    print(f"{'':48} {'target':>8}" + "".join(f" {r.name:>11}" for r in columns))
    for name, target, figures in rows:
        print(f"{name:48} {target:>8}" + "".join(f" {figure:>11}" for figure in figures))
    print(
        "reaction jitter alone: tapped phases within 150 ms of the real duration: "
        f"{share(round(jitter_right), round(jitter_phases))}; the aligner's slowest tap "
        f"{worst_ms:.1f} ms\n"
    )


def worst_tap_ms(sim: SimulatedSet) -> float:
    """The longest one tap of this set took to re-read, with the cues: what the lifter waits
    for on the live line."""
    tapper, worst = TapTimer(sim.phases), 0.0
    for at in sim.taps:
        began = time.perf_counter()
        tapper.tap(at, sim.cues)
        worst = max(worst, 1000 * (time.perf_counter() - began))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--lifter", choices=LIFTERS, action="append")
    options = parser.parse_args()
    for lifter in options.lifter or LIFTERS:
        run(options.sets, options.seed, lifter)


if __name__ == "__main__":
    main()
