"""Mixes a stretch of cues into one buffer, each sound at an exact sample offset.

A sound laid out in a buffer ahead of time is heard exactly where it was put; one device
call per sound would inherit every stream opening's jitter (milliseconds).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from tempo_coach.audio.sound_bank import FULL_SCALE, SAMPLE_RATE, Samples, SoundBank
from tempo_coach.core.cues import Cue

KNEE = 0.8
"""Up to this fraction of full scale the mix passes unchanged (every bundled sound peaks
below it), so a lone sound is rendered bit-exact; louder sums bend smoothly towards full
scale instead of clipping harshly or wrapping around."""


def render(
    cues: Sequence[Cue],
    bank: SoundBank,
    *,
    volume: float,
    lead_in_samples: int,
    sample_rate: int = SAMPLE_RATE,
) -> npt.NDArray[np.int16]:
    """Mono int16 samples with each cue's sound starting at
    ``lead_in_samples + round(at_ms * sample_rate / 1000)``, ending where the last sound ends.

    Overlapping sounds add up; `volume` (0.0–1.0) scales the mix. Sounds the bank does not
    have are skipped rather than failing a session over one missing word.
    """
    placed = [
        (lead_in_samples + round(cue.at_ms * sample_rate / 1000), bank.samples(cue.sound))
        for cue in cues
        if bank.has(cue.sound)
    ]
    if any(start < 0 for start, _ in placed):
        raise ValueError("a cue falls before the start of the buffer")
    mix = np.zeros(max((start + len(sound) for start, sound in placed), default=0), np.float32)
    for start, sound in placed:
        mix[start : start + len(sound)] += sound
    mix *= np.float32(volume)
    _soft_limit(mix)
    mix *= np.float32(FULL_SCALE)
    np.rint(mix, out=mix)
    np.clip(mix, -FULL_SCALE, FULL_SCALE - 1, out=mix)  # tanh can round up to full scale
    return mix.astype(np.int16)


def _soft_limit(mix: Samples) -> None:
    """Bend samples above the knee towards full scale (tanh), in place."""
    loud = np.flatnonzero(np.abs(mix) > KNEE)
    if loud.size:
        peaks = mix[loud]
        over = (np.abs(peaks) - KNEE) / (1 - KNEE)
        mix[loud] = np.sign(peaks) * (KNEE + (1 - KNEE) * np.tanh(over))
