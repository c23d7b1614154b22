"""Start-up: the picker is painted before the session machinery and the history load, and
the history is opened right after (or as soon as a session needs it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from tempo_coach import workout_index
from tempo_coach.catalog import Catalog, FoundFile
from tempo_coach.config_file import ConfigFile, read_config_file
from tempo_coach.settings import Settings, load_settings
from tempo_coach.store import History
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.screens import SessionScreen, picker
from tempo_coach.tui.screens.picker import (
    EntriesChecked,
    PickerScreen,
    ProgrammeRead,
    ProgrammeRow,
    picker_entries,
)

from .conftest import BUNDLED_WORKOUTS, REPO
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


PICKER_MOUNTED = textwrap.dedent("""
    import asyncio, sys
    from tempo_coach.audio.silent import SilentPlayer
    from tempo_coach.catalog import Catalog
    from tempo_coach.config_file import read_config_file
    from tempo_coach.core.clock import MonotonicClock
    from tempo_coach.tui.app import TempoCoachApp
    from tempo_coach.tui.screens.picker import PickerScreen

    listed = PickerScreen.on_mount

    def on_mount(self):
        listed(self)
        checked = sum(entry.checked for entry in self.entries)
        print("mounted", "pydantic" in sys.modules, checked, "of", len(self.entries))

    PickerScreen.on_mount = on_mount

    async def main():
        app = TempoCoachApp(
            catalog=Catalog.default(), clock=MonotonicClock(), player=SilentPlayer(),
            settings=read_config_file(), open_history=lambda: (None, None),
        )
        async with app.run_test() as pilot:
            for _ in range(200):  # the thread checking the files: well under a second
                await pilot.pause(0.01)
                if all(entry.checked for entry in app.screen.entries):
                    break
            names = [entry.summary.name for entry in app.screen.entries if entry.summary]
            print("then", len(names), "named")

    asyncio.run(main())
""")
"""The app as `tempo-coach` builds it, printing whether pydantic had loaded once the picker
had listed the workouts, and how many it had checked; then how many it named."""


def test_the_picker_lists_the_workouts_without_pydantic_and_checks_them_after(
    tmp_path: Path,
) -> None:
    """Pydantic and the workout models are the biggest cost before the first frame: the
    picker lists what the workout index knows without either, and a file it does not know
    (a first launch, an edited file) by its name, checked in a thread after the frame."""
    env = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    launches = [
        subprocess.run(
            [sys.executable, "-c", PICKER_MOUNTED],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.splitlines()
        for _ in range(2)
    ]
    count = len(BUNDLED_WORKOUTS)
    assert launches == [
        [f"mounted False 0 of {count}", f"then {count} named"],
        [f"mounted False {count} of {count}", f"then {count} named"],
    ]


def unchecked_picker(monkeypatch: pytest.MonkeyPatch) -> list[PickerScreen]:
    """Pickers that list as before the models load, and whose checking thread is held:
    the test posts its answer (or presses on) when it chooses."""
    monkeypatch.setattr(picker, "models_loaded", lambda: False)
    held: list[PickerScreen] = []
    monkeypatch.setattr(
        PickerScreen, "check_in_thread", lambda screen, listing: held.append(screen)
    )
    return held


async def test_rows_checked_in_a_thread_fill_in_where_the_lifter_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = unchecked_picker(monkeypatch)
    app = app_with(None)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen) and held == [screen]
        options = screen.query_one("#workouts", OptionList)
        first = screen.entries[0]
        assert str(options.get_option_at_index(0).prompt) == f"{first.stem} (checking…)"
        assert str(screen.query_one("#details", Static).render()) == "Checking this file…"
        await pilot.press("down", "down")
        chosen = screen.highlighted_entry()
        assert chosen is not None
        checked = picker_entries(screen.catalog)
        screen.post_message(EntriesChecked(checked, screen.listings - 1))  # an older listing's
        await pilot.pause()
        assert not any(entry.checked for entry in screen.entries)
        screen.post_message(EntriesChecked(checked, screen.listings))
        await pilot.pause()
        assert all(entry.checked for entry in screen.entries)
        now = screen.highlighted_entry()
        assert now is not None and now.path == chosen.path and now.checked
        summary = screen.entries[0].summary
        assert summary is not None
        assert str(options.get_option_at_index(0).prompt) == summary.name
        assert "Session" in str(screen.query_one("#details", Static).render())


async def test_enter_on_a_row_not_checked_yet_checks_it_and_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unchecked_picker(monkeypatch)
    app = app_with(None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not any(entry.checked for entry in app.screen.entries)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


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


class CountingCatalog(Catalog):
    """The bundled workouts, counting how often the picker lists (and validates) them."""

    listed = 0

    def found(self) -> list[FoundFile]:
        self.listed += 1
        return super().found()


async def test_the_picker_lists_the_workouts_once_before_its_first_frame(tmp_path: Path) -> None:
    """Its first resume comes with its first push, right after mounting listed them: only a
    return to the picker lists them again (files may have changed meanwhile)."""
    default = Catalog.default()
    catalog = CountingCatalog(default.bundled, tmp_path / "mine")
    app = TempoCoachApp(
        catalog=catalog, clock=FakeClock(1000.0), player=RecordingPlayer(), settings=Settings()
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and catalog.listed == 1
        await pilot.press("question_mark")  # help, over the picker
        await pilot.pause()
        await app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and catalog.listed == 2


async def test_a_programme_read_after_the_app_exited_is_dropped(tmp_path: Path) -> None:
    """The programme is read in a thread: its answer may come once the picker's widgets are
    gone (the app quit right after its first frame), and is then dropped, not a crash."""
    app = app_with(None)
    async with app.run_test() as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
    picker.programme_read(ProgrammeRead(None, ProgrammeRow(error="late")))
    assert picker.programme == ProgrammeRow()


def picker_app(settings: Settings | ConfigFile) -> TempoCoachApp:
    return TempoCoachApp(
        catalog=Catalog.default(),
        clock=FakeClock(1000.0),
        player=RecordingPlayer(),
        settings=settings,
    )


async def test_the_picker_lists_from_the_workout_index_once_it_validated_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The next launch answers every unchanged file from the index: no validation (so no
    model is built) before the first frame, and the same list."""
    validated: list[Path] = []
    validate = workout_index._validated

    def counted(data: bytes, path: Path, make: Any) -> Any:
        validated.append(path)
        return validate(data, path, make)

    monkeypatch.setattr(workout_index, "_validated", counted)
    shown = []
    for _ in range(2):
        app = picker_app(Settings())
        async with app.run_test() as pilot:
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, PickerScreen)
            shown.append((str(picker.query_one("#details", Static).content), picker.entries))
        assert sorted(validated) == BUNDLED_WORKOUTS  # the first launch only
    assert shown[0] == shown[1]


