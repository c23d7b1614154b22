"""The domain core stays pure, and a non-editable install finds its bundled files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import REPO

FORBIDDEN_IN_CORE = ("textual", "simpleaudio", "sqlite3", "numpy", "platformdirs")


def test_core_imports_neither_ui_nor_audio_nor_storage() -> None:
    """Import every core module in a fresh interpreter and look at what got loaded."""
    modules = sorted(p.stem for p in (REPO / "tempo_coach" / "core").glob("*.py"))
    program = textwrap.dedent(f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module("tempo_coach.core." + name)
        print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
    """)
    loaded = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.split()
    assert "tempo_coach" in loaded
    assert [name for name in FORBIDDEN_IN_CORE if name in loaded] == []


def test_a_non_editable_install_finds_bundled_workouts_and_sounds(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    program = textwrap.dedent("""
        import tempo_coach.paths as paths
        from tempo_coach.cli import main
        print(paths.bundled_workouts_dir())
        print(paths.sounds_dir())
        main(["show", "tempoed-rdl"])
    """)
    environment = os.environ | {"PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", program],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
    ).stdout.splitlines()
    workouts, sounds = Path(out[0]), Path(out[1])
    assert workouts.is_relative_to(target) and sounds.is_relative_to(target)
    assert (workouts / "tempoed-rdl.toml").is_file()
    assert (sounds / "click.wav").is_file()
    assert "Session 15:48 · time under tension 2:40 · eccentric 1:20" in out
