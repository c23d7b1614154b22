"""Real simpleaudio through real ALSA, each run in a fresh process (alsa-lib caches its
configuration per process): what reaches the device, and what happens without one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tempo_coach import audio
from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.core.clock import MonotonicClock

from .audio_harness import (
    REPO,
    SAMPLE_RATE,
    alsa_config_to_file,
    alsa_to_file,
    machine_has_sound_card,
    no_alsa_device,
    onsets,
    read_raw,
    read_wav,
    run_python,
)

BEAT = round(0.3 * SAMPLE_RATE)  # 300 ms
CLICKS = 20
ACCENTED = {0, 8, 16}
LEAD_IN = round(0.040 * SAMPLE_RATE)

needs_no_card = pytest.mark.skipif(machine_has_sound_card(), reason="this machine has sound")

PLAY_CLICKS = f"""
    import asyncio, json, time
    from tempo_coach.audio import open_sound
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.core.cues import Cue

    async def main():
        clock = MonotonicClock()
        failures = []
        sound = open_sound(
            clock, audio_enabled=True, volume=1.0, on_failure=failures.append)
        player, notice, spoken = sound.player, sound.notice, sound.spoken
        cues = [Cue(i * 300, "click_accent" if i in {sorted(ACCENTED)} else "click")
                for i in range({CLICKS})]
        played_at = clock.now()
        origin = played_at + 0.2
        wall_offset = time.time() - clock.now()
        player.play(cues, origin)
        await clock.sleep_until(origin + cues[-1].at_ms / 1000 + 0.3)
        print(json.dumps({{
            "player": type(player).__name__, "notice": notice, "failures": failures,
            "voices": len(spoken or ()), "origin_wall": origin + wall_offset,
            "played_at_wall": played_at + wall_offset,
            "ended_wall": clock.now() + wall_offset,
        }}))

    asyncio.run(main())
"""


def test_clicks_reach_the_device_sample_exact_and_on_time(tmp_path: Path) -> None:
    environment, out = alsa_to_file(tmp_path / "home")
    done = run_python(PLAY_CLICKS, environment)
    assert done.returncode == 0, done.stderr
    assert "ALSA lib" not in done.stderr
    report = json.loads(done.stdout)
    assert report["player"] == "SimpleaudioPlayer" and report["notice"] is None
    assert report["failures"] == [] and report["voices"] > 20

    recorded = read_raw(out)
    click, accent = (
        read_wav(REPO / "sounds" / f"{name}.wav") for name in ("click", "click_accent")
    )
    sounds = [accent if i in ACCENTED else click for i in range(CLICKS)]
    heard = onsets(recorded)
    assert len(heard) == CLICKS
    # Where each sound starts: its onset less the silence at the head of its own file.
    starts = [at - onsets(sound)[0] for at, sound in zip(heard, sounds, strict=True)]
    for start, sound in zip(starts, sounds, strict=True):
        assert np.array_equal(recorded[start : start + len(sound)], sound)
    assert all(abs(interval - BEAT) <= 1 for interval in np.diff(starts))

    lead = starts[0]  # the silence left ahead of the first click
    assert 0 < lead <= LEAD_IN
    assert len(recorded) == lead + (CLICKS - 1) * BEAT + len(click)  # nothing else, nothing cut

    # ALSA's null device does not pace the stream, so the file is written as soon as the
    # stream opens: its time says when that was. The first click was asked for at origin.
    stream_start = report["origin_wall"] - lead / SAMPLE_RATE
    opened_late = out.stat().st_mtime_ns / 1e9 - stream_start
    print(
        f"\nlead-in {lead} samples ({1000 * lead / SAMPLE_RATE:.1f} ms), stream written "
        f"{1000 * opened_late:+.1f} ms after it should have started, play() called "
        f"{1000 * (report['origin_wall'] - report['played_at_wall']):.0f} ms ahead, "
        f"intervals {sorted(set(np.diff(starts).tolist()))}"
    )
    # File times are kept to the kernel tick (up to 10 ms, rounded down).
    assert -0.02 < opened_late < 0.15  # not at play() time (0.16 s early), nor long after
    duration = (len(recorded) - lead) / SAMPLE_RATE
    assert report["ended_wall"] - report["origin_wall"] >= duration


NO_DEVICE = """
    import json
    from tempo_coach.audio import open_sound
    from tempo_coach.core.clock import MonotonicClock

    sound = open_sound(
        MonotonicClock(), audio_enabled=True, volume=1.0, on_failure=print)
    player, notice, spoken = sound.player, sound.notice, sound.spoken
    print(json.dumps({"player": type(player).__name__, "notice": notice, "spoken": spoken}))
