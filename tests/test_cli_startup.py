"""What the command line does to start and end fast, and that none of it changes an answer:
the read-only commands leave without the interpreter's teardown once their output is out,
pydantic's plugin loader is one that imports nothing when plugins are off, and the parser
is built for the command asked for."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tempo_coach import cli

from .conftest import REPO

RDL = REPO / "workouts" / "tempoed-rdl.toml"
TEMPO_COACH = Path(sys.executable).parent / "tempo-coach"


class LeftAtOnce(Exception):
    """Stands in for `os._exit`, which would end the test run."""

    def __init__(self, code: int) -> None:
        self.code = code


def quick_exit(code: int) -> None:
    raise LeftAtOnce(code)


def test_a_read_only_command_leaves_at_once_with_its_output_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "_exit", quick_exit)
    broken = tmp_path / "broken.toml"
    broken.write_text(RDL.read_text(encoding="utf-8").replace('tempo = "4-1-X-2"', "tempo = 7"))
    monkeypatch.setattr(sys, "argv", ["tempo-coach", "validate", str(RDL), str(broken)])
    with pytest.raises(LeftAtOnce) as ended:
        cli.console()
    assert ended.value.code == 1
    out, err = capsys.readouterr()
    assert out == f"{RDL}: ok — Tempoed Romanian deadlift\n"
    assert "broken.toml" in err and "tempo" in err
    assert err.endswith("1 of 2 file(s) failed\n")
    assert (tmp_path / "cache" / "tempo-coach" / "workout-index.json").is_file()


def test_other_commands_end_as_python_ends(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A command that may hold a history or a sound device open exits normally, so that
    everything is closed and flushed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(os, "_exit", quick_exit)
    monkeypatch.setattr(sys, "argv", ["tempo-coach", "history"])
    with pytest.raises(SystemExit) as ended:
        cli.console()
    assert ended.value.code == 0
    assert "no sessions" in capsys.readouterr().out.lower()


def test_the_installed_command_gives_its_whole_output_and_code(tmp_path: Path) -> None:
    """Through a pipe, as a script reads it; and into a pipe closed after one line."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    expected = subprocess.run(
        [sys.executable, "-c", "from tempo_coach.cli import main; main(['list'])"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    ).stdout
    for _ in range(2):  # cold, then answered from the index
        listed = subprocess.run(
            [TEMPO_COACH, "list"], capture_output=True, text=True, env=environment, check=False
        )
        assert (listed.returncode, listed.stdout, listed.stderr) == (0, expected, "")
    missing = subprocess.run(
        [TEMPO_COACH, "show", "no-such-workout"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert missing.returncode == 1 and "no-such-workout" in missing.stderr
    piped = subprocess.run(
        f"'{TEMPO_COACH}' list | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert (piped.stdout, piped.stderr) == (expected.splitlines(keepends=True)[0], "")


def run_python(program: str, tmp_path: Path, **environment: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)],
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            **environment,
        },
    ).stdout


VALIDATE_AND_SAY_WHAT_LOADED = f"""
    import sys
    from tempo_coach.cli import main
    code = main(["validate", {str(RDL)!r}])
    loader = sys.modules["pydantic.plugin._loader"]
    print(code, "importlib.metadata" in sys.modules, hasattr(loader, "entry_points"))
"""


def test_with_plugins_off_no_package_metadata_is_read(tmp_path: Path) -> None:
    """A first `validate` (no index) builds the models with the loader that returns no
    plugins: pydantic asks it for nothing else, and nothing imports importlib.metadata."""
    out = run_python(VALIDATE_AND_SAY_WHAT_LOADED, tmp_path)
    assert out.splitlines()[-1] == "0 False False"


def test_a_plugin_choice_in_the_environment_is_kept(tmp_path: Path) -> None:
    """Plugins named to be left out: pydantic's own loader looks for the others."""
    out = run_python(VALIDATE_AND_SAY_WHAT_LOADED, tmp_path, PYDANTIC_DISABLE_PLUGINS="logfire")
    assert out.splitlines()[-1] == "0 True True"


COMMAND_LINES = [
    ["list"],
    ["list", "a", "b"],
    ["show", "tempoed-rdl"],
    ["validate", "a.toml", "--strict"],
    ["schema", "--programme"],
    ["tempo", "4-1-X-2", "--reps", "3", "--audio", "clicks"],
    ["run", "nordic-curl", "--plain", "--setup", "5", "--volume", "0.5"],
    ["history", "3"],
    ["export", "--format", "json"],
    ["new", "mine", "--from", "tempoed-rdl"],
    ["programme", "start", "nordic", "--on", "2026-12-07"],
    ["programme", "status"],
    ["today", "--run"],
    ["edit", "mine"],
]


@pytest.mark.parametrize("words", COMMAND_LINES, ids=" ".join)
def test_a_parser_built_for_one_command_reads_it_as_the_whole_parser_does(
    words: list[str],
) -> None:
    assert cli.build_parser(words).parse_args(words) == cli.build_parser().parse_args(words)


def test_help_and_a_mistyped_command_name_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser(["lst"]).parse_args(["lst"])
    err = capsys.readouterr().err
    assert all(f"'{name}'" in err for name in cli.COMMANDS)
    with pytest.raises(SystemExit):
        cli.build_parser(["--help"]).parse_args(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in cli.COMMANDS)
