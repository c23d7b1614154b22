"""Keeping ALSA quiet while the sound device is found out, and saying why there is none.

With no device, ALSA's C library writes ``ALSA lib ...`` lines straight to file descriptor 2,
below Python, where they would scribble over a full-screen UI. So its error handler is
replaced by a no-op for the whole process, and the probe also points fd 2 at /dev/null.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator

_ALSA_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_installed_handler: object = None
"""The no-op handler handed to ALSA, kept here so it is never garbage collected."""


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


NO_DEVICE_NOTICE = "No sound device: the cues are on screen only."
"""The one line shown when there is no sound to be had: plain words, not ALSA's."""

DEVICE_LOST_NOTICE = "The sound device was lost: the cues are on screen only from here on."
"""The one line shown when the device goes away mid-session."""


@contextlib.contextmanager
def quiet_stderr(guard: bool = True) -> Iterator[None]:
    """With `guard`, fd 2 points at /dev/null meanwhile (see `_stderr_to_devnull`)."""
    if not guard:
        yield
        return
    with _stderr_to_devnull():
        yield


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
