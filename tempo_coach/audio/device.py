"""Whether there is a sound device, found out before any UI is on screen.

With no device, ALSA's C library writes ``ALSA lib ...`` lines straight to file descriptor 2,
below Python, where they would scribble over a full-screen UI. So its error handler is
replaced by a no-op for the whole process, and the probe also points fd 2 at /dev/null.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from tempo_coach.audio.sound_bank import SAMPLE_RATE

PROBE_SECONDS = 0.005
PROBE_TIMEOUT = 0.5
"""How long the probe waits for its few milliseconds of silence to finish playing."""

_ALSA_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_installed_handler: object = None
"""The no-op handler handed to ALSA, kept here so it is never garbage collected."""


@dataclass(frozen=True)
class AudioStatus:
    """The probe's answer: `notice` is the one line to show when `available` is False."""

    available: bool
    notice: str = ""


def silence_alsa_errors() -> None:
    """Stop ALSA printing to fd 2 for the rest of the process (idempotent; a no-op without
    libasound, e.g. on macOS or Windows)."""
    global _installed_handler
    if _installed_handler is not None:
        return
    try:
        alsa = ctypes.CDLL("libasound.so.2")
    except OSError:
        return
    handler = _ALSA_ERROR_HANDLER(lambda *_: None)
    alsa.snd_lib_error_set_handler(handler)
    _installed_handler = handler


def describe_error(error: BaseException) -> str:
    """A short reason from a simpleaudio error, which reads like
    ``Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory``."""
    head, _, rest = str(error).partition(" -- ")
    message = rest.rpartition("MSG: ")[2].strip()
    head = head.strip().rstrip(".") or type(error).__name__
    return f"{head}: {message}" if message else head


def probe_audio() -> AudioStatus:
    """Open the default device by playing a few milliseconds of silence. Never raises."""
    silence_alsa_errors()
    try:
        import simpleaudio  # type: ignore[import-untyped]
    except ImportError as error:
        return AudioStatus(
            False, f"No sound device (simpleaudio missing: {error}): visual cues only."
        )
    silence = bytes(2 * round(PROBE_SECONDS * SAMPLE_RATE))
    with _stderr_to_devnull():
        try:
            playing = simpleaudio.play_buffer(silence, 1, 2, SAMPLE_RATE)
            deadline = time.monotonic() + PROBE_TIMEOUT
            while playing.is_playing() and time.monotonic() < deadline:
                time.sleep(0.002)
        except Exception as error:
            return AudioStatus(
                False, f"No sound device ({describe_error(error)}): visual cues only."
            )
    return AudioStatus(True)


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Point fd 2 at /dev/null meanwhile: a second guard should ALSA print anyway."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # stderr None or closed
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2: there is nothing to protect
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
