"""Asks before a session is thrown away by a stray key press."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QuitDialog(ModalScreen[bool]):
    """Yes or no; dismisses with True to quit."""

    DEFAULT_CSS = """
    QuitDialog {
        align: center middle;
    }
    QuitDialog > Vertical {
        width: auto;
        max-width: 60;
        height: auto;
        padding: 1 2;
        border: thick $error;
        background: $surface;
    }
    QuitDialog Horizontal {
        width: auto;
        height: auto;
        margin-top: 1;
    }
    QuitDialog Button {
        margin: 0 1;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="quit.yes"),
        Binding("n,escape", "answer(False)", "No", id="quit.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            with Horizontal():
                yield Button("Yes, stop (y)", id="yes", variant="error")
                yield Button("No, carry on (n)", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
