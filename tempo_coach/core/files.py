"""What a workout file is on disk, for code that must not load the models to ask (the
catalog lists folders and reads files before it knows whether pydantic is needed at all)."""

from __future__ import annotations

WORKOUT_SUFFIX = ".toml"

MAX_WORKOUT_BYTES = 256 * 1024
"""The largest workout file read; the biggest real one is a few KiB."""
