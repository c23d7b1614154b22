"""Tap-to-time: the lifter taps at each phase boundary and learns how long each phase really took.

The lifter taps a key (space, or whatever a USB foot pedal sends) at every phase boundary. The
first tap of a set starts the first phase of rep 1; every further tap normally ends the phase
under way and starts the next one, and the tap that ends a rep's last phase starts the next rep.
Taps are float seconds on the monotonic clock (`tempo_coach.core.clock`) and become whole
milliseconds since the set's first tap, so the measured phases of a set tile exactly the time
between its first and last accepted taps: a measurement is only ever what the taps say.

**Whole-set alignment.** Which boundary each tap marks is not judged from one interval (that
reads a slow lowering as a missed tap, and each misjudgement then shifts every later phase).
Instead the whole tap sequence is aligned against the expected boundaries, rep after rep, by
dynamic programming (a Viterbi path through a small hidden Markov model). Each reading of the
taps has a cost, and the cheapest wins:

* **Deviation**: each measured interval against the summed targets of the phases it covers, as
  a squared log-ratio (so 2× slow and 2× fast cost alike), with `JITTER_MS` added to both sides
  so that a thumb's reaction time does not make a short explosive phase look wildly off.
* **A missed boundary** costs `MISSED_COST`, more than reading a lowering 100 % slower than its
  target as slow: on its own a long interval is a slow phase, and it becomes a missed tap only
  when the taps after it line up with the phases only that way. A missed boundary merges exactly
  the two phases it joins, into one measurement that says so; it is never split.
* **An extra tap** costs `EXTRA_COST` and is dropped: a stray mid-phase. The second of a double
  tap (within `DOUBLE_MS` of the one before) costs only `DOUBLE_COST`, and a bounce within
  `debounce_ms` is dropped before any alignment. No tap is ever invented.
* **Cue times**, when the metronome is running, cost a tap read as a rep's start its distance
  from that rep's cue (capped, so a lifter who drifts from the metronome is not forced back).
  Only rep starts: that is where a lifter re-syncs, while inside a rep a slow or quick phase is
  the very thing measured.
* **The set's end**, when its length is known (`end_set(reps=…)`, or the cues), anchors the
  reading: a shift by a phase or two would end the set in the wrong place.

The path is re-solved after every tap (the forward pass is kept, so each tap costs only one
step, and the best path is traced back), so the live line always shows the best current reading
and corrects itself (`TapOutcome.revised`) when a later tap makes an earlier one clear. A
shifted reading costs more with every tap it stays shifted, so one misjudgement cannot shift the
rest of the set: a rep start re-anchors the alignment (with cues, each rep's cued start does).

* **On tempo** means within ``max(10 % of the target, 250 ms)`` of it, bounds included. Ten per
  cent is what a lifter can hold by counting; the 250 ms floor is roughly how precisely a tap
  lands, so a 1 s pause is not called "slower" over a late thumb.
* **Stopwatch** phases have no targets, so there is no deviation to weigh: every accepted tap
  ends the next phase, and nothing is judged missed.
* **Eccentric statistics** take a rep's lowering only when each of its eccentric phases was
  tapped as a phase of its own. A rep whose lowering lies inside a merged interval is flagged and
  left out; a lowering that was never tapped (a set ended early) is just left out.
* **Adherence** is the share of those lowerings within ± `tolerance` (a setting, 20 % by default)
  of the target: a wider band than "on tempo", because it scores a habit over reps and weeks.
* **Spread** is the population standard deviation: it describes these reps rather than
  estimating a wider population, and it is 0 rather than undefined for a single rep.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from statistics import fmean, pstdev
from typing import Literal

from tempo_coach.core.describe import format_duration
from tempo_coach.core.models import Exercise, ExerciseSettings, PhaseKind
from tempo_coach.core.timeline import Place, Segment, rep_phases

Verdict = Literal["slower", "faster", "on tempo"]
TOLERANCE_FRACTION = 0.10
"""On tempo within this fraction of the target..."""
TOLERANCE_FLOOR_MS = 250
"""...or within this many milliseconds, whichever is wider."""
DEBOUNCE_MS = 150
"""A tap this soon after the previous one is a bounce, dropped before any alignment."""
ADHERENCE_TOLERANCE = 0.20
"""The default adherence band: a lowering within ±20 % of its target counts as adherent."""

SIGMA = 0.4
"""Spread of a phase's log-ratio to its target; deviation cost is ``(ln ratio / SIGMA)² / 2``."""
JITTER_MS = 300
"""Added to measured and target alike (about 2.5 sd of two taps' reaction jitter), so a thumb's
timing does not make a short explosive phase look wildly off."""
MISSED_COST = 2.0
"""Cost of a missed boundary: above the deviation cost of a lowering 100 % slow (≈ 1.4)."""
EXTRA_COST = 5.0
"""Cost of dropping a tap as stray: a tap is normally meant, so dropping it takes evidence."""
CUE_SIGMA_S = 0.4
"""Spread of a tap around its metronome cue, in seconds."""
CUE_CAP = 2.0
"""Most a tap can pay for being away from its cue, so a drifting lifter is still followed."""
DOUBLE_COST = 1.5
"""Cost of dropping a tap that came within `DOUBLE_MS` of the one before: a double tap."""
DOUBLE_MS = 250
MAX_DROPPED = 2
"""Most stray taps read as dropped in a row between two boundary taps."""
END_COST = 3.0
"""Cost of a closed set's reading ending anywhere but its known last boundary: a set tapped to
its end anchors the whole reading; one that stopped early pays it whatever the reading, so it
is not stretched (no missed tap is made up) to reach the end."""
BEAM = 40
"""Readings kept per tap: the cheapest, which is plenty for a set's few dozen taps."""


