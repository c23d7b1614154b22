"""What is heard when: the cue plan of a stretch of the timeline, per audio mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.audio.sound_bank import SoundBank
from tempo_coach.catalog import load_workout
from tempo_coach.core.cues import (
    LAST_SET,
    SIDE_WORDS,
    SPEECH_GAP_MS,
    WARM_UP,
    WORK_SET,
    Cue,
    plan_cues,
    says_cue_sentences,
    shortenings,
    speech,
    speech_texts,
    voice,
)
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import Place, Side, Timeline, compile_timeline

from .conftest import BUNDLED_WORKOUTS, REPO
from .test_engine import small_workout

SOUNDS = REPO / "sounds"


def test_both_mode_plans_clicks_and_words_on_the_beat() -> None:
    timeline = compile_timeline(small_workout(sets=1))
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="both")
    assert cues == sorted(
        [
            Cue(0, "click_accent"),
            Cue(0, "voice/setup"),
            Cue(2000, "click_accent"),
            Cue(2000, "voice/two"),  # count-in: "two, one"
            Cue(3000, "click"),
            Cue(3000, "voice/one"),
            Cue(4000, "phase_eccentric"),
            Cue(4000, "voice/lower"),
            Cue(5000, "click"),
            Cue(5000, "voice/two"),
            Cue(6000, "phase_concentric"),
            Cue(6000, "voice/lift"),
            Cue(7000, "phase_eccentric"),
            Cue(7000, "voice/last_rep"),
            Cue(8000, "click"),
            Cue(8000, "voice/two"),
            Cue(9000, "phase_concentric"),
            Cue(9000, "voice/lift"),
            Cue(10000, "session_complete"),
            Cue(10800, "voice/workout_complete"),
        ]
    )


@pytest.mark.parametrize(
    ("mode", "prefixes"),
    [("clicks", {"click", "phase", "session"}), ("voice", {"voice"}), ("silent", set())],
)
def test_modes_choose_layers(mode: str, prefixes: set[str]) -> None:
    timeline = compile_timeline(small_workout(sets=1))
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode=mode)  # type: ignore[arg-type]
    assert {cue.sound.split("/")[0].split("_")[0] for cue in cues} == prefixes


def test_rests_chime_then_say_rest_and_pip_the_last_three_seconds() -> None:
    timeline = compile_timeline(small_workout())
    rest = next(s for s in timeline.segments if s.kind == "rest")
    cues = [
        c
        for c in plan_cues(timeline, from_index=0, from_ms=0, mode="both")
        if rest.start_ms <= c.at_ms < rest.end_ms
    ]
    assert cues == [
        Cue(10000, "set_complete"),
        Cue(10800, "voice/rest"),
        Cue(12000, "rest_pip"),
        Cue(12000, "voice/three"),
        Cue(13000, "rest_pip"),
        Cue(13000, "voice/two"),
        Cue(14000, "rest_pip"),
        Cue(14000, "voice/one"),
    ]


def test_planning_stops_at_a_setup_that_waits_and_resumes_after_it() -> None:
    timeline = compile_timeline(small_workout(setup={"mode": "manual"}))
    first = plan_cues(timeline, from_index=0, from_ms=0, mode="voice")
    assert first == [Cue(0, "voice/setup")]
    after = plan_cues(timeline, from_index=1, from_ms=0, mode="voice")
    assert after[0] == Cue(0, "voice/two") and Cue(8800, "voice/rest") in after
    assert after[-1] == Cue(13000, "voice/setup")  # the next manual setup: stop there


def test_from_ms_drops_what_was_already_heard() -> None:
    timeline = compile_timeline(small_workout(sets=1))
    cues = plan_cues(timeline, from_index=2, from_ms=5000, mode="clicks")
    assert cues[0] == Cue(5000, "click")


def test_unrecorded_phase_names_are_announced_by_their_kind() -> None:
    workout = small_workout(
        sets=1,
        reps=1,
        tempo=None,
        custom_phases=[
            {"name": "Kneel", "kind": "other", "beats": 1},
            {"name": "Lower", "kind": "eccentric", "beats": 1},
        ],
    )
    timeline = compile_timeline(workout)
    spoken = {"voice/lower": 300, "voice/go": 200}
    words = [
        c.sound for c in plan_cues(timeline, from_index=2, from_ms=0, mode="voice", spoken=spoken)
    ]
    assert words[:2] == ["voice/go", "voice/lower"]


@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
def test_every_cue_of_a_bundled_workout_has_a_recording(path: Path) -> None:
    workout: Workout = load_workout(path)
    timeline = compile_timeline(workout)
    missing = set()
    for index in range(len(timeline.segments)):
        if index == 0 or timeline.segments[index - 1].waits_for_ready:
            for cue in plan_cues(timeline, from_index=index, from_ms=0, mode="both"):
                if not (SOUNDS / f"{cue.sound}.wav").is_file():
                    missing.add(cue.sound)
    assert missing == set()


def test_every_set_and_side_word_has_a_recording() -> None:
    for word in (WARM_UP, WORK_SET, LAST_SET, *SIDE_WORDS.values()):
        assert (SOUNDS / f"{voice(word)}.wav").is_file(), word


RECORDED = SoundBank(SOUNDS).lengths_ms()


def after(cue: Cue, spoken: Mapping[str, int]) -> int:
    """When a word fitted after `cue` starts: its end and the gap."""
    return cue.at_ms + spoken[cue.sound] + SPEECH_GAP_MS


def setups(timeline: Timeline) -> list[int]:
    return [s.start_ms for s in timeline.segments if s.kind == "setup"]


def words_after_setups(timeline: Timeline, spoken: Mapping[str, int]) -> list[list[str]]:
    """Per set: what is said in its setup after "setup"."""
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=spoken)
    said: list[list[str]] = []
    for setup in setups(timeline):
        end = next(s.end_ms for s in timeline.segments if s.start_ms == setup)
        said.append([c.sound for c in cues if setup < c.at_ms < end])
    return said


def with_warmups(timeline: Timeline, warmups: int) -> Timeline:
    """The timeline with the first `warmups` sets of every exercise that has more turned
    into warm-ups, numbered on their own as the timeline numbers them."""

    def place_of(place: Place) -> Place:
        if place.set_count <= warmups:
            return place
        if place.set_number <= warmups:
            return replace(place, warmup=True, set_count=warmups)
        return replace(
            place, set_number=place.set_number - warmups, set_count=place.set_count - warmups
        )

    segments = tuple(replace(s, place=place_of(s.place)) for s in timeline.segments)
    return replace(timeline, segments=segments)


def test_the_last_of_several_sets_is_said_after_setup() -> None:
    timeline = compile_timeline(small_workout(sets=3))
    assert words_after_setups(timeline, RECORDED) == [[], [], [voice(LAST_SET)]]
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="both", spoken=RECORDED)
    last_setup = setups(timeline)[-1]
    assert Cue(after(Cue(last_setup, "voice/setup"), RECORDED), voice(LAST_SET)) in cues
    single = compile_timeline(small_workout(sets=1))
    assert words_after_setups(single, RECORDED) == [[]]  # one set is not "the last set"


def test_warm_ups_then_the_first_work_set_then_the_last_are_said() -> None:
    timeline = with_warmups(compile_timeline(small_workout(sets=5)), 2)
    assert words_after_setups(timeline, RECORDED) == [
        [voice(WARM_UP)],
        [voice(WARM_UP)],
        [voice(WORK_SET)],
        [],
        [voice(LAST_SET)],
    ]
    one_work_set = with_warmups(compile_timeline(small_workout(sets=2)), 1)
    assert words_after_setups(one_work_set, RECORDED) == [[voice(WARM_UP)], [voice(WORK_SET)]]


def test_a_side_switch_says_the_side_to_come_where_there_is_room() -> None:
    timeline = compile_timeline(small_workout(sets=1, unilateral=True))
    switch = next(s for s in timeline.segments if s.kind == "side_switch")
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=RECORDED)
    said = Cue(switch.start_ms, "voice/switch_sides")
    assert said in cues and Cue(after(said, RECORDED), voice("right leg")) in cues
    # One second is no room for both: the side is left out, and nothing else moves.
    quick = compile_timeline(small_workout(sets=1, unilateral=True, side_switch_seconds=1))
    cues = plan_cues(quick, from_index=0, from_ms=0, mode="voice", spoken=RECORDED)
    assert voice("right leg") not in {c.sound for c in cues}
    assert cues == plan_cues(quick, from_index=0, from_ms=0, mode="voice", spoken=None)


def test_a_switch_to_the_left_says_left_leg() -> None:
    """Should a set ever start on the right, the switch names the left."""
    timeline = compile_timeline(small_workout(sets=1, unilateral=True))
    swapped: dict[str | None, Side | None] = {"left": "right", "right": "left", None: None}
    timeline = replace(
        timeline,
        segments=tuple(
            replace(s, place=replace(s.place, side=swapped[s.place.side]))
            for s in timeline.segments
        ),
    )
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=RECORDED)
    sides = [c.sound for c in cues if c.sound in {voice(word) for word in SIDE_WORDS.values()}]
    assert sides == [voice("left leg")]


def test_shortenings_cut_at_clause_ends_never_below_two_words() -> None:
    assert shortenings("Hips back, weight in the heels, grip hard, core braced.") == [
        "Hips back, weight in the heels, grip hard, core braced.",
        "Hips back, weight in the heels, grip hard",
        "Hips back, weight in the heels",
        "Hips back",
    ]
    assert shortenings("Push the floor away and stand tall.") == [
        "Push the floor away and stand tall.",
        "Push the floor away",
    ]
    assert shortenings("Shoulders, hips and knees in one line, hamstrings tight.") == [
        "Shoulders, hips and knees in one line, hamstrings tight.",
        "Shoulders, hips and knees in one line",  # not "Shoulders, hips": a list goes on
    ]
    assert shortenings("Slowly — then drive.") == ["Slowly — then drive."]  # one word is none
    assert shortenings("Lower slowly - drive up") == ["Lower slowly - drive up", "Lower slowly"]
    assert shortenings("Torso level with the floor.") == ["Torso level with the floor."]


SENTENCE = "Hips back, weight in the heels, grip hard."
FORMS = {
    speech(SENTENCE): 2000,
    speech("Hips back, weight in the heels"): 1200,
    speech("Hips back"): 450,
}


def phase_sentences(beat: float, forms: Mapping[str, int]) -> list[Cue]:
    workout = small_workout(
        sets=1, reps=1, beat_seconds=beat, phases={"eccentric": {"name": "Lower", "cue": SENTENCE}}
    )
    timeline = compile_timeline(workout)
    spoken = {**RECORDED, **forms}
    cues = plan_cues(
        timeline, from_index=0, from_ms=0, mode="voice", spoken=spoken, speak_cues=True
    )
    return [c for c in cues if c.sound.startswith("speech/")]


def test_a_sentence_is_said_in_the_longest_form_that_fits_before_the_next_count() -> None:
    lower = RECORDED["voice/lower"]
    phase_ms = 4000  # after a 2 s setup and a count-in of two beats of 1 s
    at = phase_ms + lower + SPEECH_GAP_MS
    # 1 s beats leave under half a second before "two": only "Hips back" fits.
    assert phase_sentences(1.0, FORMS) == [Cue(at, speech("Hips back"))]
    # 2 s beats leave more: the first two clauses.
    at_2s = 2000 + 2 * 2000 + lower + SPEECH_GAP_MS
    assert phase_sentences(2.0, FORMS) == [Cue(at_2s, speech("Hips back, weight in the heels"))]
    # With no form short enough, it is dropped.
    longer = {name: ms + 1000 for name, ms in FORMS.items()}
    assert phase_sentences(1.0, longer) == []


def test_the_set_word_comes_first_and_the_setup_cue_gets_what_is_left() -> None:
    cue = "Feet flat, brace hard."
    timeline = compile_timeline(small_workout(sets=2, setup={"seconds": 2, "cue": cue}))
    spoken = {**RECORDED, speech(cue): 900, speech("Feet flat"): 500}
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=spoken)
    first, last = setups(timeline)
    setup_word = RECORDED["voice/setup"] + SPEECH_GAP_MS
    assert Cue(first + setup_word, speech(cue)) in cues  # room for the whole cue
    said = Cue(last + setup_word, voice(LAST_SET))
    assert said in cues and Cue(after(said, spoken), speech("Feet flat")) in cues


def test_a_workout_s_own_choice_of_cue_sentences_wins_over_the_setting() -> None:
    workout = small_workout(sets=1, phases={"eccentric": {"name": "Lower", "cue": SENTENCE}})
    for own, setting, said in [(None, True, True), (False, True, False), (True, False, True)]:
        timeline = compile_timeline(workout.model_copy(update={"speak_cues": own}))
        assert says_cue_sentences(timeline.workout, setting) is said
        texts = speech_texts(timeline, RECORDED, speak_cues=setting)
        assert texts == (shortenings(SENTENCE) if said else [])
