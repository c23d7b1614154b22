"""Tap timing in plain mode: `t` turns it on, space taps, each tap and each set get a line."""

from __future__ import annotations

import asyncio
import io

from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.plain import PlainOutput, PlainTaps, key_actions

from .fakes import FakeClock, RecordingPlayer
from .test_engine import START, small_workout


def state_of(engine: SessionEngine) -> str:
    """The engine's state, read afresh (a key press changes it behind mypy's narrowing)."""
    return engine.state


async def test_taps_in_plain_mode_print_each_phase_and_the_set() -> None:
    clock = FakeClock(START)
    timeline = compile_timeline(small_workout())  # 2 × 2 reps of 2-0-1-0
    engine = SessionEngine(timeline, clock, RecordingPlayer())
    out = io.StringIO()
    taps = PlainTaps(engine, PlainOutput(out), None)
    engine.subscribe(taps)
    keys = key_actions(engine, None, taps)
    task = asyncio.ensure_future(engine.run())
    first = next(segment for segment in timeline.segments if segment.kind == "phase")
    begins = START + first.start_ms / 1000
    await clock.advance_to(begins - 1)
    keys["t"]()
    # Lower 2 s, lift 1 s; lower 2.1 s, lift 0.8 s (just before the set ends, as a lifter would).
    for at in (0.0, 2.0, 3.0, 5.1, 5.9):
        await clock.advance_to(begins + at)
        keys[" "]()
    await clock.advance_to(begins + 6.5)
    assert engine.state == "running"  # space tapped, never paused
    assert out.getvalue().splitlines() == [
        "Tap timing on: space or Enter at each phase boundary, t turns it off",
        "Rep 1 started",
        "Lower 2 s of 2 s — on tempo · adherence 1/1",
        "Lift 1 s of 1 s — on tempo · adherence 1/1",
        "Lower 2.1 s of 2 s — on tempo · adherence 2/2",
        "Lift 0.8 s of 1 s — on tempo · adherence 2/2",
        "Eccentric 2 s ± 0.1 s over 2 reps (target 2 s) · 0 reps under target"
        " · adherence 2/2 (100%) within ±20%",
    ]
    keys["t"]()
    keys[" "]()  # off again: space pauses
    assert state_of(engine) == "paused"
    engine.stop()
    await task


async def test_plain_taps_use_the_tolerance_setting_a_late_last_tap_and_a_restarted_rep() -> None:
    clock = FakeClock(START)
    timeline = compile_timeline(small_workout())  # 2 × 2 reps of 2-0-1-0, rests of 5 s
    engine = SessionEngine(timeline, clock, RecordingPlayer())
    out = io.StringIO()
    taps = PlainTaps(engine, PlainOutput(out), None, tolerance=0.05)
    engine.subscribe(taps)
    keys = key_actions(engine, None, taps)
    task = asyncio.ensure_future(engine.run())
    phases = [segment for segment in timeline.segments if segment.kind == "phase"]
    begins = START + phases[0].start_ms / 1000
    await clock.advance_to(begins - 1)
    keys["t"]()
    # A lifter 0.3 s behind the clicks, lowering 2.2 s in rep 2: the set ends (at 6 s)
    # before the last tap.
    for at in (0.3, 2.3, 3.3, 5.5, 6.3):
        await clock.advance_to(begins + at)
        keys[" "]()
    second = START + phases[4].start_ms / 1000  # set 2: rep 1 begun, then restarted
    for at in (0.2, 1.0):
        await clock.advance_to(second + at)
        keys[" "]()
    await clock.advance_to(second + 1.5)
    keys["r"]()
    for at in (1.7, 3.7):
        await clock.advance_to(second + at)
        keys[" "]()
    engine.stop()
    await task
    assert out.getvalue().splitlines()[1:] == [
        "Rep 1 started",
        "Lower 2 s of 2 s — on tempo · adherence 1/1",
        "Lift 1 s of 1 s — on tempo · adherence 1/1",
        "Lower 2.2 s of 2 s — on tempo · adherence 1/2",
        "Eccentric 2.1 s ± 0.1 s over 2 reps (target 2 s) · 0 reps under target"
        " · adherence 1/2 (50%) within ±5%",
        # The late tap ends set 1, and the set is summed up again.
        "Lift 0.8 s of 1 s — on tempo · Eccentric 2.1 s ± 0.1 s over 2 reps (target 2 s)"
        " · 0 reps under target · adherence 1/2 (50%) within ±5%",
        "Rep 1 started",
        "Lower 0.8 s of 2 s — faster · adherence 0/1",
        "Rep 1 started",  # after `r`: the attempt is dropped
        "Lower 2 s of 2 s — on tempo · adherence 1/1",
    ]
