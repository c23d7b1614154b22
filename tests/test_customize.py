"""Pilot tests of Customize: every field in the form, errors under their fields, saving in
place and as a copy, and a workout built from nothing run at once."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static

from tempo_coach.catalog import Catalog, load_workout, updated_toml
from tempo_coach.core.describe import session_totals
from tempo_coach.core.editing import (
    EditError,
    add_exercise,
    blank_workout,
    draft_problems,
    edit_exercise,
    form_data,
    phases_from_tempo,
)
from tempo_coach.core.loading import parse_workout
from tempo_coach.core.models import Load, Workout
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.tui.screens import ConfirmDialog, PickerScreen
from tempo_coach.tui.screens.customize import AddExerciseDialog, CustomizeScreen, SaveAsDialog
from tempo_coach.tui.screens.help import HELP_TEXT, HelpScreen
from tempo_coach.tui.screens.workout_form import field_specs, parse_loads, widget_id
from tempo_coach.tui.widgets.rep_strip import RepStrip, fit_label

from .conftest import REPO
from .tui_support import at, make_app, notices, session_screen, text

RDL_PATH = REPO / "workouts" / "tempoed-rdl.toml"
BACKSIDE_PATH = REPO / "workouts" / "backside-session.toml"
NORDIC_PATH = REPO / "workouts" / "nordic-curl.toml"
SIZE = (120, 40)


async def open_customize(pilot: Pilot[None], path: Path | None) -> CustomizeScreen:
    await pilot.pause()
    workout = load_workout(path) if path is not None else blank_workout()
    screen = CustomizeScreen(workout, path, Catalog.default())
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def showing(app: App[None]) -> Screen[Any]:
    """The screen shown now (a function, so that type narrowing does not stick)."""
    return app.screen


def field(*path: str | int) -> str:
    return f"#{widget_id('f', path)}"


def error(*path: str | int) -> str:
    return f"#{widget_id('e', path)}"


async def type_into(pilot: Pilot[None], selector: str, value: str) -> None:
    """Clear an input and type into it key by key, as a person would."""
    control = pilot.app.screen.query_one(selector, Input)
    control.focus()
    control.value = ""
    await pilot.press(*value)
    await pilot.pause()


async def press_button(pilot: Pilot[None], selector: str) -> None:
    button = pilot.app.screen.query_one(selector, Button)
    button.focus()
    await pilot.press("enter")
    await pilot.pause()


def with_first_exercise(workout: Workout, **changes: object) -> Workout:
    """The expected workout, built by hand rather than by the code under test."""
    first = workout.exercises[0].model_copy(update=changes)
    return workout.model_copy(update={"exercises": [first, *workout.exercises[1:]]})


def _models_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds, and whether it holds a list of them. A load is one field,
    written as text ("80 kg"), not a group of its keys."""
    if annotation is Load:
        return None, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if typing.get_origin(annotation) is list:
        found, _ = _models_in(typing.get_args(annotation)[0])
        return found, True
    for member in typing.get_args(annotation):
        found, many = _models_in(member)
        if found is not None:
            return found, many
    return None, False


def field_paths(
    model: type[BaseModel], data: dict[str, Any], path: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    """Every field of `model` (and of the models inside it) at `data`, walked from the
    models themselves, so a field added to the format later is walked too."""
    paths = []
    for key, info in model.model_fields.items():
        here = (*path, key)
        paths.append(here)
        inner, many = _models_in(info.annotation)
        if inner is not None and many:
            for index, item in enumerate(data.get(key) or []):
                paths.extend(field_paths(inner, item, (*here, index)))
        elif inner is not None:
            paths.extend(field_paths(inner, data.get(key) or {}, here))
    return paths


async def test_the_form_has_a_control_for_every_field_of_the_format() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, NORDIC_PATH)  # custom phases
        screen.query_one(field("exercises", 0, "sets")).focus()
        await pilot.press("ctrl+n")  # a duplicate of the first exercise
        await pilot.pause()
        await press_button(pilot, "#add-exercises")
        await pilot.press("enter")  # a blank exercise, with a tempo
        await pilot.pause()
        await press_button(pilot, "#add-silenced")
        await press_button(pilot, "#add-exercises-0-warmup")
        walked = field_paths(Workout, screen.data)
        assert ("exercises", 0, "warmup", 0, "percent") in walked
        assert ("exercises", 0, "load") in walked
        assert ("exercises", 2, "phases", "contracted", "cue") in walked
        assert ("exercises", 0, "custom_phases", 0, "beats") in walked
        assert ("silenced", 0, "reason") in walked
        missing = [
            path
            for path in walked
            if not screen.query(f"#{widget_id('f', path)}")
            and not screen.query(f"#{widget_id('g', path)}")
        ]
        assert missing == []
        assert [spec.help != "" for spec in field_specs(Workout)] == [True] * len(
            Workout.model_fields
        )


