"""Widgets of the session screen; each only renders what it is given."""

from tempo_coach.tui.widgets.beat_dots import BeatDots
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.big_timer import BigTimer
from tempo_coach.tui.widgets.rep_counter import RepCounter

__all__ = ["BeatDots", "BigText", "BigTimer", "RepCounter"]
