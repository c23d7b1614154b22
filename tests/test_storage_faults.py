"""A history that cannot be written never stops a session: locked by another program (from
the start, or mid-session), on a read-only mount, on a full disk. Each fault is reproduced
for real (another process's lock, `mount`), then a session on the fake clock runs through it:
nothing raises, the failure is told once, and every set is either in the database or in
the list `close` returns; a fault that clears is told too, and then nothing is missing.

The mounts need root with CAP_SYS_ADMIN (as the test container has); as root, file modes
stop nothing, so a read-only *mount* is what makes a file read-only here.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Protocol

import pytest

from tempo_coach.store import History, HistoryError, export_rows
from tempo_coach.store.history import _read_only_reason
from tempo_coach.store.writer import RECOVERED

from .test_session_log import QUICK, Logged, Notices, until

ALL_SETS = [
    f"Set {number}/2 of Curl, {side} side" for number in (1, 2) for side in ("left", "right")
]
"""Every unit of the unilateral test workout, as `close` names one it could not save."""
LOCKED = "History is locked by another program; your sets are kept and saved when it frees"
READ_ONLY = "History is read-only; your sets are kept and saved if it becomes writable"
FULL = "The disk is full; your sets are kept and saved when there is room"
LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


class Mounts:
    """Mounts made for one test, undone at its end (else its folder could not be removed)."""

    def __init__(self) -> None:
        self.points: list[Path] = []

    def mount(self, *arguments: str, at: Path) -> None:
        at.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", *arguments, str(at)], check=True, capture_output=True)
        self.points.append(at)

    def remount(self, options: str, at: Path) -> None:
        subprocess.run(
            ["mount", "-o", f"remount,{options}", str(at)], check=True, capture_output=True
        )

    def undo(self) -> None:
        for at in reversed(self.points):
            if subprocess.run(["umount", str(at)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(at)], check=True)  # a file still open


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[Mounts]:
    probe = tmp_path / "probe"
    probe.mkdir()
    tried = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(probe)],
        capture_output=True,
        text=True,
    )
    if tried.returncode != 0:
        pytest.skip(
            f"cannot mount here ({tried.stderr.strip()}): these faults need root with "
            "CAP_SYS_ADMIN to make a read-only or a full file system"
        )
    subprocess.run(["umount", str(probe)], check=True)
    made = Mounts()
    try:
        yield made
    finally:
        made.undo()


class Fault(Protocol):
    def begin(self) -> None: ...

    def end(self) -> None: ...


class Locker:
    """Another program holding the write lock: an sqlite3 shell inside BEGIN EXCLUSIVE."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.process: subprocess.Popen[str] | None = None

    def begin(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "locked\n"

    def end(self) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.wait(timeout=10) == 0


class FullDisk:
    """A file that takes every free byte of a small file system."""

    def __init__(self, folder: Path) -> None:
        self.filler = folder / "filler"

    def begin(self) -> None:
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT)
        try:
            for chunk in (65536, 4096, 512, 1):
                try:
                    while True:
                        os.write(descriptor, b"\0" * chunk)
                except OSError:
                    pass
        finally:
            os.close(descriptor)

    def end(self) -> None:
        self.filler.unlink()


class ReadOnlyMount:
    """The history's folder seen through a bind mount that is read-only until `end`."""

    def __init__(self, mounts: Mounts, source: Path, view: Path) -> None:
        self.mounts, self.source, self.view = mounts, source, view

    def begin(self) -> None:
        if self.view not in self.mounts.points:
            self.mounts.mount("--bind", str(self.source), at=self.view)
        self.mounts.remount("bind,ro", self.view)

    def end(self) -> None:
        self.mounts.remount("bind,rw", self.view)


def stored(path: Path) -> list[str]:
    """The sets in the database, named as `close` names those it could not save."""
    with History(path) as history:
        return [
            f"Set {row.set_number}/2 of {row.exercise}, {row.side} side"
            for session in history.sessions()
            for row in history.sets(session.id)
        ]


async def through(
    history: History, fault: Fault, *, from_start: bool, cleared: bool
) -> tuple[Notices, list[str]]:
    """Run the unilateral workout on the fake clock through `fault`: from the start (the
    session row waits too) or from after the first side; cleared after set 1, or never.
    Return what was told and what `close` could not save."""
    told = Notices()
    if from_start:
        fault.begin()
    logged = Logged(history, **QUICK, **told.options())
    if not from_start:
        await logged.run(12.5)  # the left side of set 1 is written, then the fault
        assert len(history.sets(1)) == 1
        fault.begin()
    await logged.run(15.0)  # the right side of set 1 is done: its write fails
    await until(lambda: bool(told.failures))
    if cleared:
        fault.end()
    await logged.run()
    unsaved = await logged.stop_and_close(timeout_s=2.0 if cleared else 0.2)
    assert logged.engine.completed_sets[-1].place.set_number == 2  # the session went on
    return told, unsaved


