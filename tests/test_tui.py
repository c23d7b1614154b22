"""Pilot tests: whole workouts through the TUI on a fake clock, and every key."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown, Static

from tempo_coach.catalog import load_workout
from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.core.events import Event, SegmentStarted
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.store import History, SetRecord, workout_hash
from tempo_coach.tui.screens import (
    ConfirmDialog,
    CustomizeScreen,
    HistoryScreen,
    PickerScreen,
    SessionScreen,
    StopwatchScreen,
    SummaryScreen,
)
from tempo_coach.tui.screens.help import HelpScreen

from .conftest import REPO
from .fakes import RecordingPlayer
from .tui_support import at, make_app, notices, pick, session_screen, text

LEAD_MS = round(AUDIO_LEAD_SECONDS * 1000)
RDL = compile_timeline(load_workout(REPO / "workouts" / "tempoed-rdl.toml"))


async def test_the_whole_tempoed_rdl_as_the_screen_shows_it() -> None:
    """Half a second into every segment, the screen shows that segment's phase, counts,
    seconds left, colour and the set's load (two warm-ups at 30 and 45 kg, then four sets
    at 60 kg); in a rest, the next set; at the end, the summary of the work sets."""
    app, clock = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "tempoed")
        assert isinstance(app.screen, SessionScreen)
        for segment in RDL.segments:
            place = segment.place
            if place.warmup and place.set_number == 2 and segment.kind == "phase":
                continue  # read like the first warm-up's: the CI budget spares their time
            await at(pilot, clock, segment.start_ms / 1000 + 0.5)
            assert text(pilot, "#phase-name") == (
                "SWITCH" if segment.kind == "side_switch" else segment.label
            )
            left = math.ceil((segment.duration_ms - 500) / 1000)
            assert text(pilot, "#seconds-left") == (
                f"{left // 60}:{left % 60:02d}" if left >= 60 else str(left)
            )
            counters = text(pilot, "#counters")
            number = place.set_number
            assert counters.startswith(f"Warm-up {number}/2" if place.warmup else f"Set {number}/4")
            if segment.kind == "phase":
                assert f"Rep {place.rep}/5" in counters
                assert text(pilot, "#cue") == segment.cue
                assert app.screen.query_one("#banner").has_class(f"-{segment.phase_kind}")
                assert text(pilot, "#exercise-name") == (
                    f"Tempoed Romanian deadlift · warm-up {number}/2 · {15 + 15 * number} kg"
                    if place.warmup
                    else "Tempoed Romanian deadlift · 60 kg"
                )
            if segment.kind == "rest":
                following = (
                    "warm-up 2/2 · 5 reps @ 4-1-X-2 · 45 kg"
                    if place.warmup and number == 1
                    else f"set {1 if place.warmup else number + 1}/4 · 5 reps @ 4-1-X-2 · 60 kg"
                )
                assert text(pilot, "#cue") == f"Next: Tempoed Romanian deadlift · {following}"
                assert app.screen.query_one("#banner").has_class("-rest")
            if segment.kind == "setup":
                assert "Bar on the hooks at mid-thigh" in text(pilot, "#cue")
        await at(pilot, clock, RDL.total_ms / 1000 + 0.1)
        assert isinstance(app.screen, SummaryScreen)
        rows = [str(row.content) for row in app.screen.query(".summary-row").results(Static)]
        assert rows[0].endswith("[b]4 of 4[/b]") and rows[1].endswith("[b]20[/b]")
        assert rows[3].endswith("[b]2:40[/b]") and rows[4].endswith("[b]1:20[/b]")
        assert rows[2].endswith("[b]15:48[/b]") and rows[5].endswith("[b]2[/b]")  # warm-ups


async def test_beats_are_shown_as_counted() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 21.2)  # count-in: 3, 2, 1; its second count, two to go
        assert text(pilot, "#beats") == "● ● ○" and text(pilot, "#seconds-left") == "2"
        await at(pilot, clock, 25.1)  # third count of the hinge: it and the fourth to go
        assert text(pilot, "#beats") == "● ● ○ ○" and text(pilot, "#seconds-left") == "2"


async def test_pause_resume_skip_and_restart_from_the_keyboard() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("n")  # cut the 20 s setup short: the count-in starts
        await at(pilot, clock, 0.0)
        assert text(pilot, "#phase-name") == "Count-in"
        await at(pilot, clock, 5.5)  # 2.5 s into the first hinge (timeline 23 s)
        assert text(pilot, "#phase-name") == "Hinge"
        await pilot.press("space")
        await at(pilot, clock, 60)
        assert "Paused" in text(pilot, "#status") and screen.has_class("-paused")
        assert text(pilot, "#phase-name") == "PAUSED"
        assert screen.engine.position_ms == 25_500
        await pilot.press("space")  # resumes after the audio lead
        await at(pilot, clock, 61.0)
        assert screen.engine.position_ms == 26_500 - LEAD_MS and text(pilot, "#status") == ""
        assert text(pilot, "#phase-name") == "Hinge"
        await pilot.press("r")  # restart the rep: the hinge starts over
        await pilot.pause()
        assert text(pilot, "#seconds-left") == "4"
        await at(pilot, clock, 62.0)
        assert screen.engine.position_ms == 24_000 - LEAD_MS


async def test_rest_can_be_made_longer_or_shorter() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 63 + 10.5)  # 10.5 s into the first warm-up's 60 s rest
        assert text(pilot, "#seconds-left") == "50"
        await pilot.press("plus")
        await pilot.pause()
        assert text(pilot, "#seconds-left") == "1:05"
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert text(pilot, "#seconds-left") == "35"


async def test_audio_mode_cycles_through_the_four() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        seen = []
        for _ in range(4):
            await pilot.press("m")
            await pilot.pause()
            seen.append(text(pilot, "#audio-status"))
        assert seen == ["♪ clicks", "♪ voice", "♪ silent", "♪ clicks + voice"]


async def test_quitting_mid_session_asks_first() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 30)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        rows = [str(row.content) for row in app.screen.query(".summary-row").results(Static)]
        assert rows[0].endswith("[b]0 of 4[/b]")
        assert "Stopped" in str(app.screen.query_one("#summary-title", Static).content)


async def test_a_manual_setup_waits_for_space() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "nordic")
        await at(pilot, clock, 100)
        assert text(pilot, "#status") == "Press space or enter when ready"
        assert text(pilot, "#seconds-left") == "READY?"
        assert app.screen.active_bindings["space"].binding.description == "Ready"
        await pilot.press("space")
        await at(pilot, clock, 100 + AUDIO_LEAD_SECONDS)  # the count-in starts after the lead
        assert text(pilot, "#phase-name") == "Count-in"


async def test_help_lists_every_key() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        markdown = app.screen.query_one(Markdown).source
        keys = ("`space`", "`n`", "`r`", "`e`", "`l`", "`[` / `]`", "`w`", "`+` / `-`", "`m`")
        for key in (*keys, "`q`", "`?`", "`ctrl+p`"):
            assert key in markdown
        for setting in ("speak_cues", "speech_voice", "speech_speed", "speech_volume"):
            assert f"`{setting}`" in markdown  # the spoken-word settings too
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


async def test_palette_offers_the_session_actions() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in (
            "Pause or resume",
            "Skip segment",
            "Restart rep",
            "End set early",
            "Load lifted",
            "Note on the set",
            "Rest +15 s",
            "Cycle audio mode",
            "Stop session",
        ):
            assert title in titles


async def test_flash_inverts_the_banner_at_a_phase_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(SessionScreen, "FLASH_SECONDS", 60.0)  # long enough to be seen
    app, clock = make_app(flash=True)
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 0.0)
        banner = app.screen.query_one("#banner")
        assert banner.has_class("-flash")  # the setup began
        banner.remove_class("-flash")
        await at(pilot, clock, 19.0)
        assert not banner.has_class("-flash")
        await at(pilot, clock, 20.0)  # the count-in starts
        assert banner.has_class("-flash")


async def test_a_small_terminal_still_shows_phase_seconds_and_counts() -> None:
    app, clock = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 24.5)
        for selector in ("#phase-name", "#seconds-left", "#place"):
            widget = app.screen.query_one(selector)
            assert widget.display and widget.region.height > 0, selector
            assert app.screen.region.contains_region(widget.region), selector
        assert not app.screen.query_one("#progress").display


async def test_resizing_mid_set_changes_nothing_in_the_timing() -> None:
    app, clock = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 24.5)
        await pilot.resize_terminal(40, 12)
        await at(pilot, clock, 25.5)
        await pilot.resize_terminal(100, 30)
        assert session_screen(pilot).engine.position_ms == 25500
        assert text(pilot, "#seconds-left") == "2"


async def test_picker_lists_broken_files_with_their_error(private_user_folders: Path) -> None:
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    (folder / "oops.toml").write_text('format_version = 1\nname = "Oops"\nexercises = 3\n')
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "oops")
        assert "oops.toml: exercises: must be a list" in text(pilot, "#details")
        assert app.screen.__class__.__name__ == "PickerScreen"


async def test_back_from_the_summary_the_picker_shows_new_files(
    private_user_folders: Path,
) -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        folder = private_user_folders / "workouts"
        folder.mkdir(parents=True)
        rdl = (REPO / "workouts" / "tempoed-rdl.toml").read_text()
        (folder / "mine.toml").write_text(
            rdl.replace(
                'name = "Tempoed Romanian deadlift"\ndescription', 'name = "Mine"\ndescription'
            )
        )
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "PickerScreen"
        assert len(app.screen_stack) == 2
        await pilot.press("escape", *"mine")  # clear the filter, type a new one
        await pilot.pause()
        assert "Mine" in text(pilot, "#details")


async def test_a_finished_set_is_stored_and_rated_with_one_key(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            await at(pilot, clock, 70)  # in the first rest
            (session,) = history.sessions()
            (stored,) = history.sets(session.id)
            assert (stored.set_number, stored.reps_done, stored.tut_ms) == (1, 5, 40_000)
            assert "RPE" in text(pilot, "#status")
            await pilot.press("8")
            await pilot.pause()
            assert history.sets(session.id)[0].rpe == 8
            assert text(pilot, "#status").startswith("Set rated RPE 8")


async def test_an_interrupted_session_is_offered_for_resuming(tmp_path: Path) -> None:
    rdl = REPO / "workouts" / "tempoed-rdl.toml"
    with History.open(tmp_path / "history.sqlite3") as history:
        session_id = history.start_session(
            workout_name="Tempoed Romanian deadlift",
            workout_path=str(rdl),
            workout_hash=workout_hash(rdl.read_text()),
            started_at=datetime.now(UTC),
        )
        history.record_set(
            session_id,
            SetRecord(
                exercise_index=0,
                exercise="Tempoed Romanian deadlift",
                side=None,
                set_number=1,
                reps_done=5,
                target_tempo="4-1-X-2",
                tut_ms=40_000,
                completed_at=datetime.now(UTC),
            ),
        )
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            assert isinstance(app.screen, ConfirmDialog)
            assert "set 2/4 of Tempoed Romanian deadlift (1 set done)" in app.screen.question
            await pilot.press("y")
            await at(pilot, clock, 0.5)
            assert text(pilot, "#counters").startswith("Set 2/4")
            await at(pilot, clock, 63.5)  # set 2 done: stored in the same session
            assert [row.set_number for row in history.sets(session_id)] == [1, 2]


async def test_tap_timing_measures_the_hinge_and_stores_it_with_the_set(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            await pilot.press("t")
            await at(pilot, clock, 23.0)  # the first hinge begins
            await pilot.press("space")
            await pilot.pause()
            assert text(pilot, "#tap-line") == "Rep 1 started"
            assert session_screen(pilot).engine.state == "running"  # space tapped, not paused
            await at(pilot, clock, 26.5)
            await pilot.press("space")
            await at(pilot, clock, 26.55)
            await pilot.press("enter")  # a pedal's double bounce, 50 ms later: ignored
            await pilot.pause()
            # 3.5 s is "faster" than 4 s, yet within the ±20 % that adherence allows.
            assert text(pilot, "#tap-line") == "Hinge 3.5 s of 4 s — faster · adherence 1/1"
            await at(pilot, clock, 27.7)
            await pilot.press("space")
            await pilot.pause()
            assert text(pilot, "#tap-line") == "Bottom 1.2 s of 1 s — on tempo · adherence 1/1"
            await at(pilot, clock, 64.0)  # the set is over: summary, stored with the set
            assert text(pilot, "#tap-line").startswith("Eccentric 3.5 s ± 0 s over 1 rep")
            (session,) = history.sessions()
            [stored] = history.sets(session.id)
            assert stored.phase_durations == [[3500, 1200]]
            assert stored.phase_spans is not None
            assert [(t.spans, t.start_ms, t.end_ms) for t in stored.phase_spans.timings()] == [
                (("Hinge",), 0, 3500),
                (("Bottom",), 3500, 4700),
            ]
            await pilot.press("p")
            await pilot.pause()
            assert session_screen(pilot).engine.state == "paused"


async def test_the_stopwatch_times_free_phases_and_stores_each_set(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, StopwatchScreen)
            for moment in (1.0, 4.2, 5.2, 6.0, 9.6):  # lower, pause, lift; lower again
                await at(pilot, clock, moment)
                await pilot.press("space")
            await at(pilot, clock, 10.85)
            assert text(pilot, "#stopwatch-time") == "1.2"  # the pause of rep 2, running
            assert text(pilot, "#stopwatch-phase") == "Rep 2 · Pause"
            assert text(pilot, "#tap-line") == "Lower 3.6 s"
            await pilot.press("e")
            await pilot.pause()
            assert text(pilot, "#set-lines").startswith("Set 1: Eccentric 3.4 s ± 0.2 s")
            await pilot.press("escape")
            await pilot.pause()
            (session,) = history.sessions()
            assert (session.workout_name, session.status) == ("Stopwatch", "completed")
            [stored] = history.sets(session.id)
            assert stored.phase_durations == [[3200, 1000, 800], [3600]]
            assert stored.phase_spans is not None
            assert stored.phase_spans.durations() == stored.phase_durations


async def test_f3_opens_the_history_and_escape_comes_back(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, _ = make_app(history)
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press("f3")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "PickerScreen"


async def test_f4_customizes_the_highlighted_workout() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"tempoed", "f4")
        await pilot.pause()
        assert isinstance(app.screen, CustomizeScreen)
        assert app.screen.workout.name == "Tempoed Romanian deadlift"


async def test_the_picker_notices_files_added_while_it_runs(private_user_folders: Path) -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        folder = private_user_folders / "workouts"
        folder.mkdir(parents=True)
        (folder / "late.toml").write_text('format_version = 1\nname = "Late"\nexercises = 1\n')
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        picker.check_folder()  # what the picker's one-second interval calls
        await pilot.press(*"late")
        await pilot.pause()
        assert "late.toml: exercises: must be a list" in text(pilot, "#details")
        await pilot.press("f4")  # a broken file cannot be customized: it says why
        await pilot.pause()
        assert app.screen.__class__.__name__ == "PickerScreen"


async def test_a_listener_that_raises_stops_the_session_and_keeps_what_was_done(
    tmp_path: Path,
) -> None:
    """A bug in an engine listener kills the engine's task mid-session: the lifter is told,
    the session and its sound stop, the summary shows what was done (the first warm-up
    set, kept in the history; no work set yet), the app carries on."""
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            engine = screen.engine
            broken = False

            def from_set_two_on(event: Event) -> None:
                """Raises at the start of set 2 and at every event after it, the stop too."""
                nonlocal broken
                broken = broken or (
                    isinstance(event, SegmentStarted) and event.segment.place.set_number == 2
                )
                if broken:
                    raise RuntimeError("the listener broke")

            engine.subscribe(from_set_two_on)
            player = app.player
            assert isinstance(player, RecordingPlayer)
            await at(pilot, clock, 70)  # warm-up 1 done and stored: the first rest
            stops = player.stops
            await at(pilot, clock, 125)  # warm-up 2's setup began at 123 s
            assert isinstance(app.screen, SummaryScreen)
            assert engine.finished and engine.stopped and player.stops > stops
            assert (
                "Something went wrong: the listener broke; the session was stopped and"
                " what was done is kept"
            ) in notices(app)
            rows = [str(row.content) for row in app.screen.query(".summary-row").results(Static)]
            assert rows[0].endswith("[b]0 of 4[/b]") and rows[1].endswith("[b]0[/b]")
            (session,) = history.sessions()
            assert (session.status, session.sets_done) == ("stopped", 0)
            (kept,) = history.sets(session.id)
            assert (kept.warmup, kept.set_number, kept.reps_done) == (True, 1, 5)

            await at(pilot, clock, 400)  # nothing runs on, nothing else is shown
            assert isinstance(app.screen, SummaryScreen) and app.is_running
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)


async def test_a_failure_while_the_stop_dialog_is_open_still_shows_the_summary() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        screen = app.screen
        assert isinstance(screen, SessionScreen)

        def fails(event: Event) -> None:
            raise RuntimeError("broken")

        await at(pilot, clock, 5)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        screen.engine.toggle_pause()  # the dialog paused it; a failure needs it running
        screen.engine.subscribe(fails)
        await at(pilot, clock, 25)  # the count-in starts: the listener raises
        # The dialog went with the session: back from the summary is the picker.
        assert [type(screen) for screen in app.screen_stack[1:]] == [PickerScreen, SummaryScreen]


def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with nothing in it: no ~/Downloads, no user-dirs.dirs naming one."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


async def screenshot_notice() -> str:
    """Take a screenshot as the palette's "Screenshot" does; what the app says after."""
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.action_screenshot()
        for _ in range(100):  # the file is written in a thread
            await pilot.pause(0.01)
            if notices(app):
                break
        (notice,) = notices(app)
        return notice


