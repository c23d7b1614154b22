"""The simpleaudio player's scheduling, on a fake clock with a recording `play_buffer`.

Only here is `play_buffer` replaced; tests/test_audio_device.py plays through real ALSA.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pytest

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.audio.simpleaudio_player import SimpleaudioPlayer, split_into_chunks
from tempo_coach.audio.sound_bank import SoundBank
from tempo_coach.core.cues import Cue

from .audio_harness import onsets, write_wav

T = TypeVar("T")
PAD = 1764  # the default 40 ms lead-in, in samples
BEAT = 13230  # 300 ms
TICK = np.array([20000, -12000, 6000], np.int16)
RAMP = np.arange(1, 883, dtype=np.int16) * 30  # 20 ms, every sample different


class FakeClock:
    """Time stands still until the test moves it, stopping at each sleeper's deadline."""

    def __init__(self, start: float) -> None:
        self.time = start
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        return self.time

    async def sleep_until(self, deadline: float) -> None:
        if deadline > self.time:
            waking: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._sleepers.append((deadline, waking))
            await waking

    async def advance_to(self, time: float) -> None:
        """Wake each sleeper due by `time` in turn, at its deadline (or now, if later)."""
        while True:
            await settle()
            due = [sleeper for sleeper in self._sleepers if sleeper[0] <= time]
            if not due:
                break
            deadline, waking = min(due, key=lambda sleeper: sleeper[0])
            self._sleepers.remove((deadline, waking))
            self.time = max(self.time, deadline)
            if not waking.done():  # not cancelled meanwhile
                waking.set_result(None)
        self.time = max(self.time, time)
        await settle()


async def settle() -> None:
    """Let every runnable task run up to its next wait."""
    for _ in range(10):
        await asyncio.sleep(0)


@dataclass
class FakePlayback:
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True

    def is_playing(self) -> bool:
        return not self.stopped


@dataclass
class Device:
    """Records each buffer handed to `play_buffer`, and the clock time it was handed over."""

    clock: FakeClock
    calls: list[tuple[float, npt.NDArray[np.int16], FakePlayback]] = field(default_factory=list)
    error: Exception | None = None

    def play_buffer(
        self, samples: npt.NDArray[np.int16], channels: int, width: int, rate: int
    ) -> FakePlayback:
        assert (channels, width, rate, samples.dtype.name) == (1, 2, 44100, "int16")
        if self.error is not None:
            raise self.error
        playback = FakePlayback()
        self.calls.append((self.clock.now(), samples.copy(), playback))
        return playback

    def onsets(self, call: int) -> list[int]:
        return onsets(self.calls[call][1], threshold=1000, refractory=100)


