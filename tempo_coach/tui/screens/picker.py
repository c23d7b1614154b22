"""The workout picker: every workout found, broken ones with their error, and the plan of
the highlighted one. Typing filters the list; Enter starts the workout.

When a programme is followed, its next session is the first row ("Today · …"), with each
exercise's sets × reps @ load and the reason for any change in the details; the programme
is read after the first frame, off the event loop, so the list paints at once."""

from __future__ import annotations

import asyncio
import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tempo_coach.catalog import Catalog, FolderState, FoundFile, load_workout
from tempo_coach.core.errors import TempoCoachError, WorkoutFileError
from tempo_coach.core.text import printable
from tempo_coach.tui.messages import WorkoutChosen
from tempo_coach.workout_index import WorkoutIndex, WorkoutSummary

if TYPE_CHECKING:
    from tempo_coach.core.models import LoadUnit
    from tempo_coach.programme_session import ProgrammeRun, TodayView
    from tempo_coach.programme_store import ProgrammeStore

FOLDER_CHECK_SECONDS = 1.0
TODAY_ID = "today"
"""The option id of the programme's row: workout options are ids of paths."""


SOURCE_MARKS = {"bundled": "", "user": " (yours)", "given": " (file)"}


@dataclass(frozen=True)
class PickerEntry:
    """A workout file found on disk, with its name and plan, or the error that stops it
    loading: what the picker shows of it, from the workout index (no pydantic when the
    file was validated before)."""

    file: FoundFile
    summary: WorkoutSummary | None
    error: WorkoutFileError | None
    """Both None: not checked yet (a thread is checking it)."""

    @property
    def checked(self) -> bool:
        return self.summary is not None or self.error is not None

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def stem(self) -> str:
        return self.file.path.stem


def picker_entries(
    catalog: Catalog, units: LoadUnit | None = None, *, check: bool = True
) -> list[PickerEntry]:
    """Every workout the catalog finds (its plan's loads in `units`), a broken one with its
    error so it does not hide the others; what validating found is kept in the index for
    the next launch. Without `check`, a file the index does not hold is listed unchecked."""
    index = WorkoutIndex()
    entries = [picker_entry(file, index, units, check=check) for file in catalog.found()]
    index.save()
    return entries


def picker_entry(
    file: FoundFile, index: WorkoutIndex, units: LoadUnit | None, *, check: bool = True
) -> PickerEntry:
    """One file's entry, from `index` (see `picker_entries`)."""
    try:
        if check:
            return PickerEntry(file, index.summary(file.path, units), None)
        return PickerEntry(file, index.known_summary(file.path, units), None)
    except WorkoutFileError as error:
        return PickerEntry(file, None, error)


def models_loaded() -> bool:
    """Whether checking a file is cheap now. It takes the workout models: once they are
    imported (by an earlier check or a session), checking the few files a folder change
    brings costs less than a frame; before, importing them costs about 60 ms, which the
    first frame must not wait for."""
    return "tempo_coach.core.models" in sys.modules


def entry_prompt(entry: PickerEntry) -> Content:
    """The workout's name, or a broken file's name, as text: a name is never markup."""
    if not entry.checked:
        return Content.assemble(printable(entry.stem), (" (checking…)", "dim"))
    if entry.summary is None:
        return Content.from_markup("[b]$stem[/b] [$error](broken)[/]", stem=printable(entry.stem))
    return Content.assemble(entry.summary.name, (SOURCE_MARKS[entry.file.source], "dim"))


def entry_details(entry: PickerEntry) -> str:
    """The plan, or why the file cannot be used; the error quotes the file, which failed
    validation, so its control characters are shown escaped."""
    note = f"This file {entry.file.note}.\n\n" if entry.file.note else ""
    if not entry.checked:
        return f"{note}Checking this file…"
    if entry.summary is None:
        error = printable(str(entry.error), keep_newlines=True)
        return f"{note}This file cannot be used:\n\n{error}"
    return note + "\n".join(entry.summary.plan)