def tolerance_ms(target_ms: int) -> float:
    """How far from the target a phase may land and still be on tempo."""
    return max(TOLERANCE_FRACTION * target_ms, TOLERANCE_FLOOR_MS)


def judge(measured_ms: int, target_ms: int) -> Verdict:
    """Compare a measured time with its target, within `tolerance_ms`."""
    if measured_ms > target_ms + tolerance_ms(target_ms):
        return "slower"
    if measured_ms < target_ms - tolerance_ms(target_ms):
        return "faster"
    return "on tempo"


def within(measured_ms: float, target_ms: int, tolerance: float = ADHERENCE_TOLERANCE) -> bool:
    """Whether a lowering adheres to its target: within ± `tolerance` of it, bounds included."""
    return abs(measured_ms - target_ms) <= tolerance * target_ms


def _ms_since(origin: float, at: float) -> int:
    """Whole milliseconds from the set's first tap, so a set's intervals sum exactly."""
    return round((at - origin) * 1000)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class PhaseTarget:
    """A phase the taps are matched to; a target of None is a free stopwatch phase."""

    name: str
    kind: PhaseKind
    target_ms: int | None


def targets_for(exercise: Exercise, settings: ExerciseSettings) -> list[PhaseTarget]:
    """The phases of one rep of the exercise, with the durations its tempo asks for."""
    return [
        PhaseTarget(phase.label.name, phase.kind, phase.duration_ms)
        for phase in rep_phases(exercise, settings)
    ]


def set_cues(
    segments: Sequence[Segment], place: Place, position_ms: int, now: float
) -> list[float]:
    """The clock times at which the metronome cues each phase of the set at `place`, and the
    set's end: evidence for `TapTimer.tap`. `position_ms` is where the engine is on its
    timeline at clock time `now` (which fixes the timeline's origin on the clock)."""
    phases = [
        segment
        for segment in segments
        if segment.kind == "phase"
        and (segment.place.exercise_index, segment.place.set_number, segment.place.side)
        == (place.exercise_index, place.set_number, place.side)
    ]
    if not phases:
        return []
    origin = now - position_ms / 1000
    return [origin + segment.start_ms / 1000 for segment in phases] + [
        origin + phases[-1].end_ms / 1000
    ]


