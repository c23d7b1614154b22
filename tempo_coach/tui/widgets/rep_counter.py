"""Where the lifter is, in one line of words: "Set 2/4 · Rep 3/5 · Left side · Hinge"
("Warm-up 1/2 · …" in a warm-up set)."""

from __future__ import annotations

from textual.widgets import Static

from tempo_coach.core.describe import set_label
from tempo_coach.core.text import counted
from tempo_coach.core.timeline import Place


def place_words(place: Place, *, in_rep: bool) -> str:
    """The counters as one line; the rep is left out between reps."""
    parts = [set_label(place)]
    if in_rep and place.rep is not None:
        parts.append(f"Rep {place.rep}/{place.rep_count}")
    else:
        parts.append(counted(place.rep_count, "rep"))
    if place.side:
        parts.append(f"{place.side.capitalize()} side")
    return " · ".join(parts)


class RepCounter(Static):
    """Set, rep, side and the segment's name in words, beside the banner's block letters
    (which a screen reader, a terminal's search or a test cannot read as words)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)  # a phase's name is the workout file's words

    def show(self, place: Place, *, in_rep: bool, label: str) -> None:
        self.update(f"{place_words(place, in_rep=in_rep)} · {label}")
