"""One module per screen."""

from tempo_coach.tui.screens.confirm import ConfirmDialog
from tempo_coach.tui.screens.customize import CustomizeScreen
from tempo_coach.tui.screens.history import HistoryScreen
from tempo_coach.tui.screens.picker import PickerScreen
from tempo_coach.tui.screens.session import SessionScreen
from tempo_coach.tui.screens.stopwatch import StopwatchScreen
from tempo_coach.tui.screens.summary import SummaryScreen

__all__ = [
    "ConfirmDialog",
    "CustomizeScreen",
    "HistoryScreen",
    "PickerScreen",
    "SessionScreen",
    "StopwatchScreen",
    "SummaryScreen",
]
