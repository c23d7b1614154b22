"""What is heard when: the cue plan of a stretch of the timeline, per audio mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempo_coach.catalog import load_workout
from tempo_coach.core.cues import Cue, plan_cues
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import compile_timeline

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
