"""The one tree of errors Tempo Coach shows to people: each carries a message to act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tempo_coach.core.text import printable


class TempoCoachError(Exception):
    """An error whose message is written for the user; the CLI prints it, never a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workout file."""

    where: str
    """"line 3, column 7" for syntax errors, a field path like "exercises[2].tempo" for
    invalid values, or "" when the problem is the whole file."""
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class WorkoutFileError(TempoCoachError):
    """A workout file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        path = printable(str(self.path))  # a file name may hold an escape sequence too
        return "\n".join(f"{path}: {problem}" for problem in self.problems)


class WorkoutNotFoundError(TempoCoachError):
    """A workout named on the command line that is neither a file nor a known stem."""
