"""One module per screen."""

from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.screens.picker import PickerScreen
from tempo_coach.tui.screens.quit import QuitDialog
from tempo_coach.tui.screens.session import SessionScreen
from tempo_coach.tui.screens.summary import SummaryScreen

__all__ = ["HelpScreen", "PickerScreen", "QuitDialog", "SessionScreen", "SummaryScreen"]
