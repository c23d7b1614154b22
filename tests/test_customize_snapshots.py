"""Snapshots of the Customize form, on the tempoed RDL (see test_snapshots.py for how to
regenerate them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.tui.screens.customize import CustomizeScreen

from .conftest import REPO
from .tui_support import make_app

Snap = Callable[..., bool]
RDL_PATH = REPO / "workouts" / "tempoed-rdl.toml"


def customizing(*keys: str, focus: str = "#f-name") -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Open Customize on the tempoed RDL with the cursor still, focus a field, press `keys`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        screen = CustomizeScreen(load_workout(RDL_PATH), RDL_PATH, Catalog.default())
        await pilot.app.push_screen(screen)
        await pilot.pause()
        for field in screen.query(Input):
            field.cursor_blink = False
        screen.query_one(focus).focus()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


class TestCustomize:
    def test_the_form_at_100_by_30(self, snap_compare: Snap) -> None:
        """The workout's own fields first, each label beside its value, the cursor in the
        name; the preview: totals, one rep to scale with its names apart, the name's help."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(100, 30), run_before=customizing())

    def test_the_form_at_80_by_24(self, snap_compare: Snap) -> None:
        """The same form in a small terminal: labels and values still side by side, the
        bar's phase names abbreviated rather than run together."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(80, 24), run_before=customizing())

    def test_a_problem_under_its_field(self, snap_compare: Snap) -> None:
        """A count-in of 9 typed: "Count-in must be between 0 and 8 counts (got 9)" in red
        right under the field."""
        app, _ = make_app()
        typed = customizing("ctrl+a", "ctrl+k", "9", focus="#f-count_in_beats")
        assert snap_compare(app, terminal_size=(100, 30), run_before=typed)