def accounted(
    told: Notices, unsaved: list[str], in_database: list[str], notice: str, *, cleared: bool
) -> None:
    """Told once; each set saved or said to be unsaved, never both; after a fault that
    cleared, everything saved and the recovery told."""
    assert [failure[: len(notice)] for failure in told.failures] == [notice]
    assert sorted(in_database + unsaved) == sorted(ALL_SETS)
    if cleared:
        assert (unsaved, told.recoveries) == ([], [RECOVERED])
    else:
        assert unsaved and told.recoveries == []


@pytest.mark.parametrize("cleared", [True, False], ids=["lock let go", "lock kept"])
@pytest.mark.parametrize("from_start", [True, False], ids=["at the start", "mid-session"])
async def test_a_history_locked_by_another_program(
    tmp_path: Path,
    from_start: bool,
    cleared: bool,
) -> None:
    path = tmp_path / "h.sqlite3"
    locker = Locker(path)
    with History(path) as history:
        told, unsaved = await through(history, locker, from_start=from_start, cleared=cleared)
    if not cleared:
        locker.end()
    accounted(told, unsaved, stored(path), LOCKED, cleared=cleared)


@pytest.mark.parametrize("cleared", [True, False], ids=["made writable", "stays read-only"])
async def test_a_history_on_a_read_only_mount(
    tmp_path: Path,
    mounts: Mounts,
    cleared: bool,
) -> None:
    """Read-only from the start (a history on a read-only mount): it can still be read,
    because another connection keeps its write-ahead log files there, as a running Tempo
    Coach does; without them SQLite cannot even read it (see the next test)."""
    source, view = tmp_path / "disk", tmp_path / "view"
    History(source / "h.sqlite3").close()
    with closing(sqlite3.connect(source / "h.sqlite3")) as keeper:
        keeper.execute("SELECT COUNT(*) FROM sets").fetchone()
        fault = ReadOnlyMount(mounts, source, view)
        fault.begin()
        with History(view / "h.sqlite3") as history:
            assert export_rows(history) == []  # reading works
            told, unsaved = await through(history, fault, from_start=True, cleared=cleared)
    accounted(told, unsaved, stored(source / "h.sqlite3"), READ_ONLY, cleared=cleared)
    assert "is on a read-only file system (a read-only mount)" in told.failures[0]


async def test_a_read_only_mount_is_named_when_the_history_cannot_even_be_opened(
    tmp_path: Path,
    mounts: Mounts,
) -> None:
    source, view = tmp_path / "disk", tmp_path / "view"
    History(source / "h.sqlite3").close()
    ReadOnlyMount(mounts, source, view).begin()
    with pytest.raises(HistoryError) as raised:
        History(view / "h.sqlite3")
    assert raised.value.kind == "read_only"
    assert str(raised.value) == (
        f"{view / 'h.sqlite3'}: the history is on a read-only file system (a read-only "
        "mount), so nothing can be saved to it"
    )


@pytest.mark.parametrize("cleared", [True, False], ids=["space freed", "stays full"])
@pytest.mark.parametrize("from_start", [True, False], ids=["at the start", "mid-session"])
async def test_a_history_on_a_full_disk(
    tmp_path: Path,
    mounts: Mounts,
    from_start: bool,
    cleared: bool,
) -> None:
    disk = tmp_path / "disk"
    mounts.mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", at=disk)
    fault = FullDisk(disk)
    with History(disk / "h.sqlite3") as history:
        told, unsaved = await through(history, fault, from_start=from_start, cleared=cleared)
    if not cleared:
        fault.end()
    accounted(told, unsaved, stored(disk / "h.sqlite3"), FULL, cleared=cleared)


async def test_a_full_disk_is_named_when_a_new_history_cannot_be_made(
    tmp_path: Path,
    mounts: Mounts,
) -> None:
    disk = tmp_path / "disk"
    mounts.mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", at=disk)
    FullDisk(disk).begin()
    with pytest.raises(HistoryError) as raised:
        History(disk / "h.sqlite3")
    assert raised.value.kind == "full"
    assert str(raised.value) == (
        f"{disk / 'h.sqlite3'}: the disk holding the history is full; free some space"
    )


def test_a_read_only_file_or_folder_is_named_as_a_normal_user_meets_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Root may write whatever the modes say, so `os.access` answers here as it would for
    a user without write permission on the file, then on its folder."""
    path = tmp_path / "h.sqlite3"
    History(path).close()
    monkeypatch.setattr(os, "access", lambda where, mode: Path(where) != path)
    assert _read_only_reason(path) == "is a read-only file"
    monkeypatch.setattr(os, "access", lambda where, mode: Path(where) != tmp_path)
    assert _read_only_reason(path) == (
        f"is in a read-only folder ({tmp_path}), where SQLite must write its journal"
    )