@dataclass(frozen=True)
class ProgrammeRow:
    """The programme's row: what is due (None when no programme is followed), or why the
    programme cannot be read, in one plain line."""

    view: TodayView | None = None
    error: str | None = None
    on: datetime.date | None = None
    """The day `view` was read for."""

    @property
    def shown(self) -> bool:
        return self.view is not None or self.error is not None

    def prompt(self) -> Content:
        if self.view is None:
            return Content.from_markup("[b]Programme[/b] [$error]cannot be read[/]")
        return Content.assemble((self.view.headline(), "bold"))

    def details(self) -> str:
        if self.view is None:
            return f"Your programme cannot be read:\n\n{self.error}"
        enter = "\n\nEnter starts it." if self.view.session is not None else ""
        return "\n".join(self.view.lines()) + enter

    def words(self) -> str:
        """What the filter matches the row by."""
        name = "" if self.view is None else self.view.name
        return f"today programme {name}".lower()


def read_programme(
    store: ProgrammeStore, on: datetime.date, units: LoadUnit | None = None
) -> ProgrammeRow:
    """The followed programme's next session, or its error as one line (it may quote the
    file, so its control characters are shown escaped)."""
    from tempo_coach.programme_session import read_today  # with the programme core: 0.1 s

    try:
        view = read_today(store, on, units)
    except (TempoCoachError, OSError, ValueError) as error:
        return ProgrammeRow(error=printable(str(error), keep_newlines=True))
    return ProgrammeRow() if view is None else ProgrammeRow(view=view, on=on)


