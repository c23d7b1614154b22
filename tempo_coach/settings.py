"""The user's preferences, from ``config.toml`` in their config folder, validated by pydantic.

A broken config never stops a session: the defaults are used and the problem is reported.
The app reads the theme first without pydantic (`tempo_coach.config_file`) and validates
the file after its first frame.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tempo_coach.catalog import read_toml_file
from tempo_coach.config_file import config_path, unit_named
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.loading import parse_toml, validation_problems
from tempo_coach.core.models import AudioMode, LoadUnit
from tempo_coach.core.text import printable


class Settings(BaseModel):
    """How Tempo Coach cues a session."""

    model_config = ConfigDict(extra="forbid")

    audio_mode: AudioMode = "both"
    """What is heard: "both" (clicks and voice), "clicks", "voice" or "silent"."""
    volume: float = Field(default=1.0, ge=0, le=1)
    """Loudness of every cue, 0.0 to 1.0."""
    flash: bool = False
    """Flash the whole screen at each phase change and in the last seconds of a rest."""
    bell: bool = False
    """Ring the terminal bell as an extra cue at each phase change."""
    theme: str = "textual-dark"
    """A Textual theme name, e.g. "textual-dark" or "textual-light"."""
    speak_cues: bool = False
    """Say each phase's cue sentence ("Drive the hips back") as well as its name, wherever it
    fits before the next count; off by default, since a sentence every phase is a lot."""
    speech_voice: str = Field(default="en-us", pattern=r"^[A-Za-z0-9_+-]{1,40}$")
    """The espeak-ng voice for your own words (`espeak-ng --voices` lists them)."""
    speech_speed: int = Field(default=175, ge=80, le=450)
    """How fast your own words are said, in words per minute: faster fits more before the
    next count."""
    speech_volume: float = Field(default=1.0, ge=0, le=1)
    """Loudness of your own spoken words next to the other cues, 0.0 to 1.0."""
    units: LoadUnit = "kg"
    """How loads are shown and entered: "kg" or "lb" (the history stores kilograms)."""

    @field_validator("units", mode="before")
    @classmethod
    def _units_as_spelled(cls, value: object) -> object:
        """Read "lbs" and "KG" as "lb" and "kg", as the config reader does; anything else
        is refused as written."""
        return unit_named(value) or value

    adherence_tolerance: float = Field(default=0.2, gt=0, lt=1)
    """How far from its target (0.2 is ±20 %) a tapped lowering may land and still count
    toward the tempo-adherence score: a habit over weeks, so wider than "on tempo"."""


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a notice naming every problem if the file was broken and the
    defaults are used instead. Read like a workout file: only a regular file, bounded,
    UTF-8, every error with its line."""
    path = path or config_path()
    if not path.exists():
        return Settings(), None
    try:
        raw = parse_toml(read_toml_file(path), path)
    except WorkoutFileError as error:
        return Settings(), f"{printable(str(error))}; using default settings"
    try:
        return Settings.model_validate(raw), None
    except ValidationError as error:
        problems = "; ".join(
            str(problem) for problem in validation_problems(error.errors(), root=Settings)
        )
        return Settings(), f"{path}: {problems}; using default settings"