async def saved_screenshot(folder: Path) -> Path:
    notice = await screenshot_notice()
    (saved,) = folder.glob("*.svg")
    assert notice == f"Saved to {saved}"
    return saved


async def test_a_screenshot_is_saved_even_with_no_downloads_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_user_folders: Path,
) -> None:
    home = empty_home(tmp_path, monkeypatch)
    saved = await saved_screenshot(private_user_folders / "screenshots")
    assert saved.read_text(encoding="utf-8").startswith("<svg")
    assert not (home / "Downloads").exists()


async def test_a_screenshot_goes_to_downloads_when_there_is_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_user_folders: Path,
) -> None:
    downloads = empty_home(tmp_path, monkeypatch) / "Downloads"
    downloads.mkdir()
    await saved_screenshot(downloads)
    assert not (private_user_folders / "screenshots").exists()


async def test_a_screenshot_that_cannot_be_saved_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_user_folders: Path,
) -> None:
    empty_home(tmp_path, monkeypatch)
    private_user_folders.parent.write_text("a file where the data folder would be")
    assert (await screenshot_notice()).startswith("Not saved: [Errno 20] Not a directory")


def session_palette(screen: SessionScreen) -> dict[str, str]:
    """The command palette's session entries on `screen`, title to help (the app's and
    Textual's own left out); a title given twice fails here."""
    from textual.app import App

    builtin = {command.title for command in App.get_system_commands(screen.app, screen)}
    commands = [c for c in screen.app.get_system_commands(screen) if c.title not in builtin]
    entries = {command.title: command.help for command in commands}
    assert len(entries) == len(commands), "a title twice"
    return entries


