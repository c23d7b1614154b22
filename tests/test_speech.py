"""Speaking the lifter's own words: synthesis into the cache, the planner's priority rule
(never over the count), and what the real ALSA file device plays."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.audio.render import render
from tempo_coach.audio.sound_bank import FULL_SCALE, SAMPLE_RATE, Samples, SoundBank, load_wav
from tempo_coach.audio.speech import MISSING_NOTICE, prepare_speech, run_command
from tempo_coach.catalog import LoadedWorkout, load_workout
from tempo_coach.core.cues import (
    LAST_SET,
    SIDE_WORDS,
    WARM_UP,
    WORK_SET,
    Cue,
    CuePlan,
    plan_cues,
    speech,
    speech_texts,
    voice,
)
from tempo_coach.core.models import Workout
from tempo_coach.core.timeline import Timeline, compile_timeline
from tempo_coach.sessions import Overrides, SessionMaker
from tempo_coach.settings import Settings

from .audio_harness import alsa_to_file, read_raw
from .conftest import BUNDLED_WORKOUTS, REPO
from .fakes import FakeClock, RecordingPlayer
from .test_cues import with_warmups

HAS_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
DEFAULTS = Settings()


class CountingRunner:
    """The real runner, counting the processes it starts."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> bytes:
        self.commands.append(list(command))
        return run_command(command)


@needs_espeak
def test_speech_is_synthesized_once_then_read_from_the_cache(tmp_path: Path) -> None:
    runner = CountingRunner()
    texts = ["Fight the fall", "Brace"]
    first, notice = prepare_speech(texts, voice="en-us", speed=175, folder=tmp_path, runner=runner)
    assert notice is None and set(first) == {speech(text) for text in texts}
    assert [command[1] for command in runner.commands] == ["--version", "--stdout", "--stdout"]
    for samples in first.values():  # the bank's format, trimmed and at the recordings' level
        assert samples.dtype == np.float32 and 0.1 < len(samples) / SAMPLE_RATE < 1.5
        assert 0.6 < float(np.max(np.abs(samples))) < 0.8
    assert not list(tmp_path.glob(".*.part"))  # written atomically: no leftovers
    runner.commands.clear()
    second, notice = prepare_speech(texts, voice="en-us", speed=175, folder=tmp_path, runner=runner)
    assert runner.commands == [] and notice is None  # not even the version is asked again
    assert all(np.array_equal(first[name], second[name]) for name in first)
    # Another speed is other speech: synthesized, not the cached one.
    prepare_speech(["Brace"], voice="en-us", speed=240, folder=tmp_path, runner=runner)
    assert [command[1] for command in runner.commands] == ["--stdout"]


def test_without_espeak_ng_there_is_one_notice_and_no_speech(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no synthesizer on it

    def refuse(command: Sequence[str]) -> bytes:
        raise AssertionError(f"nothing should run: {command}")

    prepared, notice = prepare_speech(
        ["Brace"], voice="en-us", speed=175, folder=tmp_path, runner=refuse
    )
    assert prepared == {} and notice == MISSING_NOTICE


def test_a_failing_synthesizer_is_a_notice_not_a_crash(tmp_path: Path) -> None:
    def broken(command: Sequence[str]) -> bytes:
        raise subprocess.CalledProcessError(1, list(command), b"", b"no such voice")

    prepared, notice = prepare_speech(
        ["Brace"], voice="xx", speed=175, folder=tmp_path, runner=broken, which=lambda _: "/bin/sh"
    )
    assert prepared == {} and notice is not None and notice.startswith("Speech not prepared")


def custom_workout(*, phase: str, setup: str = "", cue: str = "", beat: float = 1.0) -> Workout:
    return Workout.model_validate(
        {
            "format_version": 1,
            "name": "Own words",
            "count_in_beats": 2,
            "defaults": {
                "beat_seconds": beat,
                "setup": {"mode": "timed", "seconds": 4, "cue": setup},
            },
            "exercises": [
                {
                    "name": "Hold",
                    "trains": "knee_flexion",
                    "category": "assistance",
                    "sets": 1,
                    "reps": 2,
                    "custom_phases": [
                        {"name": phase, "kind": "hold", "beats": 1, "cue": cue},
                        {"name": "Lift", "kind": "concentric", "beats": 2},
                    ],
                }
            ],
        }
    )


def test_own_phase_names_and_setup_cues_are_spoken_where_they_fit() -> None:
    timeline = compile_timeline(custom_workout(phase="Brace", setup="Kneel tall", cue="Ribs down"))
    recorded = {f"voice/{word}": 300 for word in ("setup", "two", "one", "lift", "hold")}
    assert speech_texts(timeline, recorded, speak_cues=True) == [
        "Kneel tall",
        "Brace",
        "Ribs down",
    ]
    spoken = {**recorded, speech("Brace"): 400, speech("Kneel tall"): 700, speech("Ribs down"): 900}
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=spoken)
    assert cues[:3] == [
        Cue(0, "voice/setup"),
        Cue(380, speech("Kneel tall")),
        Cue(4000, "voice/two"),
    ]
    assert Cue(6000, speech("Brace")) in cues  # the name on its first count
    # "Ribs down" is longer than the silence before the next count: dropped, not cut.
    assert speech("Ribs down") not in {cue.sound for cue in cues}
    # A name longer than its beat is said by its kind instead.
    longer = {**spoken, speech("Brace"): 1200}
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=longer)
    assert Cue(6000, "voice/hold") in cues and Cue(6000, speech("Brace")) not in cues


