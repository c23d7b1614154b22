"""One rep drawn to scale: a block per phase, as wide as its share of the rep, in the colour
the session banner uses for that phase kind, so the preview reads like the session will."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from tempo_coach.core.describe import format_duration
from tempo_coach.core.editing import rep_strip
from tempo_coach.core.models import Exercise, ExerciseSettings
from tempo_coach.core.timeline import rep_phases


def rep_caption(exercise: Exercise, settings: ExerciseSettings) -> str:
    """``"Hinge 4 s · Bottom 1 s · Drive 1 s · Squeeze 2 s = 8 s a rep"``."""
    phases = rep_phases(exercise, settings)
    words = " · ".join(
        f"{phase.label.name} {format_duration(phase.duration_ms)}" for phase in phases
    )
    total = sum(phase.duration_ms for phase in phases)
    return f"{words} = {format_duration(total)} a rep"


def fit_label(name: str, cells: int) -> str:
    """A phase name for a block `cells` wide, its last cell left blank so that neighbouring
    names never run together ("BottoDrive"); a name too long is cut with "…"."""
    room = cells - 1
    if cell_len(name) <= room:
        return name
    kept = ""
    for character in name:
        if cell_len(kept + character) > room - 1:
            break
        kept += character
    return f"{kept}…" if kept else name[:1] if room >= cell_len(name[:1]) else ""


class RepStrip(Widget):
    """The phases of one rep of an exercise, to scale across the widget's width."""

    DEFAULT_CSS = """
    RepStrip { height: auto; }
    RepStrip #strip-bar { height: 1; }
    RepStrip .strip-phase { height: 1; background: $banner-other; color: $banner-other-text; }
    RepStrip .strip-phase.-eccentric {
        background: $banner-eccentric; color: $banner-eccentric-text;
    }
    RepStrip .strip-phase.-hold { background: $banner-hold; color: $banner-hold-text; }
    RepStrip .strip-phase.-concentric {
        background: $banner-concentric; color: $banner-concentric-text;
    }
    RepStrip .strip-phase.-squeeze { background: $banner-squeeze; color: $banner-squeeze-text; }
    RepStrip #strip-caption { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exercise: Exercise | None = None
        self.settings: ExerciseSettings | None = None

    def compose(self) -> ComposeResult:
        yield Horizontal(id="strip-bar")
        yield Static(id="strip-caption", markup=False)  # phase names are the file's words

    def show(self, exercise: Exercise, settings: ExerciseSettings) -> None:
        self.exercise, self.settings = exercise, settings
        self.redraw()

    def on_resize(self) -> None:
        """The blocks are sized in cells, so a new width needs new blocks."""
        self.redraw()

    def redraw(self) -> None:
        if self.exercise is None or self.settings is None or not self.is_mounted:
            return
        bar = self.query_one("#strip-bar", Horizontal)
        bar.remove_children()
        blocks = []
        for name, kind, cells in rep_strip(self.exercise, self.settings, self.size.width):
            block = Static(fit_label(name, cells), classes=f"strip-phase -{kind}", markup=False)
            block.styles.width = cells
            blocks.append(block)
        bar.mount(*blocks)
        self.query_one("#strip-caption", Static).update(rep_caption(self.exercise, self.settings))
