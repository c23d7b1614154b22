"""Start-up: the picker is painted before the session machinery and the history load, and
the history is opened right after (or as soon as a session needs it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tempo_coach.catalog import Catalog
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens import SessionScreen
from tempo_coach.tui.screens.picker import PickerScreen

from .conftest import REPO
from .fakes import FakeClock, RecordingPlayer
from .tui_support import notices

LATER = ("sqlite3", "tempo_coach.core.engine", "tempo_coach.sessions", "tempo_coach.store")
"""What a session needs and the first frame does not."""


def test_the_app_is_built_without_the_sessions_and_the_store(tmp_path: Path) -> None:
    """In a fresh interpreter, as `tempo-coach` builds the app before its first frame: the
    session machinery and the history load after it (the picker's own workers aside)."""
    program = textwrap.dedent(f"""
        import sys
        from tempo_coach.audio.silent import SilentPlayer
        from tempo_coach.catalog import Catalog
        from tempo_coach.cli import build_parser
        from tempo_coach.core.clock import MonotonicClock
        from tempo_coach.settings import load_settings
        from tempo_coach.tui.app import TempoCoachApp

        build_parser().parse_args([])
        settings, _ = load_settings()
        TempoCoachApp(
            catalog=Catalog.default(), clock=MonotonicClock(), player=SilentPlayer(),
            settings=settings, open_history=lambda: (None, None),
        )
        print([name for name in {LATER!r} if name in sys.modules])
    """)
    out = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")},
    ).stdout
    assert out.splitlines() == ["[]"]


def app_with(open_history: object, start_with: Path | None = None) -> TempoCoachApp:
    return TempoCoachApp(
        catalog=Catalog.default(),
        clock=FakeClock(1000.0),
        player=RecordingPlayer(),
        settings=Settings(),
        start_with=start_with,
        open_history=open_history,  # type: ignore[arg-type]
    )


async def test_the_history_opens_once_after_the_first_frame_and_says_why_not() -> None:
    screens: list[str] = []

    def locked() -> tuple[History | None, str | None]:
        screens.append(type(app.screen).__name__)
        return None, "the history is locked; this session will not be logged"

    app = app_with(locked)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert screens == ["PickerScreen"]
        assert app.history is None and app.history is None
        assert screens == ["PickerScreen"]  # asked once, not again
        assert notices(app) == ["the history is locked; this session will not be logged"]
        assert isinstance(app.screen, PickerScreen)


async def test_a_session_started_at_once_opens_the_history_first(tmp_path: Path) -> None:
    """`tempo-coach run WORKOUT` starts the session on mount: its plan looks in the history
    for an interrupted session, so the history is opened for it."""
    history = History.open(tmp_path / "history.sqlite3")
    opened: list[History] = []

    def open_history() -> tuple[History | None, str | None]:
        opened.append(history)
        return history, None

    app = app_with(open_history, start_with=REPO / "workouts" / "tempoed-rdl.toml")
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            assert opened == [history] and app.history is history
            assert app.sessions.history is history
    finally:
        app.close_history()
