"""Sound for a session: cues mixed into sample-exact buffers and played with simpleaudio,
or nothing at all (silent mode, or no sound device) while the screen carries the cues."""

from __future__ import annotations

from tempo_coach.audio.device import describe_error, probe_audio
from tempo_coach.audio.player import CuePlayer, FailureHandler
from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.audio.sound_bank import SoundBank, SoundFormatError
from tempo_coach.core.clock import Clock
from tempo_coach.paths import sounds_dir


def make_player(
    clock: Clock, *, audio_enabled: bool, volume: float, on_failure: FailureHandler | None
) -> tuple[CuePlayer, str | None, frozenset[str] | None]:
    """The player for this session, a one-line notice if sound was wanted but is unavailable,
    and the voice recordings there are (for `plan_cues`; None when nothing is heard).

    Call it before the UI starts: probing silences ALSA's error output for the whole process
    and opens one silent stream, so the first cue is not late.
    """
    if not audio_enabled:
        return SilentPlayer(), None, None
    try:
        bank = SoundBank(sounds_dir())
    except (OSError, SoundFormatError) as error:
        reason = describe_error(error)
        return SilentPlayer(), f"Sounds not loaded ({reason}): visual cues only.", None
    status = probe_audio()
    if not status.available:
        return SilentPlayer(), status.notice, None
    from tempo_coach.audio.simpleaudio_player import SimpleaudioPlayer  # needs simpleaudio

    player = SimpleaudioPlayer(clock, bank, volume=volume, on_failure=on_failure)
    refused = player.warm_up()
    if refused is not None:
        return SilentPlayer(), refused, None
    spoken = frozenset(name for name in bank.names() if name.startswith("voice/"))
    return player, None, spoken