def free_phases(names: tuple[str, str, str] = ("Lower", "Pause", "Lift")) -> list[PhaseTarget]:
    """A stopwatch rep with no workout: lowering, pause and lifting, nothing to compare with."""
    kinds: tuple[PhaseKind, PhaseKind, PhaseKind] = ("eccentric", "hold", "concentric")
    return [PhaseTarget(name, kind, None) for name, kind in zip(names, kinds, strict=True)]


@dataclass(frozen=True)
class PhaseTiming:
    """One measured span: a phase, or several phases when taps were missed between them."""

    rep: int
    index: int
    """Position in the rep (from 0) of the first phase the span covers."""
    name: str
    """The first phase covered; `spans` names them all."""
    kind: PhaseKind
    """The kind of the first phase covered."""
    start_ms: int
    """When the span began, in ms from the set's first tap."""
    end_ms: int
    target_ms: int | None
    """The summed targets of the phases covered; None for a stopwatch."""
    spans: tuple[str, ...]
    """Every phase the span covers, in order: more than one means a missed tap."""

    @property
    def measured_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def merged(self) -> bool:
        """Whether a tap was missed inside this span, so it cannot be judged per phase."""
        return len(self.spans) > 1

    @property
    def verdict(self) -> Verdict | None:
        """Slower, faster or on tempo; None for a stopwatch phase or a merged span."""
        if self.target_ms is None or self.merged:
            return None
        return judge(self.measured_ms, self.target_ms)

    def describe(self) -> str:
        """The live line: ``"Hinge 3.4 s of 4 s — faster"``, or ``"Lower 3.4 s"`` untargeted."""
        line = f"{' + '.join(self.spans)} {format_duration(self.measured_ms)}"
        if self.target_ms is None:
            return line
        note = "missed tap" if self.merged else self.verdict
        return f"{line} of {format_duration(self.target_ms)} — {note}"


@dataclass(frozen=True)
class TapOutcome:
    """What one tap did, so the screen can say it at once."""

    measured: PhaseTiming | None
    """The span this tap ended, if it is read as a boundary."""
    started_rep: int | None
    """The rep this tap began: the set's first tap, and every tap that ends a rep."""
    revised: tuple[PhaseTiming, ...] = ()
    """Earlier spans this tap made read differently (the live line corrects itself)."""

    @property
    def ignored(self) -> bool:
        """A double or stray tap: every accepted tap ends a span or starts a rep."""
        return self.measured is None and self.started_rep is None

    def describe(self) -> str:
        if self.measured is not None:
            line = self.measured.describe()
        elif self.started_rep is not None:
            line = f"Rep {self.started_rep} started"
        else:
            line = "Extra tap ignored"
        if self.revised:
            line += f" · re-read: {self.revised[0].describe()}"
        return line


@dataclass(frozen=True)
class RepTiming:
    """The spans measured in one rep, in order (an unfinished rep only as far as tapped)."""

    rep: int
    phases: list[PhaseTiming]

    @property
    def missed(self) -> list[str]:
        """The boundaries whose taps were missed, as ``"Hinge → Bottom"``."""
        return [
            f"{before} → {after}"
            for timing in self.phases
            for before, after in pairwise(timing.spans)
        ]


