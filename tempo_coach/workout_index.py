"""The workout index: what `list`, `show` and `validate` need from each workout file,
remembered between runs so that a file read before is answered without pydantic.

Validating a workout takes the pydantic models, whose import and build cost more than the
rest of those commands together. The index keeps, for each file's bytes, either what the
commands show of it (name and session time for `list`; the plan and the programming-check
warnings too for `show` and `validate`) or the problems that stop it loading, exactly as
validating found them. A record is keyed by the SHA-256 of the
file's bytes, and the whole index by a fingerprint of the code that made it (this module,
every core module, Tempo Coach's version, Python's and pydantic's), so an edited file or
changed code is validated afresh, never answered from before. The index lives in the
user's cache folder and is written whole (a temporary file renamed over it); one that
cannot be read, or is damaged in any way, is ignored and rebuilt.

A file that cannot be read at all (missing, a folder, a FIFO, too big) is never indexed:
those checks come before its bytes, and need no models anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard, TypeVar, overload

from platformdirs import user_cache_path

from tempo_coach import __version__
from tempo_coach.catalog import FoundFile, Source, read_file_bytes
from tempo_coach.core.errors import Problem, WorkoutFileError
from tempo_coach.paths import APP_NAME

if TYPE_CHECKING:
    from collections.abc import Callable

    from tempo_coach.catalog import Catalog
    from tempo_coach.core.models import LoadUnit, Workout

INDEX_FORMAT = 1
"""The layout of the index file; a change makes every old index a miss."""
INDEX_NAME = "workout-index.json"
MAX_RECORDS = 200
"""Files remembered; the least recently used go first. Each record is a few KiB."""
MAX_INDEX_BYTES = 4 * 1024 * 1024
"""An index file bigger than this is damaged (or not ours): ignored, never parsed."""


@dataclass(frozen=True)
class WorkoutHeading:
    """What `list` shows of a valid workout."""

    name: str
    duration: str
    """The whole session's planned time, as `format_duration` writes it."""


@dataclass(frozen=True)
class WorkoutSummary(WorkoutHeading):
    """What `show` and `validate` show of a valid workout, as the core works it out."""

    plan: tuple[str, ...]
    """`describe_workout`'s lines, loads in the units asked for: what `show` prints."""
    warnings: tuple[str, ...]
    """The programming-check warnings the workout does not silence, described."""


@dataclass(frozen=True)
class ListedWorkout:
    """A workout file found on disk, with its heading or the error that stops it loading."""

    path: Path
    source: Source
    heading: WorkoutHeading | None
    error: WorkoutFileError | None
    note: str | None

    @property
    def stem(self) -> str:
        return self.path.stem


def heading_of(workout: Workout) -> WorkoutHeading:
    """A valid workout's heading (only what `list` needs: the plan and the checks cost
    more, so a listing does not work them out)."""
    from tempo_coach.core.describe import format_duration
    from tempo_coach.core.timeline import compile_timeline

    return WorkoutHeading(workout.name, format_duration(compile_timeline(workout).total_ms))


def summarize(workout: Workout, units: LoadUnit | None = None) -> WorkoutSummary:
    """A valid workout's summary, worked out by the core (this is what the index saves),
    its plan's loads in `units` (None: as the file writes them)."""
    from tempo_coach.core.checks import active, check_workout
    from tempo_coach.core.describe import describe_finding, describe_workout

    heading = heading_of(workout)
    return WorkoutSummary(
        name=heading.name,
        duration=heading.duration,
        plan=tuple(describe_workout(workout, units)),
        warnings=tuple(describe_finding(finding) for finding in active(check_workout(workout))),
    )


Found = WorkoutHeading | list[Problem]
"""What validating a file found: its heading or summary, or every problem in it."""

Made = TypeVar("Made", bound=WorkoutHeading)


def _validated(data: bytes, path: Path, make: Callable[[Workout], Made]) -> Made | list[Problem]:
    """Decode and validate a file's bytes: what `make` says of the workout, or every
    problem found in it."""
    from tempo_coach.core.loading import decode_workout, parse_workout

    try:
        return make(parse_workout(decode_workout(data, path), path))
    except WorkoutFileError as error:
        return list(error.problems)


