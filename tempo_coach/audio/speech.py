"""Speech for any text (the lifter's own phase names and cue sentences), synthesized
offline with espeak-ng before a session starts, never while it keeps the beat.

Synthesis takes tens of milliseconds a phrase, far too long for the path that mixes the
next stretch of cues, so every text a session can say is prepared up front, once, into a
per-user cache (``~/.cache/tempo-coach/speech``). A cached file is named by a hash of the
text, voice, speed and espeak-ng's version, so a changed setting or an upgraded
synthesizer makes new files instead of playing stale ones. A warm start runs no process at
all: even the version is remembered, per executable (its path, size and change time).

The sounds come out as the bank holds them (44.1 kHz mono, trimmed to the word as the
committed recordings are), so they mix into the same sample-exact buffers.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from platformdirs import user_cache_path

from tempo_coach.audio.sound_bank import (
    FULL_SCALE,
    SAMPLE_RATE,
    Samples,
    SoundBank,
    SoundFormatError,
    load_wav,
)
from tempo_coach.core.cues import Spoken, speech, speech_texts
from tempo_coach.core.timeline import Timeline
from tempo_coach.paths import APP_NAME

Runner = Callable[[Sequence[str]], bytes]
"""Runs a command and returns its standard output; raises OSError or CalledProcessError."""
Which = Callable[[str], str | None]
"""Finds an executable on the PATH, as `shutil.which` does."""

SYNTHESIZER = "espeak-ng"
TIMEOUT_S = 30
WORKERS = min(8, os.cpu_count() or 1)
"""espeak-ng processes run at once: a cold start makes dozens of phrases (every sentence
with its shortenings), each a process of its own; on two cores it takes half as long."""
PEAK = 10 ** (-3 / 20)
"""-3 dBFS, as the committed recordings: speech sits with the other words, below the
mixer's knee, so a lone phrase plays bit-exact."""
ONSET_THRESHOLD = 0.10
TAIL_THRESHOLD = 0.02
LEAD_S = 0.005
TAIL_S = 0.020
"""As in scripts/make_sounds.py: the word starts on its planned sample, its end kept whole."""
MISSING_NOTICE = (
    "No speech synthesizer (install espeak-ng): your own phase names and cues are not"
    " spoken; recorded words and clicks as usual."
)


def run_command(command: Sequence[str]) -> bytes:
    """The real `Runner`: the process's standard output, bounded in time."""
    done = subprocess.run(list(command), check=True, capture_output=True, timeout=TIMEOUT_S)
    return done.stdout


def cache_folder() -> Path:
    """``~/.cache/tempo-coach/speech`` on Linux: regenerable, so never in the data folder."""
    return user_cache_path(APP_NAME) / "speech"


def prepare_speech(
    texts: Iterable[str],
    *,
    voice: str,
    speed: int,
    folder: Path | None = None,
    runner: Runner = run_command,
    which: Which = shutil.which,
) -> tuple[dict[str, Samples], str | None]:
    """Each text's speech, by its sound name (``speech/<hash>``, see
    `tempo_coach.core.cues.speech`), from the cache or synthesized into it; and a one-line
    notice if some or all could not be made (no espeak-ng, a failing voice). Never raises
    for that: a session goes on with recorded words."""
    wanted = list(dict.fromkeys(text for text in texts if text.strip()))
    if not wanted:
        return {}, None
    program = which(SYNTHESIZER)
    if program is None:
        return {}, MISSING_NOTICE
    folder = folder or cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        version = _version(program, folder, runner)
    except (OSError, subprocess.SubprocessError) as error:
        return {}, _failed(error)

    def one(text: str) -> Samples:
        path = folder / f"{_key(version, voice, speed, text)}.wav"
        cached = _cached(path)
        if cached is None:
            cached = _synthesize(program, text, voice, speed, path, runner)
        return cached

    prepared: dict[str, Samples] = {}
    failure: Exception | None = None
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="speech") as pool:
        made = [(text, pool.submit(one, text)) for text in wanted]
        for text, future in made:
            try:
                prepared[speech(text)] = future.result()
            except (OSError, subprocess.SubprocessError, SoundFormatError) as error:
                failure = failure or error
    return prepared, None if failure is None else _failed(failure)


