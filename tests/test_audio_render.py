"""Loading sounds and mixing cues into a buffer: pure numpy, checked to the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.render import render
from tempo_coach.audio.sound_bank import SoundBank, SoundFormatError
from tempo_coach.core.cues import Cue
from tempo_coach.paths import sounds_dir

from .audio_harness import write_wav

TICK = np.array([9000, -6000, 3000, -1500, 700], np.int16)
RAMP = np.arange(1, 883, dtype=np.int16) * 10  # 20 ms, every sample different
LOUD = np.full(441, 23000, np.int16)  # 0.70 of full scale, as loud as a bundled cue


@pytest.fixture
def bank(tmp_path: Path) -> SoundBank:
    write_wav(tmp_path / "tick.wav", TICK)
    write_wav(tmp_path / "ramp.wav", RAMP)
    write_wav(tmp_path / "loud.wav", LOUD)
    write_wav(tmp_path / "loud_negative.wav", -LOUD)
    write_wav(tmp_path / "voice" / "hinge.wav", RAMP[:100])
    return SoundBank(tmp_path)


def test_bank_names_sounds_by_their_path_stem(bank: SoundBank) -> None:
    assert bank.names() == ["loud", "loud_negative", "ramp", "tick", "voice/hinge"]
    assert bank.has("voice/hinge") and not bank.has("voice/nope") and not bank.has("hinge")
    assert np.array_equal(bank.samples("tick") * 32768, TICK)
    assert not bank.samples("tick").flags.writeable


def test_bank_loads_the_bundled_sounds() -> None:
    bundled = SoundBank(sounds_dir())
    assert {"click", "click_accent", "phase_eccentric", "voice/hinge", "voice/three"} <= set(
        bundled.names()
    )


@pytest.mark.parametrize(
    ("rate", "channels", "found"),
    [(48000, 1, "48000 Hz, 1 channel(s), 16-bit"), (44100, 2, "44100 Hz, 2 channel(s), 16-bit")],
)
def test_bank_rejects_other_formats_naming_the_file(
    tmp_path: Path, rate: int, channels: int, found: str
) -> None:
    write_wav(tmp_path / "odd.wav", np.zeros(100, np.int16), rate=rate, channels=channels)
    with pytest.raises(SoundFormatError) as raised:
        SoundBank(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'odd.wav'}: expected 44100 Hz mono 16-bit PCM, got {found}"
    )


def test_bank_rejects_a_file_that_is_not_a_wav(tmp_path: Path) -> None:
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(SoundFormatError, match=r"text\.wav: not a PCM WAV file"):
        SoundBank(tmp_path)


def test_bank_needs_its_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SoundBank(tmp_path / "missing")


def test_each_sound_starts_at_its_exact_sample(bank: SoundBank) -> None:
    offsets_ms = [0, 1, 5, 123, 1000, 2501]  # 1 ms is 44.1 samples: rounding matters
    cues = [Cue(at, "tick") for at in offsets_ms]
    buffer = render(cues, bank, volume=1.0, lead_in_samples=100)
    starts = [100 + round(at * 44100 / 1000) for at in offsets_ms]
    assert starts == [100, 144, 320, 5524, 44200, 110394]
    expected = np.zeros(starts[-1] + len(TICK), np.int16)
    for start in starts:
        expected[start : start + len(TICK)] = TICK
    assert np.array_equal(buffer, expected)  # ends where the last sound ends


def test_a_lone_bundled_sound_is_rendered_bit_exact() -> None:
    bundled = SoundBank(sounds_dir())
    buffer = render([Cue(0, "click_accent")], bundled, volume=1.0, lead_in_samples=0)
    assert np.array_equal(buffer, np.rint(bundled.samples("click_accent") * 32768))


def test_overlapping_sounds_add_up(bank: SoundBank) -> None:
    both = render([Cue(0, "ramp"), Cue(2, "tick")], bank, volume=1.0, lead_in_samples=0)
    ramp = render([Cue(0, "ramp")], bank, volume=1.0, lead_in_samples=0)
    tick = render([Cue(2, "tick")], bank, volume=1.0, lead_in_samples=0)
    tick = np.pad(tick, (0, len(ramp) - len(tick)))
    assert np.array_equal(both, ramp + tick)
    assert both[88] == RAMP[88] + TICK[0]


@pytest.mark.parametrize("sound", ["loud", "loud_negative"])
def test_many_loud_sounds_at_once_never_wrap_around(bank: SoundBank, sound: str) -> None:
    sign = 1 if sound == "loud" else -1
    levels = [
        int(render([Cue(0, sound)] * count, bank, volume=1.0, lead_in_samples=0)[0]) * sign
        for count in (1, 2, 3, 10, 100)
    ]
    assert levels[0] == 23000  # below the knee: untouched
    assert levels == sorted(levels)  # louder with every sound added, never folding back
    assert 32000 < levels[-1] <= (32767 if sign == 1 else 32768)  # int16 is asymmetric


def test_volume_scales_the_mix(bank: SoundBank) -> None:
    full = render([Cue(0, "ramp"), Cue(3, "tick")], bank, volume=1.0, lead_in_samples=10)
    half = render([Cue(0, "ramp"), Cue(3, "tick")], bank, volume=0.5, lead_in_samples=10)
    off = render([Cue(0, "ramp"), Cue(3, "tick")], bank, volume=0.0, lead_in_samples=10)
    assert np.abs(half.astype(np.int32) - full / 2).max() <= 1
    assert len(off) == len(full) and not off.any()


def test_unknown_sounds_are_skipped(bank: SoundBank) -> None:
    known = render([Cue(10, "tick")], bank, volume=1.0, lead_in_samples=5)
    mixed = render(
        [Cue(0, "nope"), Cue(10, "tick"), Cue(900, "voice/nope")],
        bank,
        volume=1.0,
        lead_in_samples=5,
    )
    assert np.array_equal(mixed, known)
    assert len(render([Cue(0, "nope")], bank, volume=1.0, lead_in_samples=5)) == 0