def with_beat(workout: Workout, beat: float) -> Workout:
    exercises = [
        exercise.model_copy(update={"beat_seconds": beat}) for exercise in workout.exercises
    ]
    defaults = workout.defaults.model_copy(update={"beat_seconds": beat})
    return workout.model_copy(update={"defaults": defaults, "exercises": exercises})


@pytest.fixture(scope="module")
def bank_with_speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Every sound's real length, with every bundled workout's speech (synthesized; an
    estimate from the text where espeak-ng is missing, so the rule is still checked)."""
    bank = SoundBank(REPO / "sounds")
    lengths = bank.lengths_ms()
    texts = [
        text
        for path in BUNDLED_WORKOUTS
        for text in speech_texts(
            compile_timeline(load_workout(path)), set(lengths), speak_cues=True
        )
    ]
    prepared: dict[str, Samples] = {}
    if HAS_ESPEAK:
        prepared, notice = prepare_speech(
            texts, voice="en-us", speed=DEFAULTS.speech_speed, folder=tmp_path_factory.mktemp("s")
        )
        assert notice is None
    for text in texts:
        lengths[speech(text)] = (
            -(-len(prepared[speech(text)]) * 1000 // SAMPLE_RATE) if prepared else 60 * len(text)
        )
    return lengths


def stretches(timeline: Timeline, plan: CuePlan) -> list[list[Cue]]:
    """What is played in one go: from the start, and from each manual setup's ready on."""
    starts = [0] + [
        index + 1
        for index, segment in enumerate(timeline.segments)
        if segment.waits_for_ready and index + 1 < len(timeline.segments)
    ]
    return [
        plan.cues(from_index=index, from_ms=timeline.segments[index].start_ms) for index in starts
    ]


FITTED_WORDS = {voice(word) for word in (WARM_UP, WORK_SET, LAST_SET, *SIDE_WORDS.values())}
"""The recorded words said only where they fit, as speech is."""
SHAPES = ("as-is", "warm-ups", "single-leg")


def shaped(workout: Workout, shape: str) -> Timeline:
    """The workout's timeline as it is, with its first set of each exercise a warm-up,
    or with every exercise done one leg at a time."""
    if shape == "single-leg":
        exercises = [e.model_copy(update={"unilateral": True}) for e in workout.exercises]
        workout = workout.model_copy(update={"exercises": exercises})
    timeline = compile_timeline(workout)
    return with_warmups(timeline, 1) if shape == "warm-ups" else timeline


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("path", BUNDLED_WORKOUTS, ids=lambda path: path.stem)
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(beat=st.floats(min_value=0.5, max_value=2.0))
def test_speech_never_overlaps_a_word_nor_delays_a_count(
    path: Path, shape: str, beat: float, bank_with_speech: dict[str, int]
) -> None:
    timeline = shaped(with_beat(load_workout(path), beat), shape)
    recorded = {name: ms for name, ms in bank_with_speech.items() if not name.startswith("speech/")}
    fixed = CuePlan(timeline, "both")  # nothing fitted: the sounds on their own times
    before = CuePlan(timeline, "both", recorded)
    after = CuePlan(timeline, "both", bank_with_speech, speak_cues=True)
    said: set[str] = set()
    for bare, old, new in zip(
        stretches(timeline, fixed),
        stretches(timeline, before),
        stretches(timeline, after),
        strict=True,
    ):
        # Every count and click is where it was; what is fitted only adds or replaces.
        assert Counter(cue.at_ms for cue in bare) <= Counter(cue.at_ms for cue in new)
        assert Counter(c for c in new if not c.sound.startswith("speech/")) <= Counter(old)
        words = [c for c in new if c.sound.startswith(("voice/", "speech/"))]
        for first, second in itertools.pairwise(words):
            if {
                first.sound,
                second.sound,
            } & FITTED_WORDS or "speech/" in first.sound + second.sound:
                assert first.at_ms + bank_with_speech[first.sound] <= second.at_ms, (first, second)
        said.update(cue.sound for cue in new)
    # Each shape says what it is about (setups and switches are long enough for it).
    expected = {"warm-ups": voice(WARM_UP), "single-leg": voice("right leg")}.get(shape)
    assert expected is None or expected in said


