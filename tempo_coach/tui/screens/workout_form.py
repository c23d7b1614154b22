"""The Customize form, built from the workout models rather than written out by hand.

Each pydantic field becomes a control chosen by its type (a choice for a `Literal`, a
checkbox for a flag, a group for a nested model, a list of groups for a list of models);
its name is the label and its docstring the help. A field added to the format later gets a
control without a line here, and one of a type this module cannot show fails loudly
(`field_specs` raises), which the form's tests catch.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tempo_coach.core.editing import Path, display_path
from tempo_coach.core.entry import LoadEntryError, read_load
from tempo_coach.core.models import Load, LoadUnit, PlainText, load_text
from tempo_coach.core.schema import field_docstrings
from tempo_coach.core.tempo import Tempo

FieldKind = Literal[
    "text",
    "multiline",
    "number",
    "whole",
    "choice",
    "flag",
    "reps",
    "tempo",
    "load",
    "loads",
    "group",
    "list",
]

LABELS = {
    "unilateral": "Single-leg",
    "starts_with": "Starts with",
    "count_in_beats": "Count-in",
    "custom_phases": "Custom phases",
    "eccentric_emphasis": "Eccentric emphasis",
    "silenced": "Silenced checks",
    "warmup": "Warm-up sets",
}
"""Labels that read better than the field's name; any other field is labelled by its name."""

ITEM_NAMES = {
    "exercises": "",
    "custom_phases": "Phase ",
    "silenced": "Silenced check ",
    "warmup": "Warm-up ",
}
"""How an item of a list is titled: "1. Nordic curl", "Phase 2: Lower"."""
ADD_LABELS = {
    "exercises": "+ Add exercise…",
    "custom_phases": "+ Add phase",
    "silenced": "+ Silence a check",
    "warmup": "+ Add warm-up set",
}
FIRST_ADD_LABELS = {"custom_phases": "+ Use custom phases (starting from the tempo)"}
"""What the add button says while the list is empty, where the first item is special."""

_REP_SEPARATORS = re.compile(r"[\s,/]+")
_LOAD_SEPARATOR = ","
"""Between the loads of a per-set list: "80 kg, 85 kg"."""
_LOAD_SEPARATORS = re.compile(r"(?<!\d),|,(?!\d(?!\d))")
"""A comma that separates loads. One between a number and a single digit is a decimal comma
("82,5", as in the session's load box); "60,70" is two loads, as a lifter typing one a set
means (62.25 is typed with a point)."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model as the form shows it."""

    key: str
    label: str
    help: str
    kind: FieldKind
    default: Any
    """The field's default as file data; None when it has none or defaults to nothing."""
    optional: bool
    """May be left out (an empty control removes the key)."""
    choices: tuple[Any, ...] = ()
    model: type[BaseModel] | None = None
    """The model of a group, or of each item of a list."""


PROMPTS = {"audio_mode": "your setting"}
"""What an unset choice means, where it is more than "not set"."""


@functools.cache
def _help(model: type[BaseModel]) -> dict[str, str]:
    """The models do not keep their docstrings (see core/schema.py), so read them once."""
    return {key: " ".join(doc.split()) for key, doc in field_docstrings(model).items()}


