"""The JSON Schema of workout files, with each field's docstring as its description.

The models do not read their docstrings when they are defined (pydantic's
``use_attribute_docstrings`` re-reads the source, about 12 ms of every start-up); only
``tempo-coach schema`` needs them, so they are read here, when it asks.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from pydantic import BaseModel

from tempo_coach.core.models import StrictModel, Workout


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The string under each field of the class body, cleaned as pydantic cleans it."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(model)))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _models() -> dict[str, type[BaseModel]]:
    """Every part of a workout file by class name, as the schema's ``$defs`` name them."""
    found: dict[str, type[BaseModel]] = {}
    waiting: list[type[BaseModel]] = [StrictModel]
    while waiting:
        model = waiting.pop()
        found[model.__name__] = model
        waiting.extend(model.__subclasses__())
    return found


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    properties = schema.get("properties", {})
    for name, doc in field_docstrings(model).items():
        if name in properties and "description" not in properties[name]:
            # Keys sorted as pydantic sorts them, so the output is byte for byte the same.
            properties[name] = dict(sorted({**properties[name], "description": doc}.items()))


def workout_json_schema() -> dict[str, Any]:
    """What ``tempo-coach schema`` prints and workouts/workout.schema.json holds."""
    schema = Workout.model_json_schema()
    models = _models()
    _describe(schema, Workout)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            _describe(definition, models[name])
    return schema
