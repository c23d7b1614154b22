"""Tempo notation as lifters write it: ``4-1-X-2``, ``41X2``, ``4/1/X/2``, ``10-0-X-0``.

The four parts are, in order, the eccentric (lowering), the pause in the stretched
position, the concentric (lifting) and the pause in the contracted position. Each is a
whole number of counts, or ``X`` for "explosive": a short phase whose length the
workout decides (one beat unless it says otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from tempo_coach.core.text import quote

EXPLOSIVE: Final[Literal["X"]] = "X"
"""The marker for an explosive part, written ``X`` (or ``x``)."""

TempoPart = int | Literal["X"]
"""A number of counts, or ``"X"`` for explosive."""

PART_NAMES: Final = ("lowering", "bottom pause", "lifting", "top pause")
"""What each of the four parts means, in the order they are written."""

MAX_TEMPO_COUNTS: Final = 60
"""The longest part a tempo may give, in counts: a minute at one second a count."""

_SEPARATORS: Final = re.compile(r"[-/:.,\s]+")
_DIGITS: Final = re.compile(r"[0-9]+")
"""ASCII digits only: `str.isdigit` also accepts "²", which `int` cannot read."""


class TempoError(ValueError):
    """A tempo string that cannot be read; the message is a sentence a lifter can act on."""


@dataclass(frozen=True)
class Tempo:
    """The four parts of a tempo, in the standard written order."""

    eccentric: TempoPart
    stretched_pause: TempoPart
    concentric: TempoPart
    contracted_pause: TempoPart

    @property
    def parts(self) -> tuple[TempoPart, TempoPart, TempoPart, TempoPart]:
        return (self.eccentric, self.stretched_pause, self.concentric, self.contracted_pause)

    def __str__(self) -> str:
        return format_tempo(self)


def parse_tempo(text: str) -> Tempo:
    """Read a tempo string in any of the common spellings.

    Raises:
        TempoError: with a sentence naming what is wrong, quoting the input.
    """
    cleaned, shown = text.strip(), quote(text)
    if not cleaned:
        raise TempoError('"": a tempo has four parts, like 4-1-X-2')
    if _SEPARATORS.search(cleaned):
        pieces = [piece for piece in _SEPARATORS.split(cleaned) if piece]
    else:
        pieces = list(cleaned)
        if len(pieces) > 4 and _DIGITS.fullmatch(cleaned):
            raise TempoError(
                f"{shown}: a part longer than one digit needs separators, like 10-0-X-0"
            )
    for piece in pieces:
        if not (_DIGITS.fullmatch(piece) or piece in ("x", EXPLOSIVE)):
            raise TempoError(f"{shown}: each tempo part must be a number of seconds or X")
    if len(pieces) != 4:
        raise TempoError(
            f"{shown}: a tempo has four parts (lowering, bottom pause, lifting, top pause),"
            f" this one has {len(pieces)}"
        )
    parts = [_part(piece, shown) for piece in pieces]
    tempo = Tempo(parts[0], parts[1], parts[2], parts[3])
    if all(part == 0 for part in tempo.parts):
        raise TempoError(f"{shown}: a rep must take some time; at least one part must not be 0")
    return tempo


def _part(piece: str, shown: str) -> TempoPart:
    if piece in ("x", EXPLOSIVE):
        return EXPLOSIVE
    digits = piece.lstrip("0") or "0"
    # The length is checked before `int`, which refuses thousands of digits.
    if len(digits) > len(str(MAX_TEMPO_COUNTS)) or int(digits) > MAX_TEMPO_COUNTS:
        raise TempoError(f"{shown}: each tempo part must be at most {MAX_TEMPO_COUNTS} counts")
    return int(digits)


def format_tempo(tempo: Tempo) -> str:
    """The canonical spelling, ``4-1-X-2``: always dashes, so multi-digit parts stay clear."""
    return "-".join(str(part) for part in tempo.parts)
