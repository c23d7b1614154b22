"""What is heard when: the cues of a stretch of the timeline, as sound names at offsets.

Pure planning, shared by every player: the audio adapter only mixes the named sounds at
the given times. Sound names are file stems under ``sounds/`` ("click", "phase_eccentric",
"voice/hinge"); a voice word with no recording is simply not heard.

Cues come in two layers, chosen by the audio mode: the *click* layer (a sound per phase
kind on the first count, a click on the others, chimes and pips) and the *voice* layer
(the phase's name, then the counts, "rest", "switch sides"...).

Words with no recording (a phase the lifter named, a setup cue, a phase's cue sentence)
are heard as synthesized speech, ``"speech/<hash>"``, once the audio adapter has prepared
it (see `speech_texts`). Speech obeys one priority rule, so it never talks over the count:
counts, phase names and every other planned sound come first; a phase name is spoken only
if it ends before the next count (else its kind's word is said), and a cue sentence only
if it fits whole in the silence before the next sound; otherwise it is dropped, never cut.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from tempo_coach.core.models import AudioMode
from tempo_coach.core.timeline import Segment, Timeline

AUDIO_MODES: tuple[AudioMode, ...] = ("both", "clicks", "voice", "silent")

NUMBER_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
KIND_WORDS = {
    "eccentric": "lower",
    "concentric": "lift",
    "hold": "hold",
    "squeeze": "squeeze",
    "other": "go",
}
"""What is said at the start of a phase whose own name has no recording."""
REST_VOICE_DELAY_MS = 800
""""Rest" is said after the set-complete chime, not over it."""
SPEECH_GAP_MS = 80
"""Silence kept between synthesized speech and the sounds either side, so words stay apart."""

Spoken = Mapping[str, int]
"""The sounds a player has (clicks, recorded ``voice/`` words, prepared ``speech/``
texts), each with its length in milliseconds: what speech is fitted between."""

Layer = Literal["click", "voice"]
_LAYERS: dict[AudioMode, frozenset[Layer]] = {
    "both": frozenset({"click", "voice"}),
    "clicks": frozenset({"click"}),
    "voice": frozenset({"voice"}),
    "silent": frozenset(),
}


@dataclass(frozen=True, order=True)
class Cue:
    """One sound, heard `at_ms` into the timeline."""

    at_ms: int
    sound: str


FailureHandler = Callable[[str], None]
"""Called once with a one-line notice when the sound device fails mid-session."""


class CuePlayer(Protocol):
    """The port the engine plays sound through; adapters live in ``tempo_coach.audio``."""

    def play(self, cues: Sequence[Cue], origin: float) -> None:
        """Replace whatever is scheduled with `cues`, each heard at ``origin + at_ms/1000``
        on the engine's clock. Cues already in the past are dropped."""
        ...

    def stop(self) -> None:
        """Silence everything now, scheduled or playing."""
        ...


def voice(word: str) -> str:
    """The sound name of a spoken word or phrase: ``"Last rep"`` → ``"voice/last_rep"``."""
    return "voice/" + word.strip().lower().replace(" ", "_")


def speech(text: str) -> str:
    """The sound name of synthesized speech for `text`: ``"speech/"`` and a hash of the
    text as said (case and spacing do not change how it sounds)."""
    said = " ".join(text.split()).lower()
    return "speech/" + hashlib.sha256(said.encode()).hexdigest()[:16]


def speech_texts(timeline: Timeline, recorded: Container[str], *, speak_cues: bool) -> list[str]:
    """What to synthesize before a session, once each, in order of first use: every phase
    name with no recording in `recorded`, every setup cue and, with `speak_cues`, every
    phase's cue sentence."""
    texts: dict[str, None] = {}
    for segment in timeline.segments:
        if segment.kind == "phase" and voice(segment.label) not in recorded:
            texts[segment.label] = None
        if segment.cue.strip() and (
            segment.kind == "setup" or (speak_cues and segment.kind == "phase")
        ):
            texts[segment.cue] = None
    return list(texts)


def number_word(count: int) -> str | None:
    return NUMBER_WORDS[count - 1] if 1 <= count <= len(NUMBER_WORDS) else None


