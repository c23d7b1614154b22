"""The counts left in a phase, as dots that empty: ● ● ○ ○ is two counts to go.

They deplete as the big number counts down, so the two always agree."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

MOST_DOTS = 12
"""Past this many counts a phase shows "7 of 16 counts left" instead of dots."""


class BeatDots(Static):
    """How many counts of the phase are left, the one under way included."""

    DEFAULT_CSS = """
    BeatDots {
        width: auto;
        text-style: bold;
    }
    """

    count: reactive[int] = reactive(0)
    """The count under way (from 1); 0 before the first."""
    beats: reactive[int] = reactive(0)

    def render(self) -> str:
        if self.beats <= 0 or self.count <= 0:
            return ""
        left = self.beats - self.count + 1
        if self.beats > MOST_DOTS:
            return f"{left} of {self.beats} counts left"
        return " ".join("●" if index < left else "○" for index in range(self.beats))
