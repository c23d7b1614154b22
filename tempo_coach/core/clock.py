"""The clock everything that waits is given, so tests can run whole workouts in milliseconds.

Deadlines are absolute times on a monotonic clock: an engine that sleeps until
``origin + offset`` never accumulates the small lateness of each wake-up.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """A monotonic time source that can sleep until an absolute deadline."""

    def now(self) -> float:
        """Seconds on a monotonic scale (only differences are meaningful)."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return at (or as soon as possible after) `deadline`, never before it."""
        ...


class MonotonicClock:
    """The real clock: ``time.monotonic`` and the event loop's timers."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep_until(self, deadline: float) -> None:
        # The event loop may wake a little early (it rounds to its clock resolution), so
        # sleep again for any remainder rather than fire before the deadline.
        while (remaining := deadline - time.monotonic()) > 0:
            await asyncio.sleep(remaining)