def _segment_cues(
    timeline: Timeline, index: int, spoken: Spoken | None
) -> Iterator[tuple[Layer, int, str]]:
    segment = timeline.segments[index]
    start = segment.start_ms
    if segment.kind == "setup":
        yield "click", start, "click_accent"
        yield "voice", start, voice("setup")
    elif segment.kind == "side_switch":
        yield "click", start, "click_accent"
        yield "voice", start, voice("switch sides")
    elif segment.kind == "count_in":
        for beat in range(segment.beats):
            at = start + beat * segment.beat_ms
            yield "click", at, "click_accent" if beat == 0 else "click"
            word = number_word(segment.beats - beat)
            if word:
                yield "voice", at, voice(word)
    elif segment.kind == "phase":
        yield from _phase_cues(timeline, index, segment, spoken)
    elif segment.kind == "rest":
        yield "voice", start + REST_VOICE_DELAY_MS, voice("rest")
        yield from _countdown_cues(segment)
    if timeline.ends_set(index):
        last = index == timeline.last_work_index
        yield "click", segment.end_ms, "session_complete" if last else "set_complete"
        if last:
            yield "voice", segment.end_ms + REST_VOICE_DELAY_MS, voice("workout complete")


def _phase_cues(
    timeline: Timeline, index: int, segment: Segment, spoken: Spoken | None
) -> Iterator[tuple[Layer, int, str]]:
    place = segment.place
    first_of_rep = (
        index == 0
        or timeline.segments[index - 1].place.rep != place.rep
        or (timeline.segments[index - 1].kind != "phase")
    )
    last_rep = place.rep == place.rep_count and place.rep_count > 1 and first_of_rep
    for beat in range(segment.beats):
        at = segment.start_ms + beat * segment.beat_ms
        if beat == 0:
            yield (
                "click",
                at,
                f"phase_{segment.phase_kind}"
                if segment.phase_kind in ("eccentric", "concentric", "hold", "squeeze")
                else "click_accent",
            )
            name = voice("last rep" if last_rep else segment.label)
            if spoken is not None and name not in spoken:
                said = speech(segment.label)
                room = min(segment.beat_ms, segment.duration_ms) - SPEECH_GAP_MS
                if said in spoken and spoken[said] <= room:
                    name = said
                elif segment.phase_kind is not None:
                    name = voice(KIND_WORDS[segment.phase_kind])
            yield "voice", at, name
        else:
            yield "click", at, "click"
            word = number_word(beat + 1)
            if word:
                yield "voice", at, voice(word)


def _sentences(timeline: Timeline, index: int, speak_cues: bool) -> Iterator[tuple[int, str]]:
    """The cue sentences a segment would like said, with the sound they follow: a setup's
    cue after "setup", and (with `speak_cues`) a phase's after its first count."""
    segment = timeline.segments[index]
    if not segment.cue.strip():
        return
    if segment.kind == "setup" or (speak_cues and segment.kind == "phase"):
        yield segment.start_ms, speech(segment.cue)


def _fit_sentences(
    planned: list[tuple[int, str, int]],
    wanted: list[tuple[int, str, int]],
    spoken: Spoken,
) -> list[tuple[int, str, int]]:
    """The wanted sentences that fit whole between the planned sounds, each placed just
    after the sounds that start with it; the others are dropped (the priority rule)."""
    if not wanted:
        return []
    planned = sorted(planned)
    starts = [at for at, _, _ in planned]
    ends = list(itertools.accumulate((at + spoken.get(sound, 0) for at, sound, _ in planned), max))
    fitted: list[tuple[int, str, int]] = []
    free_from = 0
    for after, sound, index in sorted(wanted):
        length = spoken.get(sound)
        if length is None:
            continue
        started = bisect.bisect_right(starts, after)
        at = max(free_from, after, ends[started - 1] if started else 0) + SPEECH_GAP_MS
        following = bisect.bisect_right(starts, at)
        clear = (following == 0 or ends[following - 1] + SPEECH_GAP_MS <= at) and (
            following == len(starts) or at + length + SPEECH_GAP_MS <= starts[following]
        )
        if clear:
            fitted.append((at, sound, index))
            free_from = at + length
    return fitted


