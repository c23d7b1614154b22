"""Tap-to-time: the lifter taps at each phase boundary and learns how long each phase really took.

The lifter taps a key (space, or whatever a USB foot pedal sends) at every phase boundary. The
first tap of a set starts the first phase of rep 1; every further tap ends the phase under way
and starts the next one, and the tap that ends a rep's last phase starts the next rep, so a
continuous set needs exactly one tap per boundary. Taps are float seconds on the monotonic clock
(`tempo_coach.core.clock`) and become whole milliseconds since the set's first tap, so the
measured phases of a set add up exactly to the time between its first and last taps.

Rules, chosen so that a measurement is only ever what the taps say:

* **On tempo** means within ``max(10 % of the target, 250 ms)`` of it, bounds included. Ten per
  cent is what a lifter can hold by counting; the 250 ms floor is roughly how precisely a tap
  lands, so a 1 s pause is not called "slower" over a late thumb.
* **Double taps**: a tap within `debounce_ms` (150 ms, bound included) of the previous *accepted*
  tap is ignored, so a bouncing pedal or a nervous double press counts once.
* **Missed taps**: a measured interval swallows the next phase (the boundary between them is
  judged missed) when it is at least the targets so far plus 0.6 × the next phase's target
  (which also makes it closer to that sum than to the targets so far) *and* it reads "slower"
  against the targets so far, so that a short next phase (an explosive lift) never turns an
  on-tempo phase into a missed tap. The rule repeats for further phases, up to one rep's worth
  of phases in a single interval (a long stop mid-set reads as one rep of missed taps, not
  many), and may cross into the next rep. The interval is
  recorded as *one* measurement spanning those phases and the boundaries are flagged on the rep
  where it starts; it is never split, and no tap is invented. The cost of judging from one
  interval: for a 4-1-X-2 tempo a genuine lowering of 4.6 s or more reads as a missed tap.
* **Stopwatch** phases have no targets, so nothing can be judged missed: an interval is whatever
  phase the taps say it is, and a missed tap shifts the following phases by one, unflagged.
* **Eccentric statistics** take a rep's lowering only when each of its eccentric phases was
  tapped as a phase of its own. A rep whose lowering lies inside a merged interval is flagged and
  left out; a lowering that was never tapped (a set ended early) is just left out.
* **Spread** is the population standard deviation: it describes the reps of this set rather
  than estimating a wider population, and it is 0 rather than undefined for a single rep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean, pstdev
from typing import Literal

from tempo_coach.core.describe import format_duration
from tempo_coach.core.models import Exercise, ExerciseSettings, PhaseKind
from tempo_coach.core.timeline import rep_phases

Verdict = Literal["slower", "faster", "on tempo"]
TOLERANCE_FRACTION = 0.10
"""On tempo within this fraction of the target..."""
TOLERANCE_FLOOR_MS = 250
"""...or within this many milliseconds, whichever is wider."""
MISSED_FRACTION = 0.6
"""How much of the next phase an interval must also cover before its boundary is judged missed."""
DEBOUNCE_MS = 150


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


def free_phases(names: tuple[str, str, str] = ("Lower", "Pause", "Lift")) -> list[PhaseTarget]:
    """A stopwatch rep with no workout: lowering, pause and lifting, nothing to compare with."""
    kinds: tuple[PhaseKind, PhaseKind, PhaseKind] = ("eccentric", "hold", "concentric")
    return [PhaseTarget(name, kind, None) for name, kind in zip(names, kinds, strict=True)]


@dataclass(frozen=True)
class PhaseTiming:
    """One measured interval: a phase, or several phases when taps were missed between them."""

    rep: int
    index: int
    """Position in the rep (from 0) of the first phase the interval covers."""
    name: str
    """The first phase covered; `spans` names them all."""
    kind: PhaseKind
    """The kind of the first phase covered."""
    measured_ms: int
    target_ms: int | None
    """The summed targets of the phases covered; None for a stopwatch."""
    spans: tuple[str, ...]
    """Every phase the interval covers, in order: more than one means a missed tap."""

    @property
    def merged(self) -> bool:
        """Whether a tap was missed inside this interval, so it cannot be judged per phase."""
        return len(self.spans) > 1

    @property
    def verdict(self) -> Verdict | None:
        """Slower, faster or on tempo; None for a stopwatch phase or a merged interval."""
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
    """The interval this tap ended, if it ended one."""
    started_rep: int | None
    """The rep this tap began: the set's first tap, and every tap that ends a rep."""

    @property
    def ignored(self) -> bool:
        """A double tap: every accepted tap ends an interval or starts a rep."""
        return self.measured is None and self.started_rep is None

    def describe(self) -> str:
        if self.measured is not None:
            return self.measured.describe()
        if self.started_rep is not None:
            return f"Rep {self.started_rep} started"
        return "Double tap ignored"


