"""Real audio on machines without a sound card: ALSA's `default` device sent into a file.

alsa-lib reads its configuration once per process, so code that plays is run in a fresh
Python started with the environment built here. Note that the `null` slave does not pace
the stream: a buffer is written to the file as fast as ALSA can copy it, so the file shows
*what* was played, sample for sample, and its modification time *when* the stream opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 44100


def _file_pcm(out: Path, slave: str) -> str:
    return textwrap.dedent(f"""\
        pcm.!default {{
          type file
          slave.pcm {slave}
          file "{out}"
          format "raw"
        }}
    """)


def alsa_to_file(home: Path) -> tuple[dict[str, str], Path]:
    """An environment whose `default` PCM writes raw PCM to the returned path (each new
    stream truncates it), via ``$HOME/.asoundrc`` in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    out = home / "out.raw"
    (home / ".asoundrc").write_text(_file_pcm(out, '"null"'))
    environment = {**os.environ, "HOME": str(home)}
    environment.pop("ALSA_CONFIG_PATH", None)
    return environment, out


def alsa_config_to_file(folder: Path) -> tuple[dict[str, str], Path, Path]:
    """Like `alsa_to_file`, but as the whole ALSA configuration (``ALSA_CONFIG_PATH``).

    alsa-lib re-reads that file when it is replaced (new inode), unlike ``.asoundrc``, so a
    test can break the device in the middle of a session. Returns the environment, the output
    file and the configuration file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    out, config = folder / "out.raw", folder / "alsa.conf"
    config.write_text(_file_pcm(out, "{ type null }"))
    environment = {**os.environ, "HOME": str(folder), "ALSA_CONFIG_PATH": str(config)}
    return environment, out, config


def no_alsa_device(home: Path) -> dict[str, str]:
    """An environment with the system's own ALSA configuration and an empty HOME."""
    home.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "HOME": str(home)}
    environment.pop("ALSA_CONFIG_PATH", None)
    return environment


def machine_has_sound_card() -> bool:
    cards = Path("/proc/asound/cards")
    return cards.is_file() and "no soundcards" not in cards.read_text()


def run_python(
    program: str, environment: dict[str, str], timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run `program` in a fresh interpreter from the repository root."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_raw(path: Path) -> npt.NDArray[np.int16]:
    """Raw mono 16-bit little-endian samples, as the `file` plugin writes them."""
    return np.fromfile(path, dtype="<i2").astype(np.int16)


def read_wav(path: Path) -> npt.NDArray[np.int16]:
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)


def onsets(
    samples: npt.NDArray[np.int16], *, threshold: int = 3000, refractory: int = 4410
) -> list[int]:
    """Indices of the first sample louder than `threshold` after at least `refractory`
    samples (100 ms at 44.1 kHz) without one: where each separate sound begins."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return []
    starts = np.concatenate(([True], np.diff(loud) > refractory))
    return [int(index) for index in loud[starts]]


def write_wav(
    path: Path, samples: npt.NDArray[np.int16], *, rate: int = SAMPLE_RATE, channels: int = 1
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())
