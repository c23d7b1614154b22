"""Plays cues through simpleaudio as pre-mixed buffers, one per stretch of sound.

Each cue is placed by sample offset inside a buffer, which the device plays exactly; only
the start of each buffer depends on when its stream opens. So a session is cut into few
buffers: a new one only after a silence of at least two seconds, or every ninety seconds or
so (at the largest gap) to keep buffers a few megabytes.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import simpleaudio  # type: ignore[import-untyped]

from tempo_coach.audio.device import DEVICE_LOST_NOTICE, NO_DEVICE_NOTICE
from tempo_coach.audio.player import FailureHandler
from tempo_coach.audio.render import render
from tempo_coach.audio.sound_bank import SAMPLE_RATE, SoundBank
from tempo_coach.core.clock import Clock
from tempo_coach.core.cues import Cue

MAX_GAP_MS = 2000
"""A silence this long ends a buffer: no point keeping a stream busy with nothing."""
MAX_CHUNK_MS = 90_000
"""About 8 MB of 16-bit audio: longer stretches are split at their largest gap."""
MIX_AHEAD_S = 0.5
"""Chunks are mixed this long before their stream opens: a long one takes tens of ms, more
than the lead-in, and mixing it any earlier would only delay a volume change."""
WARM_UP_MS = 20
WATCH_S = 0.25
"""How often a playing stream is checked: a lost device is noticed within a second."""
STALL_S = 0.5
"""A stream that stops this long before its end has stopped early; one that stops this soon
after it opened belongs to a device not paced in real time (a file), never watched again."""


class Playback(Protocol):
    """What `play_buffer` returns (simpleaudio's PlayObject)."""

    def stop(self) -> None: ...

    def is_playing(self) -> bool: ...


PlayBuffer = Callable[[npt.NDArray[np.int16], int, int, int], Playback]
"""``play_buffer(samples, channels, bytes_per_sample, sample_rate)``, as in simpleaudio."""
T = TypeVar("T")


class Offload(Protocol):
    """Runs a blocking call away from the event loop: `in_thread`, or inline in tests."""

    def __call__(self, work: Callable[[], T], /) -> Awaitable[T]: ...


async def in_thread(work: Callable[[], T]) -> T:
    """Mixing takes up to tens of ms and opening a stream a few: more than a frame."""
    return await asyncio.to_thread(work)


def split_into_chunks(
    cues: Sequence[Cue],
    bank: SoundBank,
    *,
    max_gap_ms: int = MAX_GAP_MS,
    max_chunk_ms: int = MAX_CHUNK_MS,
) -> list[list[Cue]]:
    """The cues in time order, cut wherever at least `max_gap_ms` passes between the end of
    every sound so far and the next cue, then each run cut down to `max_chunk_ms`."""
    runs: list[list[Cue]] = []
    end = 0.0
    for cue in sorted(cues):
        if not runs or cue.at_ms - end >= max_gap_ms:
            runs.append([])
            end = cue.at_ms
        runs[-1].append(cue)
        end = max(end, _end_ms(cue, bank))
    return [piece for run in runs for piece in _cap(run, bank, max_chunk_ms)]


def _end_ms(cue: Cue, bank: SoundBank) -> float:
    length = len(bank.samples(cue.sound)) if bank.has(cue.sound) else 0
    return cue.at_ms + length * 1000 / SAMPLE_RATE


def _cap(run: list[Cue], bank: SoundBank, max_ms: int) -> list[list[Cue]]:
    """Split `run` at its largest gaps until every piece is at most `max_ms` long.

    Among the places a first piece would fit, those leaving it at least half the limit are
    preferred, so one big early gap cannot make a string of short buffers.
    """
    pieces: list[list[Cue]] = []
    while True:
        start = run[0].at_ms
        ends = list(itertools.accumulate((_end_ms(cue, bank) for cue in run), max))
        if len(run) == 1 or ends[-1] - start <= max_ms:
            pieces.append(run)
            return pieces
        fits = [i for i in range(1, len(run)) if ends[i - 1] - start <= max_ms] or [1]
        fits = [i for i in fits if ends[i - 1] - start >= max_ms / 2] or fits
        cut = max(fits, key=lambda i: (run[i].at_ms - ends[i - 1], i))
        pieces.append(run[:cut])
        run = run[cut:]


class SimpleaudioPlayer:
    """The real `CuePlayer`: one asyncio task keeps the schedule on the injected clock; the
    work it schedules runs in a thread (`offload`), never on the event loop the screen
    draws from: cutting the cues into chunks, mixing each chunk half a second ahead, and
    opening its stream `lead_in_ms` before its first cue, with just enough silence ahead of
    that cue (measured just before the stream opens) for it to land on time.

    If the device fails mid-session, `on_failure` gets one notice, on the event loop, and
    every later call is a no-op; nothing is raised into the engine. `play_buffer` and
    `offload` are replaceable for unit tests.
    """

    def __init__(
        self,
        clock: Clock,
        bank: SoundBank,
        *,
        volume: float = 1.0,
        on_failure: FailureHandler | None = None,
        lead_in_ms: float = 40,
        play_buffer: PlayBuffer = simpleaudio.play_buffer,
        offload: Offload = in_thread,
    ) -> None:
        self._clock = clock
        self._bank = bank
        self.volume = volume
        self._on_failure = on_failure
        self._lead_in_samples = round(lead_in_ms * SAMPLE_RATE / 1000)
        self._play_buffer = play_buffer
        self._offload = offload
        self._task: asyncio.Task[None] | None = None
        self._lock = threading.Lock()
        """Guards `_playing` and `_schedule`: streams open in a thread, stop on the loop."""
        self._playing: list[Playback] = []
        self._schedule = 0
        """Counts `play`/`stop` calls: a stream opened for an older schedule is stopped."""
        self._warmed_up = False
        self._failure: str | None = None
        self._watched: list[tuple[Playback, float, float]] = []
        """Streams playing, with when they opened and when they should end (clock time)."""
        self._watcher: asyncio.Task[None] | None = None
        self._unpaced = False
        """The device plays faster than real time (ALSA's file or null plugin): nothing to
        watch, since every stream ends at once."""

    @property
    def volume(self) -> float:
        """0.0 to 1.0; a change is heard from the next chunk mixed, not the one playing."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"volume must be between 0.0 and 1.0, not {value}")
        self._volume = value

    def warm_up(self) -> str | None:
        """Play 20 ms of silence (once), so no cue waits on the process's slow first stream.

        Returns a notice if the device refused it; the player then stays silent. The notice
        is returned rather than sent to `on_failure`: the caller is still starting up and
        chooses another player.
        """
        if self._failure is None and not self._warmed_up:
            self._warmed_up = True
            silence = np.zeros(round(WARM_UP_MS * SAMPLE_RATE / 1000), np.int16)
            try:
                self._playing.append(self._play_buffer(silence, 1, 2, SAMPLE_RATE))
            except Exception:
                self._failure = NO_DEVICE_NOTICE
        return self._failure

    def play(self, cues: Sequence[Cue], origin: float) -> None:
        """Replace the schedule with `cues` at ``origin + at_ms/1000``; see `CuePlayer`.

        Whatever is sounding is cut off too: its buffer holds the old schedule's later cues.
        Call it from the running event loop, which runs the playing task.
        """
        self.stop()
        if self._failure is None:
            now = self._clock.now()
            due = [cue for cue in cues if origin + cue.at_ms / 1000 >= now]
            if due:
                task = self._play_chunks(due, origin, self._schedule)
                self._task = asyncio.get_running_loop().create_task(task)

    def stop(self) -> None:
        for task in (self._task, self._watcher):
            if task is not None:
                task.cancel()
        self._task = self._watcher = None
        self._silence()

    def _silence(self) -> None:
        with self._lock:
            self._schedule += 1
            playing, self._playing = self._playing, []
            self._watched = []
        for playback in playing:
            playback.stop()

    def _lost(self) -> None:
        """The device went away: one notice, silence, and every later call a no-op."""
        self._failure = DEVICE_LOST_NOTICE
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._silence()
        if self._on_failure is not None:
            self._on_failure(self._failure)

    async def _watch(self, schedule: int) -> None:
        """Notice a device lost mid-stream within a second, rather than at the next stream
        (which in a continuous set may be minutes away): a stream that stops early is a
        lost device if a new one cannot be opened."""
        while schedule == self._schedule and self._failure is None and not self._unpaced:
            await self._clock.sleep_until(self._clock.now() + WATCH_S)
            now = self._clock.now()
            with self._lock:
                stopped = [
                    watched
                    for watched in self._watched
                    if not watched[0].is_playing() and now < watched[2] - STALL_S
                ]
            for watched in stopped:
                if now - watched[1] < STALL_S:
                    self._unpaced = True
                    return
                try:
                    await self._offload(self._probe)
                except Exception:  # the device refuses a new stream: it is gone
                    self._lost()
                    return
                with self._lock:
                    if watched in self._watched:
                        self._watched.remove(watched)

    def _probe(self) -> None:
        """Open and close 10 ms of silence: raises if the device is gone."""
        self._play_buffer(np.zeros(SAMPLE_RATE // 100, np.int16), 1, 2, SAMPLE_RATE).stop()

    async def _play_chunks(self, cues: list[Cue], origin: float, schedule: int) -> None:
        pad = self._lead_in_samples
        chunks = await self._offload(functools.partial(split_into_chunks, cues, self._bank))
        for chunk in chunks:
            first = chunk[0].at_ms
            start = origin + first / 1000
            opening = start - pad / SAMPLE_RATE
            await self._clock.sleep_until(opening - MIX_AHEAD_S)
            mix = functools.partial(
                render,
                [Cue(cue.at_ms - first, cue.sound) for cue in chunk],
                self._bank,
                volume=self._volume,
                lead_in_samples=pad,
            )
            samples = await self._offload(mix)
            await self._clock.sleep_until(opening)
            try:
                await self._offload(functools.partial(self._start, samples, start, schedule))
            except Exception:  # a device that refuses a stream mid-session is gone
                self._lost()
                return
            if self._watcher is None and not self._unpaced and schedule == self._schedule:
                self._watcher = asyncio.get_running_loop().create_task(self._watch(schedule))

    def _start(self, samples: npt.NDArray[np.int16], start: float, schedule: int) -> None:
        """Open the chunk's stream (in the offload thread), keeping only as much of the
        silence as is left until its first cue, or cutting into the cue if it is late."""
        pad = self._lead_in_samples
        lead = min(round((start - self._clock.now()) * SAMPLE_RATE), pad)
        head = pad - lead
        if head >= len(samples) or schedule != self._schedule:
            return
        playback = self._play_buffer(samples[head:], 1, 2, SAMPLE_RATE)
        opened = self._clock.now()
        ends = opened + (len(samples) - head) / SAMPLE_RATE
        with self._lock:
            current = schedule == self._schedule
            if current:
                self._playing = [*(p for p in self._playing if p.is_playing()), playback]
                self._watched.append((playback, opened, ends))
        if not current:  # stopped or replaced while the stream opened
            playback.stop()
