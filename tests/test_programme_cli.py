"""`tempo-coach programme list | show | start | status` and `today` over the bundled
programmes and workouts."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.cli import main
from tempo_coach.core.models import Load
from tempo_coach.core.programmes import Done, compile_programme
from tempo_coach.core.progression import LoggedSet, PlannedExercise
from tempo_coach.core.taps import PhaseTarget, SetTiming
from tempo_coach.programme_session import logged_sets
from tempo_coach.programme_store import ProgrammeStore
from tempo_coach.store import History, SetRecord

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
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 40 kg" in out
    code, status, _ = run(capsys, "programme", "status")
    assert status == out


def test_today_and_show_give_loads_in_the_lifters_units(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "xdg-config" / "tempo-coach" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('units = "lb"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    run(capsys, "programme", "start", "tempoed-rdl-block")
    code, out, _ = run(capsys, "today")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 88.2 lb" in out  # 40 kg
    code, out, _ = run(capsys, "show", "tempoed-rdl")  # read from the index, in lb too
    assert code == 0 and "4 × 5 @ 4-1-X-2 · 132.3 lb" in out  # 60 kg


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


def tapped(*lowerings: int) -> SetTiming:
    """A tapped set with a 5 s lowering and a 1 s lift, lowered in these ms."""
    phases = [PhaseTarget("Lower", "eccentric", 5000), PhaseTarget("Up", "concentric", 1000)]
    spans, at = [], 0
    for rep, lowering in enumerate(lowerings, start=1):
        spans += [(rep, 0, 1, at, at + lowering), (rep, 1, 1, at + lowering, at + lowering + 1000)]
        at += lowering + 1000
    return SetTiming.from_spans(phases, spans)


def test_what_the_history_stored_is_what_progression_reads(tmp_path: Path) -> None:
    """Work sets only, with the reps done (an ended-early set's too), the load lifted in the
    plan's unit, the effort rated and the tapped share; both sides make one set."""
    store = ProgrammeStore.default()
    plan = compile_programme(
        store.load(store.find("tempoed-rdl-block")),
        datetime.date(2026, 12, 7),
        store.workouts_by_stem(),
    )
    rdl = PlannedExercise(
        "Tempoed Romanian deadlift", (5, 5, 5, 5), None, None, Load(amount=90, unit="lb")
    )
    curl = PlannedExercise("Single-leg curl", (8, 8, 8), None, None, None)
    session = replace(plan[0], exercises=(rdl, curl))
    at = datetime.datetime(2026, 12, 7, 17, tzinfo=datetime.UTC)

    def a_set(index: int, number: int, reps: int, **changes: Any) -> SetRecord:
        name = session.exercises[index].name
        return replace(
            SetRecord(index, name, None, number, reps, "4-1-X-2", reps * 7000, at), **changes
        )

    with History(tmp_path / "history.sqlite3") as history:
        row = history.start_session(
            workout_name="RDL day", workout_path="/w", workout_hash="x", started_at=at
        )
        for record in (
            a_set(0, 1, 5, warmup=True, load=Load(amount=40)),
            a_set(0, 1, 5, load=Load(amount=90, unit="lb"), rpe=7, phase_spans=tapped(5000, 3500)),
            a_set(0, 2, 3, load=Load(amount=95, unit="lb"), rpe=9, ended_early=True),
            a_set(1, 1, 8, side="left", rpe=6),
            a_set(1, 1, 7, side="right", rpe=8),
        ):
            history.record_set(row, record)
        logged = logged_sets(history.sets(row), session)
    assert logged == {
        rdl.name: [
            LoggedSet(5, 5, Load(amount=90, unit="lb"), 7, 0.5),
            LoggedSet(5, 3, Load(amount=95, unit="lb"), 9, None),
        ],
        curl.name: [LoggedSet(8, 7, None, 8, None)],
    }


def test_a_session_logged_again_takes_the_place_of_its_first_entry() -> None:
    store = ProgrammeStore.default()
    store.follow("tempoed-rdl-block", datetime.date(2026, 12, 7))
    first = {"Tempoed Romanian deadlift": [LoggedSet(5, 5, Load(amount=40), None, None)]}
    rated = {"Tempoed Romanian deadlift": [LoggedSet(5, 5, Load(amount=40), 9, None)]}
    store.record(Done(1, datetime.date(2026, 12, 7), first))
    store.record(Done(2, datetime.date(2026, 12, 10), first))
    store.record(Done(1, datetime.date(2026, 12, 7), rated))
    assert store.done() == [
        Done(2, datetime.date(2026, 12, 10), first),
        Done(1, datetime.date(2026, 12, 7), rated),
    ]


def test_a_damaged_state_file_is_said_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "programme", "start", "tempoed-rdl-block")
    state = ProgrammeStore.default().state
    state.write_text('{"name": "tempoed-rdl-block", "start": "x", "done": []}', encoding="utf-8")
    code, _, err = run(capsys, "today")
    assert code == 1 and "cannot be read: a date is not written YYYY-MM-DD" in err
    state.write_text('{"name": "tempoed-rdl-block", "done": []}', encoding="utf-8")
    code, _, err = run(capsys, "today")
    assert code == 1 and "cannot be read: it has no `start` entry" in err


def lifter_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, units: str) -> None:
    """The lifter's config says `units = "kg"` (or lb)."""
    config = tmp_path / "xdg-config" / "tempo-coach" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'units = "{units}"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def test_programme_show_gives_loads_and_load_steps_in_lb(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lifter_units(tmp_path, monkeypatch, "lb")
    code, out, _ = run(capsys, "programme", "show", "tempoed-rdl-block")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 88.2 lb" in out  # 40 kg
    assert "Tempoed Romanian deadlift: 2 × 5 @ 4-1-X-2 · 70.5 lb" in out  # the deload's 32 kg
    assert "Glute-ham raise: 3 × 6–10 @ 3-1-2-1 · bodyweight" in out
    assert "up to 6 counts; then +5.5 lb and the lowering" in out  # +2.5 kg
    assert " kg" not in out.split("Build")[1]


def test_programme_show_gives_a_programme_written_in_lb_in_kg(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_user_folders: Path,
) -> None:
    """The lifter's own copy of the block, its loads and steps written in lb; kg in the
    config: shown in kg. Without a units setting, as the file writes them."""
    bundled = ProgrammeStore.default().find("tempoed-rdl-block")
    in_lb = bundled.read_text(encoding="utf-8").replace('load = "40 kg"', 'load = "90 lb"')
    mine = private_user_folders / "programmes" / "rdl-in-lb.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(in_lb, encoding="utf-8")
    code, written, _ = run(capsys, "programme", "show", "rdl-in-lb")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 90 lb" in written
    assert "then +2.5 lb and the lowering" in written
    lifter_units(tmp_path, monkeypatch, "kg")
    code, out, _ = run(capsys, "programme", "show", "rdl-in-lb")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 40.8 kg" in out  # 90 lb
    assert "Tempoed Romanian deadlift: 2 × 5 @ 4-1-X-2 · 32.7 kg" in out  # the deload's 72 lb
    assert "then +1.1 kg and the lowering" in out  # +2.5 lb
    assert " lb" not in out.split("Build")[1]