def label_for(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any, metadata: list[Any]) -> tuple[FieldKind, tuple[Any, ...], Any]:
    """The control kind for a field's type (None already dropped from a union)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *more = typing.get_args(annotation)
        metadata = [*metadata, *more]
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "choice", typing.get_args(annotation), None
    if origin in (typing.Union, types.UnionType):
        members = [_bare(member) for member in typing.get_args(annotation)]
        if int in members and any(typing.get_origin(m) is list for m in members):
            return "reps", (), None
        if Load in members:
            return "loads", (), None
    if annotation is Load:
        return "load", (), None
    if origin is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "list", (), item
    if annotation is Tempo:
        return "tempo", (), None
    if annotation is bool:
        return "flag", (), None
    if annotation is int:
        return "whole", (), None
    if annotation is float:
        return "number", (), None
    if annotation is str:
        multiline = any(isinstance(m, PlainText) and m.multiline for m in metadata)
        return ("multiline" if multiline else "text"), (), None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "group", (), annotation
    raise TypeError(f"the form has no control for a field of type {annotation!r}")


def field_specs(model: type[BaseModel], *, overrides: bool = False) -> list[FieldSpec]:
    """The model's fields in order, as controls; under `overrides` (an exercise's own
    setup) every field may be left out, to mean "as the workout says"."""
    specs = []
    for key, info in model.model_fields.items():
        annotation: Any = info.annotation
        members = typing.get_args(annotation)
        optional = overrides or not info.is_required()
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and (
            type(None) in members
        ):
            rest = tuple(member for member in members if member is not type(None))
            annotation = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
            optional = True
        kind, choices, item_model = _kind(annotation, info.metadata)
        default = info.default if info.default is not PydanticUndefined else None
        if isinstance(default, BaseModel):
            default = None
        specs.append(
            FieldSpec(
                key=key,
                label=label_for(key),
                help=_help(model).get(key, ""),
                kind=kind,
                default=None if overrides else default,
                optional=optional,
                choices=choices,
                model=item_model,
            )
        )
    return specs


def widget_id(prefix: str, path: Path) -> str:
    """``f-exercises-0-sets``: a path as a widget id (letters, digits, `_` and `-` only)."""
    return f"{prefix}-" + "-".join(str(part) for part in path) if path else prefix


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(text: str, *, whole: bool) -> Any:
    """A number from a field's text; text that is not one is passed on as typed, so that
    validation names the problem in the file's words; empty is None (the key left out)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if whole else _whole(float(text))
    except ValueError:
        return text


