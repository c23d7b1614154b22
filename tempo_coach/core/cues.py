"""What is heard when: the cues of a stretch of the timeline, as sound names at offsets.

Pure planning, shared by every player: the audio adapter only mixes the named sounds at the
given offsets. Sound names are file stems under ``sounds/`` ("click", "phase_eccentric",
"voice/hinge").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AudioMode = Literal["both", "clicks", "voice", "silent"]
"""Clicks and voice, clicks only, voice only, or nothing (screen and optional bell)."""

AUDIO_MODES: tuple[AudioMode, ...] = ("both", "clicks", "voice", "silent")


@dataclass(frozen=True, order=True)
class Cue:
    """One sound, `at_ms` after the start of the stretch being played."""

    at_ms: int
    sound: str
