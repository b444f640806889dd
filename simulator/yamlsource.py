"""Read YAML while remembering where every value came from.

Validation errors speak of ``file:line:column``; pydantic only knows a value's
path (``faults.0.target``), so we keep a map from paths to source positions.
Only ``yaml.safe_load`` semantics are used: no tags beyond the standard ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import InputError

PathKey = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (the wheels are): 3-4x faster than
# the pure-Python one, with the same nodes, marks and errors.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LocatedYAML:
    """A parsed YAML document plus the line and column of every node in it."""

    data: Any
    file: str
    positions: dict[PathKey, tuple[int, int]]
    key_positions: dict[PathKey, tuple[int, int]]

    def position_of(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node on ``loc`` that exists in the file."""
        path: PathKey = tuple(loc)
        if path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (None, None))


MAX_VALUES = 200_000
"""More values than any real scenario, config or export has (the largest shipped file has
about 2,000): past this, a document is refused rather than expanded."""
MAX_DEPTH = 100
"""Deeper nesting than any real file has; refusing it keeps the walk off Python's stack limit."""


class _Budget:
    """Counts the values a document expands to: aliases are walked each time they are used,
    so nested anchors (an "alias bomb") would otherwise expand to billions of values."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values = 0

    def spend(self, node: yaml.Node, depth: int) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise InputError.single(
                self.file,
                f"the document expands to more than {MAX_VALUES:,} values",
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
                hint="YAML anchors and aliases nested inside each other multiply; "
                "write the values out, or use fewer levels of aliases",
            )
        if depth > MAX_DEPTH:
            raise InputError.single(
                self.file,
                f"values are nested more than {MAX_DEPTH} levels deep",
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
                hint="flatten the structure",
            )


def _walk(node: yaml.Node, path: PathKey, loc: LocatedYAML, loader: Any, budget: _Budget) -> Any:
    budget.spend(node, len(path))
    loc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise InputError.single(
                    loc.file,
                    "a mapping key must be a plain value",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            child = (*path, key)
            loc.key_positions[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = _walk(value_node, child, loc, loader, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), loc, loader, budget) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> LocatedYAML:
    """Parse one YAML document; syntax errors become an :class:`InputError` with a position."""
    loc = LocatedYAML(data=None, file=file, positions={}, key_positions={})
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _walk(node, (), loc, loader, _Budget(file))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputError.single(
            file,
            f"not valid YAML: {exc.problem or exc.context}",
            line=line,
            column=column,
            hint="check indentation and quoting near this spot",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return LocatedYAML(
        data=data, file=file, positions=loc.positions, key_positions=loc.key_positions
    )


def read_yaml(path: str | Path) -> LocatedYAML:
    """Read and parse a YAML file, with clear errors for a missing or unreadable file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(name, "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise InputError.single(name, "is a directory, expected a YAML file") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(
            name, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror}") from None
    return parse_yaml(text, name)