async def test_edit_tempo_and_sets_see_the_preview_change_and_save_a_copy(
    private_user_folders: Path,
) -> None:
    bundled = RDL_PATH.read_bytes()
    original = load_workout(RDL_PATH)
    expected = with_first_exercise(original, sets=3, tempo=parse_tempo("5-1-X-2"))
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        assert text(pilot, "#totals") == session_totals(compile_timeline(original))

        await type_into(pilot, field("exercises", 0, "tempo"), "5-1-X-2")
        await type_into(pilot, field("exercises", 0, "sets"), "3")
        assert text(pilot, "#totals") == session_totals(compile_timeline(expected))
        assert screen.workout == expected
        assert text(pilot, "#strip-caption").endswith("= 9 s a rep")

        await type_into(pilot, field("exercises", 0, "tempo"), "5-1-X")
        assert "a tempo has four parts" in text(pilot, error("exercises", 0, "tempo"))
        assert text(pilot, "#totals") == session_totals(compile_timeline(expected))
        await type_into(pilot, field("exercises", 0, "tempo"), "5-1-X-2")
        assert text(pilot, error("exercises", 0, "tempo")) == ""

        await pilot.press("ctrl+s")  # a bundled workout is saved as a copy, never in place
        await pilot.pause()
        assert isinstance(showing(app), SaveAsDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"my rdl", "enter")
        await pilot.pause()
        assert showing(app) is screen
        assert not screen.changed

    saved = private_user_folders / "workouts" / "my-rdl.toml"
    assert load_workout(saved) == expected.model_copy(update={"name": "my rdl"})
    assert RDL_PATH.read_bytes() == bundled


async def test_errors_show_under_their_own_field_and_save_takes_the_cursor_there() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        before = screen.workout
        await type_into(pilot, field("exercises", 0, "sets"), "0")
        assert text(pilot, error("exercises", 0, "sets")) == (
            "Sets must be between 1 and 20 (got 0)"
        )
        await type_into(pilot, field("exercises", 0, "sets"), "4")
        await type_into(pilot, field("exercises", 0, "reps"), "5,5")
        assert "`sets` is 4 but `reps` lists 2 numbers" in text(
            pilot, error("exercises", 0, "reps")
        )
        assert text(pilot, error("exercises", 0, "sets")) == ""
        await type_into(pilot, field("exercises", 0, "reps"), "5")
        await type_into(pilot, field("exercises", 0, "phases", "eccentric", "name"), "")
        await type_into(pilot, field("exercises", 0, "beat_seconds"), "0")
        assert text(pilot, error("exercises", 0, "beat_seconds")).startswith(
            "Beat seconds must be between 0.1 and 10 s"
        )
        assert text(pilot, error("exercises", 0, "phases", "eccentric", "name")) == (
            "Name is required but missing"
        )
        assert screen.workout == before

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(showing(app), SaveAsDialog)
        assert notices(app)[-1].startswith("2 problems left; the first: Name is required")
        assert app.focused is screen.query_one(field("exercises", 0, "phases", "eccentric", "name"))


