"""The session screen read from the bench, and controls that cannot misfire: the
countdown's height as drawn at each terminal size, the contrast of every banner colour,
and a pilot test per control."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.screen import Screen
from textual.widgets import Footer, Input

from tempo_coach.audio.silent import SilentPlayer
from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.core.engine import AUDIO_LEAD_SECONDS
from tempo_coach.core.timeline import Segment, compile_timeline
from tempo_coach.settings import Settings
from tempo_coach.store import History
from tempo_coach.tui.app import TempoCoachApp
from tempo_coach.tui.phase_colours import BANNER_COLOURS
from tempo_coach.tui.screens import ConfirmDialog, PickerScreen, SessionScreen, SummaryScreen
from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.widgets.big_text import block_lines, fitting_scale

from .conftest import REPO
from .fakes import FakeClock
from .tui_support import START, at, drawn, make_app, pick, session_screen, text

RDL = compile_timeline(load_workout(REPO / "workouts" / "tempoed-rdl.toml"))
SINGLE_LEG = compile_timeline(load_workout(REPO / "workouts" / "single-leg-rdl.toml"))
BLOCKS = set("█▀▄")


def first(timeline_segments: tuple[Segment, ...], kind: str) -> Segment:
    return next(segment for segment in timeline_segments if segment.kind == kind)


def state(screen: SessionScreen) -> str:
    """The engine's state, read afresh (not narrowed by an earlier assert)."""
    return screen.engine.state


def top(app: TempoCoachApp) -> Screen[object]:
    """The screen on top, read afresh."""
    return app.screen


def glyph_rows(drawing: str) -> int:
    """How many rows of a drawing hold block glyphs."""
    return sum(1 for line in drawing.splitlines() if BLOCKS & set(line))


# -- read at two metres ----------------------------------------------------------------------


@pytest.mark.parametrize(("size", "least_rows"), [((100, 30), 12), ((80, 24), 9), ((40, 12), 5)])
@pytest.mark.parametrize("seconds", [25.5, 73.5], ids=["hinge", "rest"])
async def test_the_countdown_is_tall_enough_to_read_from_the_bench(
    size: tuple[int, int], least_rows: int, seconds: float
) -> None:
    """The seconds left, as drawn on screen, span at least the issue's rows at each size,
    in a hinge ("2") and a rest ("2:20")."""
    app, clock = make_app()
    async with app.run_test(size=size) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, seconds)
        timer = app.screen.query_one("#seconds-left")
        assert glyph_rows(drawn(timer)) >= least_rows
        assert app.screen.region.contains_region(timer.region)


@pytest.mark.parametrize(("size", "big"), [((100, 30), True), ((80, 24), True), ((40, 12), False)])
async def test_phase_and_place_are_block_letters_where_they_fit(
    size: tuple[int, int], big: bool
) -> None:
    """HINGE and REP 1/5 WARMUP 1/2 are three rows of block letters (the warm-up's words
    fit 80 columns); at 40×12 bold words."""
    app, clock = make_app()
    async with app.run_test(size=size) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 25.5)
        for selector, words in (("#phase-name", "Hinge"), ("#place", "REP 1/5  WARMUP 1/2")):
            drawing = drawn(app.screen.query_one(selector))
            if big:
                assert glyph_rows(drawing) == 3, selector
            else:
                assert drawing.strip() == words, selector


def test_a_name_the_font_cannot_draw_falls_back_to_words() -> None:
    assert fitting_scale("Übung", 80, 10) == 0
    assert fitting_scale("HINGE", 19, 10) == 0  # five letters and gaps need 23 cells
    assert fitting_scale("HINGE", 23, 3) == 1 and len(block_lines("HINGE", 1)) == 3


async def test_a_side_switch_and_a_rest_say_what_comes_next_big() -> None:
    """The switch names the next leg in block letters; the rest the next set."""
    app, clock = make_app()
    switch = first(SINGLE_LEG.segments, "side_switch")
    rest = first(SINGLE_LEG.segments, "rest")
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "single")
        await at(pilot, clock, switch.start_ms / 1000 + 0.5)
        assert text(pilot, "#phase-name") == "SWITCH" and text(pilot, "#side") == "RIGHT LEG"
        assert glyph_rows(drawn(app.screen.query_one("#side"))) == 3
        assert text(pilot, "#cue") == switch.cue
        await at(pilot, clock, rest.start_ms / 1000 + 0.5)
        assert text(pilot, "#place") == "NEXT SET 2/4" and text(pilot, "#side") == "LEFT LEG"
        assert text(pilot, "#cue").startswith("Next: Single-leg Romanian deadlift · set 2/4")


