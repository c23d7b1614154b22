"""What a lifter types between sets: the load actually lifted, written the short way.

At the bench nobody types "bodyweight + 10 kg": a bare number means the lifter's units
("82.5"), "bw+10" is bodyweight plus 10 of them, and a comma may stand for the decimal point.
Anything a workout file accepts ("82.5 kg", "bodyweight - 20 kg") is accepted too. Shared by
the app's input and plain mode, so both read a typed load the same way.
"""

from __future__ import annotations

import math
import re

from pydantic import ValidationError

from tempo_coach.core.models import Load, LoadUnit

_SHORT = re.compile(
    r"^\s*(?:(?P<bodyweight>bodyweight|bw)\s*(?P<sign>[-+−])\s*)?(?P<number>\d+(?:[.,]\d+)?)\s*$",
    re.IGNORECASE,
)
"""A number with no unit, alone or added to (taken off) the bodyweight."""
HOW_TO_WRITE = "type a number (in {units}), a number and kg or lb, bw, or bw+10 / bw-20 (band)"


class LoadEntryError(ValueError):
    """A typed load that is no load; the message says why, for the lifter."""


def read_load(text: str, units: LoadUnit) -> Load:
    """The load `text` names, a bare number being in `units`.

    Raises:
        LoadEntryError: nothing typed, not a load, or a weight out of range.
    """
    if not text.strip():
        raise LoadEntryError("Nothing typed: " + HOW_TO_WRITE.format(units=units))
    written = text.replace(",", ".") if "," in text and "." not in text else text
    short = _SHORT.match(written)
    if short is not None:
        number = short["number"].replace(",", ".")
        if short["bodyweight"] is None:
            written = f"{number} {units}"
        else:
            written = f"bodyweight {short['sign']} {number} {units}"
    try:
        return Load.model_validate(written)
    except ValidationError as error:
        first = error.errors()[0]
        kind = first["type"]
        if kind == "load_text":
            message = f'"{text.strip()}" is not a load: ' + HOW_TO_WRITE.format(units=units)
        elif kind == "load_amount":
            message = "A weight must be more than 0 (for bodyweight, type bw)"
        elif kind == "out_of_range":
            message = f"The weight {first['msg']}"
        else:
            message = first["msg"]
        raise LoadEntryError(message) from None


PLATE_STEP: dict[LoadUnit, float] = {"kg": 2.5, "lb": 5.0}
"""The smallest usual change of a barbell's load: a pair of the lightest common plates."""


def stepped(load: Load, units: LoadUnit, steps: int) -> Load:
    """`load` in `units`, `steps` plate steps heavier (negative: lighter), landing on the
    plate grid: a load converted from the other unit (60 kg is 132.3 lb) first moves to the
    nearest loadable weight that way (135, or 130 lighter). A weight never drops to nothing
    (see `Load.plus`)."""
    shown = load.in_unit(units)
    step = PLATE_STEP[units]
    grid = shown.amount / step
    if abs(grid - round(grid)) < 1e-6 or steps == 0:
        return shown.plus(steps * step)
    # Off the grid: the first step only reaches the grid, in the direction asked.
    target = (math.ceil(grid) + steps - 1 if steps > 0 else math.floor(grid) + steps + 1) * step
    return shown.plus(round(target - shown.amount, 2))