@needs_espeak
def test_an_own_phase_name_is_heard_at_its_planned_sample(tmp_path: Path) -> None:
    home = tmp_path / "home"
    environment, out = alsa_to_file(home)
    environment["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    environment["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    environment["XDG_DATA_HOME"] = str(tmp_path / "data")
    workout = custom_workout(phase="Brace", beat=0.6)
    source = tmp_path / "own-words.toml"
    source.write_text(
        "format_version = 1\nname = 'Own words'\ncount_in_beats = 2\n"
        "[defaults]\nbeat_seconds = 0.6\n[defaults.setup]\nmode = 'timed'\nseconds = 4\ncue = ''\n"
        "[[exercises]]\nname = 'Hold'\ntrains = 'knee_flexion'\ncategory = 'assistance'\n"
        "sets = 1\nreps = 2\n"
        "[[exercises.custom_phases]]\nname = 'Brace'\nkind = 'hold'\nbeats = 1\ncue = ''\n"
        "[[exercises.custom_phases]]\nname = 'Lift'\nkind = 'concentric'\nbeats = 2\n"
    )
    done = subprocess.run(
        [str(TEMPO_COACH), "run", str(source), "--plain", "--setup", "1", "--audio", "voice"],
        env=environment,
        text=True,
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "speech" not in done.stdout.lower()  # no notice: it was prepared
    # The same speech, from the cache the run filled, in the same bank as the player's.
    cached = sorted((tmp_path / "cache" / "tempo-coach" / "speech").glob("*.wav"))
    assert len(cached) == 1
    bank = SoundBank(REPO / "sounds")
    bank.add(speech("Brace"), load_wav(cached[0]))
    from tempo_coach.sessions import with_timed_setups

    timeline = compile_timeline(with_timed_setups(workout, 1))
    cues = plan_cues(timeline, from_index=0, from_ms=0, mode="voice", spoken=bank.lengths_ms())
    said = [cue for cue in cues if cue.sound == speech("Brace")]
    assert len(said) == 1  # rep 1 starts with "Brace"; the last rep with "last rep"
    expected = render(cues, bank, volume=1.0, lead_in_samples=0)
    heard = read_raw(out)
    lead_in = len(heard) - len(expected)
    assert 0 <= lead_in <= 0.1 * SAMPLE_RATE
    assert np.array_equal(heard[lead_in:], expected)
    word = np.rint(load_wav(cached[0]) * FULL_SCALE).astype(np.int16)
    start = lead_in + round(said[0].at_ms * SAMPLE_RATE / 1000)
    assert np.array_equal(heard[start : start + len(word)], word)  # the word, on its sample


@pytest.mark.parametrize(("own", "setting"), [(True, False), (False, True), (None, True)])
async def test_a_workout_s_own_choice_of_cue_sentences_reaches_its_session(
    own: bool | None, setting: bool
) -> None:
    """Plain mode and the app both start sessions through `SessionMaker`."""
    workout = custom_workout(phase="Hold", cue="Ribs down", beat=2.0)
    workout = workout.model_copy(update={"speak_cues": own})
    loaded = LoadedWorkout(Path("own.toml"), "", workout)
    player = RecordingPlayer()
    clock = FakeClock()
    spoken = {**SoundBank(REPO / "sounds").lengths_ms(), speech("Ribs down"): 600}
    maker = SessionMaker(
        clock=clock,
        player=player,
        spoken=spoken,
        settings=Settings(speak_cues=setting),
        overrides=Overrides(),
        history=None,
        notify=lambda _: None,
    )
    session = maker.start(maker.plan(loaded), resume=False)
    task = asyncio.ensure_future(session.engine.run())
    await clock.run_until_idle()
    await task
    played = {cue.sound for cues, _ in player.calls for cue in cues}
    assert (speech("Ribs down") in played) is (setting if own is None else own)
