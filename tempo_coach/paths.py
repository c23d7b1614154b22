"""Where Tempo Coach finds its bundled files and keeps the user's own, in one place."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "tempo-coach"
_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A bundled folder: inside the installed package, or beside the source tree."""
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def bundled_workouts_dir() -> Path:
    return _bundled("workouts")


def bundled_programmes_dir() -> Path:
    return _bundled("programmes")


def sounds_dir() -> Path:
    return _bundled("sounds")


def user_workouts_dir() -> Path:
    """The user's own workout files (``~/.local/share/tempo-coach/workouts`` on Linux)."""
    return user_data_path(APP_NAME) / "workouts"


def user_programmes_dir() -> Path:
    """The user's own programme files (``~/.local/share/tempo-coach/programmes``)."""
    return user_data_path(APP_NAME) / "programmes"


def programme_state_path() -> Path:
    """Which programme the lifter follows and since when (a small JSON file)."""
    return user_data_path(APP_NAME) / "programme.json"