async def test_save_in_place_keeps_the_users_comments(private_user_folders: Path) -> None:
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    mine = folder / "mine.toml"
    text_before = "# My own RDL day; keep this note.\n" + RDL_PATH.read_text(encoding="utf-8")
    text_before = text_before.replace("sets = 4", "sets = 4  # four, as the coach said")
    mine.write_text(text_before, encoding="utf-8")
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, mine)
        await type_into(pilot, field("exercises", 0, "reps"), "6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert showing(app) is screen  # no question: it is the user's own file
    after = mine.read_text(encoding="utf-8")
    assert after.startswith("# My own RDL day; keep this note.\n")
    assert "# four, as the coach said" in after
    assert load_workout(mine).exercises[0].reps == 6
    assert [line for line in after.splitlines() if line.startswith("reps")] == ["reps = 6"]


async def test_save_as_asks_before_replacing_a_file_of_yours(private_user_folders: Path) -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        for sets in ("3", "2"):
            await type_into(pilot, field("exercises", 0, "sets"), sets)
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("ctrl+a", "ctrl+k", *"copy", "enter")
            await pilot.pause()
        assert isinstance(showing(app), ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        saved = private_user_folders / "workouts" / "copy.toml"
        assert load_workout(saved).exercises[0].sets == 3
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"copy", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert showing(app) is screen
    assert load_workout(saved).exercises[0].sets == 2


async def test_a_bundled_file_stays_byte_identical(private_user_folders: Path) -> None:
    bundled = BACKSIDE_PATH.read_bytes()
    catalog = Catalog.default()
    workout = load_workout(BACKSIDE_PATH)
    with pytest.raises(EditError, match="not one of your workouts"):
        catalog.save(workout, BACKSIDE_PATH)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_customize(pilot, BACKSIDE_PATH)
        await type_into(pilot, field("exercises", 1, "sets"), "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"backside session", "enter")
        await pilot.pause()
    assert BACKSIDE_PATH.read_bytes() == bundled
    copy = load_workout(private_user_folders / "workouts" / "backside-session.toml")
    assert copy.exercises[1].sets == 5


async def test_escape_with_unsaved_changes_asks_first() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        await type_into(pilot, field("name"), "Changed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(showing(app), ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert showing(app) is screen
        await type_into(pilot, field("name"), "Tempoed Romanian deadlift")
        await pilot.press("escape")  # back as it was: nothing to lose, nothing asked
        await pilot.pause()
        assert isinstance(showing(app), PickerScreen)
        screen = await open_customize(pilot, RDL_PATH)
        await type_into(pilot, field("name"), "Changed again")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(showing(app), PickerScreen)


async def test_a_workout_built_from_nothing_runs_with_its_own_names_and_cues(
    private_user_folders: Path,
) -> None:
    """A blank workout: its exercise renamed with its own tempo phase names and cues, a
    second exercise of custom phases, saved and run at once on the fake clock."""
    app, clock = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+b")  # start from a blank workout
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomizeScreen)
        assert screen.source_path is None
        await type_into(pilot, field("name"), "Nordic day")
        await type_into(pilot, field("exercises", 0, "name"), "Slow RDL")
        await type_into(pilot, field("exercises", 0, "sets"), "1")
        await type_into(pilot, field("exercises", 0, "reps"), "1")
        await type_into(pilot, field("exercises", 0, "phases", "eccentric", "name"), "Hinge")
        await type_into(
            pilot, field("exercises", 0, "phases", "eccentric", "cue"), "Hips back, soft knees"
        )
        await type_into(pilot, field("exercises", 0, "setup", "seconds"), "2")

        await press_button(pilot, "#add-exercises")
        assert isinstance(showing(app), AddExerciseDialog)
        await pilot.press("enter")  # the first choice: a blank exercise
        await pilot.pause()
        await type_into(pilot, field("exercises", 1, "name"), "Band Nordic")
        await type_into(pilot, field("exercises", 1, "sets"), "1")
        await type_into(pilot, field("exercises", 1, "reps"), "1")
        await press_button(pilot, "#add-exercises-1-custom_phases")  # the tempo as phases
        assert "tempo" not in screen.data["exercises"][1]
        await type_into(pilot, field("exercises", 1, "custom_phases", 0, "name"), "Fall")
        await type_into(
            pilot, field("exercises", 1, "custom_phases", 0, "cue"), "Fight it all the way"
        )
        await type_into(pilot, field("exercises", 1, "custom_phases", 0, "seconds"), "6")
        assert screen.problems == []

        await pilot.press("f5")  # save and run: a new workout asks for its name first
        await pilot.pause()
        assert isinstance(showing(app), SaveAsDialog)
        await pilot.press("enter")  # the workout's own name, as suggested
        await pilot.pause()
        saved = load_workout(private_user_folders / "workouts" / "nordic-day.toml")
        assert [exercise.name for exercise in saved.exercises] == ["Slow RDL", "Band Nordic"]

        session = session_screen(pilot)
        timeline = compile_timeline(saved)
        for label, cue in (("Hinge", "Hips back, soft knees"), ("Fall", "Fight it all the way")):
            segment = next(segment for segment in timeline.segments if segment.label == label)
            await at(pilot, clock, segment.start_ms / 1000 + 0.5)
            assert (session.engine.segment.label, session.engine.segment.cue) == (label, cue)
            assert any(cue in str(shown.visual) for shown in session.query(Static))
        phases = next(s for s in timeline.segments if s.label == "Fall")
        assert phases.duration_ms == 6000


async def test_duplicate_move_and_remove_exercises() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, BACKSIDE_PATH)
        names = [exercise.name for exercise in screen.workout.exercises]
        screen.query_one(field("exercises", 0, "sets")).focus()
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
        assert text(pilot, "#strip-title") == f"One rep of 3. {names[0]}:"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [e.name for e in screen.workout.exercises] == names
        assert len(screen.query(".exercise")) == len(names)


async def test_the_only_exercise_cannot_be_removed() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        screen.query_one(field("exercises", 0, "sets")).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.workout.exercises) == 1
        assert any("at least one exercise" in notice for notice in notices(app))


async def test_removing_the_last_custom_phase_asks_for_a_tempo() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, NORDIC_PATH)
        count = len(screen.data["exercises"][0]["custom_phases"])
        for _ in range(count):
            screen.query_one(field("exercises", 0, "custom_phases", 0, "name")).focus()
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert "custom_phases" not in screen.data["exercises"][0]
        assert "Give an exercise either `tempo`" in text(pilot, error("exercises", 0, "tempo"))
        await type_into(pilot, field("exercises", 0, "tempo"), "10-0-X-0")
        assert screen.problems == []
        assert screen.workout.exercises[0].tempo == parse_tempo("10-0-X-0")


