"""Customize: every part of a workout in one form, a live preview of the plan, and saving.

The form edits file-shaped data (see `workout_form`); each change is validated at once, the
problems are shown under their own fields and the preview keeps the last valid workout, so
nothing typed can crash the app. Save writes the user's own file in place (keeping its
comments); a bundled workout is only ever copied into the user's folder.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from tempo_coach.catalog import Catalog
from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.describe import describe_finding, session_totals
from tempo_coach.core.editing import (
    BLANK_EXERCISE,
    BLANK_ITEMS,
    EditError,
    Path,
    blank_workout,
    display_path,
    draft_problems,
    edit_workout,
    form_data,
    phases_from_tempo,
)
from tempo_coach.core.errors import Problem
from tempo_coach.core.models import LoadUnit, Workout
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.tui.messages import WorkoutChosen, WorkoutSaved
from tempo_coach.tui.screens.confirm import ConfirmDialog
from tempo_coach.tui.screens.workout_form import (
    FormBuilder,
    control_value,
    item_title,
    load_problems,
    widget_id,
)
from tempo_coach.tui.widgets.rep_strip import RepStrip

if TYPE_CHECKING:
    from tempo_coach.tui.app import TempoCoachApp

_SENTENCE_STARTS = ("must ", "is ", "needs ", "has ")
"""Messages that read on from the field's label: "Sets must be between 1 and 20"."""


def sentence(label: str, message: str) -> str:
    """A problem in plain words under its field: ``"Sets must be between 1 and 20 (got 0)"``."""
    if message.startswith(_SENTENCE_STARTS):
        return f"{label} {message}"
    return message[:1].upper() + message[1:]


def show_error(line: Static, message: str) -> None:
    """An error line takes up room only while it has something to say; it may quote what
    was typed, which no validation has passed, so control characters are shown escaped."""
    line.update(printable(message, keep_newlines=True))
    line.set_class(bool(message), "-shown")


def _at(data: Any, path: Path) -> Any:
    """The value at `path` in file-shaped data."""
    for part in path:
        data = data[part]
    return data


def _get(data: Any, path: Path) -> Any:
    """The value at `path`, or None where a key on the way is missing."""
    try:
        return _at(data, path)
    except (KeyError, IndexError):
        return None


def within(where: str, path: str) -> bool:
    """Whether the display path `where` is `path` or inside it (an item, a key)."""
    return where == path or where.startswith((f"{path}.", f"{path}["))


def set_value(data: dict[str, Any], path: Path, value: Any) -> None:
    """Put `value` at `path`, making the tables on the way; None removes the key."""
    *parents, key = path
    table: Any = data
    for part in parents:
        if isinstance(part, str) and part not in table:
            table[part] = {}
        table = table[part]
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value