def _failed(error: Exception) -> str:
    """The notice for speech that could not be made: the first line of why."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"Speech not prepared ({reason}): recorded words and clicks only."


class SpeechPreparer:
    """Puts the speech workouts need into a sound bank, at the lifter's voice, speed and
    volume: for every workout there is before the first session, and again for one edited
    while the app runs (see `tempo_coach.core.cues.PrepareSpeech`).

    `speak_cues` is the user's setting (a workout's own choice wins, see `speech_texts`).
    One preparation at a time: two saves in a row never race to add to the bank.
    """

    def __init__(
        self,
        bank: SoundBank,
        *,
        voice: str,
        speed: int,
        volume: float,
        speak_cues: bool,
        folder: Path | None = None,
        runner: Runner = run_command,
        which: Which = shutil.which,
    ) -> None:
        self.bank = bank
        self._voice, self._speed, self._volume = voice, speed, volume
        self._speak_cues = speak_cues
        self._folder, self._runner, self._which = folder, runner, which
        self._lock = threading.Lock()

    def prepare(self, timelines: Sequence[Timeline]) -> tuple[Spoken, str | None]:
        """Synthesize (or read from the cache) the speech `timelines` need that the bank
        lacks; every sound's length then, and a notice if some could not be made."""
        with self._lock:
            names = set(self.bank.names())
            texts = [
                text
                for timeline in timelines
                for text in speech_texts(timeline, names, speak_cues=self._speak_cues)
                if speech(text) not in names
            ]
            prepared, notice = prepare_speech(
                texts,
                voice=self._voice,
                speed=self._speed,
                folder=self._folder,
                runner=self._runner,
                which=self._which,
            )
            for name, samples in prepared.items():
                self.bank.add(name, samples * np.float32(self._volume))
            return self.bank.lengths_ms(), notice


def _key(version: str, voice: str, speed: int, text: str) -> str:
    return hashlib.sha256("\0".join((version, voice, str(speed), text)).encode()).hexdigest()


def _version(program: str, folder: Path, runner: Runner) -> str:
    """espeak-ng's version line, asked once per installed executable and remembered."""
    info = Path(program).resolve().stat()
    stamp = hashlib.sha256(f"{program}\0{info.st_size}\0{info.st_mtime_ns}".encode()).hexdigest()
    remembered = folder / f"version-{stamp[:16]}.txt"
    try:
        return remembered.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    version = runner([program, "--version"]).decode(errors="replace").strip()
    _write_atomically(remembered, version.encode())
    return version


def _cached(path: Path) -> Samples | None:
    """The cached sound, or None if there is none (or it is broken: made again)."""
    try:
        return load_wav(path)
    except (FileNotFoundError, SoundFormatError):
        return None


def _synthesize(
    program: str, text: str, voice: str, speed: int, path: Path, runner: Runner
) -> Samples:
    # "--" keeps a text that starts with "-" from being read as an option.
    wav = runner([program, "--stdout", "-v", voice, "-s", str(speed), "--", text])
    samples = _shape(*_parse_wav(wav))
    pcm = np.rint(samples * FULL_SCALE).clip(-FULL_SCALE, FULL_SCALE - 1).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    _write_atomically(path, buffer.getvalue())
    return load_wav(path)


def _parse_wav(data: bytes) -> tuple[Samples, int]:
    """Mono 16-bit samples and rate of espeak-ng's output. Written to a pipe, its header
    cannot give the true length, so the frames are taken as far as they go."""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as error:
        raise SoundFormatError(f"{SYNTHESIZER} gave no WAV ({error})") from error
    if channels != 1 or width != 2:
        raise SoundFormatError(f"{SYNTHESIZER} gave {channels} channel(s), {8 * width}-bit")
    usable = len(frames) - len(frames) % 2
    samples = np.frombuffer(frames[:usable], "<i2").astype(np.float32) / np.float32(FULL_SCALE)
    return samples, rate


def _shape(samples: Samples, rate: int) -> Samples:
    """Resampled to the bank's rate, trimmed to the word and at the recordings' level."""
    if rate != SAMPLE_RATE and len(samples):
        source = np.arange(len(samples)) / rate
        target = np.arange(round(len(samples) * SAMPLE_RATE / rate)) / SAMPLE_RATE
        samples = np.interp(target, source, samples).astype(np.float32)
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak == 0.0:
        raise SoundFormatError(f"{SYNTHESIZER} said nothing")
    level = np.abs(samples) / peak
    start = max(0, int(np.flatnonzero(level > ONSET_THRESHOLD)[0]) - round(LEAD_S * SAMPLE_RATE))
    end = int(np.flatnonzero(level > TAIL_THRESHOLD)[-1]) + round(TAIL_S * SAMPLE_RATE)
    word = samples[start:end] * np.float32(PEAK / peak)
    fade = min(round(LEAD_S * SAMPLE_RATE), len(word) // 2)
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
    word[:fade] *= ramp
    word[len(word) - fade :] *= ramp[::-1]
    return word.astype(np.float32)


def _write_atomically(path: Path, data: bytes) -> None:
    """Into a temporary file beside `path`, then renamed: a crash or a second copy of the
    app never leaves a half-written file under the final name."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
