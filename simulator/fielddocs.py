"""Field descriptions for JSON Schemas, read from attribute docstrings on demand.

Every model documents its fields with a docstring under the attribute. Pydantic's
``use_attribute_docstrings`` reads them by parsing each class's source when the
class is created, which cost ~60 ms of every start-up (half the time to import
the scenario models). Only the JSON Schema needs the text, so the models use
:func:`describe_fields` as ``json_schema_extra`` instead: the source is read when
a schema is generated, and never on the way to a drill.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache
from itertools import pairwise
from typing import Any


@cache
def _own_docstrings(cls: type) -> dict[str, str]:
    """``{attribute: docstring}`` for the annotated attributes defined on ``cls`` itself."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # no source (frozen app, REPL): no descriptions
        return {}
    body = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)).body
    docs: dict[str, str] = {}
    for node, following in pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def field_docstrings(cls: type) -> dict[str, str]:
    """Attribute docstrings of ``cls`` and its bases; a subclass's own text wins."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is not object and klass.__module__.split(".")[0] != "pydantic":
            docs.update(_own_docstrings(klass))
    return docs


def describe_fields(schema: dict[str, Any], cls: type) -> None:
    """``json_schema_extra`` hook: give each property its field's docstring."""
    docs = field_docstrings(cls)
    fields: dict[str, Any] = getattr(cls, "model_fields", {})
    properties: dict[str, Any] = schema.get("properties", {})
    for name, info in fields.items():
        key = info.alias or name
        text = info.description or docs.get(name)
        if text and key in properties:  # over a description the field's type gave
            properties[key]["description"] = text