@pytest.fixture
def bank(tmp_path: Path) -> SoundBank:
    write_wav(tmp_path / "tick.wav", TICK)
    write_wav(tmp_path / "ramp.wav", RAMP)
    write_wav(tmp_path / "long.wav", np.full(44100 * 3, 100, np.int16))  # 3 s, quiet
    return SoundBank(tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


@pytest.fixture
def device(clock: FakeClock) -> Device:
    return Device(clock)


async def inline(work: Callable[[], T]) -> T:
    """Runs the player's blocking work at once, so the fake clock decides every step."""
    return work()


@pytest.fixture
def player(clock: FakeClock, bank: SoundBank, device: Device) -> SimpleaudioPlayer:
    return SimpleaudioPlayer(clock, bank, play_buffer=device.play_buffer, offload=inline)


def ticks(*at_ms: int) -> list[Cue]:
    return [Cue(at, "tick") for at in at_ms]


async def test_a_five_second_gap_makes_two_streams_each_opened_one_lead_in_early(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play(ticks(0, 300, 600, 5600, 5900), origin=101.0)
    await clock.advance_to(100.95)
    assert device.calls == []  # mixed by now, but not yet handed to the device
    await clock.advance_to(100.96)
    assert [at for at, _, _ in device.calls] == [100.96]
    assert device.onsets(0) == [PAD, PAD + BEAT, PAD + 2 * BEAT]
    assert len(device.calls[0][1]) == PAD + 2 * BEAT + len(TICK)
    await clock.advance_to(106.56)
    assert [at for at, _, _ in device.calls] == pytest.approx([100.96, 106.56])
    assert device.onsets(1) == [PAD, PAD + BEAT]


async def test_a_stream_opened_late_is_cut_so_its_cues_keep_their_times(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play([Cue(0, "ramp"), Cue(300, "tick")], origin=101.0)
    clock.time = 101.01  # the event loop was busy until 10 ms past the first cue
    await clock.advance_to(101.01)
    samples = device.calls[0][1]
    assert samples[0] == RAMP[441]
    assert device.onsets(0)[-1] == BEAT - 441


async def test_a_cue_due_sooner_than_the_lead_in_gets_the_silence_that_is_left(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play(ticks(0), origin=100.01)
    await clock.advance_to(100.0)
    assert device.onsets(0) == [441]


async def test_cues_already_past_are_dropped(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play(ticks(0, 300, 1500), origin=99.0)  # 99.0 and 99.3 are gone
    await clock.advance_to(100.46)
    assert len(device.calls) == 1
    assert device.onsets(0) == [PAD]


async def test_stop_silences_the_stream_and_cancels_what_is_scheduled(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play(ticks(0, 5000), origin=101.0)
    await clock.advance_to(100.96)
    player.stop()
    assert device.calls[0][2].stopped
    await clock.advance_to(110.0)
    assert len(device.calls) == 1


async def test_play_replaces_the_schedule(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play(ticks(0, 3000), origin=101.0)
    await clock.advance_to(100.96)
    player.play(ticks(0), origin=102.0)  # e.g. the lifter paused and resumed
    assert device.calls[0][2].stopped  # the old buffer holds the old schedule
    await clock.advance_to(110.0)
    assert [at for at, _, _ in device.calls] == pytest.approx([100.96, 101.96])


async def test_a_long_sound_bridges_a_gap_between_cues(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.play([Cue(0, "long"), Cue(4000, "tick")], origin=101.0)
    await clock.advance_to(110.0)
    assert len(device.calls) == 1
    assert device.onsets(0) == [PAD + 4 * 44100]


async def test_a_failing_device_is_reported_once_and_then_left_alone(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device, bank: SoundBank
) -> None:
    notices: list[str] = []
    player = SimpleaudioPlayer(
        clock, bank, on_failure=notices.append, play_buffer=device.play_buffer, offload=inline
    )
    player.play(ticks(0), origin=101.0)
    await clock.advance_to(101.0)
    device.error = RuntimeError("Error opening PCM device. -- CODE: -19 -- MSG: No such device")
    player.play(ticks(0, 5000), origin=102.0)
    await clock.advance_to(110.0)
    assert notices == ["The sound device was lost: the cues are on screen only from here on."]
    assert device.calls[0][2].stopped
    device.error = None
    player.play(ticks(0), origin=111.0)
    await clock.advance_to(120.0)
    player.stop()
    assert len(device.calls) == 1 and len(notices) == 1


async def test_warm_up_plays_silence_once(player: SimpleaudioPlayer, device: Device) -> None:
    assert player.warm_up() is None
    assert player.warm_up() is None
    assert len(device.calls) == 1
    samples = device.calls[0][1]
    assert len(samples) == 882 and not samples.any()


async def test_a_refused_warm_up_returns_the_notice_and_the_player_stays_silent(
    clock: FakeClock, device: Device, bank: SoundBank
) -> None:
    notices: list[str] = []
    player = SimpleaudioPlayer(
        clock, bank, on_failure=notices.append, play_buffer=device.play_buffer, offload=inline
    )
    device.error = RuntimeError("Error opening PCM device. -- CODE: -2 -- MSG: No such file")
    assert player.warm_up() == "No sound device: the cues are on screen only."
    device.error = None
    player.play(ticks(0), origin=101.0)
    await clock.advance_to(110.0)
    assert device.calls == [] and notices == []


async def test_volume_applies_to_the_next_chunk_mixed(
    player: SimpleaudioPlayer, clock: FakeClock, device: Device
) -> None:
    player.volume = 0.5
    player.play(ticks(0), origin=101.0)
    await clock.advance_to(101.0)
    assert np.array_equal(device.calls[0][1][PAD:], TICK // 2)
    with pytest.raises(ValueError, match=r"between 0\.0 and 1\.0"):
        player.volume = 1.5
    assert player.volume == 0.5


def test_runs_split_after_two_seconds_of_silence(bank: SoundBank) -> None:
    long = Cue(0, "long")  # exactly 3 s of sound
    assert split_into_chunks([long, *ticks(4999)], bank) == [[long, *ticks(4999)]]
    assert split_into_chunks([long, *ticks(5000)], bank) == [[long], ticks(5000)]
    assert split_into_chunks(ticks(2500, 0, 300), bank) == [ticks(0, 300), ticks(2500)]
    assert split_into_chunks([], bank) == []


def test_long_runs_are_capped_and_split_at_their_largest_gap(bank: SoundBank) -> None:
    beats = [*range(0, 60_000, 1000), *range(61_500, 200_000, 1000)]  # 1.5 s gap at 60 s
    chunks = split_into_chunks(ticks(*beats), bank)
    assert [cue for chunk in chunks for cue in chunk] == ticks(*beats)
    assert chunks[0][-1].at_ms == 59_000  # the largest gap, not simply the 90 s mark
    assert all(chunk[-1].at_ms - chunk[0].at_ms <= 90_000 for chunk in chunks)
    assert len(chunks) == 3


def test_a_big_gap_early_on_does_not_make_a_short_chunk(bank: SoundBank) -> None:
    beats = [0, *range(1900, 150_000, 1000)]  # 1.9 s gap after the first beat
    chunks = split_into_chunks(ticks(*beats), bank)
    assert len(chunks[0]) > 40


def test_the_silent_player_plays_nothing() -> None:
    silent = SilentPlayer()
    silent.play(ticks(0, 300), origin=0.0)
    silent.stop()


async def test_mixing_and_opening_run_off_the_event_loop(
    clock: FakeClock, bank: SoundBank, device: Device
) -> None:
    """By default the blocking work goes to a thread; the loop only keeps the schedule."""
    threads: list[str] = []
    opened = asyncio.Event()
    loop = asyncio.get_running_loop()

    def play_buffer(
        samples: npt.NDArray[np.int16], channels: int, width: int, rate: int
    ) -> FakePlayback:
        threads.append(threading.current_thread().name)
        loop.call_soon_threadsafe(opened.set)
        return device.play_buffer(samples, channels, width, rate)

    player = SimpleaudioPlayer(clock, bank, play_buffer=play_buffer)
    player.play(ticks(0), origin=101.0)
    await clock.advance_to(101.0)
    await asyncio.wait_for(opened.wait(), timeout=5)  # a thread hop, not a timed wait
    assert threads and threads[0] != threading.current_thread().name
    player.stop()


async def test_a_stream_that_opens_as_the_session_stops_is_stopped(
    clock: FakeClock, bank: SoundBank, device: Device
) -> None:
    """The thread opening a stream races a pause on the loop: the stream must not play on."""
    player: SimpleaudioPlayer | None = None

    def play_buffer(
        samples: npt.NDArray[np.int16], channels: int, width: int, rate: int
    ) -> FakePlayback:
        playback = device.play_buffer(samples, channels, width, rate)
        assert player is not None
        player.stop()  # the lifter paused while the device was opening
        return playback

    player = SimpleaudioPlayer(clock, bank, play_buffer=play_buffer, offload=inline)
    player.play(ticks(0), origin=101.0)
    await clock.advance_to(101.0)
    assert [playback.stopped for _, _, playback in device.calls] == [True]


async def test_a_device_lost_mid_stream_is_noticed_within_a_second(
    clock: FakeClock, device: Device, bank: SoundBank
) -> None:
    """In a continuous set the next stream may be minutes away: a stream that stops early,
    on a device that then refuses a new one, is a lost device, said within a second."""
    notices: list[str] = []
    player = SimpleaudioPlayer(
        clock, bank, on_failure=notices.append, play_buffer=device.play_buffer, offload=inline
    )
    player.play([Cue(0, "long"), *ticks(1000, 2000, 2900)], origin=101.0)
    await clock.advance_to(101.6)
    assert len(device.calls) == 1 and notices == []
    device.calls[0][2].stopped = True  # the stream died with the device
    device.error = RuntimeError("Error opening PCM device. -- CODE: -19 -- MSG: No such device")
    await clock.advance_to(102.6)
    assert notices == ["The sound device was lost: the cues are on screen only from here on."]


async def test_a_stream_that_ends_early_on_a_working_device_is_not_a_loss(
    clock: FakeClock, device: Device, bank: SoundBank
) -> None:
    notices: list[str] = []
    player = SimpleaudioPlayer(
        clock, bank, on_failure=notices.append, play_buffer=device.play_buffer, offload=inline
    )
    player.play([Cue(0, "long"), *ticks(1000, 2000, 2900)], origin=101.0)
    await clock.advance_to(101.6)
    device.calls[0][2].stopped = True  # stopped early, but the device still opens streams
    await clock.advance_to(103.0)
    assert notices == []
    player.stop()


async def test_a_device_faster_than_real_time_is_never_watched(
    clock: FakeClock, device: Device, bank: SoundBank
) -> None:
    """ALSA's file plugin plays a 3 s buffer in milliseconds: that is not a lost device,
    and probing it would cut the recording short."""
    notices: list[str] = []
    player = SimpleaudioPlayer(
        clock, bank, on_failure=notices.append, play_buffer=device.play_buffer, offload=inline
    )
    player.play([Cue(0, "long"), *ticks(1000, 2000, 2900)], origin=101.0)
    await clock.advance_to(100.97)
    assert len(device.calls) == 1
    device.calls[0][2].stopped = True  # "played" at once
    await clock.advance_to(104.0)
    assert notices == [] and len(device.calls) == 1  # no probe stream was opened
    player.stop()