"""


@needs_no_card
def test_without_a_device_the_probe_says_so_quietly(tmp_path: Path) -> None:
    done = run_python(NO_DEVICE, no_alsa_device(tmp_path / "empty-home"))
    assert done.returncode == 0, done.stderr
    assert "ALSA lib" not in done.stderr
    report = json.loads(done.stdout)
    assert report["notice"] == "No sound device: the cues are on screen only."
    assert report["player"] == "SilentPlayer"
    assert report["spoken"] is None


@needs_no_card
@pytest.mark.parametrize("silenced", [False, True])
def test_silencing_alsa_keeps_its_messages_off_the_terminal(tmp_path: Path, silenced: bool) -> None:
    """Without the handler ALSA prints (so the check above can fail); with it, it does not."""
    program = f"""
        import simpleaudio
        from tempo_coach.audio.device import silence_alsa_errors
        if {silenced}:
            silence_alsa_errors()
            silence_alsa_errors()
        try:
            simpleaudio.play_buffer(bytes(100), 1, 2, 44100)
        except Exception as error:
            print(error)
    """
    done = run_python(program, no_alsa_device(tmp_path / "empty-home"))
    assert done.stdout.startswith("Error opening PCM device")
    assert ("ALSA lib" in done.stderr) is not silenced


def test_open_sound_in_silent_mode_touches_no_device(tmp_path: Path) -> None:
    program = """
        from tempo_coach.audio import open_sound
        from tempo_coach.core.clock import MonotonicClock
        sound = open_sound(
            MonotonicClock(), audio_enabled=False, volume=1.0, on_failure=print)
        player, notice, spoken = sound.player, sound.notice, sound.spoken
        print(type(player).__name__, notice, spoken)
    """
    done = run_python(program, no_alsa_device(tmp_path / "empty-home"))
    assert (done.stdout, done.stderr) == ("SilentPlayer None None\n", "")


def test_open_sound_without_its_sounds_falls_back_to_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audio, "sounds_dir", lambda: tmp_path / "missing")
    sound = audio.open_sound(MonotonicClock(), audio_enabled=True, volume=1.0, on_failure=None)
    player, notice, spoken = sound.player, sound.notice, sound.spoken
    assert isinstance(player, SilentPlayer) and spoken is None
    assert (
        notice == f"Sounds not loaded (No sounds folder at {tmp_path / 'missing'}): "
        "visual cues only."
    )


MID_SESSION = """
    import asyncio, json, os
    from pathlib import Path
    import numpy as np
    from tempo_coach.audio.device import silence_alsa_errors
    from tempo_coach.audio.simpleaudio_player import SimpleaudioPlayer
    from tempo_coach.audio.sound_bank import SoundBank
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.core.cues import Cue
    from tempo_coach.paths import sounds_dir

    OUT = Path({out!r})
    CONFIG = Path({config!r})

    async def main():
        silence_alsa_errors()
        clock = MonotonicClock()
        failures = []
        player = SimpleaudioPlayer(clock, SoundBank(sounds_dir()), on_failure=failures.append)
        assert player.warm_up() is None
        two_clicks = [Cue(0, "click"), Cue(200, "click")]
        player.play(two_clicks, clock.now() + 0.1)
        await clock.sleep_until(clock.now() + 0.5)
        before = np.count_nonzero(np.abs(np.fromfile(OUT, "<i2")) > 3000)
        # The device goes away: the next stream cannot be opened.
        new = CONFIG.with_suffix(".new")
        new.write_text('pcm.!default {{ type plug slave.pcm "unplugged" }}')
        os.replace(new, CONFIG)
        for _ in range(3):
            player.play(two_clicks, clock.now() + 0.1)
            await clock.sleep_until(clock.now() + 0.2)
        player.stop()
        print(json.dumps({{"failures": failures, "loud_samples_before": int(before)}}))

    asyncio.run(main())
"""


def test_a_device_lost_mid_session_is_reported_once_and_nothing_raises(tmp_path: Path) -> None:
    environment, out, config = alsa_config_to_file(tmp_path / "alsa")
    done = run_python(MID_SESSION.format(out=str(out), config=str(config)), environment)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no traceback, no "Task exception", no "ALSA lib"
    report = json.loads(done.stdout)
    assert report["loud_samples_before"] > 0  # it did play while the device was there
    assert report["failures"] == [
        "The sound device was lost: the cues are on screen only from here on."
    ]
