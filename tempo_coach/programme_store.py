"""Programme files and the lifter's place in one: the bundled and user programme folders,
and the small state file that says which programme is followed and since when.

Like the catalog for workouts, this is the only place that reads or writes them; the
programme itself is laid out and progressed by the pure core (`core/programmes.py`).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tempo_coach.catalog import Catalog, read_toml_file, workout_files, write_atomically
from tempo_coach.core.editing import EditError
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.models import Load, Workout
from tempo_coach.core.programmes import Done, Programme, parse_programme
from tempo_coach.core.progression import LoggedSet
from tempo_coach.core.text import close_matches, printable
from tempo_coach.paths import bundled_programmes_dir, programme_state_path, user_programmes_dir


@dataclass(frozen=True)
class Following:
    """The programme the lifter follows: its stem and the first day of its week 1."""

    name: str
    start: datetime.date


class ProgrammeStore:
    """Bundled and user programmes (the user's own wins by stem), and the one followed."""

    def __init__(self, bundled: Path, user: Path, state: Path, workouts: Catalog) -> None:
        self.bundled = bundled
        self.user = user
        self.state = state
        self.workouts = workouts

    @classmethod
    def default(cls, workouts: Catalog | None = None) -> ProgrammeStore:
        """The usual folders and state file, laying programmes out from `workouts` (the
        usual catalog when not given)."""
        return cls(
            bundled_programmes_dir(),
            user_programmes_dir(),
            programme_state_path(),
            workouts if workouts is not None else Catalog.default(),
        )

    def by_stem(self) -> dict[str, Path]:
        return {
            path.stem: path
            for folder in (self.bundled, self.user)
            for path in workout_files(folder)
        }

    def files_state(self) -> tuple[tuple[str, int, int], ...]:
        """What changes when the state file or one of the user's programmes is written (by
        a session ending, `programme start`, an editor): for the picker to read again."""
        state = []
        for path in (self.state, *workout_files(self.user)):
            try:
                info = path.stat()
            except OSError:  # not there (yet), or removed between listing and stat
                continue
            state.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(state)

    def find(self, name: str) -> Path:
        """A programme by stem or path, or an error with the closest names."""
        path = Path(name)
        if path.suffix == ".toml" and path.is_file():
            return path
        known = self.by_stem()
        if name in known:
            return known[name]
        close = close_matches(name, known, count=3, cutoff=0.5)
        hint = (
            f"; did you mean {', '.join(close)}?"
            if close
            else "; `tempo-coach programme list` shows them"
        )
        raise TempoCoachError(f"no programme called {printable(repr(name))}{hint}")

    def load(self, path: Path) -> Programme:
        """The validated programme in a file.

        Raises:
            WorkoutFileError: naming the file and every problem in it.
        """
        return parse_programme(read_toml_file(path), path)

    def workouts_by_stem(self) -> dict[str, Workout]:
        """Every workout that loads, by stem, for laying a programme out."""
        return {
            entry.stem: entry.workout
            for entry in self.workouts.entries()
            if entry.workout is not None and entry.source != "given"
        }

    def _read(self) -> dict[str, Any] | None:
        if not self.state.exists():
            return None
        try:
            data = json.loads(read_toml_file(self.state))
            if not isinstance(data, dict):
                raise TypeError("not a table")
            return data
        except (WorkoutFileError, ValueError, TypeError) as error:
            raise self._damaged(error) from None

    def _damaged(self, error: Exception) -> TempoCoachError:
        """A state file damaged by hand or by a crash, said in words, not Python's."""
        if isinstance(error, KeyError):
            key = str(error.args[0]) if error.args else "needed"
            why = f"it has no `{printable(key)}` entry"
        elif isinstance(error, TypeError):
            why = "an entry has the wrong kind of value"
        elif isinstance(error, ValueError) and "isoformat" in str(error):
            why = "a date is not written YYYY-MM-DD"
        else:
            why = printable(str(error))
        return TempoCoachError(
            f"{printable(str(self.state))} cannot be read: {why}; "
            "`tempo-coach programme start NAME` starts again"
        )

    def _write(self, data: dict[str, Any]) -> None:
        try:
            write_atomically(self.state, json.dumps(data, indent=2) + "\n", overwrite=True)
        except EditError as error:
            raise TempoCoachError(str(error)) from None

    def following(self) -> Following | None:
        """The programme followed, or None; a damaged state file is said, not fatal."""
        data = self._read()
        if data is None:
            return None
        try:
            return Following(str(data["name"]), datetime.date.fromisoformat(data["start"]))
        except (KeyError, TypeError, ValueError) as error:
            raise self._damaged(error) from None

    def follow(self, name: str, start: datetime.date) -> None:
        """Follow `name` from `start`, from its first session: what was done before is
        the previous programme's."""
        self._write({"name": name, "start": start.isoformat(), "done": []})

    def done(self) -> list[Done]:
        """The programme's sessions done so far, with their work sets."""
        data = self._read() or {}
        try:
            return [
                Done(
                    int(entry["number"]),
                    datetime.date.fromisoformat(entry["on"]),
                    {
                        name: [_logged(logged) for logged in sets]
                        for name, sets in entry["sets"].items()
                    },
                )
                for entry in data.get("done", [])
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise self._damaged(error) from None

    def record(self, done: Done) -> None:
        """Add a session done to the programme's log, written whole; it takes the place of
        an entry for the same session (written at the session's end, rewritten with a
        rating given after it)."""
        data = self._read()
        if data is None:
            raise TempoCoachError("you follow no programme; nothing to record")
        entry = {
            "number": done.number,
            "on": done.on.isoformat(),
            "sets": {
                name: [
                    {
                        "target_reps": logged.target_reps,
                        "reps": logged.reps,
                        "load": None if logged.load is None else logged.load.model_dump(),
                        "rpe": logged.rpe,
                        "adherence": logged.adherence,
                    }
                    for logged in sets
                ]
                for name, sets in done.sets.items()
            },
        }
        kept = [
            logged
            for logged in data.get("done", [])
            if not isinstance(logged, dict) or logged.get("number") != done.number
        ]
        self._write({**data, "done": [*kept, entry]})


def _logged(data: dict[str, Any]) -> LoggedSet:
    load = data["load"]
    return LoggedSet(
        target_reps=int(data["target_reps"]),
        reps=int(data["reps"]),
        load=None if load is None else Load.model_validate(load),
        rpe=data.get("rpe"),
        adherence=data.get("adherence"),
    )
