"""The app paints first and finds its sound after: the probe runs in a thread after the
first frame, and its player takes over the picker's sessions and one already running."""

from __future__ import annotations

import threading

from textual.pilot import Pilot

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.catalog import Catalog
from tempo_coach.settings import Settings
from tempo_coach.tui.app import PlayerChoice, TempoCoachApp
from tempo_coach.tui.screens import SessionScreen

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
