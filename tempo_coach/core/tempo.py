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

EXPLOSIVE: Final[Literal["X"]] = "X"
"""The marker for an explosive part, written ``X`` (or ``x``)."""

TempoPart = int | Literal["X"]
"""A number of counts, or ``"X"`` for explosive."""

PART_NAMES: Final = ("lowering", "bottom pause", "lifting", "top pause")
"""What each of the four parts means, in the order they are written."""

_SEPARATORS: Final = re.compile(r"[-/:.,\s]+")


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
    cleaned = text.strip()
    if not cleaned:
        raise TempoError('"": a tempo has four parts, like 4-1-X-2')
    if _SEPARATORS.search(cleaned):
        pieces = [piece for piece in _SEPARATORS.split(cleaned) if piece]
    else:
        pieces = list(cleaned)
        if len(pieces) > 4 and all(piece.isdigit() for piece in pieces):
            raise TempoError(
                f'"{text}": a part longer than one digit needs separators, like 10-0-X-0'
            )
    for piece in pieces:
        if not (piece.isdigit() or piece.upper() == EXPLOSIVE):
            raise TempoError(f'"{text}": each tempo part must be a number of seconds or X')
    if len(pieces) != 4:
        raise TempoError(
            f'"{text}": a tempo has four parts (lowering, bottom pause, lifting, top pause),'
            f" this one has {len(pieces)}"
        )
    parts: list[TempoPart] = [
        EXPLOSIVE if piece.upper() == EXPLOSIVE else int(piece) for piece in pieces
    ]
    tempo = Tempo(parts[0], parts[1], parts[2], parts[3])
    if all(part == 0 for part in tempo.parts):
        raise TempoError(f'"{text}": a rep must take some time; at least one part must not be 0')
    return tempo


def format_tempo(tempo: Tempo) -> str:
    """The canonical spelling, ``4-1-X-2``: always dashes, so multi-digit parts stay clear."""
    return "-".join(str(part) for part in tempo.parts)