async def test_a_session_of_several_exercises_says_which_one() -> None:
    app, clock = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "backside")
        await at(pilot, clock, 1)
        assert text(pilot, "#exercise-name").endswith(" · exercise 1 of 4")


async def test_a_pause_changes_the_banner_and_says_paused_big() -> None:
    app, clock = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 25.5)
        banner = app.screen.query_one("#banner")
        running = banner.styles.background
        await pilot.press("space")
        await pilot.pause()
        assert text(pilot, "#phase-name") == "PAUSED"
        assert glyph_rows(drawn(app.screen.query_one("#phase-name"))) == 3
        assert banner.styles.background != running
        assert banner.styles.background == Color.parse(BANNER_COLOURS["paused"].dark[0])


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("variant", ["dark", "light"])
def test_every_banner_colour_has_readable_text(variant: str) -> None:
    """At least 4.5:1 (WCAG AA) between each banner's background and its text."""
    for kind, colour in BANNER_COLOURS.items():
        background, text_colour = getattr(colour, variant)
        assert contrast(background, text_colour) >= 4.5, (variant, kind)


@pytest.mark.parametrize("variant", ["dark", "light"])
def test_every_banner_state_has_its_own_hue(variant: str) -> None:
    backgrounds = [getattr(colour, variant)[0] for colour in BANNER_COLOURS.values()]
    assert len(set(backgrounds)) == len(backgrounds)
    assert len({colour.hue for colour in BANNER_COLOURS.values()}) == len(BANNER_COLOURS)


@pytest.mark.parametrize(("theme", "variant"), [("textual-dark", 0), ("textual-light", 1)])
async def test_the_banner_takes_the_theme_variant_of_the_table(theme: str, variant: int) -> None:
    """The banner draws the table's colours for the active theme, and rest is not the
    colour of the header or the footer."""
    app, clock = make_app(theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 73.5)
        banner = app.screen.query_one("#banner")
        rest = (BANNER_COLOURS["rest"].dark, BANNER_COLOURS["rest"].light)[variant]
        assert banner.styles.background == Color.parse(rest[0])
        assert banner.styles.color == Color.parse(rest[1])
        for chrome in (app.screen.query_one("#top-bar"), app.screen.query_one(Footer)):
            assert chrome.styles.background != banner.styles.background


async def test_the_help_says_which_way_things_count_and_lists_the_colours() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from tempo_coach.tui.screens.help import HELP_TEXT

        assert "counts **down**" in HELP_TEXT
        for colour in BANNER_COLOURS.values():
            assert f"**{colour.words}**: {colour.hue}" in HELP_TEXT


# -- controls that cannot misfire --------------------------------------------------------


async def test_q_then_enter_keeps_the_session_and_the_dialog_pauses_it() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        screen = session_screen(pilot)
        await at(pilot, clock, 25.5)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert screen.engine.state == "paused"
        position = screen.engine.position_ms
        await at(pilot, clock, 40)
        assert screen.engine.position_ms == position  # time stands still behind the dialog
        await pilot.press("enter")  # what a foot pedal sends: "carry on" has the focus
        await pilot.pause()
        assert top(app) is screen and state(screen) == "running"


async def test_enter_readies_a_setup_that_waits() -> None:
    app, clock = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "nordic")
        await at(pilot, clock, 30)
        screen = session_screen(pilot)
        assert screen.engine.state == "waiting"
        await pilot.press("enter")
        await at(pilot, clock, 30 + AUDIO_LEAD_SECONDS + 0.5)
        assert screen.engine.segment.kind == "count_in"
        await pilot.press("enter")  # and pauses, as space does
        await pilot.pause()
        assert state(screen) == "paused"


async def test_the_palette_asks_before_a_second_session() -> None:
    """Starting a workout while one runs asks first; "carry on" is focused and keeps the
    first; yes stops it and starts the other: never two sessions at once."""
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pick(pilot, "tempoed")
        first_session = session_screen(pilot)
        nordic = str(REPO / "workouts" / "nordic-curl.toml")
        app.start_workout(nordic)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert top(app) is first_session and not first_session.engine.finished
        app.start_workout(nordic)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        second = session_screen(pilot)
        assert second is not first_session and first_session.engine.finished
        assert [type(screen) for screen in app.screen_stack[1:]] == [PickerScreen, SessionScreen]
        assert second.engine.timeline.workout.name == "Eccentric Nordic curl"


