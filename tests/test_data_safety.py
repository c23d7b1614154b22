"""A hostile environment never loses the history or makes workout text act: exports never
write over the history, links never reach a bundled file, a blank $EDITOR never runs the
workout, and output that goes away ends a session cleanly, as stopped."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach.catalog import Catalog, read_toml_file
from tempo_coach.cli import main
from tempo_coach.core.editing import EditError, edit_workout
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.store import History, default_history_path

from .conftest import REPO
from .test_terminals import FAST

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
BUNDLED = REPO / "workouts"


def environment(home: Path, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        **more,
    }


def fast_workout(folder: Path, sets: int = 4) -> Path:
    path = folder / "fast.toml"
    path.write_text(FAST.replace("sets = 1", f"sets = {sets}").replace("reps = 1", "reps = 3"))
    return path


def test_export_never_writes_over_the_history_or_any_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with History.open():
        pass  # the user's history now exists
    history = default_history_path()
    before = history.read_bytes()
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for target, words in [
        (history, "is your history itself"),
        (other, "is a SQLite database"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing" / "x.csv", "does not exist"),
    ]:
        assert main(["export", "--output", str(target)]) == 1
        assert words in capsys.readouterr().err
    assert history.read_bytes() == before


def test_an_export_that_fails_leaves_the_previous_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "exports" / "history.csv"
    target.parent.mkdir()
    target.write_text("the previous export\n")

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    assert main(["export", "--output", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text() == "the previous export\n"
    assert [path.name for path in target.parent.iterdir()] == ["history.csv"]  # no partial


def test_the_history_and_its_folder_are_private(private_user_folders: Path) -> None:
    with History.open():
        pass
    assert stat.S_IMODE(private_user_folders.stat().st_mode) == 0o700
    assert stat.S_IMODE(default_history_path().stat().st_mode) == 0o600


def test_a_blank_or_unreadable_editor_never_runs_the_workout(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        subprocess.run(
            [str(TEMPO_COACH), "new", "mine", "--from", "tempoed-rdl"],
            env=environment(home),
            capture_output=True,
        ).returncode
        == 0
    )
    mine = home / "data" / "tempo-coach" / "workouts" / "mine.toml"
    marker = tmp_path / "ran"
    # If the file were ever the command, its #! line would leave a marker.
    mine.write_text(f"#!/bin/sh\ntouch {marker}\n" + mine.read_text())
    mine.chmod(0o755)
    tools = tmp_path / "bin"
    tools.mkdir()
    opened = tmp_path / "opened"
    fake = tools / "editor"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {opened}\n')
    fake.chmod(0o755)
    path = f"{tools}:{os.environ['PATH']}"
    for editor, words in [("  ", "$EDITOR is blank"), ("'unterminated", "cannot be read")]:
        done = subprocess.run(
            [str(TEMPO_COACH), "edit", "mine"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
            env=environment(home, EDITOR=editor, VISUAL="", PATH=path),
        )
        assert words in done.stdout and "using editor instead" in done.stdout
        assert "Traceback" not in done.stderr
    assert not marker.exists()
    assert opened.read_text().split() == [str(mine), str(mine)]


def test_links_never_reach_a_bundled_file(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    linked = user / "tempoed-rdl.toml"
    linked.symlink_to(BUNDLED / "tempoed-rdl.toml")
    catalog = Catalog(BUNDLED, user)
    with pytest.raises(EditError, match=r"links to .*a bundled workout"):
        catalog.user_file("tempoed-rdl")
    workout = catalog.entries()[-1]
    assert workout.source == "user" and workout.note is not None
    assert "a bundled workout" in workout.note
    with pytest.raises(EditError, match="not one of your workouts"):
        catalog.save(edit_workout(workout.workout, name="changed"), linked)  # type: ignore[arg-type]
    folder_link = tmp_path / "linked-folder"
    folder_link.symlink_to(BUNDLED)
    with pytest.raises(EditError, match="bundled"):
        Catalog(BUNDLED, folder_link).save_as(workout.workout, "new one")  # type: ignore[arg-type]
    elsewhere = user / "zero.toml"
    elsewhere.symlink_to("/dev/zero")
    with pytest.raises(WorkoutFileError, match="a device"):
        read_toml_file(elsewhere)
    assert (BUNDLED / "tempoed-rdl.toml").read_text().startswith("# The tempoed Romanian")


def test_odd_names_and_folders_get_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], private_user_folders: Path
) -> None:
    assert main(["new", "a" * 300, "--from", "tempoed-rdl"]) == 0
    assert len(next((private_user_folders / "workouts").iterdir()).stem) <= 60
    capsys.readouterr()
    blocked = Catalog(BUNDLED, tmp_path / "file" / "workouts")
    (tmp_path / "file").write_text("a file where the data folder should be")
    with pytest.raises(EditError, match="cannot be made"):
        blocked.save_as(Catalog.default().entries()[0].workout, "x")  # type: ignore[arg-type]


def test_a_closed_pipe_ends_the_session_cleanly_as_stopped(tmp_path: Path) -> None:
    workout = fast_workout(tmp_path, sets=20)
    command = f"'{TEMPO_COACH}' run '{workout}' --plain --audio silent </dev/null | head -3"
    done = subprocess.run(
        ["bash", "-c", f"{command}; exit ${{PIPESTATUS[0]}}"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    assert len(done.stdout.splitlines()) == 3
    database = tmp_path / "data" / "tempo-coach" / "history.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT status FROM sessions").fetchall() == [("stopped",)]


def test_a_full_or_closed_output_is_a_sentence(tmp_path: Path) -> None:
    workout = fast_workout(tmp_path)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [str(TEMPO_COACH), "run", str(workout), "--plain", "--audio", "silent"],
            env=environment(tmp_path),
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    closed = subprocess.run(
        ["bash", "-c", f"'{TEMPO_COACH}' list >&-"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert closed.returncode == 1 and "standard output is closed" in closed.stderr
