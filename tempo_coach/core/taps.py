"""Tap-to-time: the lifter taps at each phase boundary and learns how long each phase really took.

The lifter taps a key (space, or whatever a USB foot pedal sends) at every phase boundary. The
first tap of a set starts the first phase of rep 1; every further tap normally ends the phase
under way and starts the next one, and the tap that ends a rep's last phase starts the next rep.
Taps are float seconds on the monotonic clock (`tempo_coach.core.clock`) and become whole
milliseconds since the set's first tap, so the measured phases of a set tile exactly the time
between its first and last accepted taps (less a restarted rep's attempt): a measurement is
only ever what the taps say.

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
* **Cue times**, when the metronome is running, are evidence of which boundary a tap marks,
  for a lifter who uses them. Three readings (`LANES`) are kept side by side: of a lifter who
  ignores the metronome, of one who starts each rep on its cue but keeps their own tempo inside
  it, and of one who keeps to the clicks, each tap near its own cue (after the lifter's lag,
  which the reading learns from the taps). A lane that uses the cues costs a tap the log of how
  much likelier it is where it is than for a lifter who ignores them (bounded both ways, so a
  lifter who drifts is still followed), and pays a cost up front so that chance taps near cues
  never outweigh the tempo: the likeliest lane wins.
* **The set's end**, when its length is known (`end_set(reps=…)`, or the cues), anchors the
  reading: a shift by a phase or two would end the set in the wrong place. With the cues the
  engine ends the set at its cued end, before a lifter behind the metronome has tapped its
  last boundary: that tap, and any within `LATE_S`, still belong to the set, which is read
  again with them (`TapOutcome.closed`, to be stored in place of the first reading).
* **Restarting a rep** (`restart_rep`) drops the attempt's taps; the next tap starts the rep
  again, so the spans of a restarted set leave the attempt out rather than tile it.

The path is re-solved after every tap (the forward pass is kept, so each tap costs only one
step, and the best path is traced back), so the live line always shows the best current reading
and corrects itself (`TapOutcome.revised`) when a later tap makes an earlier one clear. A
shifted reading costs more with every tap it stays shifted, so one misjudgement rarely shifts
the rest of the set; with the cues each rep's cued start (and, for a lifter on the clicks,
every cue) re-anchors it. `benchmarks/taps.py` measures how often errors stay within a rep.

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
from dataclasses import dataclass, field, replace
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
"""Spread of a rep's first tap around its cue, in seconds, for a lifter who keeps their own
tempo inside the rep."""
FOLLOW_SIGMA_S = 0.25
"""Spread of every tap around its cue, in seconds, for a lifter who keeps to the clicks."""
CUE_TRUST = 0.9
"""The share of taps near their cue for a lifter who uses the cues at all; the rest are
anywhere within `CUE_RANGE_S`."""
CUE_RANGE_S = 4.0
"""How widely a tap lands when it is not near its cue, in seconds."""
Lane = Literal["own", "reps", "clicks"]
"""What a reading takes the lifter to do with the metronome: ignore it and keep their own
tempo, start each rep on its cue, or keep to the clicks at every boundary."""
LANES: dict[Lane, float] = {"own": 0.0, "reps": 3.0, "clicks": 10.0}
"""Each lane, with what reading a set that way costs up front: chance taps near cues must not
outweigh the tempo, so a lane that uses the cues has to earn it over several taps (more
for one that uses every cue)."""
LAG_S = 0.2
"""A lifter's lag behind the metronome before the taps say otherwise, in seconds."""
LAG_RANGE_S = (-0.3, 0.8)
"""The lag a reading may settle on: a little ahead of the cues up to well behind them."""
LAG_RATE = 0.3
"""How much of each tap's offset from its cue moves the lag estimate."""
DOUBLE_COST = 1.5
"""Cost of dropping a tap that came within `DOUBLE_MS` of the one before: a double tap."""
DOUBLE_MS = 250
MAX_DROPPED = 2
"""Most stray taps read as dropped in a row between two boundary taps."""
END_COST = 3.0
"""Cost of a closed set's reading ending anywhere but its known last boundary: a set tapped to
its end anchors the whole reading; one that stopped early pays it whatever the reading, so it
is not stretched (no missed tap is made up) to reach the end."""
LATE_S = 3.0
"""How long after a set's cued end (and the lifter's lag) a tap still belongs to the set: a
lifter behind the metronome taps its last boundary after the engine has moved on."""
LATE_EARLY_S = 0.1
"""A late tap comes after the set's cued end, give or take the clock's rounding."""
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
        and (segment.place.set_key, segment.place.side) == (place.set_key, place.side)
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
    closed: SetTiming | None = None
    """A late tap's set, read again with it: what is stored in place of what `end_set` gave."""

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
    lag: float = LAG_S
    """How far behind its cues this reading has the lifter, in seconds."""
    lane: Lane = "own"
    """What the reading takes the lifter to do with the metronome's cues."""
    restart: bool = False
    """This tap began its rep again after a restart: no span ends at it."""