def run_from_palette(screen: SessionScreen, title: str) -> None:
    """Run the session's palette entry `title` as choosing it in the palette does: after
    the palette closes, at the app's next idle moment."""
    (command,) = [c for c in screen.app.get_system_commands(screen) if c.title == title]
    screen.app.call_later(command.callback)


async def test_the_palette_names_every_session_action_once_with_its_key() -> None:
    from textual.binding import Binding

    from tempo_coach.tui.app import SESSION_PALETTE

    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        entries = session_palette(session_screen(pilot))
        assert len(entries) == len(SESSION_PALETTE)
        bindings = {b.action: b for b in SessionScreen.BINDINGS if isinstance(b, Binding)}
        for action, help_text in zip(SESSION_PALETTE, entries.values(), strict=True):
            first_key = bindings[action].key.split(",")[0]
            keys, _, what = help_text.partition(": ")
            assert keys.startswith(app.get_key_display(Binding(first_key, action))), action
            assert what, action
        assert entries["Skip segment"].startswith("n: go to the next one")
        assert entries["Rest +15 s"].startswith("+ / =: ")
        assert entries["Rest −15 s"].startswith("-: ")
        assert entries["Pause or resume"].startswith("space / ")


async def test_a_palette_entry_does_what_its_key_does() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 5.5)  # in the setup
        assert text(pilot, "#phase-name") == "Setup"
        run_from_palette(session_screen(pilot), "Skip segment")
        await at(pilot, clock, 5.6)
        assert text(pilot, "#phase-name") == "Count-in"
        run_from_palette(session_screen(pilot), "Stop session")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)


