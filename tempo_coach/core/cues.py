"""What is heard when: the cues of a stretch of the timeline, as sound names at offsets.

Pure planning, shared by every player: the audio adapter only mixes the named sounds at
the given times. Sound names are file stems under ``sounds/`` ("click", "phase_eccentric",
"voice/hinge"); a voice word with no recording is simply not heard.

Cues come in two layers, chosen by the audio mode: the *click* layer (a sound per phase
kind on the first count, a click on the others, chimes and pips) and the *voice* layer
(the phase's name, then the counts, "rest", "switch sides"...).

Words with no recording (a phase the lifter named, a setup cue, a phase's cue sentence)
are heard as synthesized speech, ``"speech/<hash>"``, once the audio adapter has prepared
it (see `speech_texts`). What is said obeys one priority rule, so it never talks over the
count: counts, phase names and every other sound on a fixed time come first; a phase name
is spoken only if it ends before the next count (else its kind's word is said). Then, in
the silence left, the set's word after "setup" ("warm up", "work set", "last set") and the
side to come after "switch sides" ("right leg"), if they fit; then the cue sentences: a
sentence that does not fit whole is shortened at a clause end ("Hips back, weight in the
heels"), never mid-word and never to fewer than two words, or else dropped.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from tempo_coach.core.models import AudioMode, Workout
from tempo_coach.core.timeline import Segment, Side, Timeline

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
"""Silence kept between a fitted word or sentence and the sounds either side, so words
stay apart."""
WARM_UP, WORK_SET, LAST_SET = "warm up", "work set", "last set"
"""Said after "setup": which set comes (see `set_word`)."""
SIDE_WORDS: dict[Side, str] = {"left": "left leg", "right": "right leg"}
"""Said after "switch sides": the side that comes next."""
CUT_BEFORE = frozenset({"and", "then", "-", "\u2013", "\u2014"})
"""A sentence may be cut before these words (and after a word ending a clause)."""
CLAUSE_ENDS = (",", ";", ":", ".", "!", "?")
MIN_WORDS = 2
"""A shortened sentence keeps at least this many words, or it is dropped: one word of a
cue ("Hips") says nothing."""

Spoken = Mapping[str, int]
"""The sounds a player has (clicks, recorded ``voice/`` words, prepared ``speech/``
texts), each with its length in milliseconds: what speech is fitted between."""

PrepareSpeech = Callable[[Sequence[Timeline]], tuple[Spoken, str | None]]
"""Prepares the speech of more timelines into the player's sounds (a workout edited while
the app runs). Slow the first time, so called off the event loop; gives every sound's
length then, and a one-line notice if some speech could not be made."""

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


def says_cue_sentences(workout: Workout, setting: bool) -> bool:
    """Whether phases' cue sentences are said: the workout's own choice, else the user's
    `speak_cues` setting."""
    return setting if workout.speak_cues is None else workout.speak_cues


def shortenings(sentence: str) -> list[str]:
    """The sentence, then each shorter form of it, longest first: cut at a clause end
    (after a comma or a full stop, before "and", "then" or a dash), keeping at least
    `MIN_WORDS` words. ``"Hips back, weight in the heels, grip hard."`` gives itself,
    ``"Hips back, weight in the heels"`` and ``"Hips back"``."""
    words = sentence.split()
    forms = [sentence]
    for end in range(len(words) - 1, MIN_WORDS - 1, -1):
        if words[end - 1].endswith(CLAUSE_ENDS) or _joins_clauses(words, end):
            kept = words[:end]
            while kept and kept[-1] in CUT_BEFORE:  # "Lower slowly —" ends at "slowly"
                kept.pop()
            form = " ".join(kept).rstrip("".join(CLAUSE_ENDS))
            if len(kept) >= MIN_WORDS and form not in forms:
                forms.append(form)
    return forms


def _joins_clauses(words: Sequence[str], index: int) -> bool:
    """Whether `words[index]` starts a new clause: "and", "then" or a dash, but not the
    "and" that ends a list ("Shoulders, hips and knees")."""
    if words[index].lower() not in CUT_BEFORE:
        return False
    return not (words[index].lower() == "and" and index >= 2 and words[index - 2].endswith(","))


def speech_texts(timeline: Timeline, recorded: Container[str], *, speak_cues: bool) -> list[str]:
    """What to synthesize before a session, once each, in order of first use: every phase
    name with no recording in `recorded`, every setup cue and, when cue sentences are said
    (`speak_cues` is the user's setting; see `says_cue_sentences`), every phase's cue
    sentence; each sentence with its `shortenings`, so the plan can choose the longest that
    fits from real lengths."""
    sentences = says_cue_sentences(timeline.workout, speak_cues)
    texts: dict[str, None] = {}
    for segment in timeline.segments:
        if segment.kind == "phase" and voice(segment.label) not in recorded:
            texts[segment.label] = None
        if segment.cue.strip() and (
            segment.kind == "setup" or (sentences and segment.kind == "phase")
        ):
            texts.update(dict.fromkeys(shortenings(segment.cue)))
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


def set_word(timeline: Timeline, index: int) -> str | None:
    """What is said of the set that segment `index` begins (None if it begins none, or
    the set is nothing to remark on): "warm up" for a warm-up, "work set" for the first
    work set after warm-ups, "last set" for the last of two or more work sets."""
    place = timeline.segments[index].place
    before = timeline.segments[index - 1].place if index else None
    if before is not None and before.set_key == place.set_key:
        return None
    if place.warmup:
        return WARM_UP
    if place.set_number == 1 and before is not None and before.warmup:
        return WORK_SET if before.exercise_index == place.exercise_index else None
    return LAST_SET if place.set_number == place.set_count > 1 else None


Wanted = tuple[int, int, tuple[str, ...], int]
"""Something to fit in a silence: the time it follows, its rank (0 before 1 where both
follow the same sound: words before sentences), its forms longest first (sound names), and
its segment."""


def _words(timeline: Timeline, index: int) -> Iterator[Wanted]:
    """The recorded words a segment would like said when there is room: the set's word
    after the set's first sound, and at a side switch the side to come."""
    segment = timeline.segments[index]
    word = set_word(timeline, index)
    if word is not None:
        yield segment.start_ms, 0, (voice(word),), index
    if segment.kind == "side_switch" and segment.place.side is not None:
        yield segment.start_ms, 0, (voice(SIDE_WORDS[segment.place.side]),), index


def _sentences(timeline: Timeline, index: int, speak_cues: bool) -> Iterator[Wanted]:
    """The cue sentences a segment would like said, each with its shortenings: a setup's
    cue after "setup", and (with `speak_cues`) a phase's after its first count."""
    segment = timeline.segments[index]
    if not segment.cue.strip():
        return
    if segment.kind == "setup" or (speak_cues and segment.kind == "phase"):
        forms = tuple(speech(form) for form in shortenings(segment.cue))
        yield segment.start_ms, 1, forms, index


def _fit(
    planned: list[tuple[int, str, int]], wanted: list[Wanted], spoken: Spoken
) -> list[tuple[int, str, int]]:
    """Each wanted sound placed just after the sounds that start with it, in the longest
    form that ends before the next planned sound; one with no form that fits is dropped
    (the priority rule). `planned` and the result are (time, sound, segment)."""
    if not wanted:
        return []
    planned = sorted(planned)
    starts = [at for at, _, _ in planned]
    ends = list(itertools.accumulate((at + spoken.get(sound, 0) for at, sound, _ in planned), max))
    fitted: list[tuple[int, str, int]] = []
    free_from = 0
    for after, _, forms, index in sorted(wanted):
        started = bisect.bisect_right(starts, after)
        at = max(free_from, after, ends[started - 1] if started else 0) + SPEECH_GAP_MS
        following = bisect.bisect_right(starts, at)
        if following and ends[following - 1] + SPEECH_GAP_MS > at:
            continue  # a sound that starts later is still playing here
        room = starts[following] - SPEECH_GAP_MS - at if following < len(starts) else None
        sound = next(
            (form for form in forms if form in spoken and (room is None or spoken[form] <= room)),
            None,
        )
        if sound is not None:
            fitted.append((at, sound, index))
            free_from = at + spoken[sound]
    return fitted


def _fit_in_stretches(
    timeline: Timeline,
    planned: list[tuple[int, str, int]],
    wanted: list[Wanted],
    spoken: Spoken,
) -> list[tuple[int, str, int]]:
    """`_fit` where each is heard: what a manual setup wants, among its own sounds only
    (what follows it plays on a new time base); the rest among everything else."""
    manual = {w[-1] for w in wanted if timeline.segments[w[-1]].waits_for_ready}
    fitted = _fit(planned, [w for w in wanted if w[-1] not in manual], spoken)
    for setup in sorted(manual):
        own = [cue for cue in planned if cue[2] == setup]
        fitted += _fit(own, [w for w in wanted if w[-1] == setup], spoken)
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
                w
                for index in range(len(timeline.segments))
                for w in itertools.chain(
                    _words(timeline, index), _sentences(timeline, index, speak_cues)
                )
            ]
            planned += _fit_in_stretches(timeline, planned, wanted, spoken)
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
    kind ("lower", "hold"...). The set's and the side's words, then the setup cue and, with
    `speak_cues`, each phase's cue sentence (whole or shortened) are said when there are
    sounds for them and they fit (see the module's priority rule). None takes every name
    as recorded and says nothing that is fitted in a silence: that needs the lengths.

    Stops at the first setup that waits for the lifter (its own cue included): what follows
    it is played once they say ready, on a new time base. To ask many times, use `CuePlan`.
    """
    plan = CuePlan(timeline, mode, spoken, speak_cues=speak_cues)
    return plan.cues(from_index=from_index, from_ms=from_ms)
