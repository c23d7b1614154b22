"""Command palette entries: start any workout by name (session actions come from the app's
system commands, so they appear only on the session screen)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tempo_coach.tui.app import TempoCoachApp


class WorkoutCommands(Provider):
    """"Start: Tempoed Romanian deadlift" for every usable workout."""

    def _workouts(self) -> list[tuple[str, str]]:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        return [(f"Start: {entry.workout.name}", str(entry.path))
                for entry in app.load_entries() if entry.workout is not None]

    async def discover(self) -> Hits:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        for title, path in self._workouts():
            yield DiscoveryHit(title, partial(app.start_workout, path),
                               help="Open this workout's session")

    async def search(self, query: str) -> Hits:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for title, path in self._workouts():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.start_workout, path),
                          help="Open this workout's session")
