"""A one-line input over the session: the load actually lifted, or a note.

It is a modal screen, so while it is open every key types into it: digits are part of a
load, never an effort rating, and `q` is a letter, never a stop. The session behind it keeps
running (the rest counts down while the lifter types). What is typed is only text: shown as
typed, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

Save = Callable[[str], str | None]
"""Stores what was typed; returns why it cannot (said in the input, which stays open), or
None once it is stored."""


class EntryScreen(ModalScreen[str | None]):
    """Asks for one line; dismisses with the text once `save` takes it, None on escape.
    What it is given is selected, so Enter keeps it and typing replaces it."""

    DEFAULT_CSS = """
    EntryScreen {
        align: center bottom;
    }
    EntryScreen > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        padding: 0 1;
        margin-bottom: 2;
        border: thick $accent;
        background: $surface;
    }
    EntryScreen #entry-title {
        text-style: bold;
    }
    EntryScreen #entry-error {
        color: $text-error;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="entry.cancel")]

    def __init__(
        self,
        title: str,
        save: Save,
        *,
        value: str = "",
        placeholder: str = "",
        max_length: int = 0,
    ) -> None:
        super().__init__()
        self.title_words = title
        self.save = save
        self.value = value
        self.placeholder = placeholder
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_words, id="entry-title", markup=False)
            yield Input(
                self.value,
                placeholder=self.placeholder,
                max_length=self.max_length,
                id="entry-input",
            )
            error = Static(id="entry-error", markup=False)
            error.display = False
            yield error
            yield Static("enter saves · escape cancels", id="entry-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.save(event.value)
        if problem is None:
            self.dismiss(event.value)
            return
        error = self.query_one("#entry-error", Static)
        error.update(problem)
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def close_saving(self) -> str | None:
        """Closed by the session (the next set begins): what was typed is saved if it can
        be; why it could not, or None once saved (or nothing was typed)."""
        typed = self.query_one(Input).value
        problem = self.save(typed) if typed.strip() else None
        self.dismiss(None if problem else typed)
        return problem