async def test_the_config_theme_paints_the_first_frame_and_the_rest_is_validated_after(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "textual-light"\nvolume = 0.5\n')
    app = picker_app(read_config_file(config))
    async with app.run_test() as pilot:
        assert app.theme == "textual-light"
        await pilot.pause()
        assert app.settings == Settings(theme="textual-light", volume=0.5)
        assert notices(app) == []


async def test_a_broken_config_is_one_notice_after_the_first_frame(tmp_path: Path) -> None:
    """As before the theme was read early: the defaults, the default theme, one notice."""
    config = tmp_path / "config.toml"
    config.write_text('theme = "textual-light"\nvolume = 5\n')
    app = picker_app(read_config_file(config))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.settings == Settings() and app.theme == "textual-dark"
        [notice] = notices(app)
        assert notice.startswith(f"{config}: volume") and notice.endswith("using default settings")
    unreadable = read_config_file(tmp_path)  # a folder: no theme; validating says why
    assert unreadable == ConfigFile(tmp_path, None)


async def test_customize_reads_the_file_itself_and_says_why_when_it_broke_since(
    private_user_folders: Path,
) -> None:
    """The picker lists from the index; Customize needs the workout itself, so it reads the
    file when opened: one broken since it was listed is refused with why, not opened."""
    mine = private_user_folders / "workouts" / "mine.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text((REPO / "workouts" / "tempoed-rdl.toml").read_text())
    app = picker_app(Settings())
    async with app.run_test() as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        await pilot.press(*"mine")
        mine.write_text('format_version = 1\nname = "Mine"\n')
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen is picker
        [notice] = notices(app)
        assert "mine.toml" in notice


@pytest.mark.parametrize(("written", "unit"), [("lb", "lb"), ("LBS", "lb"), (" kgs ", "kg")])
def test_units_are_read_as_a_lifter_spells_them(tmp_path: Path, written: str, unit: str) -> None:
    """The config reader (for the first frame and `show`) and the settings agree."""
    path = tmp_path / "config.toml"
    path.write_text(f'units = "{written}"\n')
    assert read_config_file(path).units == unit
    settings, problem = load_settings(path)
    assert (settings.units, problem) == (unit, None)


def test_units_that_are_no_unit_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('units = "stone"\n')
    assert read_config_file(path).units is None
    settings, problem = load_settings(path)
    assert settings.units == "kg" and problem is not None and '"stone"' in problem
