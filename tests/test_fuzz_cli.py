"""Mangled workout files through the commands a person runs and through the picker: no
traceback, no hang, no escape sequence reaching the terminal, and every refusal names the
file and says what is wrong.

The files come from the same generator as `test_fuzz_core.py` (and `benchmarks/fuzz.py`);
here they go through `validate`, `show`, `list` and a whole `run --plain` session on a clock
that jumps to every deadline, so a session of any length takes milliseconds.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList, Static

from tempo_coach.cli import main
from tempo_coach.core.text import printable

from .fakes import InstantClock
from .test_fuzz_core import fuzz_case, unclear
from .tui_support import make_app

HANG_SECONDS = 20
"""A command that takes longer than this on an instant clock is hung."""


class Hung(Exception):
    """A command ran past `HANG_SECONDS`."""


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands read keys from /dev/null and time passes instantly; a hang raises."""
    monkeypatch.setattr("tempo_coach.core.clock.MonotonicClock", InstantClock)
    with open(os.devnull) as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)

        def hung(signum: int, frame: FrameType | None) -> None:
            raise Hung

        previous = signal.signal(signal.SIGALRM, hung)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    signal.alarm(HANG_SECONDS)
    try:
        code = main(list(argv))
    finally:
        signal.alarm(0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_output(path: Path, code: int, out: str, err: str) -> None:
    for stream in (out, err):
        assert printable(stream, keep_newlines=True) == stream, stream[:300]
        assert "Traceback" not in stream
    assert code in (0, 1)
    if code == 1:  # refused: a message that says what is wrong, in plain words
        assert err.strip() or "BROKEN" in out, out[-300:]
    for line in [*err.splitlines(), *(line for line in out.splitlines() if "BROKEN" in line)]:
        assert unclear(line) == [], line


def special_files(folder: Path) -> list[Path]:
    """Files named like workouts that are not workout text at all."""
    empty = folder / "empty.toml"
    empty.write_bytes(b"")
    latin = folder / "latin.toml"
    latin.write_bytes('name = "Curl caf\xe9"'.encode("latin-1"))
    directory = folder / "directory.toml"
    directory.mkdir()
    fifo = folder / "fifo.toml"
    os.mkfifo(fifo)
    markup = folder / "markup [b]x[i].toml"
    markup.write_text('format_version = 1\nname = "[/i]"\n')
    escape = folder / "clear \x1b[2J.toml"
    escape.write_text('format_version = 1\nname = "x"\n')
    return [empty, latin, directory, fifo, markup, escape]


@pytest.mark.usefixtures("no_terminal")
def test_special_files_are_refused_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in special_files(tmp_path):
        for command in (["validate"], ["show"], ["run", "--plain", "--audio", "silent"]):
            code, out, err = run_command(capsys, command[0], str(path), *command[1:])
            check_output(path, code, out, err)
            assert code == 1 and printable(str(path)) in err, (command, err)
    code, out, err = run_command(capsys, "list", str(tmp_path))
    check_output(tmp_path, code, out, err)
    assert out.count("BROKEN") == 6


@pytest.mark.usefixtures("no_terminal")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rng=st.randoms(use_true_random=False))
def test_a_mangled_file_through_every_command(
    rng: random.Random, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzzed.toml"
    path.write_bytes(fuzz_case(rng))
    code, out, err = run_command(capsys, "validate", str(path))
    check_output(path, code, out, err)
    loads = code == 0
    if not loads:
        assert str(path) in err
    for command in (
        ["show", str(path)],
        ["list", str(path)],
        ["run", str(path), "--plain", "--audio", "silent", "--fresh"],
    ):
        code, out, err = run_command(capsys, *command)
        check_output(path, code, out, err)
        if command[0] == "run" and loads and code == 0:
            assert "Workout complete" in out, out[-500:]


async def test_the_picker_lists_mangled_files_with_their_errors(private_user_folders: Path) -> None:
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    rng = random.Random(20261201)
    for number in range(25):
        (folder / f"case-{number:02d}.toml").write_bytes(fuzz_case(rng))
    special_files(folder)
    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#workouts", OptionList)
        assert options.option_count >= 30
        for index in range(options.option_count):
            options.highlighted = index
            await pilot.pause()
            details = str(app.screen.query_one("#details", Static).content)
            assert details and printable(details, keep_newlines=True) == details
        assert app.is_running
