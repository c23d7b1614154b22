"""The ``tempo-coach`` command as a person uses it: output and exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempo_coach.cli import main
from tempo_coach.core.schema import workout_json_schema

from .conftest import BUNDLED_WORKOUTS, REPO

GOOD = (REPO / "workouts" / "tempoed-rdl.toml").read_text()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_prints_the_plan_with_session_time_and_tut(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "tempoed-rdl")
    assert code == 0
    assert "Tempoed Romanian deadlift: 4 × 5 @ 4-1-X-2 · 60 kg, rest 2:30" in out
    assert "warm-up 2 × 5 @ 30 kg, 45 kg, rest 1:00 after each" in out
    assert "one rep: Hinge 4 s → Bottom 1 s → Drive 1 s → Squeeze 2 s" in out
    assert "time under tension 2:40 (per set: 40 s, 40 s, 40 s, 40 s), eccentric 1:20" in out
    assert "\nSession 15:48 · time under tension 2:40 · eccentric 1:20\n" in out


def test_show_by_path_and_unknown_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_text(GOOD.replace("sets = 4", "sets = 2"))
    code, out, _ = run(capsys, "show", str(copy))
    assert code == 0 and "2 × 5 @ 4-1-X-2" in out
    code, _, err = run(capsys, "show", "tempoed-rld")
    assert code == 1
    assert err.strip() == "no workout called 'tempoed-rld'; did you mean tempoed-rdl?"


def test_user_workouts_take_precedence_over_bundled(
    capsys: pytest.CaptureFixture[str], private_user_folders: Path
) -> None:
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    (folder / "tempoed-rdl.toml").write_text(GOOD.replace("reps = 5", "reps = 3"))
    code, out, _ = run(capsys, "show", "tempoed-rdl")
    assert code == 0 and "4 × 3 @ 4-1-X-2" in out


def test_list_shows_bundled_user_and_broken_files(
    capsys: pytest.CaptureFixture[str], private_user_folders: Path
) -> None:
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    (folder / "slow.toml").write_text(
        GOOD.replace(
            'name = "Tempoed Romanian deadlift"\ndescription', 'name = "Slow"\ndescription'
        )
    )
    (folder / "broken.toml").write_text(GOOD.replace("4-1-X-2", "4-1-Q-2"))
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "Bundled workouts:" in out
    assert "tempoed-rdl              Tempoed Romanian deadlift (15:48)" in out
    assert "slow                     Slow (15:48)" in out
    assert "broken                   BROKEN:" in out and "exercises[0].tempo" in out


def test_validate_exit_codes_and_messages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("tempo =", "tmepo ="))
    code, out, err = run(capsys, "validate", str(REPO / "workouts" / "tempoed-rdl.toml"), str(bad))
    assert code == 1
    assert "tempoed-rdl.toml: ok" in out
    assert f"{bad}: exercises[0].tmepo: unknown key `tmepo`; did you mean `tempo`?" in err
    assert "1 of 2 file(s) failed" in err
    assert "Traceback" not in out + err


def test_every_bundled_workout_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(BUNDLED_WORKOUTS) >= 9
    code, _, err = run(capsys, "validate", *map(str, BUNDLED_WORKOUTS))
    assert (code, err) == (0, "")


def test_schema_is_json_schema_of_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == workout_json_schema()
    exercise = schema["$defs"]["Exercise"]
    assert exercise["additionalProperties"] is False
    assert "lowering, bottom pause" in exercise["properties"]["tempo"]["description"]


def test_committed_schema_matches_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    """Editors read workouts/workout.schema.json; it must not drift from the code (byte for
    byte: the field docstrings are read only for the schema, in its own module)."""
    committed = (REPO / "workouts" / "workout.schema.json").read_text()
    regenerate = "run: tempo-coach schema > workouts/workout.schema.json"
    assert json.loads(committed) == workout_json_schema(), regenerate
    code, out, _ = run(capsys, "schema")
    assert (code, out) == (0, committed), regenerate


def test_validate_reports_check_warnings_and_fails_only_when_strict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    heavy = tmp_path / "heavy.toml"
    heavy.write_text(GOOD.replace("reps = 5", "reps = 10"))
    code, out, _ = run(capsys, "validate", str(heavy))
    assert code == 0
    assert f"{heavy}: 1 warning(s) — Tempoed Romanian deadlift" in out
    assert f"{heavy}: warning [loading] Tempoed Romanian deadlift: 10 reps a set is past 8" in out
    code, _, err = run(capsys, "validate", "--strict", str(heavy))
    assert code == 1 and "1 of 1 file(s) failed" in err


def test_show_lists_findings_and_silences(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "show", "tempoed-rdl")
    assert "Programming checks:\n  silenced [both-functions]: A single-exercise workout" in out


def test_history_and_export_read_the_real_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from tempo_coach.core.taps import PhaseTarget, SetTiming
    from tempo_coach.store import History, SetRecord

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # default settings
    when = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    hinge, rest = PhaseTarget("Hinge", "eccentric", 4000), PhaseTarget("Rest", "other", 4000)
    # Lowerings of 3.5 s and 5 s against 4 s: one within ±20 %.
    tapped = SetTiming.from_spans(
        [hinge, rest], [(1, 0, 1, 0, 3500), (1, 1, 1, 3500, 7500), (2, 0, 1, 7500, 12500)]
    )
    with History.open() as history:  # the user's (temporary) data folder
        session = history.start_session(
            workout_name="Tempoed Romanian deadlift",
            workout_path="w.toml",
            workout_hash="ab",
            started_at=when,
        )
        history.record_set(
            session,
            SetRecord(
                exercise_index=0,
                exercise="Tempoed Romanian deadlift",
                side=None,
                set_number=1,
                reps_done=5,
                target_tempo="4-1-X-2",
                tut_ms=40_000,
                completed_at=when,
                rpe=8,
                phase_spans=tapped,
            ),
        )
    code, out, _ = run(capsys, "history")
    assert code == 0
    header, row, weeks = out.splitlines()
    assert header.split() == [
        "Id", "Started", "Workout", "Status", "Sets", "Reps", "TUT", "Volume", "Adherence",
        "Programme",
    ]  # fmt: skip
    assert "Tempoed Romanian deadlift" in row
    assert row.split()[-6:] == ["running", "1", "5", "40", "s", "50%"]
    assert weeks == "Tempo adherence by week: 2026-W48 50% of 2"
    code, out, _ = run(capsys, "history", str(session))
    *_, set_line, session_line = out.splitlines()
    assert set_line.split()[-18:-12] == ["1", "5", "4-1-X-2", "40", "s", "8"]
    assert set_line.endswith("Adherence 1/2 (50%) within ±20% · eccentric 4.2 s ± 0.8 s")
    assert session_line == "Session: Adherence 1/2 (50%) within ±20% · eccentric 4.2 s ± 0.8 s"
    target = tmp_path / "all.csv"
    code, _, err = run(capsys, "export", "--format", "csv", "--output", str(target))
    assert code == 0 and "1 set written" in err
    lines = target.read_text().splitlines()
    assert lines[0].startswith("session_id,workout_name") and ",4-1-X-2,40.0,8," in lines[1]
    code, _, err = run(capsys, "history", "99")
    assert code == 1 and "no session 99" in err
    # The adherence band is the lifter's setting: at ±30 %, 5 s of 4 s adheres too.
    config = tmp_path / "xdg-config" / "tempo-coach" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("adherence_tolerance = 0.3\n")
    code, out, _ = run(capsys, "history", str(session))
    assert out.splitlines()[-1].startswith("Session: Adherence 2/2 (100%) within ±30%")
