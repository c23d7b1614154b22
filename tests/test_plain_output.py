"""What plain mode prints, on a fake clock with scripted keys: quick `n` presses skip once,
a set's line gives the time under tension really done, lines after a stop are stamped where
the session stopped, and a load or a note is echoed as it is typed."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

from tempo_coach.core.engine import SessionEngine
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.plain import (
    PlainEntry,
    PlainOutput,
    PlainPrinter,
    key_actions,
    press_key,
)
from tempo_coach.sessions import Session
from tempo_coach.store import History

from .fakes import FakeClock, RecordingPlayer
from .test_engine import START, small_workout
from .test_plain import lines_of, loaded_session, plain_run
from .test_summary_skips import at_position


async def type_keys(write_end: int, typed: str) -> None:
    """Keys on the pipe plain mode reads, all in one read, as a quick typist's arrive."""
    os.write(write_end, typed.encode())
    for _ in range(50):  # the keys arrive through the loop's reader, in its own time
        await asyncio.sleep(0)


async def test_quick_n_presses_print_each_skip_and_each_segment_once(tmp_path: Path) -> None:
    """`nnn` in the warm-up's setup, `nn` in its first lowering, `nnn` in the rest: each
    is one skip, one line, and the segment skipped to is announced once."""
    with plain_run(tmp_path) as run:
        engine, clock = run.session.engine, run.clock
        await at_position(engine, clock, 1000)
        await type_keys(run.keys, "nnn")
        await at_position(engine, clock, 5000)  # warm-up rep 1 lowers from 4 s to 6 s
        await type_keys(run.keys, "nn")
        await at_position(engine, clock, 20_000)  # the rest, 10 s to 40 s
        await type_keys(run.keys, "nnn")
        await at_position(engine, clock, 41_000)  # set 1's setup
        await type_keys(run.keys, "q")
        assert not await asyncio.wait_for(run.task, timeout=5)
        os.close(run.keys)
        said = lines_of(run.out)
        assert said[:-1] == [
            "Curl · Warm-up 1/1 · Setup (2 s) · 2-0-1-0 · 30 kg",
            "Skipped setup",
            "Warm-up 1/1 · Count-in 2",
            "Warm-up 1/1 · Rep 1/2 · Lower 2 counts",
            "Skipped lower",
            "Warm-up 1/1 · Rep 1/2 · Lift 1 count",
            "Warm-up 1/1 · Rep 2/2 · Lower 2 counts",
            "Warm-up 1/1 · Rep 2/2 · Lift 1 count",
            "Warm-up 1/1 done · Curl · TUT 5 s",  # the lowering skipped after 1 s
            "Rest 30 s — next: Curl · set 1/2 · 2 reps @ 2-0-1-0 · 60 kg",
            "Skipped rest",
            "Curl · Set 1/2 · Setup (2 s) · 2-0-1-0 · 60 kg",
        ]
        assert said[-1].startswith("Stopped: 0 of 2 sets · 0 reps")


async def test_quick_n_presses_in_a_setup_that_waits_skip_it_once() -> None:
    clock = FakeClock(START)
    engine = SessionEngine(
        compile_timeline(small_workout(setup={"mode": "manual"})), clock, RecordingPlayer()
    )
    out = io.StringIO()
    engine.subscribe(PlainPrinter(engine, PlainOutput(out)))
    actions = key_actions(engine)
    task = asyncio.ensure_future(engine.run())
    await clock.advance(1.0)
    for key in "nnn":  # the first says ready, the others land in the audio lead after it
        press_key(key, actions, None)
    await clock.advance(1.0)
    engine.stop()
    await task
    assert lines_of(out) == [
        "Curl · Set 1/2 · Setup (when ready) · 2-0-1-0",
        "Press space or Enter when ready",
        "Skipped setup",
        "Set 1/2 · Count-in 2",
    ]


async def test_a_set_line_gives_the_time_under_tension_really_done() -> None:
    """A single-leg set: the left side ended in its first rep, the right side's first
    lowering skipped half-way; the plan's 12 s would count both sides in full."""
    clock = FakeClock(START)
    engine = SessionEngine(
        compile_timeline(small_workout(unilateral=True, sets=1)), clock, RecordingPlayer()
    )
    out = io.StringIO()
    engine.subscribe(PlainPrinter(engine, PlainOutput(out)))
    task = asyncio.ensure_future(engine.run())
    await at_position(engine, clock, 4500)  # the left side's first lowering
    assert engine.end_set_early()
    while not (engine.segment.kind == "phase" and engine.segment.place.side == "right"):
        await clock.advance(0.1)
    await at_position(engine, clock, engine.segment.start_ms + 1000)
    engine.skip()
    await clock.run_until_idle()
    await task
    assert "Set 1/1 done · Curl · TUT 5 s" in lines_of(out)  # 2 × 3 s less the 1 s skipped


