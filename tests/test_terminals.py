"""The installed command with no terminal to read or write: nothing hangs, nothing writes
escape codes into a pipe, no traceback, and every flag problem is named."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tempo_coach.cli import main
from tempo_coach.editor_cli import answer, command_edit, command_new
from tempo_coach.settings import load_settings

TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"
FAST = """\
format_version = 1
name = "Fast"
count_in_beats = 0
[defaults]
beat_seconds = 0.1
rest_seconds = 0
rest_after_seconds = 0
setup = { mode = "timed", seconds = 0 }
[[exercises]]
name = "Curl"
trains = "knee_flexion"
category = "assistance"
sets = 1
reps = 1
tempo = "1-0-1-0"
"""


def tempo_coach(
    arguments: list[str],
    home: Path,
    *,
    stdin: int | None = subprocess.DEVNULL,
    feed: str | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return subprocess.run(
        [str(TEMPO_COACH), *arguments],
        env=environment,
        text=True,
        capture_output=True,
        timeout=30,
        stdin=None if feed is not None else stdin,
        input=feed,
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["tempo", "4-1-X-2", "--audio", "silent"],
        ["run", "nordic-curl", "--plain", "--audio", "silent"],
    ],
)
@pytest.mark.parametrize("how", ["devnull", "pipe"])
def test_a_manual_setup_with_no_terminal_fails_at_once_naming_the_flag(
    tmp_path: Path, arguments: list[str], how: str
) -> None:
    done = (
        tempo_coach(arguments, tmp_path)
        if how == "devnull"
        else tempo_coach(arguments, tmp_path, feed="\n")
    )
    assert done.returncode == 1
    assert "--setup SECONDS" in done.stderr and "no terminal" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_setup_flag_lets_a_manual_workout_run_without_a_terminal(tmp_path: Path) -> None:
    workout = tmp_path / "manual.toml"
    workout.write_text(FAST.replace('mode = "timed", seconds = 0', 'mode = "manual"'))
    done = tempo_coach(
        ["run", str(workout), "--plain", "--audio", "silent", "--setup", "1"], tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Setup (1 s)" in done.stdout and "Workout complete: 1 of 1 sets" in done.stdout


def test_run_into_a_pipe_prints_lines_not_escape_codes(tmp_path: Path) -> None:
    workout = tmp_path / "fast.toml"
    workout.write_text(FAST)
    done = tempo_coach(["run", str(workout), "--audio", "silent"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "Set 1/1 done · Curl" in done.stdout


def test_the_app_without_a_terminal_says_so(tmp_path: Path) -> None:
    done = tempo_coach([], tmp_path)
    assert done.returncode == 1
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("failure", [EOFError, KeyboardInterrupt])
def test_edit_treats_a_closed_or_interrupted_prompt_as_no(
    failure: type[BaseException],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    command_new(argparse.Namespace(name="mine", source="tempoed-rdl"))
    # An "editor" that breaks the file, so edit asks whether to go back in.
    monkeypatch.setenv(
        "EDITOR", f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write('name = 1')\""
    )

    def ask(_: str) -> str:
        raise failure

    assert command_edit(argparse.Namespace(name="mine"), ask=ask) == 1
    assert "still has errors" in capsys.readouterr().out
    assert answer(ask, "?") == "no"


def test_edit_with_stdin_closed_ends_without_a_traceback(tmp_path: Path) -> None:
    home = tmp_path
    assert tempo_coach(["new", "mine", "--from", "tempoed-rdl"], home).returncode == 0
    environment_editor = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write('x')\""
    done = subprocess.run(
        [str(TEMPO_COACH), "edit", "mine"],
        text=True,
        capture_output=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
        env={
            **os.environ,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "EDITOR": environment_editor,
        },
    )
    assert done.returncode == 1
    assert "still has errors" in done.stdout and "Traceback" not in done.stderr


def test_flag_problems_name_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "tempoed-rdl", "--plain", "--volume", "2", "--setup", "0"])
    err = capsys.readouterr().err
    assert code == 1
    assert "--volume: must be" in err and "--setup: must be" in err


def test_an_unknown_config_key_gets_a_did_you_mean_from_the_settings(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('volum = 0.5\naudio_mode = "loud"\n')
    settings, notice = load_settings(config)
    assert settings.volume == 1.0  # the defaults, with every problem said
    assert notice is not None
    assert "did you mean `volume`?" in notice
    assert "audio_mode: must be one of" in notice
    assert "format_version" not in notice  # not the workout's keys


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("volume = " + "[" * 50 + "]" * 50, "nested too deeply"),
        ("\ufeffvolume = 0.5\n", None),  # a byte-order mark is fine
        ('theme = "x\\u001b"\nvolume = 0.5 ]', "line 2"),
    ],
)
def test_a_broken_config_is_a_notice_never_a_traceback(
    tmp_path: Path, text: str, words: str | None
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    settings, notice = load_settings(config)
    if words is None:
        assert notice is None and settings.volume == 0.5
    else:
        assert notice is not None and words in notice and "using default settings" in notice


def test_an_unreadable_config_is_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # readable by no one as a file, root included
    _, notice = load_settings(folder)
    assert notice is not None and "folder" in notice
