"""Make user-supplied text safe to print: no character in it can move the cursor, recolour
or clear the terminal, or reorder the line it is shown on.

A workout name like ``"\\x1b[2J"`` would clear the screen when printed. `printable` writes
every such character as a visible escape, so messages (and the CLI and TUI) can show what
the user wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONTROLS_BUT_NEWLINE = r"\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
"""The characters `printable` escapes, newline aside, as ranges for a character class of a
Python or JSON Schema regular expression: the C0 controls (tab included), DEL, the C1
controls, and the bidi overrides and isolates, which reorder how the rest of a line shows."""

_CONTROL = re.compile(f"[{CONTROLS_BUT_NEWLINE}\\n]")
_CONTROL_BUT_NEWLINE = re.compile(f"[{CONTROLS_BUT_NEWLINE}]")


def _pattern(allow_newlines: bool) -> re.Pattern[str]:
    return _CONTROL_BUT_NEWLINE if allow_newlines else _CONTROL


def first_control(text: str, *, allow_newlines: bool = False) -> int | None:
    """The position of the first control character in `text`, or None when there is none."""
    found = _pattern(allow_newlines).search(text)
    return None if found is None else found.start()


def escape_character(character: str) -> str:
    """One character as the escape a Python string literal would use (``\\x1b``, ``\\u202e``)."""
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character shown escaped (ESC as ``\\x1b``), so printing it
    cannot drive the terminal; newlines stay real newlines only when `keep_newlines` is set."""
    return _pattern(keep_newlines).sub(lambda found: escape_character(found.group()), text)


def quote(text: str, *, limit: int = 60) -> str:
    """`text` in double quotes for an error message: printable, and cut after `limit`
    characters with "…" so a runaway value cannot flood the screen."""
    cut = "…" if len(text) > limit else ""
    return f'"{printable(text[:limit])}{cut}"'


def close_matches(
    word: str, known: Iterable[str], *, count: int = 1, cutoff: float = 0.6
) -> list[str]:
    """The known words nearest `word`, best first, for a did-you-mean. difflib is imported
    only when a name is wrong: at the top of a module it costs every start-up a millisecond."""
    import difflib

    return difflib.get_close_matches(word, list(known), n=count, cutoff=cutoff)


def counted(number: int, noun: str) -> str:
    """``"1 rep"``, ``"5 reps"``: a count with its noun (a regular plural), as said."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