async def test_the_audio_mode_is_kept_across_a_redraw() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        screen.query_one(field("audio_mode"), Select).value = "clicks"
        await pilot.pause()
        screen.query_one(field("exercises", 0, "sets")).focus()
        await pilot.press("ctrl+n")  # duplicating an exercise draws the form anew
        await pilot.pause()
        assert screen.query_one(field("audio_mode"), Select).value == "clicks"
        assert screen.workout.audio_mode == "clicks"


def test_phase_labels_never_run_together() -> None:
    assert fit_label("Bottom", 7) == "Bottom"
    assert fit_label("Bottom", 5) == "Bot…"
    assert fit_label("Bottom", 2) == "B"
    assert fit_label("Bottom", 1) == ""
    assert fit_label("深蹲", 3) == "深"


async def test_the_strip_leaves_a_gap_after_every_name() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        blocks = list(screen.query_one(RepStrip).query(".strip-phase"))
        assert len(blocks) == 4
        for block in blocks:
            assert len(str(block.render())) < block.size.width


def test_an_edited_file_keeps_its_comments_and_its_explicit_defaults() -> None:
    original = (
        "# mine\n"
        'format_version = 1\nname = "Mine"\ngoal = "general"  # stated on purpose\n\n'
        "[[exercises]]\n# the main lift\n"
        'name = "RDL"\ntrains = "hip_extension"\ncategory = "compound"\n'
        'sets = 3\nreps = 5\ntempo = "4-1-X-2"\nrest_seconds = 120  # long rests\n'
    )
    workout = parse_workout(original, Path("mine.toml"))
    more = edit_exercise(workout, 0, sets=4, rest_seconds=None)
    more = add_exercise(more, 0)
    text_after = updated_toml(original, more)
    assert parse_workout(text_after, Path("mine.toml")) == more
    assert text_after.startswith("# mine\n")
    assert 'goal = "general"  # stated on purpose' in text_after
    assert "# the main lift" in text_after
    assert "long rests" not in text_after  # its key is gone
    assert text_after.count("[[exercises]]") == 2


