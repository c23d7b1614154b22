"""The workout index: a file read before is answered without validating, exactly as
validating answers, and nothing the index holds is trusted across changes or damage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tempo_coach import workout_index
from tempo_coach.catalog import Catalog, load_workout
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.workout_index import WorkoutIndex, WorkoutSummary, heading_of, summarize

from .conftest import REPO

RDL = REPO / "workouts" / "tempoed-rdl.toml"
GOOD = RDL.read_text(encoding="utf-8")


@pytest.fixture
def index_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "index.json"


def fresh(index_path: Path) -> WorkoutIndex:
    """A new index on the same file, as the next run of a command opens it."""
    return WorkoutIndex(index_path)


def test_a_file_read_before_is_answered_from_the_index_as_validating_answers(
    index_path: Path,
) -> None:
    first = fresh(index_path)
    cold = first.summary(RDL)
    first.save()
    assert first.validated == 1
    assert index_path.stat().st_mode & 0o777 == 0o600  # private, as the history is
    warm_index = fresh(index_path)
    warm = warm_index.summary(RDL)
    assert warm_index.validated == 0
    assert warm == cold == summarize(load_workout(RDL))
    assert warm.name == "Tempoed Romanian deadlift" and warm.plan[0] == warm.name


def test_a_broken_files_problems_come_back_exactly_naming_the_path_given(
    index_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(GOOD.replace("tempo =", "tmepo ="))
    with pytest.raises(WorkoutFileError) as direct:
        load_workout(broken)
    first = fresh(index_path)
    with pytest.raises(WorkoutFileError) as cold:
        first.summary(broken)
    first.save()
    copy = tmp_path / "elsewhere" / "copy.toml"
    copy.parent.mkdir()
    copy.write_bytes(broken.read_bytes())
    warm_index = fresh(index_path)
    with pytest.raises(WorkoutFileError) as warm:
        warm_index.summary(copy)
    assert warm_index.validated == 0
    assert str(cold.value) == str(direct.value)
    assert warm.value.problems == direct.value.problems
    assert str(warm.value) == str(direct.value).replace(str(broken), str(copy))


def test_an_edited_file_is_validated_afresh(index_path: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(GOOD)
    first = fresh(index_path)
    first.summary(mine)
    first.save()
    mine.write_text(GOOD.replace("sets = 4", "sets = 2"))
    second = fresh(index_path)
    assert "2 × 5" in "\n".join(second.summary(mine).plan)
    assert second.validated == 1


def test_an_index_made_by_other_code_is_not_trusted(
    index_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record that lies (as one from older code might) is never read back."""
    first = fresh(index_path)
    first.summary(RDL)
    first.save()
    index = json.loads(index_path.read_text())
    for record in index["files"].values():
        record["name"] = "From older code"
    index_path.write_text(json.dumps(index))
    assert fresh(index_path).summary(RDL).name == "From older code"  # same code: trusted
    monkeypatch.setattr(workout_index, "code_fingerprint", lambda: "changed code")
    changed = fresh(index_path)
    assert changed.summary(RDL).name == "Tempoed Romanian deadlift"
    assert changed.validated == 1


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff not json",
        b"[1, 2, 3]",
        b'{"format": 1}',
        b"[" * 100_000,
        b" " * (workout_index.MAX_INDEX_BYTES + 1),
    ],
    ids=["empty", "not-json", "a-list", "keys-missing", "nested-deep", "too-big"],
)
def test_a_damaged_index_is_ignored_and_rebuilt(index_path: Path, damage: bytes) -> None:
    index_path.parent.mkdir(parents=True)
    index_path.write_bytes(damage)
    index = fresh(index_path)
    assert index.summary(RDL).name == "Tempoed Romanian deadlift"
    assert index.validated == 1
    index.save()
    assert fresh(index_path).records.keys() == index.records.keys()


