"""Customize: change a workout's exercises in a form, watch the plan change, save a copy.

Every keystroke is tried on the workout; a value the format rejects is shown under its
exercise and the preview keeps the last valid workout, so nothing typed can crash the app.
Saving writes a new file in the user's folder; the workout it came from is never touched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static

from tempo_coach.catalog import Catalog
from tempo_coach.core.checks import active, check_workout
from tempo_coach.core.describe import describe_finding, session_totals
from tempo_coach.core.editing import (
    EditError,
    add_exercise,
    edit_exercise,
    edit_workout,
    move_exercise,
    remove_exercise,
)
from tempo_coach.core.models import Exercise, Workout
from tempo_coach.core.tempo import TempoError, format_tempo, parse_tempo
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import compile_timeline
from tempo_coach.tui.widgets.rep_strip import RepStrip

SETUP_MODES = [("timed: counts down", "timed"), ("manual: waits for you", "manual")]
YOUR_SETTING = "setting"
AUDIO_CHOICES = [
    ("your setting", YOUR_SETTING),
    ("clicks + voice", "both"),
    ("clicks", "clicks"),
    ("voice", "voice"),
    ("silent", "silent"),
]
"""The workout's own audio mode, or none (the user's setting applies)."""
_REP_SEPARATORS = re.compile(r"[\s,/]+")


class FieldError(ValueError):
    """A form field whose text is not a value of its kind; the message names the field."""


def _number(text: str, field: str, *, whole: bool = False) -> float:
    try:
        return int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise FieldError(f"{field}: must be {kind}") from None


def parse_reps(text: str) -> int | list[int]:
    """``"5"`` is five reps every set; ``"12,10,8"`` (or spaces, slashes) one number a set."""
    pieces = [piece for piece in _REP_SEPARATORS.split(text.strip()) if piece]
    if not pieces:
        raise FieldError("reps: give one number, or one per set like 12,10,8")
    numbers = [int(_number(piece, "reps", whole=True)) for piece in pieces]
    return numbers[0] if len(numbers) == 1 else numbers


def _seconds_text(value: float) -> str:
    return f"{value:g}"


def _row(label: str, field: Widget) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), field, classes="field")


def show_error(line: Static, message: str) -> None:
    """An error line takes up room only while it has something to say; it may quote what
    was typed, which no validation has passed, so control characters are shown escaped."""
    line.update(printable(message))
    line.set_class(bool(message), "-shown")


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

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog"):
            yield Static("Save as a new workout in your folder. Its name:")
            yield Input(placeholder="e.g. My slow RDL", id="save-name")
            yield Static("Enter saves · Escape cancels", classes="hint")

    @on(Input.Submitted, "#save-name")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomizeScreen(Screen[None]):
    """A form over a workout's exercises with a live preview of the plan."""

    BINDINGS = [
        Binding("ctrl+s", "save_as", "Save as", id="customize.save"),
        Binding("ctrl+n", "duplicate", "Duplicate exercise", id="customize.duplicate"),
        Binding("ctrl+r", "remove", "Remove exercise", id="customize.remove"),
        Binding("alt+up", "move(-1)", "Move up", id="customize.up"),
        Binding("alt+down", "move(1)", "Move down", id="customize.down"),
        Binding("escape", "app.pop_screen", "Back", id="customize.back"),
    ]

    def __init__(self, workout: Workout, source_path: Path, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.workout = workout
        """The last valid workout: what the preview shows and Save as writes."""
        self.source_path = source_path
        self.selected = 0
        """The exercise whose rep the strip shows and that the exercise keys act on."""
        self.problems: dict[int, str] = {}
        """Exercises whose fields hold text that is not yet valid, with the reason."""

    def compose(self) -> ComposeResult:
        yield Static(
            f"Customize · {self.workout.name} · from {printable(self.source_path.name)}",
            id="customize-title",
            markup=False,
        )
        with Horizontal(id="customize-body"):
            audio = _row(
                "Audio",
                Select(
                    AUDIO_CHOICES,
                    allow_blank=False,
                    compact=True,
                    value=self.workout.audio_mode or YOUR_SETTING,
                    id="audio-mode",
                ),
            )
            yield VerticalScroll(audio, *self.exercise_forms(), id="exercise-forms")
            with VerticalScroll(id="preview"):
                yield Static(id="totals")
                yield Static(id="strip-title", markup=False)
                yield RepStrip(id="rep-strip")
                yield Static(id="warnings", markup=False)  # silenced reasons are the file's
        yield Footer()

    def on_mount(self) -> None:
        self.update_preview()
        self.query_one("#sets-0", Input).focus()

    def exercise_forms(self) -> list[Vertical]:
        return [
            self.exercise_form(index, exercise)
            for index, exercise in enumerate(self.workout.exercises)
        ]

    def exercise_form(self, index: int, exercise: Exercise) -> Vertical:
        settings = exercise.settings(self.workout.defaults)
        reps = exercise.reps_per_set
        reps_text = str(reps[0]) if isinstance(exercise.reps, int) else ",".join(map(str, reps))
        tempo = format_tempo(exercise.tempo) if exercise.tempo is not None else ""
        return Vertical(
            Static(f"{index + 1}. {exercise.name}", classes="exercise-title", markup=False),
            _row("Sets", Input(str(len(reps)), type="integer", compact=True, id=f"sets-{index}")),
            _row(
                "Reps",
                Input(reps_text, placeholder="5 or 12,10,8", compact=True, id=f"reps-{index}"),
            ),
            _row(
                "Tempo",
                Input(
                    tempo,
                    placeholder="custom phases" if not tempo else "",
                    disabled=not tempo,
                    compact=True,
                    id=f"tempo-{index}",
                ),
            ),
            Static("", id=f"tempo-error-{index}", classes="field-error", markup=False),
            _row(
                "Rest (s)",
                Input(
                    _seconds_text(settings.rest_seconds),
                    type="number",
                    compact=True,
                    id=f"rest-{index}",
                ),
            ),
            _row(
                "Setup",
                Select(
                    SETUP_MODES,
                    value=settings.setup.mode,
                    allow_blank=False,
                    compact=True,
                    id=f"setup-mode-{index}",
                ),
            ),
            _row(
                "Setup (s)",
                Input(
                    _seconds_text(settings.setup.seconds),
                    type="number",
                    compact=True,
                    id=f"setup-seconds-{index}",
                ),
            ),
            _row(
                "Beat (s)",
                Input(
                    _seconds_text(settings.beat_seconds),
                    type="number",
                    compact=True,
                    id=f"beat-{index}",
                ),
            ),
            Static("", id=f"exercise-error-{index}", classes="field-error", markup=False),
            id=f"exercise-{index}",
            classes="exercise",
        )

    def _index_of(self, widget: Widget) -> int | None:
        """The exercise a form widget belongs to, from its ``exercise-N`` ancestor."""
        for node in widget.ancestors_with_self:
            if isinstance(node, Vertical) and node.has_class("exercise") and node.id:
                return int(node.id.removeprefix("exercise-"))
        return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        index = self._index_of(event.widget)
        if index is not None and index != self.selected:
            self.selected = index
            self.update_preview()

    @on(Select.Changed, "#audio-mode")
    def audio_changed(self, event: Select.Changed) -> None:
        mode = None if event.value == YOUR_SETTING else event.value
        if mode != self.workout.audio_mode:
            self.workout = edit_workout(self.workout, audio_mode=mode)

    @on(Input.Changed, ".exercise Input")
    @on(Select.Changed, ".exercise Select")
    def field_changed(self, event: Input.Changed | Select.Changed) -> None:
        index = self._index_of(event.control)
        if index is not None and index < len(self.workout.exercises):
            self.apply_fields(index)

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def apply_fields(self, index: int) -> None:
        """Try the exercise's fields on the workout: keep the result if valid, else say why."""
        tempo_error = self.query_one(f"#tempo-error-{index}", Static)
        exercise_error = self.query_one(f"#exercise-error-{index}", Static)
        show_error(tempo_error, "")
        show_error(exercise_error, "")
        try:
            changes = self.field_changes(index)
            self.workout = edit_exercise(self.workout, index, **changes)
        except TempoError as error:
            self.problems[index] = f"tempo: {error}"
            show_error(tempo_error, str(error))
        except (FieldError, EditError) as error:
            self.problems[index] = str(error)
            show_error(exercise_error, str(error))
        else:
            self.problems.pop(index, None)
            self.update_preview()

    def field_changes(self, index: int) -> dict[str, Any]:
        """The exercise's keys as the form gives them; settings only where they differ from
        what the exercise has now, so the saved file does not repeat the defaults."""
        exercise = self.workout.exercises[index]
        current = exercise.settings(self.workout.defaults)
        sets = int(_number(self._value(f"#sets-{index}"), "sets", whole=True))
        changes: dict[str, Any] = {"sets": sets, "reps": parse_reps(self._value(f"#reps-{index}"))}
        if exercise.tempo is not None:
            changes["tempo"] = format_tempo(parse_tempo(self._value(f"#tempo-{index}")))
        rest = _number(self._value(f"#rest-{index}"), "rest")
        if rest != current.rest_seconds:
            changes["rest_seconds"] = rest
        beat = _number(self._value(f"#beat-{index}"), "beat")
        if beat != current.beat_seconds:
            changes["beat_seconds"] = beat
        mode = self.query_one(f"#setup-mode-{index}", Select).value
        seconds = _number(self._value(f"#setup-seconds-{index}"), "setup seconds")
        if mode != current.setup.mode or seconds != current.setup.seconds:
            given = exercise.setup.model_dump(exclude_unset=True) if exercise.setup else {}
            changes["setup"] = {**given, "mode": mode, "seconds": seconds}
        return changes

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

    async def rebuild(self, workout: Workout, selected: int) -> None:
        """Show a workout with exercises added, removed or moved: the form is drawn anew."""
        self.workout, self.selected, self.problems = workout, selected, {}
        forms = self.query_one("#exercise-forms", VerticalScroll)
        await forms.query(".exercise").remove()  # the workout-wide rows stay
        await forms.mount_all(self.exercise_forms())
        self.update_preview()
        self.query_one(f"#sets-{self.selected}", Input).focus()

    async def change_exercises(self, workout: Workout, selected: int) -> None:
        """Apply an exercise-list edit unless a field holds an unsaved invalid value."""
        if self.problems:
            self.notify("Fix the fields marked in red first.", severity="warning")
            return
        await self.rebuild(workout, selected)

    async def action_duplicate(self) -> None:
        await self.change_exercises(add_exercise(self.workout, self.selected), self.selected + 1)

    async def action_remove(self) -> None:
        try:
            workout = remove_exercise(self.workout, self.selected)
        except EditError:
            self.notify("A workout needs at least one exercise.", severity="warning")
            return
        await self.change_exercises(workout, self.selected)

    async def action_move(self, step: int) -> None:
        target = min(max(self.selected + step, 0), len(self.workout.exercises) - 1)
        await self.change_exercises(move_exercise(self.workout, self.selected, step), target)

    def action_save_as(self) -> None:
        if self.problems:
            reasons = "\n".join(
                f"{index + 1}. {problem}" for index, problem in sorted(self.problems.items())
            )
            self.notify(
                f"Fix these first:\n{printable(reasons, keep_newlines=True)}",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return
        self.app.push_screen(SaveAsDialog(), self.save)

    def save(self, name: str | None) -> None:
        """Write the workout, titled with the name given, as a new file in the user folder."""
        if name is None:
            return
        try:
            workout = edit_workout(self.workout, name=name)
            path = self.catalog.save_as(workout, name)
        except EditError as error:
            self.notify(
                printable(str(error), keep_newlines=True),
                title="Not saved",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.notify(f"Saved as {printable(str(path))}", title="Saved", timeout=8, markup=False)
