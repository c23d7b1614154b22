"""A yes-or-no question: before a session is thrown away by a stray key, or resumed."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no; dismisses with True for yes."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: auto;
        max-width: 60;
        height: auto;
        padding: 1 2;
        border: thick $error;
        background: $surface;
    }
    ConfirmDialog Horizontal {
        width: auto;
        height: auto;
        margin-top: 1;
    }
    ConfirmDialog Button {
        margin: 0 1;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="quit.yes"),
        Binding("n,escape", "answer(False)", "No", id="quit.no"),
    ]

    def __init__(
        self, question: str, *, yes: str, no: str, focus: Literal["yes", "no"] = "yes"
    ) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.focus_first = focus
        """The button enter presses at once: "no" where yes loses something (a workout)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question", markup=False)  # may quote a workout name
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#{self.focus_first}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
