"""The player for silent mode and for machines without sound: the screen carries the cues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # an annotation only: the picker's first frame needs no cue planning
    from tempo_coach.core.cues import Cue


class SilentPlayer:
    """A `CuePlayer` that plays nothing, so the engine runs the same with or without sound."""

    def play(self, cues: Sequence[Cue], origin: float) -> None:
        """Nothing to schedule: every cue is shown on screen instead."""

    def stop(self) -> None:
        """Nothing is playing."""
