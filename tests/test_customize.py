"""Pilot tests of Customize: edit a bundled workout, watch the preview, save a valid copy."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.core.describe import session_totals
from tempo_coach.core.editing import rep_strip
from tempo_coach.core.models import Workout
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.tui.screens.customize import CustomizeScreen, SaveAsDialog
from tempo_coach.tui.widgets.rep_strip import RepStrip

from .conftest import REPO
from .tui_support import make_app, text

RDL_PATH = REPO / "workouts" / "tempoed-rdl.toml"
BACKSIDE_PATH = REPO / "workouts" / "backside-session.toml"


async def open_customize(pilot: Pilot[None], path: Path) -> CustomizeScreen:
    await pilot.pause()
    screen = CustomizeScreen(load_workout(path), path, Catalog.default())
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def type_into(pilot: Pilot[None], selector: str, value: str) -> None:
    """Clear an input and type into it key by key, as a person would."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*value)
    await pilot.pause()


def notices(pilot: Pilot[None]) -> list[str]:
    return [notification.message for notification in pilot.app._notifications]


def with_first_exercise(workout: Workout, **changes: object) -> Workout:
    """The expected workout, built by hand rather than by the code under test."""
    first = workout.exercises[0].model_copy(update=changes)
    return workout.model_copy(update={"exercises": [first, *workout.exercises[1:]]})


async def test_edit_tempo_and_sets_see_the_preview_change_and_save_a_copy(
    private_user_folders: Path,
) -> None:
    bundled_text = RDL_PATH.read_text(encoding="utf-8")
    original = load_workout(RDL_PATH)
    expected = with_first_exercise(original, sets=3, tempo=parse_tempo("5-1-X-2"))
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        assert text(pilot, "#totals") == session_totals(compile_timeline(original))
        assert text(pilot, "#totals").startswith("Session 11:42")

        await type_into(pilot, "#tempo-0", "5-1-X-2")
        await type_into(pilot, "#sets-0", "3")
        assert text(pilot, "#totals") == session_totals(compile_timeline(expected))
        assert screen.workout == expected
        strip = screen.query_one(RepStrip)
        exercise = expected.exercises[0]
        planned = rep_strip(exercise, exercise.settings(expected.defaults), strip.size.width)
        blocks = list(screen.query(".strip-phase"))
        assert len(blocks) == len(planned)
        for block, (_, kind, cells) in zip(blocks, planned, strict=True):
            assert block.size.width == cells and block.has_class(f"-{kind}")
        assert [kind for _, kind, _ in planned] == ["eccentric", "hold", "concentric", "squeeze"]
        assert planned[0][2] >= 4 * planned[2][2]  # a 5-count hinge, a 1-count drive
        assert text(pilot, "#strip-caption").endswith("= 9 s a rep")

        await type_into(pilot, "#tempo-0", "5-1-X")
        assert "a tempo has four parts" in text(pilot, "#tempo-error-0")
        assert text(pilot, "#totals") == session_totals(compile_timeline(expected))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SaveAsDialog)
        assert any("Fix these first" in notice for notice in notices(pilot))

        await type_into(pilot, "#tempo-0", "5-1-X-2")
        assert text(pilot, "#tempo-error-0") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsDialog)
        await pilot.press(*"my rdl", "enter")
        await pilot.pause()
        assert pilot.app.screen is screen

    saved = private_user_folders / "workouts" / "my-rdl.toml"
    assert load_workout(saved) == expected.model_copy(update={"name": "my rdl"})
    assert saved.read_text(encoding="utf-8").startswith("# Tempo Coach workout")
    assert RDL_PATH.read_text(encoding="utf-8") == bundled_text


async def test_saving_twice_under_one_name_is_refused(private_user_folders: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customize(pilot, RDL_PATH)
        for _ in range(2):
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press(*"copy", "enter")
            await pilot.pause()
        assert any("already exists" in notice for notice in notices(pilot))
    assert load_workout(private_user_folders / "workouts" / "copy.toml").name == "copy"


async def test_a_bad_number_is_shown_under_its_exercise_and_kept_out() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        before = screen.workout
        await type_into(pilot, "#reps-0", "5,5")
        assert "`sets` is 4 but `reps` lists 2 numbers" in text(pilot, "#exercise-error-0")
        assert screen.workout == before
        await type_into(pilot, "#beat-0", "0")
        assert screen.workout == before


async def test_duplicate_move_and_remove_exercises() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customize(pilot, BACKSIDE_PATH)
        names = [exercise.name for exercise in screen.workout.exercises]
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [e.name for e in screen.workout.exercises] == [names[0], *names]
        assert screen.selected == 1
        await pilot.press("alt+down")
        await pilot.pause()
        assert [e.name for e in screen.workout.exercises] == [
            names[0],
            names[1],
            names[0],
            *names[2:],
        ]
        assert "3. Goblet squat" in str(screen.query_one("#strip-title", Static).content)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [e.name for e in screen.workout.exercises] == names
        assert len(screen.query(".exercise")) == len(names)


async def test_the_only_exercise_cannot_be_removed() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.workout.exercises) == 1
        assert any("at least one exercise" in notice for notice in notices(pilot))


async def test_the_audio_mode_is_saved_with_the_workout(private_user_folders: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rdl = load_workout(REPO / "workouts" / "tempoed-rdl.toml")
        await app.push_screen(
            CustomizeScreen(rdl, REPO / "workouts" / "tempoed-rdl.toml", Catalog.default())
        )
        await pilot.pause()
        app.screen.query_one("#audio-mode", Select).value = "clicks"
        await pilot.pause()
        await pilot.press("ctrl+n")  # duplicating an exercise redraws the forms, not this
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomizeScreen)
        assert screen.query_one("#audio-mode", Select).value == "clicks"
        assert screen.workout.audio_mode == "clicks"
