"""`tempo-coach programme list | show | start | status` and `today` over the bundled
programmes and workouts."""

from __future__ import annotations

import datetime
import os
import sys

import pytest

from tempo_coach.cli import main

from .fakes import InstantClock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_and_show_the_bundled_programmes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "programme", "list")
    assert code == 0
    assert "nordic-hamstring-programme   Nordic hamstring programme (37 sessions" in out
    assert "tempoed-rdl-block" in out and "BROKEN" not in out
    code, out, _ = run(capsys, "programme", "show", "tempoed-rdl-block")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 40 kg" in out
    assert "tempo progression" in out
    code, _, err = run(capsys, "programme", "show", "tempoed-rdl-blok")
    assert code == 1 and "did you mean tempoed-rdl-block?" in err


def test_today_follows_the_programme_started(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "today")
    assert code == 1 and "programme start NAME" in err
    start = datetime.date.today()
    code, out, _ = run(capsys, "programme", "start", "tempoed-rdl-block", "--on", start.isoformat())
    assert code == 0 and "Following Tempoed RDL block" in out
    code, out, _ = run(capsys, "today")
    assert code == 0
    assert "Today: week 1, session 1 (Build)." in out
    assert "Tempoed Romanian deadlift: 4 sets of 5/5/5/5 @ 40 kg" in out
    code, status, _ = run(capsys, "programme", "status")
    assert status == out


def test_the_programme_schema_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "--programme")
    assert code == 0 and '"title": "Programme"' in out


def test_a_session_done_moves_today_on_by_the_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run today's session (plain mode, on a clock that jumps to each deadline): the next
    `today` is the next session, and the rule that changed the RDL says why."""
    monkeypatch.setattr("tempo_coach.core.clock.MonotonicClock", InstantClock)
    with open(os.devnull) as no_keys:
        monkeypatch.setattr(sys, "stdin", no_keys)
        run(capsys, "programme", "start", "tempoed-rdl-block")
        code, out, _ = run(capsys, "today", "--run", "--audio", "silent", "--setup", "1")
    assert code == 0, out
    assert "Workout complete: 4 of 4 sets" in out
    code, out, _ = run(capsys, "today")
    assert "week 1, session 2" in out and "Glute-ham raise" in out
    with open(os.devnull) as no_keys:
        monkeypatch.setattr(sys, "stdin", no_keys)
        run(capsys, "today", "--run", "--audio", "silent", "--setup", "1")
    code, out, _ = run(capsys, "today")
    assert "week 2, session 1" in out
    assert "Lowering 5 counts" in out or "5-1-X-2" in out, out
