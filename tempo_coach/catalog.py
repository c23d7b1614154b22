"""The one place that knows the workouts: the bundled and the user's folders, finding one by
name or path, listing them with their errors, and saving, copying and watching them.

The CLI, the picker and Customize all go through a `Catalog`, so "which file is
`tempoed-rdl`?", "may this file be overwritten?" and "how is a file read safely?" have one
answer. The core only parses text; every file read and write is here.

Finding and reading files loads neither pydantic nor the workout models (nor the TOML
writers): `list`, `show` and `validate` answer from the workout index when it knows a file,
and then never need them (see `tempo_coach.workout_index`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tempo_coach.core.errors import Problem, WorkoutFileError, WorkoutNotFoundError
from tempo_coach.core.files import MAX_WORKOUT_BYTES, WORKOUT_SUFFIX
from tempo_coach.core.text import close_matches, printable
from tempo_coach.paths import bundled_workouts_dir, user_workouts_dir

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.items import AoT, Table

    from tempo_coach.core.editing import EditError
    from tempo_coach.core.models import Workout

Source = Literal["bundled", "user", "given"]
"""Where a workout was found: shipped with the app, in the user's folder, or named by path."""

HEADER = "# Tempo Coach workout, saved by Customize\n"
"""The one comment a saved file carries, so the data reads straight through below it."""

FolderState = tuple[tuple[str, int, int], ...]
"""(name, mtime, size) of each file in the user's folder: changes when a file does."""


@dataclass(frozen=True)
class LoadedWorkout:
    """A workout file as read: its text (which identifies the plan in the history) and its
    validated workout."""

    path: Path
    text: str
    workout: Workout


@dataclass(frozen=True)
class FoundFile:
    """A workout file found in a folder or given by path, before it is read."""

    path: Path
    source: Source
    note: str | None
    """Something to know about the file itself: a link that points outside the folder."""