def test_the_help_names_every_key_the_footer_and_the_palette_show() -> None:
    """The help's session table is written by hand (it says more than a binding holds):
    every key a session's footer or palette offers must be in it."""
    from textual.binding import Binding
    from textual.keys import format_key

    from tempo_coach.tui.app import SESSION_PALETTE
    from tempo_coach.tui.screens.help import HELP_TEXT

    session_keys = HELP_TEXT.split("## During a session")[1].split("\n## ")[0]
    for binding in SessionScreen.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.show or binding.action in SESSION_PALETTE:
            first_key = binding.key.split(",")[0]
            assert f"`{format_key(first_key)}`" in session_keys, binding.action


async def test_a_file_added_while_the_picker_runs_leaves_the_highlight_where_it_was(
    private_user_folders: Path,
) -> None:
    """Enter must start the workout the lifter is on, not the one a new file moved up."""
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        await pilot.press("down", "down", "down")
        chosen = picker.highlighted_entry()
        assert chosen is not None
        folder = private_user_folders / "workouts"
        folder.mkdir(parents=True)
        (folder / "aaa-first.toml").write_text(
            (REPO / "workouts" / "nordic-curl.toml").read_text(encoding="utf-8")
        )
        picker.check_folder()
        await pilot.pause()
        assert any(entry.stem == "aaa-first" for entry in picker.entries)
        now = picker.highlighted_entry()
        assert now is not None and now.path == chosen.path


async def test_q_is_a_letter_in_a_filter_typed_and_ctrl_q_quits() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"sq")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#filter", Input).value == "sq"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
