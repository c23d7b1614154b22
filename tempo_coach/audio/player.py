"""The port the session engine plays sound through; adapters live beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from tempo_coach.core.cues import Cue

FailureHandler = Callable[[str], None]
"""Called once with a one-line notice when the sound device fails mid-session."""


class CuePlayer(Protocol):
    """Plays cues at exact times on the engine's clock."""

    def play(self, cues: Sequence[Cue], origin: float) -> None:
        """Replace whatever is scheduled with `cues`, each heard at ``origin + at_ms/1000``
        on the engine's clock. Cues already in the past are dropped."""
        ...

    def stop(self) -> None:
        """Silence everything now, scheduled or playing."""
        ...
