"""The app paints first and finds its sound after: the probe runs in a thread after the
first frame, and its player takes over the picker's sessions and one already running."""

from __future__ import annotations

import io
import sys
import threading
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from textual.pilot import Pilot
from textual.widgets import Input

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.audio.sound_bank import SoundBank
from tempo_coach.audio.speech import SpeechPreparer
from tempo_coach.catalog import Catalog, LoadedWorkout, load_workout, read_workout, workout_files
from tempo_coach.core.cues import CuePlan, Spoken, speech
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.timeline import Timeline, compile_timeline
from tempo_coach.settings import Settings
from tempo_coach.tui.app import PlayerChoice, TempoCoachApp
from tempo_coach.tui.screens import SessionScreen
from tempo_coach.tui.screens.customize import CustomizeScreen
from tempo_coach.tui.screens.workout_form import widget_id

from .conftest import REPO
from .fakes import FakeClock, RecordingPlayer
from .tui_support import START, notices

RDL = REPO / "workouts" / "tempoed-rdl.toml"


def app_finding(choice: PlayerChoice, probes: list[str]) -> TempoCoachApp:
    def make_player() -> PlayerChoice:
        probes.append(threading.current_thread().name)
        return choice

    return TempoCoachApp(
        catalog=Catalog.default(),
        clock=FakeClock(START),
        player=SilentPlayer(),
        settings=Settings(),
        start_with=RDL,
        make_player=make_player,
    )


async def until_chosen(pilot: Pilot[None], app: TempoCoachApp) -> None:
    """Let the loop run until the probe's thread has handed its answer over."""
    for _ in range(500):
        if app.player_chosen:
            return
        await pilot.pause()
    raise AssertionError("the probe never answered")


async def test_the_player_found_after_the_first_frame_plays_the_running_session() -> None:
    found = RecordingPlayer()
    probes: list[str] = []
    app = app_finding(PlayerChoice(found, None, {}), probes)
    async with app.run_test() as pilot:
        await until_chosen(pilot, app)
        assert probes and probes[0] != threading.current_thread().name  # not on the loop
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.engine.player is found and app.sessions.player is found
        assert screen.sound


async def test_no_device_found_says_so_once_and_the_session_shows_it() -> None:
    notice = "No sound device (Error opening PCM device: nope): visual cues only."
    app = app_finding(PlayerChoice(SilentPlayer(), notice, None), [])
    async with app.run_test() as pilot:
        await until_chosen(pilot, app)
        assert [n.message for n in app._notifications] == [notice]
        screen = app.screen
        assert isinstance(screen, SessionScreen) and not screen.sound


async def test_a_sound_device_lost_mid_session_silences_it_and_says_so() -> None:
    """One notice, the session goes on silent, and the header no longer claims sound."""
    found = RecordingPlayer()
    app = app_finding(PlayerChoice(found, None, {}), [])
    async with app.run_test() as pilot:
        await until_chosen(pilot, app)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert "no sound device" not in str(screen.query_one("#audio-status").render())
        app.sound_lost("Sound device lost (Broken pipe): visual cues only.")
        await pilot.pause()
        assert isinstance(screen.engine.player, SilentPlayer)
        assert "no sound device" in str(screen.query_one("#audio-status").render())
        assert "Sound device lost (Broken pipe): visual cues only." in notices(app)
        assert app.is_running and not screen.engine.finished


OWN_WORDS = """\
format_version = 1
name = "Own words"
count_in_beats = 2
speak_cues = true

[defaults]
beat_seconds = 2.0
setup = { mode = "timed", seconds = 3 }

[[exercises]]
name = "Kneeling hold"
trains = "knee_flexion"
category = "assistance"
sets = 1
reps = 2

[[exercises.custom_phases]]
name = "Brace"
kind = "hold"
beats = 1
cue = "Ribs down, glutes tight."

[[exercises.custom_phases]]
name = "Lift"
kind = "concentric"
beats = 2
"""