@dataclass(frozen=True)
class Adherence:
    """How well lowerings kept to their target: the share within the tolerance, mean ± spread."""

    readings: tuple[int, ...]
    """The clean lowerings, in ms."""
    adherent: int
    """How many of them were within the tolerance of the target."""
    judged: int
    """How many had a target to judge against (none in a stopwatch)."""
    tolerance: float

    @property
    def share(self) -> float | None:
        return self.adherent / self.judged if self.judged else None

    @property
    def mean_ms(self) -> float | None:
        return fmean(self.readings) if self.readings else None

    @property
    def spread_ms(self) -> float | None:
        return pstdev(self.readings) if self.readings else None

    def describe(self) -> str:
        """``"Adherence 2/3 (67%) within ±20% · eccentric 4.2 s ± 0.6 s"``."""
        parts = []
        if self.share is not None:
            parts.append(
                f"Adherence {self.adherent}/{self.judged} ({self.share:.0%})"
                f" within ±{self.tolerance:.0%}"
            )
        if self.mean_ms is not None and self.spread_ms is not None:
            lowering = (
                f"{format_duration(round(self.mean_ms))} ± {format_duration(round(self.spread_ms))}"
            )
            parts.append(f"eccentric {lowering}" if parts else f"Eccentric {lowering}")
        return " · ".join(parts) if parts else "Eccentric not measured"


def adherence(
    readings: Iterable[tuple[int, int | None]], tolerance: float = ADHERENCE_TOLERANCE
) -> Adherence:
    """Score (lowering, target) pairs, from one rep up to many sessions; None targets are not
    judged but still count in the mean."""
    pairs = list(readings)
    judged = [(ms, target) for ms, target in pairs if target is not None]
    return Adherence(
        readings=tuple(ms for ms, _ in pairs),
        adherent=sum(within(ms, target, tolerance) for ms, target in judged),
        judged=len(judged),
        tolerance=tolerance,
    )


def weekly_adherence(
    readings: Iterable[tuple[date, int, int | None]], tolerance: float = ADHERENCE_TOLERANCE
) -> list[tuple[date, Adherence]]:
    """Adherence per ISO week (keyed by its Monday), oldest first: the trend over weeks."""
    weeks: defaultdict[date, list[tuple[int, int | None]]] = defaultdict(list)
    for day, ms, target in readings:
        weeks[date.fromisocalendar(*day.isocalendar()[:2], 1)].append((ms, target))
    return [(monday, adherence(weeks[monday], tolerance)) for monday in sorted(weeks)]


