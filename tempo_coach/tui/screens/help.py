"""Every key, from markdown kept beside this module."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from tempo_coach.tui.phase_colours import colour_legend

# The colour legend is the banner's own table, so the two cannot drift apart.
HELP_TEXT = (Path(__file__).parent / "help.md").read_text(encoding="utf-8") + colour_legend()


class HelpScreen(ModalScreen[None]):
    """The key reference; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP_TEXT)
        yield Footer()
