"""Sound for a session: cues mixed into sample-exact buffers and played with simpleaudio,
or nothing at all (silent mode, or no sound device) while the screen carries the cues.

Importing this package costs nothing: numpy, simpleaudio and the sounds load in
`open_sound`, which the full-screen app calls in a thread after its
first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tempo_coach.audio.device import (
    describe_error,
    quiet_stderr,
    silence_alsa_errors,
)
from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.core.clock import Clock
from tempo_coach.paths import sounds_dir

if TYPE_CHECKING:  # annotations only: the picker's first frame needs no models
    from collections.abc import Iterable

    from tempo_coach.audio.player import CuePlayer, FailureHandler
    from tempo_coach.core.cues import PrepareSpeech, Spoken
    from tempo_coach.core.timeline import Timeline


@dataclass(frozen=True)
class Sound:
    """What `open_sound` found: the player, a one-line notice if sound was wanted but is
    unavailable (or speech could not be prepared), the sounds there are with their lengths
    (for `CuePlan`; None when nothing is heard), and how to prepare more speech later."""

    player: CuePlayer
    notice: str | None
    spoken: Spoken | None
    prepare_speech: PrepareSpeech | None = None


def open_sound(
    clock: Clock,
    *,
    audio_enabled: bool,
    volume: float,
    on_failure: FailureHandler | None,
    guard_stderr: bool = True,
    timelines: Iterable[Timeline] = (),
    speak_cues: bool = False,
    speech_voice: str = "en-us",
    speech_speed: int = 175,
    speech_volume: float = 1.0,
) -> Sound:
    """The player for this session and what goes with it (see `Sound`).

    The speech the `timelines` need (see `speech_texts`) is synthesized or taken from the
    cache now, before any session starts, at `speech_volume`: call this off the event
    loop. Without espeak-ng the notice says so and recorded words are used.

    The device is probed by the player's own warm-up stream (so the first cue is not late),
    with ALSA's error output silenced for the whole process. `guard_stderr` also points fd 2
    at /dev/null meanwhile; a full-screen app draws on fd 2 and passes False.
    """
    if not audio_enabled:
        return Sound(SilentPlayer(), None, None)
    from tempo_coach.audio.sound_bank import SoundBank, SoundFormatError  # numpy

    silence_alsa_errors()
    try:
        bank = SoundBank(sounds_dir())
    except (OSError, SoundFormatError) as error:
        reason = describe_error(error)
        return Sound(SilentPlayer(), f"Sounds not loaded ({reason}): visual cues only.", None)
    try:
        from tempo_coach.audio.simpleaudio_player import SimpleaudioPlayer  # needs simpleaudio
    except ImportError:
        notice = (
            "No sound: simpleaudio is not installed (`./dev run` installs it); the cues are"
            " on screen only."
        )
        return Sound(SilentPlayer(), notice, None)
    player = SimpleaudioPlayer(clock, bank, volume=volume, on_failure=on_failure)
    with quiet_stderr(guard_stderr):
        refused = player.warm_up()
    if refused is not None:
        return Sound(SilentPlayer(), refused, None)
    from tempo_coach.audio.speech import SpeechPreparer

    speech = SpeechPreparer(
        bank, voice=speech_voice, speed=speech_speed, volume=speech_volume, speak_cues=speak_cues
    )
    spoken, speech_notice = speech.prepare(list(timelines))
    return Sound(player, speech_notice, spoken, speech.prepare)
