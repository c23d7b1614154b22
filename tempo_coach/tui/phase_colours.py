"""The one table of banner colours: a hue per kind of segment, in a dark and a light
variant, each with the text colour drawn on it.

The app turns the table into theme variables (`$banner-eccentric`, `$banner-eccentric-text`)
for the variant of the active theme, so a theme may still override any of them; the
session banner, the rep strip and the help's colour legend all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BannerColour:
    """How one kind of segment fills the banner."""

    words: str
    """What the kind is, in the help's legend."""
    hue: str
    """The colour's name, in the help's legend."""
    dark: tuple[str, str]
    """Background and text in dark themes."""
    light: tuple[str, str]
    """Background and text in light themes."""


BANNER_COLOURS: dict[str, BannerColour] = {
    "setup": BannerColour(
        "Setup and count-in", "violet", ("#6B3FA0", "#FFFFFF"), ("#E4D4F7", "#2A0E4D")
    ),
    "eccentric": BannerColour("Lowering", "blue", ("#1D5FB8", "#FFFFFF"), ("#CFE2FB", "#0B2C5C")),
    "hold": BannerColour("Bottom hold", "amber", ("#F0B429", "#1A1A1A"), ("#FCE8B2", "#3D2A00")),
    "concentric": BannerColour("Lifting", "green", ("#1E7B34", "#FFFFFF"), ("#CDEFD4", "#0B3D17")),
    "squeeze": BannerColour("Top squeeze", "red", ("#B3261E", "#FFFFFF"), ("#F9D0CC", "#5C0F0A")),
    "other": BannerColour(
        "A phase of your own", "magenta", ("#A02B7A", "#FFFFFF"), ("#F6D1EA", "#4D0D36")
    ),
    "rest": BannerColour("Rest", "teal", ("#0F766E", "#FFFFFF"), ("#C9EEEA", "#06403B")),
    "switch": BannerColour(
        "Switching sides", "orange", ("#A94A08", "#FFFFFF"), ("#FDDDC4", "#5A2604")
    ),
    "paused": BannerColour("Paused", "grey", ("#4B5563", "#FFFFFF"), ("#D9DCE1", "#1F2937")),
}
"""Every banner state by its CSS class without the dash (`-eccentric`)."""


def theme_variables(*, dark: bool) -> dict[str, str]:
    """The table as theme variables for a dark or a light theme."""
    variables: dict[str, str] = {}
    for kind, colour in BANNER_COLOURS.items():
        background, text = colour.dark if dark else colour.light
        variables[f"banner-{kind}"] = background
        variables[f"banner-{kind}-text"] = text
    return variables


def colour_legend() -> str:
    """The help's markdown list of what each banner colour means."""
    return "\n".join(f"- **{colour.words}**: {colour.hue}" for colour in BANNER_COLOURS.values())