@dataclass(frozen=True)
class SetTiming:
    """A closed (or in-progress) set of taps, and what it says about the lowering."""

    phases: tuple[PhaseTarget, ...]
    """One rep's phases, which every rep's spans were matched to."""
    reps: list[RepTiming]
    tolerance: float = field(default=ADHERENCE_TOLERANCE, compare=False)
    """The adherence band, from the settings."""

    @classmethod
    def from_spans(
        cls,
        phases: Sequence[PhaseTarget],
        spans: Iterable[tuple[int, int, int, int, int]],
        tolerance: float = ADHERENCE_TOLERANCE,
    ) -> SetTiming:
        """Rebuild a set from stored spans: (rep, index, phases covered, start ms, end ms)."""
        count = len(phases)
        timings = [
            _timing(phases, (rep - 1) * count + index, covers, start, end)
            for rep, index, covers, start, end in spans
        ]
        return cls(tuple(phases), _in_reps(timings), tolerance)

    def timings(self) -> list[PhaseTiming]:
        """Every span of the set in order: what is stored."""
        return [timing for rep in self.reps for timing in rep.phases]

    def durations(self) -> list[list[int]]:
        """Per rep, the measured milliseconds of each span in order."""
        return [[timing.measured_ms for timing in rep.phases] for rep in self.reps]

    def _eccentric_covers(self) -> list[list[PhaseTiming | None]]:
        """Per rep, the span covering each of its eccentric phases (None where none was
        tapped); a merged span may have started in the rep before."""
        count = len(self.phases)
        cover = {
            (timing.rep - 1) * count + timing.index + offset: timing
            for timing in self.timings()
            for offset in range(len(timing.spans))
        }
        eccentric = [index for index, phase in enumerate(self.phases) if phase.kind == "eccentric"]
        return [
            [cover.get((rep.rep - 1) * count + index) for index in eccentric] for rep in self.reps
        ]

    def eccentric_ms(self) -> list[int | None]:
        """Per rep, the lowering time, or None unless every eccentric phase was cleanly tapped."""
        return [
            sum(t.measured_ms for t in cover if t is not None)
            if cover and all(t is not None and not t.merged for t in cover)
            else None
            for cover in self._eccentric_covers()
        ]

    @property
    def flagged_reps(self) -> int:
        """Reps left out of the statistics because a tap was missed inside their lowering."""
        return sum(
            any(t is not None and t.merged for t in cover) for cover in self._eccentric_covers()
        )

    @property
    def missed_taps(self) -> int:
        return sum(len(rep.missed) for rep in self.reps)

    @property
    def eccentric_target_ms(self) -> int | None:
        """The lowering a rep asks for; None for a stopwatch or a rep with no eccentric."""
        targets = [phase.target_ms for phase in self.phases if phase.kind == "eccentric"]
        if not targets or None in targets:
            return None
        return sum(target for target in targets if target is not None)

    def _clean(self) -> list[int]:
        return [reading for reading in self.eccentric_ms() if reading is not None]

    def readings(self) -> list[tuple[int, int | None]]:
        """Each clean lowering with its target: what adherence is scored from."""
        return [(reading, self.eccentric_target_ms) for reading in self._clean()]

    def adherence(self) -> Adherence:
        return adherence(self.readings(), self.tolerance)

    @property
    def eccentric_mean_ms(self) -> float | None:
        clean = self._clean()
        return fmean(clean) if clean else None

    @property
    def eccentric_spread_ms(self) -> float | None:
        """Population standard deviation of the clean lowering times."""
        clean = self._clean()
        return pstdev(clean) if clean else None

    @property
    def under_target(self) -> int:
        """Clean reps lowered faster than the target by more than the tolerance."""
        target = self.eccentric_target_ms
        if target is None:
            return 0
        return sum(judge(reading, target) == "faster" for reading in self._clean())

    def summary_line(self) -> str:
        """``"Eccentric 3.6 s ± 0.3 s over 5 reps (target 4 s) · 2 reps under target ·
        1 missed tap · adherence 3/5 (60%) within ±20%"``."""
        mean, spread = self.eccentric_mean_ms, self.eccentric_spread_ms
        target = self.eccentric_target_ms
        parts = ["Eccentric not measured"]
        if mean is not None and spread is not None:
            parts = [
                f"Eccentric {format_duration(round(mean))} ± {format_duration(round(spread))}"
                f" over {_plural(len(self._clean()), 'rep')}"
                + ("" if target is None else f" (target {format_duration(target)})")
            ]
            if target is not None:
                parts.append(f"{_plural(self.under_target, 'rep')} under target")
        if self.missed_taps:
            parts.append(_plural(self.missed_taps, "missed tap"))
        score = self.adherence()
        if score.share is not None:
            parts.append(
                f"adherence {score.adherent}/{score.judged} ({score.share:.0%})"
                f" within ±{score.tolerance:.0%}"
            )
        return " · ".join(parts)


def _timing(
    phases: Sequence[PhaseTarget], position: int, covers: int, start_ms: int, end_ms: int
) -> PhaseTiming:
    """The span from set position `position` (rep × phases + index) over `covers` phases."""
    count = len(phases)
    covered = [phases[(position + offset) % count] for offset in range(covers)]
    targets = [phase.target_ms for phase in covered]
    return PhaseTiming(
        rep=position // count + 1,
        index=position % count,
        name=covered[0].name,
        kind=covered[0].kind,
        start_ms=start_ms,
        end_ms=end_ms,
        target_ms=None if None in targets else sum(t for t in targets if t is not None),
        spans=tuple(phase.name for phase in covered),
    )


def _in_reps(timings: Sequence[PhaseTiming]) -> list[RepTiming]:
    numbers = sorted({timing.rep for timing in timings})
    return [
        RepTiming(number, [timing for timing in timings if timing.rep == number])
        for number in numbers
    ]