@dataclass
class _Taps:
    """The taps of one set and the readings of them."""

    origin: float
    """The clock time of the set's first tap."""
    taps: list[int]
    """Ms since the origin of every tap past the debounce."""
    at: list[float]
    """The same taps on the clock."""
    states: list[list[_State]]
    """Per tap, the readings ending with it."""
    cues: list[float]
    path: list[PhaseTiming] = field(default_factory=list)
    last: _State | None = None
    """The newest tap read as a boundary."""
    floor: int = 0
    """The first tap a span may start from: a restarted rep's first tap, or the set's."""
    restart: list[_State] | None = None
    """After a restart, the readings that the rep's next first tap continues."""
    reps: int | None = None
    """The set's length, when known."""


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
        self._set: _Taps | None = None
        self._closed: _Taps | None = None
        """The set last closed with the cues: taps soon after its cued end still belong to it."""

    def _target(self, position: int) -> int | None:
        return self.phases[position % len(self.phases)].target_ms

    def _span_cost(self, measured_ms: int, start: int, end: int) -> float:
        """Cost of reading `measured_ms` as phases `start` to `end` (set positions): its
        deviation from their summed targets, and a missed tap for each boundary inside."""
        missed = MISSED_COST * (end - start - 1)
        targets = [self._target(position) for position in range(start, end)]
        if None in targets:
            return missed
        target = sum(t for t in targets if t is not None)
        ratio = math.log((measured_ms + JITTER_MS) / (target + JITTER_MS))
        return missed + (ratio / SIGMA) ** 2 / 2

    def _drop_cost(self, taps: Sequence[int], tap: int) -> float:
        """Cost of reading tap `tap` of `taps` as stray: little for the second of a double."""
        if taps[tap] - taps[tap - 1] <= DOUBLE_MS:
            return DOUBLE_COST
        return EXTRA_COST

    def _cue_cost(
        self, cues: Sequence[float], at: float, position: int, state: _State
    ) -> tuple[float, float]:
        """The cue's evidence for reading a tap at clock time `at` as boundary `position`,
        after `state`: minus the log of how much likelier the tap is there for a lifter of the
        state's lane (keeping to the clicks: every boundary near its cue; keeping their own
        tempo: only rep starts) than for one who ignores the cues. Negative near the cue,
        positive far from it, and bounded both ways, so a lifter who drifts is still followed.
        Also the lag behind the cues the reading has after this tap."""
        lag = state.lag
        rep_start = position % len(self.phases) == 0
        if not cues or state.lane == "own" or (state.lane == "reps" and not rep_start):
            return 0.0, lag
        if position >= len(cues):
            return -math.log(1 - CUE_TRUST), lag
        sigma = FOLLOW_SIGMA_S if state.lane == "clicks" else CUE_SIGMA_S
        offset = at - cues[position]
        near = math.exp(-(((offset - lag) / sigma) ** 2) / 2) / (sigma * math.sqrt(2 * math.pi))
        cost = -math.log(CUE_TRUST * CUE_RANGE_S * near + 1 - CUE_TRUST)
        if abs(offset - lag) > 2 * sigma:  # not near: the lag follows only taps on their cue
            return cost, lag
        moved = lag + LAG_RATE * (offset - lag)
        return cost, min(max(moved, LAG_RANGE_S[0]), LAG_RANGE_S[1])

    def _extend(self, taps: _Taps) -> None:
        """The readings that end with the newest tap as a boundary (one forward DP step)."""
        tap = len(taps.taps) - 1
        at = taps.at[tap]
        if taps.restart is not None:
            # The restarted rep's first tap ends nothing: it starts the rep again, or (a lifter
            # who did not tap as the rep began again) it ends the rep's first phase, untimed.
            taps.states.append(
                [
                    replace(
                        state,
                        cost=state.cost + cue + MISSED_COST * skipped,
                        tap=tap,
                        position=state.position + skipped,
                        previous=state,
                        lag=lag,
                        restart=True,
                    )
                    for state in taps.restart
                    for skipped in (0, 1)
                    for cue, lag in [self._cue_cost(taps.cues, at, state.position + skipped, state)]
                ]
            )
            taps.floor, taps.restart = tap, None
            return
        best: dict[tuple[int, Lane], _State] = {}
        for earlier in range(max(taps.floor, tap - 1 - MAX_DROPPED), tap):
            measured = taps.taps[tap] - taps.taps[earlier]
            dropped = sum(
                self._drop_cost(taps.taps, skipped) for skipped in range(earlier + 1, tap)
            )
            for state in taps.states[earlier]:
                for covers in range(1, len(self.phases) + 1):
                    position = state.position + covers
                    cue, lag = self._cue_cost(taps.cues, at, position, state)
                    cost = (
                        state.cost
                        + dropped
                        + self._span_cost(measured, state.position, position)
                        + cue
                    )
                    key = (position, state.lane)
                    if key not in best or cost < best[key].cost:
                        best[key] = _State(cost, tap, position, state, lag, state.lane)
        taps.states.append(sorted(best.values(), key=lambda state: state.cost)[:BEAM])

    def _best(self, taps: _Taps, reps: int | None = None, *, pending: bool = False) -> _State:
        """The cheapest reading of every tap so far: the last ones may be dropped as strays,
        and a set known to have `reps` reps should end with the last of them (or, `pending`,
        one short of it: its last tap may still come, late)."""
        last = len(taps.taps) - 1
        end = None if reps is None else reps * len(self.phases)
        ends = (end, end - 1) if pending and end is not None else (end,)

        def ending(state: _State) -> float:
            return 0.0 if end is None or state.position in ends else END_COST

        return min(
            (
                state
                for tap in range(max(taps.floor, last - MAX_DROPPED), last + 1)
                for state in taps.states[tap]
            ),
            key=lambda state: (
                state.cost
                + ending(state)
                + sum(
                    self._drop_cost(taps.taps, skipped)
                    for skipped in range(state.tap + 1, last + 1)
                )
            ),
        )

    def _read(self, taps: _Taps, state: _State) -> list[PhaseTiming]:
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
                taps.taps[before.tap],
                taps.taps[after.tap],
            )
            for before, after in pairwise(chain)
            if not after.restart
        ]

    def _start(self, at: float, cues: Sequence[float]) -> _Taps:
        states = []
        lanes: list[tuple[Lane, float]] = list(LANES.items()) if cues else [("own", 0.0)]
        for lane, prior in lanes:
            cue, lag = self._cue_cost(cues, at, 0, _State(0.0, 0, 0, None, LAG_S, lane))
            states.append(_State(cue + prior, 0, 0, None, lag, lane))
        return _Taps(at, [0], [at], [states], list(cues))

    def tap(self, at: float, cues: Sequence[float] = ()) -> TapOutcome:
        """Record a tap at clock time `at` (seconds, monotonic).

        `cues`, when the metronome is running, are the clock times at which each phase of the
        set is cued (rep 1's first phase first, and the set's end last): evidence of which
        boundary a tap marks. They may move between taps (a pause moves them), so the latest
        are used for this tap.

        A tap that comes just after a set closed with the metronome's cues (within `LATE_S`
        of that set's cued end, allowing for the lifter's lag) belongs to that set: a lifter
        behind the metronome taps its last boundaries after the engine has moved on. The set
        is read again with it and given as `TapOutcome.closed`; the first tap after that
        window starts the next set.
        """
        if self._set is None and self._closed is not None and self._is_late(self._closed, at, cues):
            return self._late(self._closed, at)
        if self._set is None:
            self._closed = None
            self._set = self._start(at, cues)
            return TapOutcome(measured=None, started_rep=1)
        taps = self._set
        if at < taps.at[-1]:
            raise ValueError("taps must come in time order")
        ms = _ms_since(taps.origin, at)
        if ms - taps.taps[-1] <= self.debounce_ms:
            return TapOutcome(measured=None, started_rep=None)
        if cues:
            taps.cues = list(cues)
        return self._add(taps, at, ms)

    def _add(self, taps: _Taps, at: float, ms: int) -> TapOutcome:
        restarted = taps.restart is not None
        taps.taps.append(ms)
        taps.at.append(at)
        self._extend(taps)
        before = taps.path
        best = self._best(taps, taps.reps)
        taps.path, taps.last = self._read(taps, best), best
        latest = taps.path[-1] if taps.path and taps.path[-1].end_ms == ms else None
        settled = taps.path[:-1] if latest is not None else taps.path
        revised = tuple(timing for timing in settled if timing not in before)
        started = None
        if latest is not None:
            ends_rep = (latest.index + len(latest.spans)) // len(self.phases)
            started = latest.rep + ends_rep if ends_rep else None
        elif restarted and best.tap == len(taps.taps) - 1:
            started = best.position // len(self.phases) + 1
        return TapOutcome(latest, started, revised)

    def _is_late(self, closed: _Taps, at: float, cues: Sequence[float]) -> bool:
        """Whether a tap at `at` belongs to the set just closed, tapped late: soon after its
        cued end, and nearer to it than to the start of the set `cues` are for."""
        lateness = at - closed.cues[-1]
        lag = 0.0 if closed.last is None else max(closed.last.lag, 0.0)
        sooner = bool(cues) and cues[0] != closed.cues[0] and abs(cues[0] - at) < lateness
        # Before the cued end: the set was ended early, and this tap is the next set's.
        return -LATE_EARLY_S <= lateness <= lag + LATE_S and not sooner

    def _late(self, closed: _Taps, at: float) -> TapOutcome:
        ms = _ms_since(closed.origin, at)
        if ms - closed.taps[-1] <= self.debounce_ms:
            return TapOutcome(measured=None, started_rep=None)
        outcome = self._add(closed, at, ms)
        finished = SetTiming(self.phases, _in_reps(closed.path), self.tolerance)
        return replace(outcome, started_rep=None, closed=finished)

    def restart_rep(self, rep: int) -> None:
        """The engine started rep `rep` of the set again (the lifter pressed `r`): the taps
        of the attempt are dropped, and the next tap is read as the rep's new start.

        With the cues, a lifter who does not tap as the rep begins again is followed too: the
        first tap near the first phase's cue is read as its end (that phase is then untimed).
        A restart of rep 1 starts the set afresh. A restart before the rep's first tap was
        read (a lifter behind the metronome) changes nothing: the next tap starts it anyway.
        """
        taps = self._set
        if taps is None:
            return
        start = (rep - 1) * len(self.phases)
        if start == 0:
            self._set = None
            return
        node = taps.last
        while node is not None and node.position > start:
            node = node.previous
        if node is None or node.position != start:
            return
        kept = node.tap
        del taps.taps[kept + 1 :], taps.at[kept + 1 :], taps.states[kept + 1 :]
        taps.restart = [state for state in taps.states[kept] if state.position == start]
        taps.last = node
        taps.path = self._read(taps, node)

    @property
    def running(self) -> Running | None:
        """The phase the next tap will end; None before the set's first tap."""
        if self._set is None:
            return None
        taps = self._set
        tap, position = (0, 0) if taps.last is None else (taps.last.tap, taps.last.position)
        count = len(self.phases)
        return Running(position // count + 1, self.phases[position % count], taps.at[tap])

    def live_line(self, outcome: TapOutcome) -> str:
        """The tap line: what the tap measured, and the set's adherence so far; after a late
        tap, the closed set's summary read again with it."""
        if outcome.closed is not None:
            return f"{outcome.describe()} · {outcome.closed.summary_line()}"
        score = self.progress().adherence()
        if score.share is None:
            return outcome.describe()
        return f"{outcome.describe()} · adherence {score.adherent}/{score.judged}"

    def progress(self) -> SetTiming:
        """The set so far: every span measured, in reps (a rep with none is left out)."""
        path = [] if self._set is None else self._set.path
        return SetTiming(self.phases, _in_reps(path), self.tolerance)

    def end_set(self, at: float | None = None, *, reps: int | None = None) -> SetTiming:
        """Close the set and get ready for the next one (its first tap starts rep 1 again).

        Give `at` only when the action that ends the set is itself the last boundary tap: it is
        then recorded like `tap`. Without it the phase under way is dropped, since no tap ended
        it, and an unfinished rep is kept only as far as it was measured. `reps`, when the set's
        length is known (a workout's set, or the cues given with the taps), anchors the end
        of the reading.
        """
        if at is not None and self._set is not None:
            self.tap(at)
        taps, self._set = self._set, None
        if taps is None:
            return self.progress()
        if reps is None and taps.cues:
            reps = (len(taps.cues) - 1) // len(self.phases)
        taps.reps = reps
        if reps is not None and len(taps.taps) > 1:
            best = self._best(taps, reps, pending=bool(taps.cues))
            taps.path, taps.last = self._read(taps, best), best
        if taps.cues and reps is not None:
            self._closed = taps
        return SetTiming(self.phases, _in_reps(taps.path), self.tolerance)