@dataclass(frozen=True)
class RepTiming:
    """The intervals measured in one rep, in order (an unfinished rep only as far as tapped)."""

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
class SetTiming:
    """A closed (or in-progress) set of taps, and what it says about the lowering."""

    phases: tuple[PhaseTarget, ...]
    """One rep's phases, which every rep's intervals were matched to."""
    reps: list[RepTiming]

    def durations(self) -> list[list[int]]:
        """Per rep, the measured milliseconds of each interval in order: what is stored."""
        return [[timing.measured_ms for timing in rep.phases] for rep in self.reps]

    def _eccentric_covers(self) -> list[list[PhaseTiming | None]]:
        """Per rep, the interval covering each of its eccentric phases (None where none was
        tapped); a merged interval may have started in the rep before."""
        count = len(self.phases)
        cover = {
            (timing.rep - 1) * count + timing.index + offset: timing
            for rep in self.reps
            for timing in rep.phases
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
        1 missed tap"``."""
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
        return " · ".join(parts)


@dataclass(frozen=True)
class Running:
    """The phase being timed, for a live "Hinge… 2.1 s" display."""

    rep: int
    phase: PhaseTarget
    since: float
    """The clock time of the tap that started it."""


class TapTimer:
    """Turns the taps of a set into measured phases, one `tap` per boundary."""

    def __init__(self, phases: Sequence[PhaseTarget], *, debounce_ms: int = DEBOUNCE_MS) -> None:
        if not phases:
            raise ValueError("a rep needs at least one phase to time")
        if any(phase.target_ms is not None and phase.target_ms <= 0 for phase in phases):
            raise ValueError("a phase target must be a positive number of milliseconds")
        self.phases = tuple(phases)
        self.debounce_ms = debounce_ms
        self._reset()

    def _reset(self) -> None:
        self._origin: float | None = None  # the set's first tap; None until it comes
        self._last_at = 0.0  # the last accepted tap
        # The running phase counted through the set: rep `position // n`, phase `position % n`.
        self._position = 0
        self._timings: list[PhaseTiming] = []

    def _phase(self, position: int) -> PhaseTarget:
        return self.phases[position % len(self.phases)]

    def _span(self, measured_ms: int) -> int:
        """How many phases, from the running one, the interval covers (see the module rules)."""
        span, total = 1, self._phase(self._position).target_ms
        while span < len(self.phases) and total is not None:
            following = self._phase(self._position + span).target_ms
            if (
                following is None
                or measured_ms < total + MISSED_FRACTION * following
                or judge(measured_ms, total) != "slower"
            ):
                break
            span, total = span + 1, total + following
        return span

    def tap(self, at: float) -> TapOutcome:
        """Record a tap at clock time `at` (seconds, monotonic)."""
        if self._origin is None:
            self._origin = self._last_at = at
            return TapOutcome(measured=None, started_rep=1)
        if at < self._last_at:
            raise ValueError("taps must come in time order")
        measured_ms = _ms_since(self._origin, at) - _ms_since(self._origin, self._last_at)
        if measured_ms <= self.debounce_ms:
            return TapOutcome(measured=None, started_rep=None)
        count = len(self.phases)
        span = self._span(measured_ms)
        covered = [self._phase(self._position + offset) for offset in range(span)]
        targets = [phase.target_ms for phase in covered]
        first = covered[0]
        timing = PhaseTiming(
            rep=self._position // count + 1,
            index=self._position % count,
            name=first.name,
            kind=first.kind,
            measured_ms=measured_ms,
            target_ms=None if None in targets else sum(t for t in targets if t is not None),
            spans=tuple(phase.name for phase in covered),
        )
        self._timings.append(timing)
        rep_before = self._position // count
        self._position += span
        self._last_at = at
        rep_now = self._position // count
        return TapOutcome(timing, rep_now + 1 if rep_now > rep_before else None)

    @property
    def running(self) -> Running | None:
        """The phase the next tap will end; None before the set's first tap."""
        if self._origin is None:
            return None
        rep = self._position // len(self.phases) + 1
        return Running(rep, self._phase(self._position), self._last_at)

    def progress(self) -> SetTiming:
        """The set so far: every interval measured, in reps (a rep with none is left out)."""
        numbers = sorted({timing.rep for timing in self._timings})
        reps = [
            RepTiming(number, [timing for timing in self._timings if timing.rep == number])
            for number in numbers
        ]
        return SetTiming(self.phases, reps)

    def end_set(self, at: float | None = None) -> SetTiming:
        """Close the set and get ready for the next one (its first tap starts rep 1 again).

        Give `at` only when the action that ends the set is itself the last boundary tap: it is
        then recorded like `tap`. Without it the phase under way is dropped, since no tap ended
        it, and an unfinished rep is kept only as far as it was measured.
        """
        if at is not None and self._origin is not None:
            self.tap(at)
        finished = self.progress()
        self._reset()
        return finished