def test_a_rule_of_the_whole_exercise_is_put_on_the_field_that_breaks_it() -> None:
    data = form_data(load_workout(RDL_PATH))
    data["exercises"][0]["reps"] = [5, 5]
    workout, problems = draft_problems(data)
    assert workout is None
    assert [problem.where for problem in problems] == ["exercises[0].reps"]


def test_a_tempo_becomes_custom_phases_with_its_names_and_cues() -> None:
    workout = load_workout(RDL_PATH)
    exercise = workout.exercises[0]
    phases = phases_from_tempo(exercise, exercise.settings(workout.defaults))
    assert [(phase["name"], phase["kind"], phase["seconds"]) for phase in phases] == [
        ("Hinge", "eccentric", 4),
        ("Bottom", "hold", 1),
        ("Drive", "concentric", 1),
        ("Squeeze", "squeeze", 2),
    ]
    assert phases[0]["cue"] == exercise.phases.eccentric.cue


async def test_an_exercise_can_start_from_one_of_a_bundled_workout() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        await press_button(pilot, "#add-exercises")
        dialog = showing(app)
        assert isinstance(dialog, AddExerciseDialog)
        await pilot.press("down", "enter")  # the first exercise of the first bundled workout
        await pilot.pause()
        assert showing(app) is screen
        assert screen.data["exercises"][1] == dialog.starts[1]
        assert screen.workout.exercises[1].name == dialog.starts[1]["name"]
        assert app.focused is not None
        assert screen.focused_path("exercise") == ("exercises", 1)


async def put(pilot: Pilot[None], selector: str, value: str) -> None:
    """Put text in a field at once (typing it key by key re-checks the form each key)."""
    pilot.app.screen.query_one(selector, Input).value = value
    await pilot.pause()


def said_under(pilot: Pilot[None], *path: str | int) -> str:
    """What the error line under a field says: nothing when it has not been mounted."""
    found = pilot.app.screen.query(error(*path))
    return text(pilot, error(*path)) if found else ""


async def test_the_load_fields_take_the_load_boxs_short_forms_and_save_the_files(
    private_user_folders: Path,
) -> None:
    """A bare number (in kg here), a decimal comma, "bw+10", a unit: read as the session's
    load box reads them, in the exercise's load (one, or one a set) and a warm-up's, and
    saved in the file's spelling."""
    folder = private_user_folders / "workouts"
    folder.mkdir(parents=True)
    mine = folder / "mine.toml"
    mine.write_text(RDL_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, mine)
        await type_into(pilot, field("exercises", 0, "load"), "82,5")
        assert screen.data["exercises"][0]["load"] == "82.5 kg"
        assert said_under(pilot, "exercises", 0, "load") == ""
        assert screen.workout.exercises[0].load == Load(amount=82.5)
        await put(pilot, field("exercises", 0, "load"), "60, 62,5, bw+10, 180 lb")
        assert screen.data["exercises"][0]["load"] == [
            "60 kg",
            "62.5 kg",
            "bodyweight + 10 kg",
            "180 lb",
        ]
        await put(pilot, field("exercises", 0, "warmup", 0, "percent"), "")
        await put(pilot, field("exercises", 0, "warmup", 0, "load"), "bw-20")
        assert screen.problems == []
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = mine.read_text(encoding="utf-8")
    assert 'load = ["60 kg", "62.5 kg", "bodyweight + 10 kg", "180 lb"]' in saved
    assert 'load = "bodyweight - 20 kg"' in saved
    assert load_workout(mine).exercises[0].set_loads[1] == Load(amount=62.5)


