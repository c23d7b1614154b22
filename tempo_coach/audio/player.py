"""The port the session engine plays sound through.

It is defined in the core (the engine needs it and the core imports no audio code); the
adapters in this package implement it.
"""

from tempo_coach.core.cues import CuePlayer, FailureHandler

__all__ = ["CuePlayer", "FailureHandler"]