async def test_the_last_set_is_rated_on_the_summary(tmp_path: Path) -> None:
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "tempoed")
            await at(pilot, clock, RDL.total_ms / 1000 + 0.5)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("8")
            await pilot.pause()
            assert "rated RPE 8" in text(pilot, "#summary-rating")
            await pilot.press("enter")  # leaving the summary closes the history
            await pilot.pause()
            await app.workers.wait_for_complete()
        (session,) = history.sessions()
        # Two warm-up sets, then four work sets.
        assert [record.rpe for record in history.sets(session.id)] == [None] * 5 + [8]


async def test_each_side_of_a_single_leg_set_is_rated(tmp_path: Path) -> None:
    switch = first(SINGLE_LEG.segments, "side_switch")
    rest = first(SINGLE_LEG.segments, "rest")
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test() as pilot:
            await pick(pilot, "single")
            await at(pilot, clock, switch.start_ms / 1000 + 0.5)
            assert "rate the first side" in text(pilot, "#status")
            await pilot.press("7")
            await pilot.pause()
            assert text(pilot, "#status").startswith("First side rated RPE 7")
            await at(pilot, clock, rest.start_ms / 1000 + 0.5)
            await pilot.press("9")
            await pilot.pause()
            session_screen(pilot).engine.stop()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
        (session,) = history.sessions()
        rated = [(record.side, record.rpe) for record in history.sets(session.id)]
        assert rated == [("left", 7), ("right", 9)]


async def test_help_and_quit_work_while_the_filter_has_focus() -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == ""
        footer_keys = {binding.key for _, binding, *_ in app.screen.active_bindings.values()}
        assert {"question_mark", "q"} <= footer_keys
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def hidden_keys(app: TempoCoachApp) -> list[str]:
    """The footer's keys that the palette's key, docked at its right end, covers: a footer
    too full for its width drops the keys at its end behind it."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query("FooterKey"))
    palette = next(key for key in keys if "palette" in str(key.render()))
    return [
        str(key.render())
        for key in keys
        if key is not palette and key.region.right > palette.region.x
    ]


@pytest.mark.parametrize("seconds", [5.5, 25.5, 73.5], ids=["setup", "hinge", "rest"])
async def test_the_footer_fits_80_columns(seconds: float, tmp_path: Path) -> None:
    """Every key that applies is in an 80-column footer, with a history (a rest then has
    its load and note keys); with tap timing on too, but in a set or a rest, where "m Audio"
    is the one key left to the help and the palette."""
    with History.open(tmp_path / "history.sqlite3") as history:
        app, clock = make_app(history)
        async with app.run_test(size=(80, 24)) as pilot:
            await pick(pilot, "tempoed")
            await at(pilot, clock, seconds)
            assert hidden_keys(app) == []
            await pilot.press("t")  # tap timing adds its own keys
            await pilot.pause()
            assert hidden_keys(app) == ([] if seconds == 5.5 else ["m Audio"])


async def test_in_tap_mode_the_footer_says_space_taps() -> None:
    app, clock = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 25.5)
        space = app.screen.active_bindings["space"].binding
        assert space.description == "Pause"
        await pilot.press("t")
        await pilot.pause()
        space = app.screen.active_bindings["space"].binding
        assert space.description == "Tap"


async def test_with_no_sound_device_the_header_says_so_and_m_is_hidden() -> None:
    clock = FakeClock(START)
    app = TempoCoachApp(
        catalog=Catalog.default(), clock=clock, player=SilentPlayer(), settings=Settings()
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pick(pilot, "tempoed")
        assert text(pilot, "#audio-status") == "♪ no sound device"
        assert "m" not in app.screen.active_bindings
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Pause or resume" in titles and "Cycle audio mode" not in titles


async def test_a_40_by_12_terminal_still_shows_how_to_quit() -> None:
    app, clock = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pick(pilot, "tempoed")
        await at(pilot, clock, 25.5)
        footer = app.screen.query_one(Footer)
        (quit_key,) = [key for key in footer.query("FooterKey") if "Quit" in str(key.render())]
        assert app.screen.region.contains_region(quit_key.region)
