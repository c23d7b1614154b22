"""The user's config file before it is validated: where it is, and the settings read before
anything is validated (the theme for the first frame, the units for `show`), without pydantic.

Validating the settings takes pydantic and the workout models, which cost more than the
rest of the picker's start-up together; the app paints in the theme named here and
validates the whole file (`tempo_coach.settings.load_settings`) just after its first frame.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_config_path

from tempo_coach.catalog import read_file_bytes
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.paths import APP_NAME

if TYPE_CHECKING:
    from tempo_coach.core.models import LoadUnit


def config_path() -> Path:
    """``~/.config/tempo-coach/config.toml`` on Linux."""
    return user_config_path(APP_NAME) / "config.toml"


@dataclass(frozen=True)
class ConfigFile:
    """The config file, not yet validated, and the theme and units it names (None: none,
    or not readable as one; validating the file then reports any problem)."""

    path: Path
    theme: str | None
    units: LoadUnit | None = None


UNIT_SPELLINGS: dict[str, LoadUnit] = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
"""How `units` may be written, in any case: the plural a lifter may well type too."""


def unit_named(value: object) -> LoadUnit | None:
    """The unit `value` spells (None: it is not one), for the settings and this reader."""
    return UNIT_SPELLINGS.get(value.strip().lower()) if isinstance(value, str) else None


def read_config_file(path: Path | None = None) -> ConfigFile:
    """The config file's theme and units, read as the settings are (a regular file only,
    bounded) but without validating anything else."""
    path = path or config_path()
    if not path.exists():
        return ConfigFile(path, None)
    try:
        table = tomllib.loads(read_file_bytes(path).decode("utf-8"))
    except (WorkoutFileError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ConfigFile(path, None)
    theme, units = table.get("theme"), table.get("units")
    return ConfigFile(
        path,
        theme if isinstance(theme, str) else None,
        unit_named(units),
    )
