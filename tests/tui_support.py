"""Builds the app for pilot and snapshot tests: bundled workouts, a fake clock, no sound."""

from __future__ import annotations

from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Digits, Input, Static

from tempo_coach.catalog import Catalog
from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens import SessionScreen
from tempo_coach.tui.widgets import BeatDots, BigText

from .fakes import FakeClock, RecordingPlayer

START = 1000.0


def make_app(history: History | None = None, **settings: object) -> tuple[TempoCoachApp, FakeClock]:
    clock = FakeClock(START)
    app = TempoCoachApp(
        catalog=Catalog.default(),
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
    if isinstance(widget, BigText):
        return widget.value
    if isinstance(widget, Digits):
        return widget.value
    if isinstance(widget, BeatDots):
        return str(widget.render())
    assert isinstance(widget, Static)
    return str(widget.content)


def shown(pilot: Pilot[None], selector: str) -> str:
    """The words a Static draws, after Textual has read any markup in what it was given:
    markup read by mistake is missing here, unlike in `text`."""
    return str(pilot.app.screen.query_one(selector, Static).visual)


def drawn(widget: Widget) -> str:
    """A widget's lines as the terminal receives them (an option list, a table)."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def notices(app: App[None]) -> list[str]:
    """The notifications raised so far, still shown or not."""
    return [notification.message for notification in app._notifications]


async def toasts(pilot: Pilot[None]) -> list[str]:
    """The notifications on screen now, as drawn (a title on the first line)."""
    await pilot.pause()
    await pilot.pause()
    return [str(toast.render()) for toast in pilot.app.screen.query("Toast")]


def session_screen(pilot: Pilot[None]) -> SessionScreen:
    """The session screen the app shows now."""
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen
