"""Generate every audio cue Tempo Coach plays, into ``sounds/``.

The cues are synthesised (tones) or rendered with espeak-ng (spoken words) rather than
recorded, so they carry no licensing baggage and can be regenerated and tweaked from this one
file. Run ``python scripts/make_sounds.py [--out DIR]``; it needs numpy and the Debian package
``espeak-ng``. Output is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float64]

SAMPLE_RATE = 44100
PEAK_DBFS = -3.0
# The plain beat click sits a little below the other cues so the accented click stands out.
CLICK_PEAK_DBFS = -6.0
NOISE_SEED = 20240601

VOICE = "en-us"
VOICE_WPM = 190
# A word starts at its first sample above ONSET_THRESHOLD of its peak, so it lands on the beat;
# the quiet start of a leading f/th/h is dropped for that. It ends at its last sample above
# TAIL_THRESHOLD, which keeps trailing consonants whole.
ONSET_THRESHOLD = 0.10
TAIL_THRESHOLD = 0.02
FADE_S = 0.005
LEAD_IN_S = FADE_S  # the fade-in covers only the lead-in, never the onset itself
TAIL_S = 0.020

COUNT_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
PHASE_WORDS = (
    "hinge",
    "bottom",
    "drive",
    "squeeze",
    "lower",
    "curl",
    "hold",
    "lift",
    "pause",
    "up",
    "down",
    "catch",
    "reset",
)
OTHER_WORDS = (
    "set",
    "rest",
    "last rep",
    "switch sides",
    "ready",
    "done",
    "go",
    "setup",
    "left side",
    "right side",
    "get ready",
    "workout complete",
    "warm up",
    "work set",
    "last set",
    "left leg",
    "right leg",
)
VOICE_WORDS = COUNT_WORDS + PHASE_WORDS + OTHER_WORDS


def _db(dbfs: float) -> float:
    """Linear amplitude of a level in dBFS."""
    return float(10.0 ** (dbfs / 20.0))


def _times(duration_s: float) -> Audio:
    """Sample times, in seconds, for a sound of the given length."""
    return np.arange(round(duration_s * SAMPLE_RATE)) / SAMPLE_RATE


def _envelope(n: int, attack_s: float, release_s: float) -> Audio:
    """Raised-cosine fade in and out that starts and ends at exactly zero, so edges never click."""
    env = np.ones(n)
    attack = max(1, round(attack_s * SAMPLE_RATE))
    release = max(1, round(release_s * SAMPLE_RATE))
    env[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    env[n - release :] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(1, release + 1) / release)
    return env


def _normalise(audio: Audio, peak_dbfs: float = PEAK_DBFS) -> Audio:
    """Scale so the loudest sample sits at peak_dbfs."""
    return audio * (_db(peak_dbfs) / float(np.max(np.abs(audio))))


def _tone(
    start_hz: float,
    end_hz: float,
    duration_s: float,
    partials: tuple[tuple[float, float], ...] = ((1.0, 1.0),),
) -> Audio:
    """A tone gliding geometrically from start_hz to end_hz; partials are (multiple, level)."""
    n = round(duration_s * SAMPLE_RATE)
    freq = start_hz * (end_hz / start_hz) ** (np.arange(n) / n)
    phase = 2.0 * np.pi * (np.cumsum(freq) - freq[0]) / SAMPLE_RATE
    out = np.zeros(n)
    for multiple, level in partials:
        out += level * np.sin(multiple * phase)
    return out


def _ringing(freq_hz: float, duration_s: float, decay_s: float) -> Audio:
    """A sine that dies away exponentially with time constant decay_s."""
    t = _times(duration_s)
    return np.sin(2.0 * np.pi * freq_hz * t) * np.exp(-t / decay_s)


def _mix(notes: list[tuple[float, Audio]]) -> Audio:
    """Lay (start time in seconds, audio) pairs onto one buffer long enough for all of them."""
    starts = [round(start_s * SAMPLE_RATE) for start_s, _ in notes]
    out = np.zeros(max(start + len(audio) for start, (_, audio) in zip(starts, notes, strict=True)))
    for start, (_, audio) in zip(starts, notes, strict=True):
        out[start : start + len(audio)] += audio
    return out


def _woodblock(freq_hz: float, duration_s: float, decay_s: float) -> Audio:
    """A short knock: a fast-decaying body, an inharmonic overtone and a seeded noise strike."""
    t = _times(duration_s)
    noise = np.random.default_rng(NOISE_SEED).standard_normal(len(t))
    knock = (
        _ringing(freq_hz, duration_s, decay_s)
        + 0.4 * _ringing(freq_hz * 2.76, duration_s, decay_s / 2.0)
        + 0.3 * noise * np.exp(-t / 0.001)
    )
    return knock * _envelope(len(t), 0.0005, 0.005)


def click() -> Audio:
    """Beat click: a 30 ms woodblock knock at 1500 Hz."""
    return _normalise(_woodblock(1500.0, 0.030, 0.006), CLICK_PEAK_DBFS)


def click_accent() -> Audio:
    """Accented click for a phase start: higher, longer and louder than the beat click."""
    return _normalise(_woodblock(1900.0, 0.040, 0.010))


def _glide(start_hz: float, end_hz: float) -> Audio:
    """A 200 ms soft tone with a touch of second harmonic, gliding between two pitches."""
    tone = _tone(start_hz, end_hz, 0.200, ((1.0, 1.0), (2.0, 0.25)))
    return _normalise(tone * _envelope(len(tone), 0.010, 0.040))


def phase_eccentric() -> Audio:
    """Lowering: a tone falling a fifth, G5 to C5."""
    return _glide(784.0, 523.25)


def phase_hold() -> Audio:
    """Pause in the stretched position: a steady D5."""
    return _glide(587.33, 587.33)


def phase_concentric() -> Audio:
    """Lifting: a tone rising a fifth, C5 to G5."""
    return _glide(523.25, 784.0)


def phase_squeeze() -> Audio:
    """Top squeeze: two quick high E6 tones."""
    beep = _tone(1318.5, 1318.5, 0.070)
    beep *= _envelope(len(beep), 0.004, 0.020)
    return _normalise(_mix([(0.0, beep), (0.110, beep)]))


def rest_pip() -> Audio:
    """A pip for each of the last three seconds of a rest: 80 ms of A5."""
    pip = _tone(880.0, 880.0, 0.080, ((1.0, 1.0), (3.0, 0.1)))
    return _normalise(pip * _envelope(len(pip), 0.004, 0.030))


def _bell(freq_hz: float, duration_s: float) -> Audio:
    """A soft bell note: harmonic partials, the higher ones dying away sooner."""
    note = (
        _ringing(freq_hz, duration_s, 0.25)
        + 0.5 * _ringing(2.0 * freq_hz, duration_s, 0.12)
        + 0.2 * _ringing(3.0 * freq_hz, duration_s, 0.06)
    )
    return note * _envelope(len(note), 0.003, 0.080)


def set_complete() -> Audio:
    """A pleasant rising three-note chime, E5 G5 C6, 0.7 s."""
    return _normalise(
        _mix([(0.0, _bell(659.25, 0.5)), (0.1, _bell(784.0, 0.5)), (0.2, _bell(1046.5, 0.5))])
    )


def _brass(freq_hz: float, duration_s: float, release_s: float) -> Audio:
    """A bright sustained note (falling 1/k harmonics) for the fanfare."""
    note = _tone(freq_hz, freq_hz, duration_s, tuple((k, 1.0 / k) for k in (1.0, 2.0, 3.0, 4.0)))
    return note * _envelope(len(note), 0.012, release_s)


def session_complete() -> Audio:
    """A fanfare: C5 E5 G5 arpeggio landing on a held C major chord with C6 on top, 1.4 s."""
    return _normalise(
        _mix(
            [
                (0.00, _brass(523.25, 1.40, 0.50)),
                (0.12, _brass(659.25, 1.28, 0.50)),
                (0.24, _brass(784.0, 1.16, 0.50)),
                (0.36, _brass(1046.5, 1.04, 0.50)),
            ]
        )
    )


CUES: dict[str, Callable[[], Audio]] = {
    "click.wav": click,
    "click_accent.wav": click_accent,
    "phase_eccentric.wav": phase_eccentric,
    "phase_hold.wav": phase_hold,
    "phase_concentric.wav": phase_concentric,
    "phase_squeeze.wav": phase_squeeze,
    "rest_pip.wav": rest_pip,
    "set_complete.wav": set_complete,
    "session_complete.wav": session_complete,
}


def slug(text: str) -> str:
    """File stem for a spoken cue: lower case, spaces as underscores."""
    return text.lower().replace(" ", "_")


def _read_wav(path: Path) -> tuple[Audio, int]:
    """Samples (as floats in [-1, 1]) and sample rate of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
        rate = wav.getframerate()
    return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0, rate


def _resample(audio: Audio, rate: int) -> Audio:
    """Linearly interpolate audio recorded at rate onto SAMPLE_RATE."""
    source_t = np.arange(len(audio)) / rate
    target_t = np.arange(round(len(audio) * SAMPLE_RATE / rate)) / SAMPLE_RATE
    return np.interp(target_t, source_t, audio)


def _trim(audio: Audio) -> Audio:
    """Cut the silence around a word, keeping a few ms before its onset and after its end."""
    level = np.abs(audio) / np.max(np.abs(audio))
    onset = int(np.flatnonzero(level > ONSET_THRESHOLD)[0])
    last = int(np.flatnonzero(level > TAIL_THRESHOLD)[-1])
    start = max(0, onset - round(LEAD_IN_S * SAMPLE_RATE))
    end = min(len(audio), last + round(TAIL_S * SAMPLE_RATE))
    return audio[start:end]


def speak(espeak: str, text: str, workdir: Path) -> Audio:
    """Render text with espeak-ng, then resample, trim, fade and normalise it."""
    raw = workdir / "speech.wav"
    subprocess.run(
        [espeak, "-w", str(raw), "-s", str(VOICE_WPM), "-v", VOICE, text],
        check=True,
        capture_output=True,
    )
    samples, rate = _read_wav(raw)
    word = _trim(_resample(samples, rate))
    return _normalise(word * _envelope(len(word), FADE_S, FADE_S))


def write_wav(path: Path, audio: Audio) -> None:
    """Write audio as 44.1 kHz mono 16-bit PCM and report it."""
    pcm = np.round(audio * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())
    print(f"{path}  {len(pcm) / SAMPLE_RATE:.3f} s")


def main(argv: list[str] | None = None) -> int:
    """Write every cue into the output folder; return the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "sounds",
        help="folder to write into (default: the repository's sounds/)",
    )
    out: Path = parser.parse_args(argv).out

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        print(
            "make_sounds: espeak-ng not found; install the Debian package espeak-ng"
            " (apt-get install espeak-ng)",
            file=sys.stderr,
        )
        return 1

    (out / "voice").mkdir(parents=True, exist_ok=True)
    for name, make in CUES.items():
        write_wav(out / name, make())
    with tempfile.TemporaryDirectory() as tmp:
        for text in VOICE_WORDS:
            try:
                audio = speak(espeak, text, Path(tmp))
            except subprocess.CalledProcessError as err:
                reason = err.stderr.decode(errors="replace").strip() or f"exit {err.returncode}"
                print(f"make_sounds: espeak-ng failed on {text!r}: {reason}", file=sys.stderr)
                return 1
            write_wav(out / "voice" / f"{slug(text)}.wav", audio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
