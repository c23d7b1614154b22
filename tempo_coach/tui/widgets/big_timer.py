"""Seconds left in block digits as big as the banner allows, readable from across the room."""

from __future__ import annotations

from tempo_coach.tui.widgets.big_text import BigText

WAITING_WORDS = "READY?"
"""What the countdown shows while a setup waits for the lifter's key."""


def seconds_words(milliseconds: int) -> str:
    """Whole seconds left, rounded up so "1" shows until the moment the phase ends:
    ``"4"``, ``"2:20"``."""
    seconds = -(-max(0, milliseconds) // 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}" if minutes else str(seconds)


class BigTimer(BigText):
    """The countdown of the segment under way."""

    def show(self, milliseconds: int | None) -> None:
        """Show the time left; None while the segment waits for the lifter."""
        self.value = WAITING_WORDS if milliseconds is None else seconds_words(milliseconds)