async def test_after_a_stop_the_last_line_is_stamped_where_the_session_stopped(
    tmp_path: Path,
) -> None:
    """Paused for a minute, stopped 70 s after the start: the summary is stamped where the
    session stopped, just under 10 s in (it began after the 0.1 s audio lead), as every line
    before it is stamped, never with the planned 1:30; its last figure is the clock time."""
    with plain_run(tmp_path) as run:
        await run.clock.advance_to(START + 5.0)
        await type_keys(run.keys, " ")
        await run.clock.advance_to(START + 65.0)
        await type_keys(run.keys, " ")
        await run.clock.advance_to(START + 70.0)
        await type_keys(run.keys, "q")
        assert not await asyncio.wait_for(run.task, timeout=5)
        os.close(run.keys)
        last = run.out.getvalue().splitlines()[-1]
        assert last.startswith("[00:09] Stopped: 0 of 2 sets · 0 reps")
        assert last.endswith(" · 1:10")


def typing_session(tmp_path: Path, history: History) -> tuple[Session, PlainEntry, io.StringIO]:
    """The loaded curl with its lines and the line being typed echoed, as at a terminal."""
    session = loaded_session(tmp_path, history)
    out = io.StringIO()
    output = PlainOutput(out, echo=True)
    entry = PlainEntry(session.engine, output, session.recorder, session.units)
    session.engine.subscribe(PlainPrinter(session.engine, output, session.units))
    session.engine.subscribe(entry)
    return session, entry, out


async def test_a_load_is_echoed_as_it_is_typed_a_slip_erased(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        session, entry, out = typing_session(tmp_path, history)
        engine, clock = session.engine, session.engine.clock
        assert isinstance(clock, FakeClock)
        actions = key_actions(engine, session.recorder, None, entry)
        task = asyncio.ensure_future(engine.run())
        await clock.advance_to(START + 55.0)  # the rest after set 1
        for key in "l62.x":
            press_key(key, actions, entry)
        typed = out.getvalue()
        assert typed.endswith("Escape cancels\n> 62.x")  # seen as typed, before Enter
        for key in "\x7f5\r":
            press_key(key, actions, entry)
        assert out.getvalue()[len(typed) :] == "\b \b5\n[00:54] Set 1/2: 62.5 kg lifted\n"
        engine.stop()
        await task
        await session.finish()


def test_a_wide_character_erased_takes_both_its_cells() -> None:
    out = io.StringIO()
    output = PlainOutput(out, echo=True)
    for text in ("膝", "膝ok", "膝", ""):
        output.typing(text)
    assert out.getvalue() == "> 膝" + "ok" + "\b \b" * 2 + "\b \b" * 2


async def test_a_line_said_while_typing_goes_below_it_and_the_text_follows(
    tmp_path: Path,
) -> None:
    """A note begun late in the rest: the next set's setup is announced on its own line,
    the note typed so far shown again under it, and typing carries on."""
    with History.open(tmp_path / "history.sqlite3") as history:
        session, entry, out = typing_session(tmp_path, history)
        engine, clock = session.engine, session.engine.clock
        assert isinstance(clock, FakeClock)
        actions = key_actions(engine, session.recorder, None, entry)
        task = asyncio.ensure_future(engine.run())
        await clock.advance_to(START + 79.0)  # the rest after set 1 ends at 80 s
        for key in "wgrip":
            press_key(key, actions, entry)
        before = out.getvalue()
        await clock.advance_to(START + 81.0)
        for key in " ok\r":
            press_key(key, actions, entry)
        assert out.getvalue()[len(before) :] == (
            "\n[01:20] Curl · Set 2/2 · Setup (2 s) · 2-0-1-0 · 60 kg\n> grip"
            " ok\n[01:20] Note saved with set 1/2\n"
        )
        engine.stop()
        await task
        await session.finish()
        assert history.sets(history.sessions()[0].id)[1].note == "grip ok"


async def test_a_line_left_open_at_a_stop_is_closed_before_the_summary(tmp_path: Path) -> None:
    """Ctrl+C (which stops the engine) half-way through typing a load: the echoed line is
    closed and said to be unsaved, and the summary stands on a line of its own."""
    with plain_run(tmp_path, echo=True) as run:
        await run.clock.advance_to(START + 55.0)
        await type_keys(run.keys, "l62")
        run.session.engine.stop()
        assert not await asyncio.wait_for(run.task, timeout=5)
        os.close(run.keys)
        assert run.out.getvalue().split("Escape cancels\n", 1)[1] == (
            "> 62\n[00:54] Not saved: the session ended before Enter\n"
            "[00:54] Stopped: 1 of 2 sets · 2 reps · TUT 6 s · eccentric 4 s · 55 s\n"
        )


def test_echo_is_on_at_a_terminal_and_off_for_a_pipe_or_a_file() -> None:
    """At a terminal the keys are read in cbreak mode, which echoes nothing: plain mode
    echoes the line itself. Anything else gets whole lines only."""
    main_end, terminal_end = os.openpty()
    with open(terminal_end, "w") as terminal:
        assert PlainOutput(terminal).echo
    os.close(main_end)
    out = io.StringIO()
    output = PlainOutput(out)
    assert not output.echo
    output.typing("62")
    output.say("a line")
    assert out.getvalue() == "a line\n"