def file_state(path: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when `path` is written, created or removed."""
    try:
        info = path.stat()
    except OSError:
        return ()
    return ((str(path), info.st_mtime_ns, info.st_size),)


class ProgrammeRead(Message):
    """The programme was read off the event loop: the row to show, and the store read
    (None when no programme is followed: the programme core is then never loaded)."""

    def __init__(self, store: ProgrammeStore | None, row: ProgrammeRow) -> None:
        super().__init__()
        self.store = store
        self.row = row


class EntriesChecked(Message):
    """The workout files were checked off the event loop: every entry, each checked, for the
    picker's `listing`-th listing (an answer for an older one is out of date)."""

    def __init__(self, entries: list[PickerEntry], listing: int) -> None:
        super().__init__()
        self.entries = entries
        self.listing = listing


class TodayChosen(Message):
    """The lifter picked the programme's session due."""

    def __init__(self, run: ProgrammeRun) -> None:
        super().__init__()
        self.run = run


class FilterInput(Input):
    """The filter, for which ? is the picker's help key, and q its quit key until a filter is
    typed: then q is a letter ("squat"), and ctrl+q quits."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if key == "question_mark" or (key == "q" and not self.value):
            return False
        return super().check_consume_key(key, character)


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
        Binding("q", "quit", "Quit", id="picker.quit", priority=True),
        Binding("ctrl+q", "app.quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        catalog: Catalog,
        *,
        programmes: Callable[[], ProgrammeStore] | None = None,
        programme_state: Path | None = None,
        today: Callable[[], datetime.date] = datetime.date.today,
        units: LoadUnit | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.units = units
        """The lifter's units for the plans' and today's loads (None: as the files write)."""
        self.programmes = programmes
        """The programme store (made when first needed, in the reading thread)."""
        self.programme_state = programme_state
        """The file that says which programme is followed: none there, nothing to read."""
        self.today = today
        self.entries: list[PickerEntry] = []
        self.shown: list[PickerEntry] = []
        self.folder_seen: FolderState = ()
        self.programme = ProgrammeRow()
        self.programme_shown = False
        """Whether the list's first option is the programme's row."""
        self.programme_store: ProgrammeStore | None = None
        """The store, once it was first read: then its files are watched as the folder is."""
        self.programme_seen: tuple[tuple[str, int, int], ...] = ()
        self.resumed = False
        """Whether the screen was resumed yet (the first time is its first push)."""
        self.listings = 0
        """How many times the workouts were listed: a thread's answer to an older listing
        (the folder changed meanwhile) is dropped."""

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
        self.call_after_refresh(self.refresh_programme)

    def refresh_programme(self) -> None:
        """Read the programme again (after its log changed), off the event loop."""
        programmes = self.programmes
        if programmes is None:
            return

        def in_thread() -> tuple[ProgrammeStore | None, ProgrammeRow]:
            state = self.programme_state
            if self.programme_store is None and state is not None and not state.exists():
                self.programme_seen = file_state(state)
                return None, ProgrammeRow()
            store = programmes()
            self.programme_seen = store.files_state()
            return store, read_programme(store, self.today(), self.units)

        async def read() -> None:
            # Told as a message: one that arrives as the screen closes is dropped.
            self.post_message(ProgrammeRead(*await asyncio.to_thread(in_thread)))

        self.run_worker(
            read(), name="programme", group="programme", exclusive=True, exit_on_error=False
        )

    @on(ProgrammeRead)
    def programme_read(self, message: ProgrammeRead) -> None:
        if not self.is_attached:  # the app exited (or the screen closed) as it was read
            return
        self.programme_store = message.store or self.programme_store
        if message.row != self.programme:
            self.programme = message.row
            self.filter_workouts(self.query_one("#filter", Input).value)

    def check_folder(self) -> None:
        """Files added or changed while the app runs show up, broken ones with their error;
        so does a programme started, moved on or edited elsewhere (`tempo-coach today --run`
        in another terminal)."""
        state = self.catalog.user_folder_state()
        if state != self.folder_seen:
            self.folder_seen = state
            self.reload()
        if self.programmes is not None and self.programme_files() != self.programme_seen:
            self.programme_seen = self.programme_files()
            self.refresh_programme()

    def programme_files(self) -> tuple[tuple[str, int, int], ...]:
        """What the picker watches: the followed programme's files once it was read, else
        the file that would say one is followed."""
        if self.programme_store is not None:
            return self.programme_store.files_state()
        return () if self.programme_state is None else file_state(self.programme_state)

    def on_screen_resume(self) -> None:
        """Back from a session: files may have been added or changed meanwhile, and the
        programme moved on. The first resume comes with the first push, which `on_mount`
        has just listed: reading it all again would only delay the first frame."""
        if not self.resumed:
            self.resumed = True
            return
        self.reload()
        self.refresh_programme()

    def reload(self) -> None:
        """List the workouts: what the index holds at once, and, before the models are
        loaded, the rest by file name until a thread has checked them (see
        `models_loaded`): a first launch after an upgrade or an edit paints as fast as any."""
        self.listings += 1
        self.entries = picker_entries(self.catalog, self.units, check=models_loaded())
        self.filter_workouts(self.query_one("#filter", Input).value)
        if not all(entry.checked for entry in self.entries):
            # After the frame: the thread's import of the models would hold up its paint.
            self.call_after_refresh(self.check_in_thread, self.listings)

    def check_in_thread(self, listing: int) -> None:
        catalog, units = self.catalog, self.units

        async def check() -> None:
            # Told as a message: one that arrives as the screen closes is dropped.
            entries = await asyncio.to_thread(picker_entries, catalog, units)
            self.post_message(EntriesChecked(entries, listing))

        self.run_worker(check(), name="check", group="check", exclusive=True, exit_on_error=False)

    @on(EntriesChecked)
    def entries_checked(self, message: EntriesChecked) -> None:
        if not self.is_attached or message.listing != self.listings:
            return
        self.entries = message.entries
        self.filter_workouts(self.query_one("#filter", Input).value)  # on the same row

    def fill(self, entries: list[PickerEntry], *, programme: bool) -> None:
        options = self.query_one("#workouts", OptionList)
        on = options.highlighted
        highlighted = None if on is None else options.options[on].id
        arrived = programme and not self.programme_shown  # the programme's row, just read
        self.shown = entries
        self.programme_shown = programme
        options.clear_options()
        if programme:
            options.add_option(Option(self.programme.prompt(), id=TODAY_ID))
        options.add_options(Option(entry_prompt(entry), id=str(entry.path)) for entry in entries)
        if options.option_count:
            # The row the lifter is on stays highlighted while it is listed: a file added to
            # the folder must not move Enter to another workout. One still on the first row
            # gets the programme's row as it arrives: today's session is what Enter is for.
            ids = [option.id for option in options.options]
            kept = highlighted in ids and not (arrived and on == 0)
            options.highlighted = ids.index(highlighted) if kept else 0
        self.show_details()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_workouts(event.value)
        self.refresh_bindings()  # q quits, or is typed (see `check_action`)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """q quits from the bench with the filter empty; in a filter typed, it is a letter."""
        if action == "quit":
            return not self.query_one("#filter", Input).value
        return True

    def action_quit(self) -> None:
        self.app.exit()

    def filter_workouts(self, text: str) -> None:
        words = text.lower().split()
        programme = self.programme.shown and all(word in self.programme.words() for word in words)
        self.fill(
            [
                entry
                for entry in self.entries
                if all(
                    word in f"{entry.stem} {entry.summary.name if entry.summary else ''}".lower()
                    for word in words
                )
            ],
            programme=programme,
        )

    @on(OptionList.OptionHighlighted, "#workouts")
    def show_details(self) -> None:
        details = self.query_one("#details", Static)
        if self.programme_highlighted():
            details.update(self.programme.details())
            return
        entry = self.highlighted_entry()
        details.update(entry_details(entry) if entry else "No workout matches the filter.")

    @on(OptionList.OptionSelected, "#workouts")
    def selected(self) -> None:
        self.action_start()

    def programme_highlighted(self) -> bool:
        return self.programme_shown and self.query_one("#workouts", OptionList).highlighted == 0

    def highlighted_entry(self) -> PickerEntry | None:
        index = self.query_one("#workouts", OptionList).highlighted
        if index is None:
            return None
        index -= self.programme_shown
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def action_move(self, step: int) -> None:
        options = self.query_one("#workouts", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = min(max(current + step, 0), options.option_count - 1)

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    def usable_entry(self) -> PickerEntry | None:
        """The highlighted workout if it can be used; a broken one is refused with why. One
        still being checked is checked now: the lifter is waiting for it."""
        entry = self.highlighted_entry()
        if entry is not None and not entry.checked:
            index = WorkoutIndex()
            entry = picker_entry(entry.file, index, self.units)
            index.save()
            self.entries = [entry if e.path == entry.path else e for e in self.entries]
            self.filter_workouts(self.query_one("#filter", Input).value)
        if entry is not None and entry.summary is None:
            self.notify(
                f"{printable(entry.path.name)} has errors; fix it first.",
                severity="error",
                markup=False,
            )
            return None
        return entry

    def action_customize(self) -> None:
        if self.programme_highlighted():
            return
        entry = self.usable_entry()
        if entry is None:
            return
        try:  # the models themselves: the index listed it without them
            workout = load_workout(entry.path)
        except WorkoutFileError as error:  # changed since it was listed
            self.notify(printable(str(error)), severity="error", markup=False)
            return
        from tempo_coach.tui.screens.customize import CustomizeScreen  # loaded when opened

        self.app.push_screen(CustomizeScreen(workout, entry.path, self.catalog))

    def action_start(self) -> None:
        if self.programme_highlighted():
            self.start_programme()
            return
        entry = self.usable_entry()
        if entry is not None:
            self.post_message(WorkoutChosen(entry.path))

    def start_programme(self) -> None:
        """Start the session due; a programme finished or unreadable is said instead."""
        from tempo_coach.programme_session import ProgrammeRun

        view, programmes, on = self.programme.view, self.programmes, self.programme.on
        if view is None or view.session is None or programmes is None or on is None:
            self.notify(self.programme.details(), severity="warning", markup=False)
            return
        self.post_message(TodayChosen(ProgrammeRun(programmes(), view.stem, view.session, on)))
