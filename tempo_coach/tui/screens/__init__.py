"""One module per screen, each imported when first asked for: the app opens the picker
first, and loading every other screen before it would only delay its first frame."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tempo_coach.tui.screens.confirm import ConfirmDialog
    from tempo_coach.tui.screens.customize import CustomizeScreen
    from tempo_coach.tui.screens.history import HistoryScreen
    from tempo_coach.tui.screens.picker import PickerScreen
    from tempo_coach.tui.screens.session import SessionScreen
    from tempo_coach.tui.screens.stopwatch import StopwatchScreen
    from tempo_coach.tui.screens.summary import SummaryScreen

_MODULES = {
    "ConfirmDialog": "confirm",
    "CustomizeScreen": "customize",
    "HistoryScreen": "history",
    "PickerScreen": "picker",
    "SessionScreen": "session",
    "StopwatchScreen": "stopwatch",
    "SummaryScreen": "summary",
}

__all__ = [
    "ConfirmDialog",
    "CustomizeScreen",
    "HistoryScreen",
    "PickerScreen",
    "SessionScreen",
    "StopwatchScreen",
    "SummaryScreen",
]


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
