"""Snapshot tests: what each screen looks like, pixel for pixel, on a fake clock.

Regenerate after an intended change with ``./dev test tests/test_snapshots.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tempo_coach.catalog import load_workout
from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.core.timeline import Timeline, compile_timeline

from .conftest import REPO
from .tui_support import at, make_app, pick

Snap = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
RDL = compile_timeline(load_workout(REPO / "workouts" / "tempoed-rdl.toml"))
NORDIC = compile_timeline(load_workout(REPO / "workouts" / "nordic-curl.toml"))
SINGLE_LEG = compile_timeline(load_workout(REPO / "workouts" / "single-leg-rdl.toml"))
SIZES = [(100, 30), (80, 24), (40, 12)]
THEMES = ["textual-dark", "textual-light"]


def session_at(
    seconds: float, words: str = "tempoed", *, ready_at: float | None = None, keys: str = ""
) -> RunBefore:
    """Start the workout matching `words` and move to `seconds` into it; a setup that
    waits is readied at `ready_at` seconds; `keys` are pressed at the end."""

    async def run_before(pilot: Pilot[Any]) -> None:
        clock = pilot.app.clock  # type: ignore[attr-defined]
        await pick(pilot, words)
        if ready_at is not None:
            await at(pilot, clock, ready_at)
            await pilot.press("enter")
        await at(pilot, clock, seconds)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


def into(timeline: Timeline, kind: str, phase_kind: str | None = None) -> float:
    """Half a second into the first segment of a kind (and phase kind), in seconds."""
    segment = next(
        s
        for s in timeline.segments
        if s.kind == kind and (phase_kind is None or s.phase_kind == phase_kind)
    )
    return segment.start_ms / 1000 + 0.5


# The Nordic curl's setup waits: readied 1 s in, its timeline then runs after the lead.
NORDIC_READY = 1.0
BANNER_STATES: dict[str, RunBefore] = {
    "setup": session_at(into(RDL, "setup") + 5),
    "count-in": session_at(into(RDL, "count_in")),
    "lowering": session_at(into(RDL, "phase", "eccentric") + 2),
    "bottom-hold": session_at(into(RDL, "phase", "hold")),
    "lifting": session_at(into(RDL, "phase", "concentric")),
    "top-squeeze": session_at(into(RDL, "phase", "squeeze")),
    "own-phase": session_at(
        NORDIC_READY + AUDIO_LEAD_SECONDS + into(NORDIC, "phase", "other"),
        "nordic",
        ready_at=NORDIC_READY,
    ),
    "paused": session_at(into(RDL, "phase", "eccentric") + 2, keys=" "),
    "switch-sides": session_at(into(SINGLE_LEG, "side_switch") + 2, "single"),
    "rest": session_at(into(RDL, "rest") + 10),
    "summary": session_at(RDL.total_ms / 1000 + 0.5),
}


class TestPicker:
    def test_picker_lists_workouts_and_the_plan(self, snap_compare: Snap) -> None:
        """The bundled workouts, the first highlighted, its plan and checks on the right."""
        app, _ = make_app()

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            pilot.app.screen.query_one("#filter", Input).cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestBanner:
    @pytest.mark.parametrize("theme", THEMES)
    @pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
    @pytest.mark.parametrize("state", BANNER_STATES)
    def test_banner_state(
        self, snap_compare: Snap, state: str, size: tuple[int, int], theme: str
    ) -> None:
        """Each state of the session banner (and the summary after it) at the three sizes
        the issue names, in the dark and the light theme: its own colour, the seconds left
        in block digits sized to the banner, phase, rep, set and side big where they fit,
        and at 40×12 still phase, seconds, rep, set and q. A pause is grey with PAUSED;
        the switch names the next leg; the rest the next set. No flash, which would be
        caught half-way."""
        app, _ = make_app(theme=theme, flash=False)
        assert snap_compare(app, terminal_size=size, run_before=BANNER_STATES[state])