async def test_a_bare_load_is_in_the_lifters_units() -> None:
    app, _ = make_app(units="lb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        await put(pilot, field("exercises", 0, "load"), "135")
        assert screen.data["exercises"][0]["load"] == "135 lb"
        await put(pilot, field("exercises", 0, "load"), "")
        load = screen.query_one(field("exercises", 0, "load"), Input)
        assert str(load.placeholder).startswith("e.g. 80 (in lb) or bw+10")
        warmup = screen.query_one(field("exercises", 0, "warmup", 0, "load"), Input)
        assert warmup.placeholder == "e.g. 40 (in lb) or bw"


async def test_a_load_that_cannot_be_read_is_named_under_its_field() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        await type_into(pilot, field("exercises", 0, "load"), "8O")
        assert said_under(pilot, "exercises", 0, "load") == (
            'Load: "8O" is not a load: type a number (in kg), a number and kg or lb, bw, '
            "or bw+10 / bw-20 (band)"
        )
        await put(pilot, field("exercises", 0, "load"), "60, 0, 65, 2000")
        assert said_under(pilot, "exercises", 0, "load") == (
            "Load of set 2: a weight must be more than 0 (for bodyweight, type bw)\n"
            "Load of set 4: the weight must be between -500 and 1000"
        )
        await put(pilot, field("exercises", 0, "warmup", 1, "percent"), "")
        await put(pilot, field("exercises", 0, "warmup", 1, "load"), "heavy")
        assert said_under(pilot, "exercises", 0, "warmup", 1, "load").startswith(
            'Load: "heavy" is not a load: type a number (in kg)'
        )
        assert screen.workout.exercises[0].load == Load(amount=8)  # the last valid: "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert notices(app)[-1].startswith("3 problems left; the first: Load of set 2: a weight")
        assert app.focused is screen.query_one(field("exercises", 0, "load"))
        await put(pilot, field("exercises", 0, "load"), "60, 62,5, 65, 70")
        await put(pilot, field("exercises", 0, "warmup", 1, "load"), "45")
        assert screen.problems == []
        assert said_under(pilot, "exercises", 0, "load") == ""


async def test_the_footer_fits_80_columns_with_save_run_back_and_help() -> None:
    """At 80×24 no key runs under the palette's key docked at the footer's right end, and
    the keys to save, run, leave and get help are among them; f1 opens the help (`?` is
    typed into the fields)."""
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customize(pilot, RDL_PATH)
        keys = list(screen.query_one(Footer).query("FooterKey"))
        palette = next(key for key in keys if "palette" in str(key.render()))
        shown = [key for key in keys if key is not palette]
        for key in shown:
            assert key.region.right <= palette.region.x, str(key.render())
        words = {str(key.render()).strip() for key in shown}
        assert {"^s Save", "f5 Save & run", "esc Back", "f1 Help"} <= words
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(showing(app), HelpScreen)


def test_the_help_names_every_customize_key() -> None:
    """The help's Customize table is written by hand: each key of the screen must be in it,
    the ones the footer leaves out above all."""
    section = HELP_TEXT.split("## Customizing a workout")[1].split("\n## ")[0]
    for binding in CustomizeScreen.BINDINGS:
        assert isinstance(binding, Binding)
        assert f"`{binding.key}`" in section, binding.action


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("82,5", "82.5 kg"),
        ("bw", "bodyweight"),
        ("bw-20", "bodyweight - 20 kg"),
        ("180 lb", "180 lb"),
        ("60, 70", ["60 kg", "70 kg"]),
        ("60,70", ["60 kg", "70 kg"]),  # one a set, not 60.7
        ("82,5, 85", ["82.5 kg", "85 kg"]),
        ("bw+10,bw+20", ["bodyweight + 10 kg", "bodyweight + 20 kg"]),
        ("60, heavy", ["60 kg", "heavy"]),  # passed on as typed, for its field error
        ("  ", None),
    ],
)
def test_a_load_field_reads_a_decimal_comma_and_a_list_of_loads(typed: str, read: Any) -> None:
    assert parse_loads(typed, "kg") == read
