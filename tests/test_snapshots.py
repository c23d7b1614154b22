"""Snapshot tests: what each screen looks like, pixel for pixel, on a fake clock.

Regenerate after an intended change with ``./dev test tests/test_snapshots.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from .tui_support import at, make_app, pick

Snap = Callable[..., bool]


def session_at(seconds: float, words: str = "tempoed") -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pick(pilot, words)
        await at(pilot, pilot.app.clock, seconds)  # type: ignore[attr-defined]

    return run_before


class TestPicker:
    def test_picker_lists_workouts_and_the_plan(self, snap_compare: Snap) -> None:
        """The bundled workouts, the first highlighted, its plan and checks on the right."""
        app, _ = make_app()

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            pilot.app.screen.query_one("#filter", Input).cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestSession:
    def test_lowering_phase(self, snap_compare: Snap) -> None:
        """Tempoed RDL, set 1 rep 1, 2.5 s into the four-count hinge: the lowering colour,
        "2" left in big digits, three of four beats, the hinge cue."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(80, 24), run_before=session_at(25.5))

    def test_rest(self, snap_compare: Snap) -> None:
        """The first rest, 10.5 s in: 2:20 left and the next set below it."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(80, 24), run_before=session_at(73.5))

    def test_small_terminal(self, snap_compare: Snap) -> None:
        """At 40×12 the phase, seconds left and counts still show."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(40, 12), run_before=session_at(25.5))


class TestSummary:
    def test_summary_after_the_whole_workout(self, snap_compare: Snap) -> None:
        """After the tempoed RDL: 4 of 4 sets, 20 reps, 11:42, TUT 2:40, eccentric 1:20."""
        app, _ = make_app()
        assert snap_compare(app, terminal_size=(80, 24), run_before=session_at(702.5))