@dataclass(frozen=True)
class WorkoutEntry:
    """A workout file found on disk: either its workout or the error that stops it loading."""

    path: Path
    source: Source
    workout: Workout | None
    error: WorkoutFileError | None
    note: str | None = None
    """Something to know about the file itself: a link that points outside the folder."""

    @property
    def stem(self) -> str:
        return self.path.stem


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _edit_error(message: str) -> EditError:
    """An EditError, whose module (the editing core) loads pydantic: only when one is made."""
    from tempo_coach.core.editing import EditError

    return EditError(message)


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a workout (or settings) file, read so that nothing can hang or flood:
    only a regular file is read (a FIFO named ``x.toml`` would block a plain ``open``), and
    at most `MAX_WORKOUT_BYTES` of it.

    Raises:
        WorkoutFileError: naming the file and what stops it being read.
    """

    def refuse(message: str) -> WorkoutFileError:
        return WorkoutFileError(path, [Problem("", message)])

    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise refuse(f"cannot read it: it is {_kind_of(mode)}, not a workout file")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(MAX_WORKOUT_BYTES + 1)
        except OSError as error:
            raise refuse(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > MAX_WORKOUT_BYTES:
        raise refuse(f"too big for a workout file (more than {MAX_WORKOUT_BYTES // 1024} KiB)")
    return data


def read_toml_file(path: Path) -> str:
    """The text of a workout (or settings) file, read as `read_file_bytes` reads it.

    Raises:
        WorkoutFileError: naming the file and what stops it being read or decoded.
    """
    from tempo_coach.core.loading import decode_workout

    return decode_workout(read_file_bytes(path), path)


def read_workout(path: Path) -> LoadedWorkout:
    """Read and validate one workout file.

    Raises:
        WorkoutFileError: naming the file and every problem found in it.
    """
    from tempo_coach.core.loading import parse_workout

    text = read_toml_file(path)
    return LoadedWorkout(path, text, parse_workout(text, path))


def load_workout(path: Path) -> Workout:
    """The validated workout in a file (see `read_workout`)."""
    return read_workout(path).workout


def workout_to_toml(workout: Workout) -> str:
    """The text of a workout file that loads back as exactly this workout."""
    import tomli_w

    from tempo_coach.core.editing import workout_data

    return HEADER + tomli_w.dumps(workout_data(workout))


def updated_toml(original: str, workout: Workout) -> str:
    """The user's file text changed to hold `workout`, keeping its comments, order and
    layout wherever a key's value is unchanged; a key written out at its default value
    stays. Falls back to fresh text when the edited document would not load back as
    exactly `workout` (a layout tomlkit cannot edit in place).
    """
    import tomlkit

    from tempo_coach.core.editing import form_data, workout_data
    from tempo_coach.core.loading import parse_workout

    try:
        document = tomlkit.parse(original)
        _merge(document, workout_data(workout), form_data(workout))
        text = document.as_string()
        if parse_workout(text, Path("saved.toml")) == workout:
            return text
    except (tomlkit.exceptions.TOMLKitError, WorkoutFileError):
        pass
    return workout_to_toml(workout)


def _merge(table: Container | Table, wanted: dict[str, Any], full: dict[str, Any]) -> None:
    """Make `table` hold `wanted`, touching only what differs; `full` is the same data with
    defaults spelled out, so a key the user wrote at its default value is kept."""
    from tomlkit.container import Container
    from tomlkit.items import AoT, Table

    plain = table.unwrap()
    for key in list(table.keys()):
        if key in wanted:
            continue
        current, spelled = table[key], full.get(key)
        if isinstance(current, Table) and isinstance(spelled, dict):
            _merge(current, {}, spelled)  # a table of defaults keeps what is still default
            if not current:
                del table[key]
        elif plain[key] != spelled:
            del table[key]
    for key, value in wanted.items():
        if key not in table:
            table[key] = value
            continue
        current = table[key]
        if isinstance(value, dict) and isinstance(current, Table | Container):
            _merge(current, value, full.get(key, value))
        elif isinstance(value, list) and isinstance(current, AoT):
            _merge_tables(current, value, full.get(key, value))
        elif plain[key] != value:
            table[key] = value


def _merge_tables(tables: AoT, wanted: list[dict[str, Any]], full: list[dict[str, Any]]) -> None:
    """An array of tables (``[[exercises]]``) merged item by item, so each keeps its
    comments; items past the new end are dropped, new ones appended."""
    import tomlkit

    while len(tables) > len(wanted):
        del tables[len(tables) - 1]
    for index, (value, spelled) in enumerate(zip(wanted, full, strict=True)):
        if index < len(tables):
            _merge(tables[index], value, spelled)
        else:
            tables.append(tomlkit.item(value))


def workout_files(folder: Path) -> list[Path]:
    """The workout files in a folder, sorted by name; none when the folder does not exist
    or cannot be listed."""
    try:
        return sorted(path for path in folder.iterdir() if path.suffix == WORKOUT_SUFFIX)
    except OSError:
        return []


def write_atomically(path: Path, text: str, *, overwrite: bool) -> None:
    """Write a file whole, through a temporary file that is synced first: replacing renames
    it over the old one, a new file is linked into place (which refuses an existing name),
    so neither a crash nor a full disk ever leaves half a workout.

    Raises:
        EditError: when the file exists and `overwrite` is False, or the disk refuses.
    """
    shown = printable(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _edit_error(
            f"cannot write {shown}: its folder {printable(str(path.parent))}"
            f" cannot be made ({error.strerror or error})"
        ) from None
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("x", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            partial.replace(path)
        else:
            os.link(partial, path)
    except FileExistsError:
        raise _edit_error(f"{shown} already exists; choose another name") from None
    except OSError as error:
        raise _edit_error(f"cannot write {shown}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


class Catalog:
    """The workouts Tempo Coach knows: bundled ones, the user's own (which win over a
    bundled one of the same name) and any given by path."""

    def __init__(self, bundled: Path, user: Path, given: Sequence[Path] = ()) -> None:
        self.bundled = bundled
        self.user = user
        self.given = tuple(given)

    @classmethod
    def default(cls, given: Sequence[Path] = ()) -> Catalog:
        """The installed app's folders."""
        return cls(bundled_workouts_dir(), user_workouts_dir(), given)

    # -- finding and listing -----------------------------------------------------------

    def by_stem(self) -> dict[str, Path]:
        """Every workout file by stem; the user's own shadows a bundled one."""
        return {
            path.stem: path
            for folder in (self.bundled, self.user)
            for path in workout_files(folder)
        }

    def find(self, name: str) -> Path:
        """A workout named by path, or by file stem in the user's folder, then the bundled.

        Raises:
            WorkoutNotFoundError: with the closest names, when nothing matches.
        """
        path = Path(name)
        if (path.suffix == WORKOUT_SUFFIX or os.sep in name) and path.exists():
            return path
        known = self.by_stem()
        if name in known:
            return known[name]
        if path.exists():
            return path  # a file named without the suffix
        close = close_matches(name, known, count=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `tempo-coach list` shows them"
        raise WorkoutNotFoundError(f"no workout called {printable(repr(name))}{hint}")

    def found(self) -> list[FoundFile]:
        """Every workout file in the folders and given paths, not yet read."""
        found: list[tuple[Source, Path]] = [
            *(("bundled", path) for path in workout_files(self.bundled)),
            *(("user", path) for path in workout_files(self.user)),
        ]
        for location in self.given:
            if location.is_dir():
                found.extend(("given", path) for path in workout_files(location))
            else:
                found.append(("given", location))
        return [
            FoundFile(path, source, self.link_note(path) if source == "user" else None)
            for source, path in found
        ]

    def entries(self) -> list[WorkoutEntry]:
        """Every workout in the folders and given paths, a broken one listed with its error
        so it does not hide the others."""
        entries = []
        for file in self.found():
            try:
                workout = load_workout(file.path)
            except WorkoutFileError as error:
                entries.append(WorkoutEntry(file.path, file.source, None, error, file.note))
            else:
                entries.append(WorkoutEntry(file.path, file.source, workout, None, file.note))
        return entries

    def user_folder_state(self) -> FolderState:
        """What changes when a file in the user's folder is added, removed or edited."""
        state = []
        for path in workout_files(self.user):
            try:
                info = path.stat()
            except OSError:  # removed between listing and stat
                continue
            state.append((path.name, info.st_mtime_ns, info.st_size))
        return tuple(state)

    # -- the user's own files ----------------------------------------------------------

    def is_bundled(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.bundled.resolve())

    def is_users(self, path: Path) -> bool:
        """Whether `path` is one of the user's own files, which may be saved in place:
        links are followed first, so a link to a bundled file is not the user's."""
        return path.resolve().parent == self.user.resolve() and not self.is_bundled(path)

    def link_note(self, path: Path) -> str | None:
        """For a file in the user's folder that is a link to somewhere else, where it
        points: such a file is read, but never written through."""
        if path.parent != self.user or self.is_users(path):
            return None
        where = "a bundled workout" if self.is_bundled(path) else "outside your folder"
        return f"links to {printable(str(path.resolve()))}, {where}; it is never changed here"

    def user_path(self, name: str) -> Path:
        """Where the user's workout called `name` lives (``My RDL`` → ``my-rdl.toml``)."""
        from tempo_coach.core.editing import EditError, slug

        path = self.user / f"{slug(name)}{WORKOUT_SUFFIX}"
        if self.is_bundled(path):
            raise EditError(
                f"{printable(str(path))} is among the bundled workouts, which are"
                " never overwritten; save into your own workouts folder"
            )
        return path

    def user_file(self, name: str) -> Path:
        """One of the user's own existing files, by name or stem; a bundled one is refused
        with how to make an own copy."""
        from tempo_coach.core.editing import EditError, slug

        path = self.user / f"{slug(name)}{WORKOUT_SUFFIX}"
        note = self.link_note(path) if path.exists() else None
        if note is not None:
            raise EditError(
                f"{path.stem} {note}; make your own copy with "
                f"`tempo-coach new my-{path.stem} --from {path.stem}`"
            )
        if path.is_file():
            return path
        if (self.bundled / path.name).is_file():
            raise EditError(
                f"{path.stem} is a bundled workout, which is never edited; make your own copy "
                f"with `tempo-coach new my-{path.stem} --from {path.stem}`"
            )
        raise EditError(
            f"you have no workout called {path.stem} in {printable(str(path.parent))}"
            f"; `tempo-coach new {path.stem} --from WORKOUT` makes one"
        )

    def save(self, workout: Workout, path: Path) -> Path:
        """Write `workout` over the user's own file at `path`, atomically, keeping the
        file's comments and layout where its values are unchanged (see `updated_toml`).

        Raises:
            EditError: for a file that is not the user's own (bundled or elsewhere).
        """
        if not self.is_users(path):
            raise _edit_error(
                f"{printable(str(path))} is not one of your workouts; use Save as"
                " to make your own copy"
            )
        try:
            original = read_toml_file(path)
        except WorkoutFileError:
            original = ""  # gone or unreadable since it was opened: written afresh
        text = updated_toml(original, workout) if original else workout_to_toml(workout)
        write_atomically(path, self._checked_text(workout, path, text), overwrite=True)
        return path

    def save_as(self, workout: Workout, name: str, *, overwrite: bool = False) -> Path:
        """Write `workout` as ``<slug of name>.toml`` in the user's folder.

        Raises:
            EditError: for a name with no letters, an existing file (unless `overwrite`),
                or a workout that would not load back.
        """
        path = self.user_path(name)
        write_atomically(path, self._checked_text(workout, path), overwrite=overwrite)
        return path

    def copy(self, source: Path, name: str) -> Path:
        """Copy a workout file's text verbatim (comments and all) into the user's folder.

        Raises:
            WorkoutFileError: when the source is not a valid workout.
            EditError: when the target is refused, as for `save_as`.
        """
        loaded = read_workout(source)
        path = self.user_path(name)
        write_atomically(path, loaded.text, overwrite=False)
        return path

    @staticmethod
    def _checked_text(workout: Workout, path: Path, text: str | None = None) -> str:
        """The file text for `workout` (fresh unless given), validated as the file it will
        become."""
        from tempo_coach.core.loading import parse_workout

        text = workout_to_toml(workout) if text is None else text
        try:
            parse_workout(text, path)
        except WorkoutFileError as error:
            raise _edit_error(f"not saved: {error}") from None
        return text
