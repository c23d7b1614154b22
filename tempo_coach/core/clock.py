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


_FINISH_BLOCKING_S = 0.002
"""The last stretch before a deadline is slept without the event loop."""
_KERNEL_SLACK_FACTOR = 0.998
"""Leaves room for the kernel's 0.1 % timer slack on long waits."""


class MonotonicClock:
    """The real clock: ``time.monotonic`` and the event loop's timers."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep_until(self, deadline: float) -> None:
        # epoll waits in whole milliseconds (rounded up) and the kernel lets a poll-type wait
        # overshoot by 0.1 % of its length (timer slack: 87 ms after a 90 s rest). So aim
        # short by both, then finish with a nanosleep, precise to about 0.1 ms, which holds
        # the loop for under 2 ms. Measured (benchmarks/metronome.py), at a 1 s beat: p99
        # lateness 2.3 ms before, 0.4 ms after.
        while (remaining := deadline - time.monotonic()) > _FINISH_BLOCKING_S:
            await asyncio.sleep(remaining * _KERNEL_SLACK_FACTOR - _FINISH_BLOCKING_S)
        if remaining > 0:
            time.sleep(remaining)