class SaveAsDialog(ModalScreen[str | None]):
    """Asks for the new workout's name; dismisses with it, or None when cancelled."""

    DEFAULT_CSS = """
    SaveAsDialog {
        align: center middle;
    }
    SaveAsDialog > Vertical {
        width: 60;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    SaveAsDialog .hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save.cancel")]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.suggested = name

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog"):
            yield Static("Save as a workout in your folder. Its name:")
            yield Input(self.suggested, placeholder="e.g. My slow RDL", id="save-name")
            yield Static("Enter saves · Escape cancels", classes="hint")

    @on(Input.Submitted, "#save-name")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddExerciseDialog(ModalScreen[dict[str, Any] | None]):
    """Picks what a new exercise starts from: a blank one, or one of a bundled workout."""

    DEFAULT_CSS = """
    AddExerciseDialog {
        align: center middle;
    }
    AddExerciseDialog > OptionList {
        width: 70;
        max-height: 20;
        border: thick $primary;
        background: $surface;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="add.cancel")]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.starts: list[dict[str, Any]] = [dict(BLANK_EXERCISE)]
        names = ["A blank exercise"]
        for entry in catalog.entries():
            if entry.source == "bundled" and entry.workout is not None:
                data = form_data(entry.workout)
                for exercise in data["exercises"]:
                    self.starts.append(exercise)
                    names.append(f"{exercise['name']} (from {entry.workout.name})")
        self.names = names

    def compose(self) -> ComposeResult:
        options = [Option(Content(name)) for name in self.names]  # the files' words, as text
        yield OptionList(*options, id="add-from")

    @on(OptionList.OptionSelected, "#add-from")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(copy.deepcopy(self.starts[event.option_index]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomizeScreen(Screen[None]):
    """A form over every field of a workout with a live preview of the plan."""

    CSS_PATH = "../styles/customize.tcss"  # read when the screen is first opened
    # The footer fits 80 columns beside the palette key: the keys to save, run, leave and
    # get help come first and are one or two words; Save as (which Save offers anyway for
    # a bundled workout), moving and a blank workout are in the help and the palette's Keys.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="customize.save"),
        Binding(
            "f5", "run", "Save & run", id="customize.run", tooltip="Save, then start the workout"
        ),
        Binding("escape", "back", "Back", id="customize.back"),
        # Not `?`: that is typed into the fields.
        Binding("f1", "app.help", "Help", id="customize.help"),
        Binding(
            "ctrl+n",
            "duplicate",
            "Duplicate",
            id="customize.duplicate",
            tooltip="Duplicate the exercise, phase or check the cursor is in",
        ),
        Binding(
            "ctrl+r",
            "remove",
            "Remove",
            id="customize.remove",
            tooltip="Remove the exercise, phase or check the cursor is in",
        ),
        Binding("f3", "save_as", "Save as", id="customize.save-as", show=False),
        Binding("alt+up", "move(-1)", "Move up", id="customize.up", show=False),
        Binding("alt+down", "move(1)", "Move down", id="customize.down", show=False),
        Binding("ctrl+b", "blank", "Blank workout", id="customize.blank", show=False),
    ]

    def __init__(self, workout: Workout, source_path: FilePath | None, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.workout = workout
        """The last valid workout: what the preview shows and Save writes."""
        self.source_path = source_path
        """The file the workout came from, or None for a blank one."""
        self.data = form_data(workout)
        """What the form holds now, as a file would: possibly not a valid workout."""
        self.saved_data = copy.deepcopy(self.data)
        """What the file holds, to tell unsaved changes."""
        self.form = FormBuilder()
        self.lines: dict[str, Static] = {}
        """The error lines mounted so far, by display path."""
        self.problems: list[tuple[str, str]] = []
        """(error line path, sentence) of every problem, in the form's order."""
        self.selected = 0
        """The exercise whose rep the strip shows."""

    @property
    def changed(self) -> bool:
        return self.data != self.saved_data

    @property
    def units(self) -> LoadUnit:
        """The lifter's units: a bare number typed as a load is in them, as in the session's
        load box."""
        app: TempoCoachApp = self.app  # type: ignore[assignment]
        return app.settings.units

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The item keys are dimmed unless the cursor is in an exercise, phase or check."""
        if action in ("duplicate", "remove", "move"):
            return self.focused_path("item") is not None or None
        return True

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="customize-title", markup=False)
        with Horizontal(id="customize-body"):
            yield VerticalScroll(*self.form_widgets(), id="form")
            with VerticalScroll(id="preview"):
                yield Static(id="totals")
                yield Static(id="strip-title", markup=False)
                yield RepStrip(id="rep-strip")
                yield Static(id="warnings", markup=False)  # silenced reasons are the file's
                yield Static(id="field-help", markup=False)
        yield Footer()

    def title_text(self) -> str:
        source = printable(self.source_path.name) if self.source_path else "a blank workout"
        return f"Customize · {self.workout.name} · from {source}"

    def form_widgets(self) -> list[Widget]:
        """The form's widgets, with one line always there for problems of the whole
        workout (its planned length); the others are mounted when needed."""
        self.form = FormBuilder(units=self.units)
        whole = Static("", id="e", classes="field-error", markup=False)
        self.form.error_line((), "Workout", "e")
        self.lines = {"": whole}
        return [whole, *self.form.fields(Workout, self.data)]

    def on_mount(self) -> None:
        self.validate()
        self.focus_at(("name",))

    # -- editing --------------------------------------------------------------------

    @on(Input.Changed, "#form Input")
    @on(Select.Changed, "#form Select")
    @on(Checkbox.Changed, "#form Checkbox")
    @on(TextArea.Changed, "#form TextArea")
    def field_changed(
        self, event: Input.Changed | Select.Changed | Checkbox.Changed | TextArea.Changed
    ) -> None:
        control = event.control
        spec = self.form.specs.get(control.id or "")
        if spec is None:
            return
        path = self.form.paths[control.id or ""]
        value = control_value(spec, control, self.units)
        if _get(self.data, path) == value:
            return
        set_value(self.data, path, value)
        if path[-1] in ("name", "check") and len(path) >= 3 and isinstance(path[-2], int):
            self.retitle(path[:-1])
        self.validate()

    def retitle(self, item: Path) -> None:
        """A list item's title follows its name as it is typed."""
        heading = self.query_one(f"#{widget_id('t', item)}", Static)
        list_key = item[-2]
        assert isinstance(list_key, str) and isinstance(item[-1], int)
        heading.update(item_title(list_key, item[-1], _at(self.data, item)))

    def validate(self) -> None:
        """Check the form's data: keep a valid workout for the preview, else show each
        problem under its field."""
        workout, problems = draft_problems(self.data)
        if workout is not None:
            self.workout = workout
            self.query_one("#customize-title", Static).update(self.title_text())
        unread = self.unread_loads()
        if unread:
            problems = [
                problem
                for problem in problems
                if not any(within(problem.where, path) for path in unread)
            ]
            problems += [Problem(path, why) for path, whys in unread.items() for why in whys]
        self.show_problems(problems)
        self.update_preview()

    def unread_loads(self) -> dict[str, list[str]]:
        """Why each load field's text cannot be read, by the field's display path. Shown
        instead of what validation says of it, which names only the file's spelling."""
        unread = {}
        for ident, spec in self.form.specs.items():
            if spec.kind in ("load", "loads"):
                path = self.form.paths[ident]
                problems = load_problems(spec.label, _get(self.data, path), self.units)
                if problems:
                    unread[display_path(path)] = problems
        return unread

    def show_problems(self, problems: list[Problem]) -> None:
        lines: dict[str, list[str]] = {}
        for problem in problems:
            path = self.line_for(problem.where)
            lines.setdefault(path, []).append(sentence(self.form.labels[path], problem.message))
        order = {path: place for place, path in enumerate(self.form.error_lines)}
        self.problems = sorted(
            ((path, message) for path, messages in lines.items() for message in messages),
            key=lambda item: order[item[0]],
        )
        for path in {*self.lines, *lines}:
            message = "\n".join(lines.get(path, []))
            line = self.lines.get(path)
            if line is None:
                line = Static(
                    "", id=self.form.error_lines[path], classes="field-error", markup=False
                )
                anchor = self.query_one(f"#{self.form.anchors[path]}")
                line.set_class(anchor.has_class("field"), "-under-field")
                parent = anchor.parent
                assert isinstance(parent, Widget)
                parent.mount(line, after=anchor)
                self.lines[path] = line
            show_error(line, message)

    def line_for(self, path: str) -> str:
        """The nearest field, item or group with an error line for a problem's path."""
        while path not in self.form.error_lines:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return path

    def focused_path(self, within: str) -> Path | None:
        """The path of the innermost `within` group (an "item") holding the focus."""
        focused = self.focused
        if focused is None:
            return None
        for node in focused.ancestors_with_self:
            if node.has_class(within) and node.id in self.form.paths:
                return self.form.paths[node.id]
        return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        ident = event.widget.id or ""
        spec = self.form.specs.get(ident)
        helps = []
        if spec is not None:
            within = self.form.group_help.get(self.form.paths[ident][:-1])
            helps = [*([within] if within else []), f"{spec.label}: {spec.help}"]
        self.query_one("#field-help", Static).update("\n\n".join(helps))
        self.refresh_bindings()
        exercise = self.focused_path("exercise")
        if exercise is not None and exercise[1] != self.selected:
            assert isinstance(exercise[1], int)
            self.selected = exercise[1]
            self.update_preview()

    def update_preview(self) -> None:
        workout = self.workout
        self.selected = min(self.selected, len(workout.exercises) - 1)
        exercise = workout.exercises[self.selected]
        self.query_one("#totals", Static).update(session_totals(compile_timeline(workout)))
        self.query_one("#strip-title", Static).update(
            f"One rep of {self.selected + 1}. {exercise.name}:"
        )
        self.query_one(RepStrip).show(exercise, exercise.settings(workout.defaults))
        warnings = [describe_finding(finding) for finding in active(check_workout(workout))]
        self.query_one("#warnings", Static).update(
            "\n\n".join(warnings) if warnings else "No programming warnings."
        )

    # -- lists: exercises, custom phases, silenced checks -------------------------------

    async def rebuild(self, focus: Path | None = None, scope: Path = ()) -> None:
        """Draw the group at `scope` (the whole form by default) anew after items were
        added, removed or moved: only that part, as mounting is what takes the time. A
        valid workout's data there is spelled out first, so an exercise added from a few
        keys shows every value."""
        workout, _ = draft_problems(self.data)
        if workout is not None:
            full = form_data(workout)
            if scope:
                set_value(self.data, scope, _get(full, scope))
            else:
                self.data = full
        kept = self.lines
        widgets = self.form_widgets()
        if not scope:
            form = self.query_one("#form", VerticalScroll)
            await form.remove_children()
            await form.mount_all(widgets)
        else:
            old = self.query_one(f"#{widget_id('g', scope)}")
            parent = old.parent
            assert isinstance(parent, Widget)
            place = parent.children.index(old)
            inside = display_path(scope)
            self.lines = {path: line for path, line in kept.items() if not within(path, inside)}
            await old.remove()
            await parent.mount(self.form.groups[scope], before=place)
        self.validate()
        if focus is not None:
            self.focus_at(focus)

    def focus_at(self, path: Path) -> None:
        """Focus the control at `path`, or the first control inside the group there."""
        for ident in (widget_id("f", path), widget_id("g", path)):
            found = self.query(f"#{ident}")
            if found:
                node = found.first()
                target = (
                    node
                    if node.focusable
                    else next((child for child in node.query("*") if child.focusable), None)
                )
                if target is not None:
                    target.focus()
                    self.call_after_refresh(target.scroll_visible)
                return

    @on(Button.Pressed, ".add-item")
    async def add_pressed(self, event: Button.Pressed) -> None:
        path = self.form.paths[event.button.id or ""]
        if path[-1] == "exercises":
            self.app.push_screen(AddExerciseDialog(self.catalog), self.add_exercise)
        elif path[-1] == "custom_phases":
            await self.add_phase(path)
        else:
            await self.insert(path, dict(BLANK_ITEMS[str(path[-1])]))

    async def add_exercise(self, exercise: dict[str, Any] | None) -> None:
        if exercise is not None:
            await self.insert(("exercises",), exercise)

    async def add_phase(self, path: Path) -> None:
        """The first custom phase turns the exercise's tempo into phases to change; later
        ones are added at the end."""
        exercise = _at(self.data, path[:-1])
        index = path[-2]
        assert isinstance(index, int)
        if "custom_phases" not in exercise and "tempo" in exercise and self.valid_exercise(index):
            model = self.workout.exercises[index]
            exercise["custom_phases"] = phases_from_tempo(
                model, model.settings(self.workout.defaults)
            )
            del exercise["tempo"]
            await self.rebuild(focus=(*path, 0, "name"), scope=path[:-1])
            return
        count = len(exercise.get("custom_phases", []))
        await self.insert(path, {"name": f"Phase {count + 1}", "kind": "other", "seconds": 2})

    def valid_exercise(self, index: int) -> bool:
        """Whether the exercise's fields are what the last valid workout holds, so that its
        tempo can be read from the model."""
        return index < len(self.workout.exercises) and form_data(self.workout)["exercises"][
            index
        ] == _at(self.data, ("exercises", index))

    async def insert(self, path: Path, item: dict[str, Any], at: int | None = None) -> None:
        items = _at(self.data, path[:-1]).setdefault(path[-1], [])
        index = len(items) if at is None else at
        items.insert(index, item)
        await self.rebuild(focus=(*path, index), scope=path)

    async def action_duplicate(self) -> None:
        item = self.focused_path("item")
        if item is None:
            return
        index = item[-1]
        assert isinstance(index, int)
        await self.insert(item[:-1], copy.deepcopy(_at(self.data, item)), index + 1)

    async def action_remove(self) -> None:
        item = self.focused_path("item")
        if item is None:
            return
        items = _at(self.data, item[:-1])
        if item[-2] == "exercises" and len(items) == 1:
            self.notify("A workout needs at least one exercise.", severity="warning")
            return
        index = item[-1]
        assert isinstance(index, int)
        del items[index]
        if not items and item[-2] == "custom_phases":
            del _at(self.data, item[:-2])["custom_phases"]
        await self.rebuild(
            focus=(*item[:-1], min(index, len(items) - 1)) if items else None, scope=item[:-1]
        )

    async def action_move(self, step: int) -> None:
        item = self.focused_path("item")
        if item is None:
            return
        items = _at(self.data, item[:-1])
        index = item[-1]
        assert isinstance(index, int)
        target = min(max(index + step, 0), len(items) - 1)
        items.insert(target, items.pop(index))
        if item[-2] == "exercises":
            self.selected = target
        await self.rebuild(focus=(*item[:-1], target), scope=item[:-1])

    async def action_blank(self) -> None:
        """Start over from a blank workout (after asking, when there are changes)."""

        async def blank(sure: bool | None) -> None:
            if sure:
                self.workout, self.source_path = blank_workout(), None
                self.data = form_data(self.workout)
                self.saved_data = {}
                self.query_one("#customize-title", Static).update(self.title_text())
                await self.rebuild(focus=("name",))

        if self.changed:
            self.app.push_screen(self.discard_question("start a blank workout"), blank)
        else:
            await blank(True)

    # -- saving and leaving ---------------------------------------------------------

    def refuse_problems(self) -> bool:
        """With problems left, say how many and take the cursor to the first."""
        if not self.problems:
            return False
        count = len(self.problems)
        first, message = self.problems[0]
        self.notify(
            f"{count} problem{'s' if count != 1 else ''} left; the first: {printable(message)}",
            title="Not saved",
            severity="error",
            markup=False,
        )
        self.focus_at(self.form.line_paths[first] or ("name",))
        return True

    def action_save(self) -> None:
        self.save_then(None)

    def action_save_as(self) -> None:
        if not self.refuse_problems():
            self.ask_name(None)

    def action_run(self) -> None:
        """Save, then start the workout at once: a new exercise can be tried straight away."""

        def run(path: FilePath) -> None:
            self.post_message(WorkoutChosen(path))

        self.save_then(run)

    def save_then(self, after: Callable[[FilePath], None] | None) -> None:
        """Save in place when the file is the user's own, else ask for a name first."""
        if self.refuse_problems():
            return
        path = self.source_path
        if path is None or not self.catalog.is_users(path):
            self.ask_name(after)
            return
        if self.changed and self.written(lambda: self.catalog.save(self.workout, path)) is None:
            return
        if after is not None:
            after(path)

    def ask_name(self, after: Callable[[FilePath], None] | None) -> None:
        def named(name: str | None) -> None:
            if name is None:
                return
            try:
                target = self.catalog.user_path(name)
            except EditError as error:
                self.refused(error)
                return
            if not target.exists():
                self.save_as(name, after, overwrite=False)
                return

            def replace(sure: bool | None) -> None:
                if sure:
                    self.save_as(name, after, overwrite=True)

            question = f"Replace your workout {printable(target.name)} with this one?"
            self.app.push_screen(
                ConfirmDialog(question, yes="Replace", no="Keep it", focus="no"), replace
            )

        self.app.push_screen(SaveAsDialog(self.workout.name), named)

    def save_as(
        self, name: str, after: Callable[[FilePath], None] | None, *, overwrite: bool
    ) -> None:
        try:
            workout = edit_workout(self.workout, name=name)
        except EditError as error:
            self.refused(error)
            return
        saved = self.written(lambda: self.catalog.save_as(workout, name, overwrite=overwrite))
        if saved is None:
            return
        self.workout, self.source_path = workout, saved
        self.data["name"] = workout.name
        self.saved_data = copy.deepcopy(self.data)
        name_field = self.query_one(f"#{widget_id('f', ('name',))}", Input)
        name_field.value = workout.name
        self.query_one("#customize-title", Static).update(self.title_text())
        if after is not None:
            after(saved)

    def written(self, write: Callable[[], FilePath]) -> FilePath | None:
        """Run a catalog write and say where it went, or why not (then None)."""
        try:
            path = write()
        except EditError as error:
            self.refused(error)
            return None
        self.saved_data = copy.deepcopy(self.data)
        self.notify(f"Saved {printable(str(path))}", title="Saved", timeout=6, markup=False)
        self.post_message(WorkoutSaved(path))
        return path

    def refused(self, error: EditError) -> None:
        self.notify(
            printable(str(error), keep_newlines=True),
            title="Not saved",
            severity="error",
            timeout=10,
            markup=False,
        )

    def discard_question(self, then: str) -> ConfirmDialog:
        return ConfirmDialog(
            f"You have unsaved changes. Discard them and {then}?",
            yes="Discard",
            no="Keep editing",
            focus="no",
        )

    def action_back(self) -> None:
        """Leave, asking first when there are unsaved changes."""
        if not self.changed:
            self.dismiss(None)
            return

        def leave(sure: bool | None) -> None:
            if sure:
                self.dismiss(None)

        self.app.push_screen(self.discard_question("leave"), leave)
