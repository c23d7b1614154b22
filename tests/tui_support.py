"""Builds the app for pilot and snapshot tests: bundled workouts, a fake clock, no sound."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Digits, Input, Static

from tempo_coach.cli import workout_sources
from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.core.loading import discover
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.widgets import BeatDots

from .fakes import FakeClock, RecordingPlayer

START = 1000.0


def make_app(history: History | None = None, **settings: object
             ) -> tuple[TempoCoachApp, FakeClock]:
    clock = FakeClock(START)
    app = TempoCoachApp(
        load_entries=lambda: discover(workout_sources()),
        clock=clock,
        player=RecordingPlayer(),
        settings=Settings.model_validate(settings),
        history=history,
    )
    return app, clock


async def pick(pilot: Pilot[None], words: str) -> None:
    """Type a filter in the picker and start the first match."""
    await pilot.pause()
    pilot.app.screen.query_one("#filter", Input).cursor_blink = False
    await pilot.press(*words)
    await pilot.press("enter")
    await pilot.pause()


async def at(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Move the fake clock to `seconds` into the session (which starts after the audio
    lead) and let the screen catch up."""
    await clock.advance_to(START + AUDIO_LEAD_SECONDS + seconds)
    await pilot.pause()
    await pilot.pause()


def text(pilot: Pilot[None], selector: str) -> str:
    widget = pilot.app.screen.query_one(selector)
    if isinstance(widget, Digits):
        return widget.value
    if isinstance(widget, BeatDots):
        return str(widget.render())
    assert isinstance(widget, Static)
    return str(widget.content)
