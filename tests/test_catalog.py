"""The catalog: finding workouts, reading files safely, and saving the user's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tempo_coach.catalog import Catalog, load_workout, read_toml_file
from tempo_coach.core.editing import EditError, edit_workout
from tempo_coach.core.errors import WorkoutFileError, WorkoutNotFoundError
from tempo_coach.core.loading import MAX_WORKOUT_BYTES

from .conftest import REPO

BUNDLED = REPO / "workouts"
RDL = load_workout(BUNDLED / "tempoed-rdl.toml")
BACKSIDE = load_workout(BUNDLED / "backside-session.toml")


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return Catalog(BUNDLED, tmp_path / "mine")


def test_a_saved_file_loads_back_as_the_same_workout(catalog: Catalog) -> None:
    saved = catalog.save_as(BACKSIDE, "Backside copy")
    assert saved == catalog.user / "backside-copy.toml"
    assert load_workout(saved) == BACKSIDE


def test_save_as_refuses_existing_files_unless_told(catalog: Catalog) -> None:
    first = catalog.save_as(RDL, "mine")
    with pytest.raises(EditError, match="already exists"):
        catalog.save_as(edit_workout(RDL, name="changed"), "mine")
    assert load_workout(first) == RDL
    catalog.save_as(edit_workout(RDL, name="changed"), "mine", overwrite=True)
    assert load_workout(first).name == "changed"
    assert sorted(path.name for path in catalog.user.iterdir()) == ["mine.toml"]


def test_bundled_files_are_never_written() -> None:
    inside = Catalog(BUNDLED, BUNDLED)
    with pytest.raises(EditError, match="bundled"):
        inside.save_as(RDL, "tempoed rdl")
    with pytest.raises(EditError, match="not one of your workouts"):
        Catalog(BUNDLED, BUNDLED / "sub").save(RDL, BUNDLED / "tempoed-rdl.toml")
    assert load_workout(BUNDLED / "tempoed-rdl.toml") == RDL


def test_save_writes_the_users_own_file_in_place(catalog: Catalog, tmp_path: Path) -> None:
    path = catalog.save_as(RDL, "mine")
    catalog.save(edit_workout(RDL, name="changed"), path)
    assert load_workout(path).name == "changed"
    assert sorted(p.name for p in catalog.user.iterdir()) == ["mine.toml"]  # no partial left
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text((BUNDLED / "tempoed-rdl.toml").read_text())
    with pytest.raises(EditError, match="not one of your workouts"):
        catalog.save(RDL, elsewhere)


def test_saving_an_invalid_workout_is_refused_with_the_reason(catalog: Catalog) -> None:
    broken = RDL.model_copy(update={"count_in_beats": 99})  # model_copy does not validate
    with pytest.raises(EditError, match=r"count_in_beats: must be"):
        catalog.save_as(broken, "broken")
    assert not catalog.user.exists() or list(catalog.user.iterdir()) == []


def test_copy_keeps_the_text_and_its_comments(catalog: Catalog) -> None:
    source = BUNDLED / "tempoed-rdl.toml"
    copied = catalog.copy(source, "my rdl")
    assert copied.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert copied.read_text(encoding="utf-8").startswith("# The tempoed Romanian deadlift")
    with pytest.raises(EditError, match="already exists"):
        catalog.copy(source, "my rdl")


def test_copy_refuses_a_broken_or_missing_source(catalog: Catalog, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("format_version = 1\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(WorkoutFileError, match="exercises"):
        catalog.copy(broken, "fixed")
    with pytest.raises(WorkoutFileError, match="cannot read"):
        catalog.copy(tmp_path / "missing.toml", "fixed")


def test_the_users_own_workout_shadows_a_bundled_one(catalog: Catalog) -> None:
    mine = catalog.save_as(edit_workout(RDL, name="My own RDL"), "tempoed rdl")
    assert catalog.find("tempoed-rdl") == mine
    assert catalog.find(str(BUNDLED / "tempoed-rdl.toml")) == BUNDLED / "tempoed-rdl.toml"
    with pytest.raises(WorkoutNotFoundError, match="did you mean tempoed-rdl"):
        catalog.find("tempoed-rld")


def test_only_regular_files_are_read_and_nothing_waits(tmp_path: Path) -> None:
    """A FIFO named like a workout would block a plain open() forever."""
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    with pytest.raises(WorkoutFileError, match="named pipe"):
        read_toml_file(fifo)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(WorkoutFileError, match="folder"):
        read_toml_file(folder)
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (MAX_WORKOUT_BYTES + 1))
    with pytest.raises(WorkoutFileError, match="too big"):
        read_toml_file(huge)
    entries = Catalog(BUNDLED, tmp_path).entries()
    broken = {entry.path.name: str(entry.error) for entry in entries if entry.source == "user"}
    assert set(broken) == {"x.toml", "folder.toml", "huge.toml"}
    assert all(entry.workout is not None for entry in entries if entry.source == "bundled")


def test_user_folder_state_changes_when_a_file_does(catalog: Catalog) -> None:
    assert catalog.user_folder_state() == ()
    path = catalog.save_as(RDL, "mine")
    seen = catalog.user_folder_state()
    assert [name for name, _, _ in seen] == ["mine.toml"]
    catalog.save(edit_workout(RDL, name="a longer name than before"), path)
    assert catalog.user_folder_state() != seen


def test_unreadable_and_non_utf8_files_name_their_path(tmp_path: Path) -> None:
    with pytest.raises(WorkoutFileError, match=r"nope\.toml: cannot read the file"):
        load_workout(tmp_path / "nope.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x00\x9f\x92\x96")
    with pytest.raises(WorkoutFileError, match=r"binary\.toml: line 1: not UTF-8 text, at byte 1"):
        load_workout(binary)


def test_a_folder_with_one_broken_file_still_lists_the_good_ones(tmp_path: Path) -> None:
    good = (BUNDLED / "tempoed-rdl.toml").read_text()
    (tmp_path / "a-good.toml").write_text(good)
    (tmp_path / "b-broken.toml").write_text(good.replace("4-1-X-2", "4-1"))
    (tmp_path / "notes.txt").write_text("not a workout")
    entries = [entry for entry in Catalog(BUNDLED, tmp_path).entries() if entry.source == "user"]
    assert [entry.stem for entry in entries] == ["a-good", "b-broken"]
    assert entries[0].workout is not None and entries[0].error is None
    assert entries[1].workout is None and entries[1].error is not None
    assert "exercises[0].tempo" in str(entries[1].error)
    assert "b-broken.toml" in str(entries[1].error)
