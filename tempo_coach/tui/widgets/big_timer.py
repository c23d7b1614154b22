"""Seconds left in big digits, readable from across the room."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Digits


class BigTimer(Digits):
    """Whole seconds left, rounded up so "1" shows until the moment the phase ends."""

    DEFAULT_CSS = """
    BigTimer {
        width: auto;
        text-style: bold;
    }
    """

    milliseconds: reactive[int] = reactive(0)
    """Time left, in milliseconds."""

    def watch_milliseconds(self, milliseconds: int) -> None:
        seconds = -(-max(0, milliseconds) // 1000)
        minutes, seconds = divmod(seconds, 60)
        self.update(f"{minutes}:{seconds:02d}" if minutes else str(seconds))