def _whole(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def parse_reps(text: str) -> Any:
    """``"5"`` is five reps every set; ``"12,10,8"`` (or spaces, slashes) one number a set."""
    pieces = [parse_number(piece, whole=True) for piece in _REP_SEPARATORS.split(text) if piece]
    if not pieces:
        return None
    return pieces[0] if len(pieces) == 1 else pieces


def parse_loads(text: str, units: LoadUnit = "kg") -> Any:
    """``"80 kg"`` is one load for every set; ``"80 kg, 85 kg"`` one a set. Each is read as
    the session's load box reads it ("80" in `units`, "82,5", "bw+10") and written the
    file's way ("80 kg", "bodyweight + 10 kg"); one that cannot be read is passed on as
    typed, for `load_problems` to explain. Empty is None."""
    pieces = [piece.strip() for piece in _LOAD_SEPARATORS.split(text) if piece.strip()]
    if not pieces:
        return None
    loads = [file_load(piece, units) for piece in pieces]
    return loads[0] if len(loads) == 1 else loads


def file_load(text: str, units: LoadUnit) -> str:
    """A typed load in the file's spelling, or as typed when it is no load."""
    try:
        return load_text(read_load(text, units))
    except LoadEntryError:
        return text


def load_problems(label: str, value: Any, units: LoadUnit) -> list[str]:
    """Why each load of a load field's value (as `parse_loads` left it) cannot be read, in
    the load box's words and naming the field: ``'Load of set 2: "8O" is not a load: …'``.
    Validation would only say how a file writes a load, not what may be typed here."""
    loads = value if isinstance(value, list) else [value]
    problems = []
    for number, load in enumerate(loads, start=1):
        if not isinstance(load, str):
            continue  # a table, or nothing: validation has the words for those
        try:
            read_load(load, units)
        except LoadEntryError as error:
            which = f"{label} of set {number}" if isinstance(value, list) else label
            why = str(error)
            problems.append(f"{which}: {why[:1].lower()}{why[1:]}")
    return problems


def control_value(spec: FieldSpec, control: Widget, units: LoadUnit) -> Any:
    """What a control holds, as the file would: None leaves the key out. A bare number in
    a load field is in `units`."""
    if isinstance(control, Checkbox):
        return control.value
    if isinstance(control, Select):
        return None if control.value is Select.NULL else control.value
    if isinstance(control, TextArea):
        return control.text or None
    assert isinstance(control, Input)
    if spec.kind in ("number", "whole"):
        return parse_number(control.value, whole=spec.kind == "whole")
    if spec.kind == "reps":
        return parse_reps(control.value)
    if spec.kind == "loads":
        return parse_loads(control.value, units)
    if spec.kind == "load":
        typed = control.value.strip()
        return file_load(typed, units) if typed else None
    if spec.kind == "tempo":
        return control.value.strip() or None
    return control.value or None


def item_title(list_key: str, index: int, item: dict[str, Any]) -> str:
    """``"1. Nordic curl"``, ``"Phase 2: Lower"``: which item of a list this is."""
    name = item.get("name") or item.get("check") or ""
    prefix = ITEM_NAMES.get(list_key, f"{label_for(list_key)} ")
    if not prefix:
        return f"{index + 1}. {name}"
    return f"{prefix}{index + 1}: {name}" if name else f"{prefix}{index + 1}"


@dataclass
class FormBuilder:
    """Builds the widgets for file-shaped data and remembers which path each one edits."""

    units: LoadUnit = "kg"
    """The lifter's units, which a bare number typed in a load field is in: the load
    fields' placeholders say so."""
    specs: dict[str, FieldSpec] = field(default_factory=dict)
    """Each control's field, by widget id."""
    paths: dict[str, Path] = field(default_factory=dict)
    """The data path each control, group and list item edits, by widget id."""
    error_lines: dict[str, str] = field(default_factory=dict)
    """The id of the line under each field, group and item, by display path."""
    anchors: dict[str, str] = field(default_factory=dict)
    """The widget each error line goes after, by display path: lines are only mounted
    when there is a problem to show, which keeps a long form quick to draw."""
    labels: dict[str, str] = field(default_factory=dict)
    """Each error line's field label, by display path, to start its sentences."""
    groups: dict[Path, Vertical] = field(default_factory=dict)
    """Each group and list as built, by path: a part of the form can be drawn anew alone."""
    group_help: dict[Path, str] = field(default_factory=dict)
    """What each nested model is, by its path: shown above the focused field's own help."""
    line_paths: dict[str, Path] = field(default_factory=dict)
    """The data path under each error line, by display path: where a problem's cursor goes."""

    def fields(
        self,
        model: type[BaseModel],
        data: dict[str, Any],
        path: Path = (),
        *,
        inherited: dict[str, Any] | None = None,
        overrides: bool = False,
    ) -> list[Widget]:
        """Controls for every field of `model` holding `data`; `inherited` gives what an
        exercise's unset keys mean (the workout's defaults), shown as placeholders."""
        widgets: list[Widget] = []
        for spec in field_specs(model, overrides=overrides):
            here = (*path, spec.key)
            value = data.get(spec.key)
            if spec.kind == "group":
                assert spec.model is not None
                self.group_help[here] = f"{spec.label}: {spec.help}"
                below = inherited.get(spec.key) if inherited and spec.optional else None
                widgets.append(
                    self.group(
                        spec.label,
                        here,
                        self.fields(
                            spec.model,
                            value or {},
                            here,
                            inherited=below,
                            overrides=spec.optional,
                        ),
                    )
                )
            elif spec.kind == "list":
                widgets.append(self.list_of(spec, value or [], here, data))
            else:
                hint = inherited.get(spec.key) if inherited else None
                widgets.append(self.row(spec, value, here, hint))
        return widgets

    def error_line(self, path: Path, label: str, anchor: str) -> None:
        """Say where problems with `path` are shown: in a line after the widget `anchor`."""
        shown = display_path(path)
        self.error_lines[shown] = widget_id("e", path)
        self.anchors[shown] = anchor
        self.labels[shown] = label
        self.line_paths[shown] = path

    def group(
        self,
        title: str,
        path: Path,
        children: list[Widget],
        classes: str = "group",
        title_classes: str = "",
    ) -> Vertical:
        self.paths[widget_id("g", path)] = path
        heading = Static(  # names are the file's words
            title, id=widget_id("t", path), classes=f"group-title {title_classes}", markup=False
        )
        self.error_line(path, title, widget_id("t", path))
        self.groups[path] = Vertical(heading, *children, id=widget_id("g", path), classes=classes)
        return self.groups[path]

    def list_of(
        self, spec: FieldSpec, items: list[dict[str, Any]], path: Path, parent: dict[str, Any]
    ) -> Vertical:
        assert spec.model is not None
        exercises = spec.key == "exercises"
        inherited = parent.get("defaults") if exercises else None
        children: list[Widget] = []
        for index, item in enumerate(items):
            here = (*path, index)
            group = self.group(
                item_title(spec.key, index, item),
                here,
                self.fields(spec.model, item, here, inherited=inherited),
                classes=f"item item-{spec.key}" + (" exercise" if exercises else ""),
                title_classes="exercise-title" if exercises else "",
            )
            children.append(group)
        add = Button(
            (not items and FIRST_ADD_LABELS.get(spec.key))
            or ADD_LABELS.get(spec.key, f"+ Add {spec.label.lower()}"),
            id=widget_id("add", path),
            compact=True,
            classes="add-item",
        )
        self.paths[widget_id("add", path)] = path
        return self.group(spec.label, path, [*children, add], classes="list")

    def row(self, spec: FieldSpec, value: Any, path: Path, hint: Any) -> Horizontal:
        ident = widget_id("f", path)
        self.specs[ident] = spec
        self.paths[ident] = path
        control: Widget
        if spec.kind == "flag":
            control = Checkbox(
                "", bool(spec.default if value is None else value), compact=True, id=ident
            )
        elif spec.kind == "choice":
            shown = value if value is not None else spec.default
            prompt = f"workout: {hint}" if hint is not None else PROMPTS.get(spec.key, "not set")
            control = Select(
                [(str(choice), choice) for choice in spec.choices],
                allow_blank=spec.optional and spec.default is None,
                value=Select.NULL if shown is None else shown,
                prompt=prompt,
                compact=True,
                id=ident,
            )
            control.disabled = len(spec.choices) == 1
        elif spec.kind == "multiline":
            control = TextArea(value or "", compact=True, id=ident, soft_wrap=True)
        else:
            if spec.kind == "loads" and isinstance(value, list):
                text = f"{_LOAD_SEPARATOR} ".join(value)
            elif isinstance(value, list):
                text = ",".join(_number_text(item) for item in value)
            else:
                text = _number_text(value)
            placeholder = (
                f"workout: {_number_text(hint)}"
                if hint is not None
                else _number_text(spec.default)
                if spec.default not in (None, "")
                else ""
            )
            if spec.kind == "reps":
                placeholder = "5, or one a set: 12,10,8"
            elif spec.kind == "tempo" and not text:
                placeholder = "e.g. 4-1-X-2 (or custom phases)"
            elif spec.kind == "loads":  # also for a load cleared to type another
                placeholder = f"e.g. 80 (in {self.units}) or bw+10; one a set: 60, 70"
            elif spec.kind == "load":
                placeholder = f"e.g. 40 (in {self.units}) or bw"
            control = Input(text, placeholder=placeholder, compact=True, id=ident)
        control.tooltip = spec.help  # for the mouse; the preview shows it for the cursor
        self.error_line(path, spec.label, widget_id("r", path))
        return Horizontal(
            Label(spec.label, classes="field-label"),
            control,
            id=widget_id("r", path),
            classes="field",
        )
