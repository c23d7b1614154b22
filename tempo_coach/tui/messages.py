"""Messages the TUI passes around; engine events arrive wrapped in `EngineEvent`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # an annotation only: the picker's first frame needs no engine
    from tempo_coach.core.events import Event


class EngineEvent(Message):
    """An event from the session engine, reposted into Textual's message queue."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class WorkoutChosen(Message):
    """The lifter picked a workout to start."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class WorkoutSaved(Message):
    """A workout file was saved (Customize): its speech is prepared now, not at the next
    start."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