@dataclass(frozen=True)
class Running:
    """The phase being timed, for a live "Hinge… 2.1 s" display."""

    rep: int
    phase: PhaseTarget
    since: float
    """The clock time of the tap that started it."""


@dataclass(frozen=True)
class _State:
    """One reading of the taps so far, ending with tap `tap` as boundary `position`."""

    cost: float
    tap: int
    position: int
    previous: _State | None


class TapTimer:
    """Turns the taps of a set into measured phases by aligning them with the expected ones."""

    def __init__(
        self,
        phases: Sequence[PhaseTarget],
        *,
        debounce_ms: int = DEBOUNCE_MS,
        tolerance: float = ADHERENCE_TOLERANCE,
    ) -> None:
        if not phases:
            raise ValueError("a rep needs at least one phase to time")
        if any(phase.target_ms is not None and phase.target_ms <= 0 for phase in phases):
            raise ValueError("a phase target must be a positive number of milliseconds")
        self.phases = tuple(phases)
        self.debounce_ms = debounce_ms
        self.tolerance = tolerance
        self._reset()

    def _reset(self) -> None:
        self._origin: float | None = None  # the set's first tap; None until it comes
        self._taps: list[int] = []  # ms since the origin of every tap past the debounce
        self._at: list[float] = []  # the same taps on the clock
        self._states: list[list[_State]] = []  # per tap, the readings ending with it
        self._cues: list[float] = []
        self._path: list[PhaseTiming] = []
        self._last: _State | None = None  # the newest tap read as a boundary

    def _target(self, position: int) -> int | None:
        return self.phases[position % len(self.phases)].target_ms

    def _deviation(self, measured_ms: int, start: int, end: int) -> float:
        """Cost of reading `measured_ms` as phases `start` to `end` (set positions)."""
        targets = [self._target(position) for position in range(start, end)]
        if None in targets:
            return 0.0
        target = sum(t for t in targets if t is not None)
        ratio = math.log((measured_ms + JITTER_MS) / (target + JITTER_MS))
        return (ratio / SIGMA) ** 2 / 2

    def _drop_cost(self, tap: int) -> float:
        """Cost of reading tap `tap` as stray: little for the second of a double tap."""
        if self._taps[tap] - self._taps[tap - 1] <= DOUBLE_MS:
            return DOUBLE_COST
        return EXTRA_COST

    def _cue_cost(self, at: float, position: int) -> float:
        """Distance from the metronome, at rep starts only: the lifter re-syncs to the cue of
        each rep, while inside a rep a slow or quick phase is the very thing being measured."""
        if not self._cues or position % len(self.phases):
            return 0.0
        if position >= len(self._cues):
            return CUE_CAP
        return min(((at - self._cues[position]) / CUE_SIGMA_S) ** 2 / 2, CUE_CAP)

    def _extend(self) -> None:
        """The readings that end with the newest tap as a boundary (one forward DP step)."""
        tap = len(self._taps) - 1
        best: dict[int, _State] = {}
        for earlier in range(max(0, tap - 1 - MAX_DROPPED), tap):
            measured = self._taps[tap] - self._taps[earlier]
            dropped = sum(self._drop_cost(skipped) for skipped in range(earlier + 1, tap))
            for state in self._states[earlier]:
                for covers in range(1, len(self.phases) + 1):
                    position = state.position + covers
                    cost = (
                        state.cost
                        + dropped
                        + MISSED_COST * (covers - 1)
                        + self._deviation(measured, state.position, position)
                        + self._cue_cost(self._at[tap], position)
                    )
                    if position not in best or cost < best[position].cost:
                        best[position] = _State(cost, tap, position, state)
        self._states.append(sorted(best.values(), key=lambda state: state.cost)[:BEAM])

    def _best(self, reps: int | None = None) -> _State:
        """The cheapest reading of every tap so far: the last ones may be dropped as strays,
        and a set known to have `reps` reps should end with the last of them."""
        last = len(self._taps) - 1
        end = None if reps is None else reps * len(self.phases)

        def ending(state: _State) -> float:
            return 0.0 if end in (None, state.position) else END_COST

        return min(
            (
                state
                for tap in range(max(0, last - MAX_DROPPED), last + 1)
                for state in self._states[tap]
            ),
            key=lambda state: (
                state.cost
                + ending(state)
                + sum(self._drop_cost(skipped) for skipped in range(state.tap + 1, last + 1))
            ),
        )

    def _read(self, state: _State) -> list[PhaseTiming]:
        chain = []
        node: _State | None = state
        while node is not None:
            chain.append(node)
            node = node.previous
        chain.reverse()
        return [
            _timing(
                self.phases,
                before.position,
                after.position - before.position,
                self._taps[before.tap],
                self._taps[after.tap],
            )
            for before, after in pairwise(chain)
        ]

    def tap(self, at: float, cues: Sequence[float] = ()) -> TapOutcome:
        """Record a tap at clock time `at` (seconds, monotonic).

        `cues`, when the metronome is running, are the clock times at which each phase of the
        set is cued (rep 1's first phase first, and the set's end last): evidence of which
        boundary a tap marks. They may move between taps (a pause moves them), so the latest
        are used for this tap.
        """
        if self._origin is None:
            self._origin = at
            self._taps, self._at, self._cues = [0], [at], list(cues)
            self._states = [[_State(self._cue_cost(at, 0), 0, 0, None)]]
            return TapOutcome(measured=None, started_rep=1)
        if at < self._at[-1]:
            raise ValueError("taps must come in time order")
        ms = _ms_since(self._origin, at)
        if ms - self._taps[-1] <= self.debounce_ms:
            return TapOutcome(measured=None, started_rep=None)
        if cues:
            self._cues = list(cues)
        self._taps.append(ms)
        self._at.append(at)
        self._extend()
        before = self._path
        best = self._best()
        self._path, self._last = self._read(best), best
        latest = self._path[-1] if self._path and self._path[-1].end_ms == ms else None
        settled = self._path[:-1] if latest is not None else self._path
        revised = tuple(timing for timing in settled if timing not in before)
        started = None
        if latest is not None:
            ends_rep = (latest.index + len(latest.spans)) // len(self.phases)
            started = latest.rep + ends_rep if ends_rep else None
        return TapOutcome(latest, started, revised)

    @property
    def running(self) -> Running | None:
        """The phase the next tap will end; None before the set's first tap."""
        if self._origin is None:
            return None
        tap, position = (0, 0) if self._last is None else (self._last.tap, self._last.position)
        count = len(self.phases)
        return Running(position // count + 1, self.phases[position % count], self._at[tap])

    def live_line(self, outcome: TapOutcome) -> str:
        """The tap line: what the tap measured, and the set's adherence so far."""
        score = self.progress().adherence()
        if score.share is None:
            return outcome.describe()
        return f"{outcome.describe()} · adherence {score.adherent}/{score.judged}"

    def progress(self) -> SetTiming:
        """The set so far: every span measured, in reps (a rep with none is left out)."""
        return SetTiming(self.phases, _in_reps(self._path), self.tolerance)

    def end_set(self, at: float | None = None, *, reps: int | None = None) -> SetTiming:
        """Close the set and get ready for the next one (its first tap starts rep 1 again).

        Give `at` only when the action that ends the set is itself the last boundary tap: it is
        then recorded like `tap`. Without it the phase under way is dropped, since no tap ended
        it, and an unfinished rep is kept only as far as it was measured. `reps`, when the set's
        length is known (a workout's set, or the cues given with the taps), anchors the end
        of the reading.
        """
        if at is not None and self._origin is not None:
            self.tap(at)
        if reps is None and self._cues:
            reps = (len(self._cues) - 1) // len(self.phases)
        if reps is not None and len(self._taps) > 1:
            self._path = self._read(self._best(reps))
        finished = self.progress()
        self._reset()
        return finished
