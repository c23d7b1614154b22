"""Command palette entries: start any workout by name (session actions come from the app's
system commands, so they appear only on the session screen)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

if TYPE_CHECKING:
    from tempo_coach.tui.app import TempoCoachApp


def highlight(matcher: Matcher, title: str) -> Content:
    """The title with the letters the query matched highlighted, as `Matcher.highlight`
    does, except that the title stays text: `Matcher.highlight` reads it as markup. The
    offsets are into the lower-cased title, which a few letters ("İ") make longer."""
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    content = Content(title)
    for offset in offsets:
        if offset < len(title) and not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class WorkoutCommands(Provider):
    """ "Start: Tempoed Romanian deadlift" for every usable workout."""

    def _workouts(self) -> list[tuple[str, str]]:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        return [
            (f"Start: {entry.workout.name}", str(entry.path))
            for entry in app.catalog.entries()
            if entry.workout is not None
        ]

    async def discover(self) -> Hits:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        for title, path in self._workouts():
            yield DiscoveryHit(
                Content(title),
                partial(app.start_workout, path),
                text=title,
                help="Open this workout's session",
            )

    async def search(self, query: str) -> Hits:
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for title, path in self._workouts():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, title),
                    partial(app.start_workout, path),
                    text=title,
                    help="Open this workout's session",
                )
