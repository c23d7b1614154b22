"""The workout picker: every workout found, broken ones with their error, and the plan of
the highlighted one. Typing filters the list; Enter starts the workout."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tempo_coach.catalog import Catalog, FolderState, WorkoutEntry
from tempo_coach.core.describe import describe_workout
from tempo_coach.core.text import printable
from tempo_coach.tui.messages import WorkoutChosen

FOLDER_CHECK_SECONDS = 1.0


SOURCE_MARKS = {"bundled": "", "user": " (yours)", "given": " (file)"}


def entry_prompt(entry: WorkoutEntry) -> Content:
    """The workout's name, or a broken file's name, as text: a name is never markup."""
    if entry.workout is None:
        return Content.from_markup("[b]$stem[/b] [$error](broken)[/]", stem=printable(entry.stem))
    return Content.assemble(entry.workout.name, (SOURCE_MARKS[entry.source], "dim"))


def entry_details(entry: WorkoutEntry) -> str:
    """The plan, or why the file cannot be used; the error quotes the file, which failed
    validation, so its control characters are shown escaped."""
    note = f"This file {entry.note}.\n\n" if entry.note else ""
    if entry.workout is None:
        error = printable(str(entry.error), keep_newlines=True)
        return f"{note}This file cannot be used:\n\n{error}"
    return note + "\n".join(describe_workout(entry.workout))


class FilterInput(Input):
    """The filter, for which ? and q are the picker's keys (help, quit), not letters."""

    KEYS = frozenset({"question_mark", "q"})

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key not in self.KEYS and super().check_consume_key(key, character)


class PickerScreen(Screen[None]):
    """Choose a workout."""

    BINDINGS = [
        Binding("enter", "start", "Start", id="picker.start", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("f2", "app.stopwatch", "Stopwatch", id="picker.stopwatch"),
        Binding("f3", "app.history", "History", id="picker.history"),
        Binding("f4", "customize", "Customize", id="picker.customize"),
        # Before the filter's own handling of keys, which would type them.
        Binding("question_mark", "app.help", "Help", id="picker.help", priority=True),
        Binding("q,ctrl+q", "app.quit", "Quit", id="picker.quit", priority=True),
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.entries: list[WorkoutEntry] = []
        self.shown: list[WorkoutEntry] = []
        self.folder_seen: FolderState = ()

    def compose(self) -> ComposeResult:
        yield Static("Tempo Coach · pick a workout", id="picker-title")
        with Horizontal(id="picker-body"):
            with Vertical(id="picker-left"):
                yield FilterInput(placeholder="Type to filter", id="filter")
                yield OptionList(id="workouts")
            with VerticalScroll(id="details-pane"):
                yield Static(id="details", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.folder_seen = self.catalog.user_folder_state()
        self.set_interval(FOLDER_CHECK_SECONDS, self.check_folder)

    def check_folder(self) -> None:
        """Files added or changed while the app runs show up, broken ones with their error."""
        state = self.catalog.user_folder_state()
        if state != self.folder_seen:
            self.folder_seen = state
            self.reload()

    def on_screen_resume(self) -> None:
        """Back from a session: files may have been added or changed meanwhile."""
        self.reload()

    def reload(self) -> None:
        self.entries = self.catalog.entries()
        self.filter_workouts(self.query_one("#filter", Input).value)

    def fill(self, entries: list[WorkoutEntry]) -> None:
        self.shown = entries
        options = self.query_one("#workouts", OptionList)
        options.clear_options()
        options.add_options(Option(entry_prompt(entry), id=str(entry.path)) for entry in entries)
        if entries:
            options.highlighted = 0
        self.show_details()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_workouts(event.value)

    def filter_workouts(self, text: str) -> None:
        words = text.lower().split()
        self.fill(
            [
                entry
                for entry in self.entries
                if all(
                    word in f"{entry.stem} {entry.workout.name if entry.workout else ''}".lower()
                    for word in words
                )
            ]
        )

    @on(OptionList.OptionHighlighted, "#workouts")
    def show_details(self) -> None:
        entry = self.highlighted_entry()
        details = self.query_one("#details", Static)
        details.update(entry_details(entry) if entry else "No workout matches the filter.")

    @on(OptionList.OptionSelected, "#workouts")
    def selected(self) -> None:
        self.action_start()

    def highlighted_entry(self) -> WorkoutEntry | None:
        index = self.query_one("#workouts", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def action_move(self, step: int) -> None:
        options = self.query_one("#workouts", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = min(max(current + step, 0), options.option_count - 1)

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    def usable_entry(self) -> WorkoutEntry | None:
        """The highlighted workout if it can be used; a broken one is refused with why."""
        entry = self.highlighted_entry()
        if entry is not None and entry.workout is None:
            self.notify(
                f"{printable(entry.path.name)} has errors; fix it first.",
                severity="error",
                markup=False,
            )
            return None
        return entry

    def action_customize(self) -> None:
        entry = self.usable_entry()
        if entry is not None and entry.workout is not None:
            from tempo_coach.tui.screens.customize import CustomizeScreen  # loaded when opened

            self.app.push_screen(CustomizeScreen(entry.workout, entry.path, self.catalog))

    def action_start(self) -> None:
        entry = self.usable_entry()
        if entry is not None:
            self.post_message(WorkoutChosen(entry.path))