def test_an_index_that_is_not_a_file_is_ignored_without_waiting(index_path: Path) -> None:
    index_path.parent.mkdir(parents=True)
    os.mkfifo(index_path)  # a plain open() would wait for a writer
    index = fresh(index_path)
    assert index.summary(RDL).name == "Tempoed Romanian deadlift"
    assert index.validated == 1


def test_a_damaged_record_is_validated_again(index_path: Path) -> None:
    first = fresh(index_path)
    first.summary(RDL)
    first.save()
    index = json.loads(index_path.read_text())
    key = next(iter(index["files"]))
    bad_records: list[object] = [{"name": 3}, {"problems": []}, {"problems": [["at"]]}, [], "x"]
    for bad in bad_records:
        index["files"][key] = bad
        index_path.write_text(json.dumps(index))
        again = fresh(index_path)
        assert again.summary(RDL).name == "Tempoed Romanian deadlift"
        assert again.validated == 1


def test_an_index_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    index = WorkoutIndex(blocked / "index.json")  # its folder is a file
    assert index.summary(RDL).name == "Tempoed Romanian deadlift"
    index.save()
    assert blocked.read_text() == ""


def test_only_the_most_recently_used_records_are_kept(
    index_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workout_index, "MAX_RECORDS", 2)
    files = []
    for sets in (1, 2, 3):
        path = tmp_path / f"w{sets}.toml"
        path.write_text(GOOD.replace("sets = 4", f"sets = {sets}"))
        files.append(path)
    index = fresh(index_path)
    for path in (files[0], files[1], files[2], files[0]):
        index.summary(path)
    index.save()
    again = fresh(index_path)
    again.summary(files[0])
    again.summary(files[2])
    assert again.validated == 0
    again.summary(files[1])
    assert again.validated == 1


def test_a_listing_works_out_only_headings_and_show_the_rest(index_path: Path) -> None:
    """`list` does not pay for the plans and checks; `show` and `validate` do, once."""
    listing = fresh(index_path)
    heading = listing.heading(RDL)
    assert not isinstance(heading, WorkoutSummary)
    listing.save()
    showing = fresh(index_path)
    assert showing.heading(RDL) == heading and showing.validated == 0
    summary = showing.summary(RDL)
    assert (
        showing.validated == 1
        and summary.plan
        and (summary.name, summary.duration)
        == (
            heading.name,
            heading.duration,
        )
    )
    showing.save()
    again = fresh(index_path)
    assert again.summary(RDL) == summary and again.heading(RDL) == heading
    assert again.validated == 0


def test_the_listing_keeps_broken_files_and_notes(index_path: Path, tmp_path: Path) -> None:
    (tmp_path / "a-good.toml").write_text(GOOD)
    (tmp_path / "b-broken.toml").write_text(GOOD.replace("4-1-X-2", "4-1"))
    listed = fresh(index_path).listing(Catalog(REPO / "workouts", tmp_path))
    mine = [entry for entry in listed if entry.source == "user"]
    assert [entry.stem for entry in mine] == ["a-good", "b-broken"]
    assert mine[0].heading == heading_of(load_workout(tmp_path / "a-good.toml"))
    assert mine[0].error is None
    assert mine[1].heading is None and "exercises[0].tempo" in str(mine[1].error)


def test_list_show_and_validate_answered_from_the_index_load_no_pydantic(
    tmp_path: Path,
) -> None:
    """A second run of each command, on files it has read before, imports no models."""
    program = textwrap.dedent(f"""
        import sys
        from tempo_coach.cli import main
        codes = [main(["list"]), main(["show", "tempoed-rdl"]), main(["validate", {str(RDL)!r}])]
        print(codes, sorted(m for m in ("pydantic", "tempo_coach.core.models") if m in sys.modules))
    """)
    environment = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", **environment},
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.splitlines()[-1] == "[0, 0, 0] ['pydantic', 'tempo_coach.core.models']"
    assert runs[1].stdout.splitlines()[-1] == "[0, 0, 0] []"
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
