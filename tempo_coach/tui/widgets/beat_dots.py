"""The count within a phase, as dots and a number: ● ● ○ ○  2/4."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class BeatDots(Static):
    """Which count of the phase the lifter is on."""

    DEFAULT_CSS = """
    BeatDots {
        width: auto;
        text-style: bold;
    }
    """

    count: reactive[int] = reactive(0)
    beats: reactive[int] = reactive(0)
    countdown: reactive[bool] = reactive(False)
    """Count-ins are counted down: 3, 2, 1."""

    def render(self) -> str:
        if self.beats <= 0:
            return ""
        shown = self.beats - self.count + 1 if self.countdown else self.count
        if self.beats > 12:
            return f"{shown}/{self.beats}"
        dots = " ".join("●" if index < self.count else "○" for index in range(self.beats))
        return f"{dots}   {shown}"