def code_fingerprint() -> str:
    """A digest of everything that decides what a record says: this module, every core
    module (models, loading, describe, checks, timeline), the versions of Tempo Coach and
    Python, and pydantic's version file (pydantic pins its pydantic_core exactly)."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{__version__}\0{sys.version}".encode())
    here = Path(__file__).resolve()
    for source in (here, *sorted((here.parent / "core").glob("*.py"))):
        digest.update(f"\0{source.name}\0".encode())
        digest.update(source.read_bytes())
    for folder in sys.path:
        version = Path(folder or ".") / "pydantic" / "version.py"
        if version.is_file():  # the one `import pydantic` would load
            digest.update(b"\0pydantic\0" + version.read_bytes())
            break
    return digest.hexdigest()


def _record(found: Found) -> dict[str, object]:
    if isinstance(found, list):
        return {"problems": [[problem.where, problem.message] for problem in found]}
    record: dict[str, object] = {"name": found.name, "duration": found.duration}
    if isinstance(found, WorkoutSummary):
        record |= {"plan": list(found.plan), "warnings": list(found.warnings)}
    return record


def _is_text_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _from_record(record: object) -> Found | None:
    """What a record says, or None when it is not exactly what `_record` writes."""
    if not isinstance(record, dict):
        return None
    if set(record) == {"problems"}:
        problems = record["problems"]
        if not isinstance(problems, list) or not problems:
            return None
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in problems):
            return None
        if not all(_is_text_list(pair) for pair in problems):
            return None
        return [Problem(where, message) for where, message in problems]
    name, duration = record.get("name"), record.get("duration")
    if not (isinstance(name, str) and isinstance(duration, str)):
        return None
    if set(record) == {"name", "duration"}:
        return WorkoutHeading(name, duration)
    plan, warnings = record.get("plan"), record.get("warnings")
    if set(record) != {"name", "duration", "plan", "warnings"}:
        return None
    if not (_is_text_list(plan) and _is_text_list(warnings)):
        return None
    return WorkoutSummary(name, duration, tuple(plan), tuple(warnings))


class WorkoutIndex:
    """What the workout files read before are, by their bytes' SHA-256: the heading `list`
    shows, and the summary `show` and `validate` show (by the units the plan's loads are
    shown in).

    `heading` and `summary` answer from the index when they can and validate otherwise;
    `save` writes what was learned. Nothing here ever fails because of the index itself:
    an unreadable or damaged one is an empty one, and one that cannot be written is simply
    not kept.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else user_cache_path(APP_NAME) / INDEX_NAME
        self.code = code_fingerprint()
        self.records = self._read()
        self.changed = False
        self.validated = 0
        """How many files were validated rather than answered from the index."""

    def _read(self) -> dict[str, object]:
        try:
            # O_NONBLOCK and a regular file only: no FIFO in the cache folder can hang a run.
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            with os.fdopen(descriptor, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    return {}
                data = file.read(MAX_INDEX_BYTES + 1)
            if len(data) > MAX_INDEX_BYTES:
                return {}
            index = json.loads(data)
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(index, dict) or set(index) != {"format", "code", "files"}:
            return {}
        files = index["files"]
        if index["format"] != INDEX_FORMAT or index["code"] != self.code:
            return {}  # made by other code: nothing in it is trusted
        return files if isinstance(files, dict) else {}

    def summary(self, path: Path, units: LoadUnit | None = None) -> WorkoutSummary:
        """The summary of the workout file at `path`, its plan's loads in `units`.

        Raises:
            WorkoutFileError: naming the file and every problem found in it, exactly as
                validating it reports them.
        """
        return self._find(
            path,
            f"summary {units or 'as written'}",
            lambda workout: summarize(workout, units),
            WorkoutSummary,
        )

    def known_summary(self, path: Path, units: LoadUnit | None = None) -> WorkoutSummary | None:
        """The summary `summary` would give, if the index holds it (None: the file needs
        validating, which takes the models).

        Raises:
            WorkoutFileError: as `summary` does, when the index holds the file's problems.
        """
        return self._find(path, f"summary {units or 'as written'}", None, WorkoutSummary)

    def heading(self, path: Path) -> WorkoutHeading:
        """The heading of the workout file at `path` (see `summary`).

        Raises:
            WorkoutFileError: as `summary` does.
        """
        return self._find(path, "heading", heading_of, WorkoutHeading)

    @overload
    def _find(
        self, path: Path, kind: str, make: Callable[[Workout], Made], wanted: type[Made]
    ) -> Made: ...

    @overload
    def _find(self, path: Path, kind: str, make: None, wanted: type[Made]) -> Made | None: ...

    def _find(
        self, path: Path, kind: str, make: Callable[[Workout], Made] | None, wanted: type[Made]
    ) -> Made | None:
        """What `make` says of the file's workout, from the index if a record of this
        `kind` holds it, else validated and recorded (with no `make`: None)."""
        data = read_file_bytes(path)
        key = f"{hashlib.sha256(data).hexdigest()} {kind}"
        recorded = _from_record(self.records.get(key))
        found: Made | list[Problem]
        if isinstance(recorded, list | wanted):
            found = recorded
            del self.records[key]
        elif make is None:
            return None
        else:
            self.records.pop(key, None)  # a damaged record: the new one goes last
            found = _validated(data, path, make)
            self.validated += 1
            self.changed = True
        self.records[key] = _record(found)  # last: the most recently used
        if isinstance(found, list):
            raise WorkoutFileError(path, found)
        return found

    def listing(self, catalog: Catalog) -> list[ListedWorkout]:
        """Every workout the catalog finds, each with its heading or its error."""
        return [self._listed(file) for file in catalog.found()]

    def _listed(self, file: FoundFile) -> ListedWorkout:
        try:
            heading = self.heading(file.path)
        except WorkoutFileError as error:
            return ListedWorkout(file.path, file.source, None, error, file.note)
        return ListedWorkout(file.path, file.source, heading, None, file.note)

    def save(self) -> None:
        """Write the index if anything was learned, keeping the `MAX_RECORDS` most recently
        used; a folder or disk that refuses leaves the old index (or none), which is fine."""
        if not self.changed:
            return
        kept = list(self.records.items())[-MAX_RECORDS:]
        text = json.dumps({"format": INDEX_FORMAT, "code": self.code, "files": dict(kept)})
        # Each writer its own: the picker's thread may save as the event loop does.
        partial = self.path.with_name(
            f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.partial"
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Private, as the history is: it names the user's workouts and what is in them.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
            partial.replace(self.path)
        except OSError:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
            return
        self.changed = False
