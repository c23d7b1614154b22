"""Every cue sound, decoded once at start-up so mixing a stretch of a session never reads disk."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 44100
"""The one format everything is in: 44.1 kHz mono 16-bit, as the bundled sounds are."""
FULL_SCALE = 32768
"""Float samples are int16 values divided by this, so a round trip is exact."""

Samples = npt.NDArray[np.float32]


class SoundFormatError(ValueError):
    """A sound file the mixer cannot use as it is (it would play at the wrong pitch or garbled)."""


class SoundBank:
    """The WAV files under a folder, as read-only float32 arrays named by their path stem.

    A file ``voice/hinge.wav`` under the folder is the sound ``"voice/hinge"``, the name a
    `Cue` uses. Raises `SoundFormatError` for any file that is not 44.1 kHz mono 16-bit PCM.
    """

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"No sounds folder at {folder}")
        self._sounds = {
            path.relative_to(folder).with_suffix("").as_posix(): load_wav(path)
            for path in sorted(folder.rglob("*.wav"))
        }

    def has(self, name: str) -> bool:
        return name in self._sounds

    def names(self) -> list[str]:
        return sorted(self._sounds)

    def samples(self, name: str) -> Samples:
        """The sound's samples in -1.0..1.0; KeyError if there is no such sound."""
        return self._sounds[name]

    def add(self, name: str, samples: Samples) -> None:
        """Hold a sound made at run time (prepared speech) under `name`, read-only like the
        files, so a session's mix can use it. Safe while a session mixes on another thread:
        the sounds are replaced as a whole, so a reader sees them before or after, never
        half-changed (a session uses a new sound only once its plan has its length)."""
        if samples.dtype != np.float32 or samples.ndim != 1:
            raise SoundFormatError(f"{name}: expected mono float32 samples")
        samples = samples.copy()
        samples.flags.writeable = False
        self._sounds = {**self._sounds, name: samples}

    def lengths_ms(self) -> dict[str, int]:
        """Every sound's length in milliseconds, rounded up: what the cue plan fits speech
        between (see `tempo_coach.core.cues.Spoken`)."""
        return {name: -(-len(sound) * 1000 // SAMPLE_RATE) for name, sound in self._sounds.items()}


def load_wav(path: Path) -> Samples:
    """A 44.1 kHz mono 16-bit WAV file's samples; `SoundFormatError` for anything else."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as error:
        raise SoundFormatError(f"{path}: not a PCM WAV file ({error})") from error
    if (rate, channels, width) != (SAMPLE_RATE, 1, 2):
        raise SoundFormatError(
            f"{path}: expected {SAMPLE_RATE} Hz mono 16-bit PCM, "
            f"got {rate} Hz, {channels} channel(s), {8 * width}-bit"
        )
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / np.float32(FULL_SCALE)
    samples.flags.writeable = False
    return samples