def _countdown_cues(segment: Segment) -> Iterator[tuple[Layer, int, str]]:
    for at, seconds_left in segment.countdown():
        yield "click", at, "rest_pip"
        word = number_word(seconds_left)
        if word:
            yield "voice", at, voice(word)


class CuePlan:
    """Every cue of a timeline in one audio mode, planned and sorted once, so that each
    skip, restart or resume only picks its stretch out (two binary searches and one pass
    over what is left) instead of planning the rest of the session again.

    `spoken` and `speak_cues` are as for `plan_cues`.
    """

    def __init__(
        self,
        timeline: Timeline,
        mode: AudioMode,
        spoken: Spoken | None = None,
        *,
        speak_cues: bool = False,
    ) -> None:
        layers = _LAYERS[mode]
        self._timeline = timeline
        planned = [
            (at, sound, index)
            for index in range(len(timeline.segments))
            for layer, at, sound in _segment_cues(timeline, index, spoken)
            if layer in layers
        ]
        if spoken is not None and "voice" in layers:
            wanted = [
                (after, sound, index)
                for index in range(len(timeline.segments))
                for after, sound in _sentences(timeline, index, speak_cues)
            ]
            # What follows a manual setup plays on a new time base: only its own cues count.
            manual = [w for w in wanted if timeline.segments[w[2]].waits_for_ready]
            fitted = _fit_sentences(planned, [w for w in wanted if w not in manual], spoken)
            for sentence in manual:
                own = [cue for cue in planned if cue[2] == sentence[2]]
                fitted += _fit_sentences(own, [sentence], spoken)
            planned += fitted
        planned.sort()
        self._times = [at for at, _, _ in planned]
        self._cues = [(Cue(at, sound), index) for at, sound, index in planned]
        self._last_ms = {index: at for at, _, index in planned}
        """The last cue of each segment (planned is sorted, so the latest wins)."""
        stops: list[int] = [len(timeline.segments) - 1] * len(timeline.segments)
        stop = len(timeline.segments) - 1
        for index in range(len(timeline.segments) - 1, -1, -1):
            if timeline.segments[index].waits_for_ready:
                stop = index
            stops[index] = stop
        self._stops = stops
        """For each segment, the first one from it on that waits for the lifter."""

    def cues(self, *, from_index: int, from_ms: int) -> list[Cue]:
        """What `plan_cues` returns for the same arguments."""
        if not self._stops:
            return []
        stop = self._stops[from_index]
        # A segment's cues fall between its start and its end plus the delayed "rest"; a
        # manual setup's cue sentence may run on past its (zero) end.
        last_ms = self._timeline.segments[stop].end_ms + REST_VOICE_DELAY_MS
        if self._timeline.segments[stop].waits_for_ready:
            last_ms = max(last_ms, self._last_ms.get(stop, last_ms))
        low = bisect.bisect_left(self._times, from_ms)
        high = bisect.bisect_right(self._times, last_ms, lo=low)
        return [cue for cue, index in self._cues[low:high] if from_index <= index <= stop]


def plan_cues(
    timeline: Timeline,
    *,
    from_index: int,
    from_ms: int,
    mode: AudioMode,
    spoken: Spoken | None = None,
    speak_cues: bool = False,
) -> list[Cue]:
    """The cues from segment `from_index` on, at or after `from_ms`, in time order.

    `spoken` names the voice sounds there are, with their lengths; a phase whose name has
    no recording is said as prepared speech if it fits before the next count, else by its
    kind ("lower", "hold"...). The setup cue, and with `speak_cues` each phase's cue
    sentence, is said when prepared and when it fits (see the module's priority rule).
    None takes every name as recorded and says no speech.

    Stops at the first setup that waits for the lifter (its own cue included): what follows
    it is played once they say ready, on a new time base. To ask many times, use `CuePlan`.
    """
    plan = CuePlan(timeline, mode, spoken, speak_cues=speak_cues)
    return plan.cues(from_index=from_index, from_ms=from_ms)