class FakeSynthesizer:
    """Stands in for espeak-ng: a tone 30 ms a character, remembering what it was asked to
    say and on which thread."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def __call__(self, command: Sequence[str]) -> bytes:
        if command[1] == "--version":
            return b"fake espeak-ng 1.0"
        text = command[-1]
        self.said.append((text, threading.current_thread().name))
        rate = 22050
        tone = np.sin(np.arange(rate * 30 * len(text) // 1000) * 2 * np.pi * 440 / rate)
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes((tone * 20000).astype("<i2").tobytes())
        return out.getvalue()


def said_by(synthesizer: FakeSynthesizer, text: str) -> list[str]:
    """The threads `text` was synthesized on."""
    return [thread for said, thread in synthesizer.said if said == text]


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    for _ in range(500):
        if done():
            return
        await pilot.pause()
    raise AssertionError("never happened")


async def test_own_words_are_prepared_at_start_and_again_once_customize_saves(
    private_user_folders: Path, tmp_path: Path
) -> None:
    """The full-screen path: the probe prepares every workout's speech (the workout's own
    `speak_cues` winning over the setting), and a phase renamed in Customize is
    synthesized off the loop when saved, so its next session says it without a restart;
    so is a file added meanwhile, once its session starts."""
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    path = folder / "own-words.toml"
    path.write_text(OWN_WORDS, encoding="utf-8")
    synthesizer = FakeSynthesizer()
    found = RecordingPlayer()
    loop_thread = threading.current_thread().name

    def make_player() -> PlayerChoice:
        speech = SpeechPreparer(
            SoundBank(REPO / "sounds"),
            voice="en-us",
            speed=175,
            volume=1.0,
            speak_cues=False,
            folder=tmp_path / "cache",
            runner=synthesizer,
            which=lambda _: sys.executable,
        )
        timelines = [compile_timeline(load_workout(entry)) for entry in workout_files(folder)]
        spoken, notice = speech.prepare(timelines)
        return PlayerChoice(found, notice, spoken, speech.prepare)

    app = TempoCoachApp(
        catalog=Catalog.default(),
        clock=FakeClock(START),
        player=SilentPlayer(),
        settings=Settings(),  # speak_cues off: the workout's own choice wins
        make_player=make_player,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await until_chosen(pilot, app)
        spoken = app.sessions.spoken
        assert spoken is not None and speech("Brace") in spoken
        assert said_by(synthesizer, "Brace") and loop_thread not in said_by(synthesizer, "Brace")
        plan = app.sessions.plan(read_workout(path))
        sounds = {
            c.sound
            for c in CuePlan(plan.timeline, "both", spoken, speak_cues=True).cues(
                from_index=0, from_ms=0
            )
        }
        assert {speech("Brace"), speech("Ribs down, glutes tight.")} <= sounds

        await app.push_screen(CustomizeScreen(load_workout(path), path, app.catalog))
        await pilot.pause()
        name = app.screen.query_one(
            f"#{widget_id('f', ('exercises', 0, 'custom_phases', 0, 'name'))}", Input
        )
        name.focus()
        name.value = ""
        await pilot.press(*"Kneel")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: speech("Kneel") in (app.sessions.spoken or {}))
        threads = said_by(synthesizer, "Kneel")
        assert threads and loop_thread not in threads  # in a thread, off the loop
        await pilot.press("escape")
        app.start_workout(str(path))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await until(pilot, lambda: bool(found.calls))
        played = {cue.sound for cues, _ in found.calls for cue in cues}
        assert speech("Kneel") in played and speech("Ribs down, glutes tight.") in played
        assert speech("Brace") not in played

        # A file added while the app runs (not through Customize): its session starts with
        # the kinds' words and says its own as soon as they are made.
        added = folder / "added.toml"
        added.write_text(OWN_WORDS.replace("Brace", "Plank"), encoding="utf-8")
        screen.stop_for_another()
        await pilot.pause()
        found.calls.clear()
        app.start_workout(str(added))
        await until(pilot, lambda: speech("Plank") in (app.sessions.spoken or {}))
        await until(pilot, lambda: speech("Plank") in {c.sound for c in found.calls[-1][0]})
        assert loop_thread not in said_by(synthesizer, "Plank")

        # A workout no file holds as run (a programme's session): its speech comes from the
        # session's own timeline.
        inline = parse_workout(OWN_WORDS.replace("Brace", "Kneel tall"), path)
        running = app.screen
        assert isinstance(running, SessionScreen)
        running.stop_for_another()
        await pilot.pause()
        found.calls.clear()
        app.start_loaded(LoadedWorkout(tmp_path / "programme week 1", "", inline), None)
        await until(pilot, lambda: speech("Kneel tall") in (app.sessions.spoken or {}))
        await until(pilot, lambda: speech("Kneel tall") in {c.sound for c in found.calls[-1][0]})


async def test_speech_that_fails_to_prepare_is_said_and_the_session_goes_on() -> None:
    """A bug in preparing speech mid-session (the running workout's setup cues are not
    among the sounds the probe found) is one notice; the session is not stopped."""

    def broken(timelines: Sequence[Timeline]) -> tuple[Spoken, str | None]:
        raise RuntimeError("the synthesizer fell over")

    app = app_finding(PlayerChoice(RecordingPlayer(), None, {}, broken), [])
    async with app.run_test() as pilot:
        await until_chosen(pilot, app)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await until(pilot, lambda: any("fell over" in notice for notice in notices(app)))
        assert not screen.engine.finished
        assert app.screen is screen
