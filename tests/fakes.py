"""Test doubles for the ports the core is given: a clock that only moves when told to."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Sequence

from tempo_coach.core.cues import Cue


class FakeClock:
    """A clock whose time moves only in `advance_to`, waking sleepers in deadline order.

    Whole workouts run in milliseconds: `run_until` jumps from one deadline to the next.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep_until(self, deadline: float) -> None:
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (deadline, next(self._order), future))
        await future

    @property
    def next_deadline(self) -> float | None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)  # cancelled sleepers
        return self._sleepers[0][0] if self._sleepers else None

    async def settle(self) -> None:
        """Let every task that can run, run, without moving time."""
        for _ in range(30):
            await asyncio.sleep(0)

    async def advance_to(self, moment: float) -> None:
        """Move time to `moment`, waking each sleeper at its own deadline on the way."""
        await self.settle()
        while (deadline := self.next_deadline) is not None and deadline <= moment:
            _, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            future.set_result(None)
            await self.settle()
        self._now = max(self._now, moment)
        await self.settle()

    async def advance(self, seconds: float) -> None:
        await self.advance_to(self._now + seconds)

    async def run_until_idle(self, limit: float = 24 * 3600) -> None:
        """Advance deadline by deadline until nothing sleeps (done, or waiting on a person)."""
        await self.settle()
        while (deadline := self.next_deadline) is not None and deadline <= self._now + limit:
            await self.advance_to(deadline)


class RecordingPlayer:
    """A CuePlayer that remembers what it was asked to play, for checking the engine's calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[Cue], float]] = []
        self.stops = 0

    def play(self, cues: Sequence[Cue], origin: float) -> None:
        self.calls.append((list(cues), origin))

    def stop(self) -> None:
        self.stops += 1


class InstantClock:
    """A clock that jumps straight to every deadline it is asked to wait for: a whole
    session runs in milliseconds with nobody driving it (for the CLI's plain mode, which
    builds its own clock)."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    async def sleep_until(self, deadline: float) -> None:
        self._now = max(self._now, deadline)
        await asyncio.sleep(0)
