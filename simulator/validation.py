"""Turn pydantic's validation errors into problems a person can act on.

Shared by every YAML format gameday reads (scenarios, scripts, on-call configs):
each error names the file, line and column, says what was expected, and where a
name was misspelled, suggests the closest valid one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from simulator.errors import InputError, Problem
from simulator.yamlsource import LocatedYAML

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Issue:
    """A problem found after parsing (a broken cross-reference), located by its path."""

    loc: Sequence[str | int]
    message: str
    hint: str = ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing the valid ones."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if not options:
        return "none are defined"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"expected one of: {shown}"


def _dotted(loc: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _message(error: Any, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    loc = [p for p in error["loc"] if not (isinstance(p, str) and p[:1].isupper())]
    where = _dotted(loc)
    if kind == "extra_forbidden":
        field = str(loc[-1]) if loc else "?"
        return f"unknown field '{field}' at {where}", "remove it or check the spelling"
    if kind == "missing":
        return (
            f"missing required field '{loc[-1] if loc else '?'}'",
            f"add it at {_dotted(loc[:-1])}",
        )
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        got = error.get("input")
        hint = ""
        if isinstance(got, bool):
            hint = 'YAML reads unquoted on/off/yes/no as true/false: quote it, e.g. "on"'
        elif isinstance(got, str):
            close = difflib.get_close_matches(got, re.findall(r"'([^']*)'", expected), n=1)
            hint = f"did you mean '{close[0]}'?" if close else ""
        return f"{where}: got {got!r}, expected {expected}", hint
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return (
            f"{where}: unknown {ctx.get('discriminator', 'kind')} {ctx.get('tag')!r}",
            f"expected one of {ctx.get('expected_tags')}",
        )
    if kind == "timezone_aware":
        return (
            f"{where}: {error.get('input')!r} has no time zone",
            "add the offset of where the incident happens, e.g. 2026-04-16T14:00:00+02:00, "
            "or Z for UTC",
        )
    if kind == "too_short":
        return f"{where}: needs at least {error.get('ctx', {}).get('min_length', 1)} entry", ""
    if kind == "union_tag_not_found":
        return f"{where}: missing {error.get('ctx', {}).get('discriminator', 'kind')}", ""
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"{where}: {msg}", ""


def _loc_in_source(error: Any) -> list[str | int]:
    # Discriminated unions insert the tag name (e.g. 'rollback') into loc; drop it
    # so the path matches the YAML document.
    loc = list(error["loc"])
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or ("-" in part and part.startswith("function"))):
            continue
        out.append(part)
    return out


def _branches(raw: Sequence[Any], data: Any) -> list[tuple[tuple[Any, ...], str, Any]]:
    """The union branches on an error's path: (document path, branch label, value there).

    Pydantic tries each member of a union and reports every member's failure, with the
    member's label (``literal[...]``, ``Relieves``, ``tuple[...]``) inserted in the path.
    """
    out: list[tuple[tuple[Any, ...], str, Any]] = []
    path: list[Any] = []
    node = data
    for part in raw:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node, path = node[part], [*path, part]
        elif isinstance(part, str) and (part != raw[-1] or "[" in part or part[:1].isupper()):
            out.append((tuple(path), part, node))
        else:
            break
    return out


def _fits(label: str, value: Any) -> bool:
    """Whether a union member could be what the author meant, given the value written."""
    if isinstance(value, dict):
        return label[:1].isupper() or label.startswith(("dict[", "function-"))
    if isinstance(value, list):
        return label.startswith(("tuple[", "list[", "set["))
    return not (label[:1].isupper() or label.startswith(("tuple[", "list[", "dict[", "set[")))


def _one_branch_per_mistake(errors: list[Any], data: Any) -> list[Any]:
    """Keep, at each union on the path, only the members that fit the value written.

    Without this a mistyped ``fixed`` is reported three times: as a wrong literal, as
    not a mapping and as not a list. The author meant one of them.
    """
    counts: dict[tuple[Any, ...], dict[str, int]] = {}
    for error in errors:
        for path, label, value in _branches(error["loc"], data):
            if _fits(label, value):
                at = counts.setdefault(path, {})
                at[label] = at.get(label, 0) + 1
    # Of the members that fit, the one with the fewest complaints is the one meant.
    fitting = {
        path: {b for b, n in at.items() if n == min(at.values())} for path, at in counts.items()
    }
    kept = []
    for error in errors:
        branches = _branches(error["loc"], data)
        if all(label in fitting.get(path, {label}) for path, label, _ in branches):
            kept.append(error)
    return kept or errors


def _misspelt_fields(errors: list[Any]) -> tuple[dict[int, str], set[int]]:
    """Unknown fields that are a misspelling of a missing one: one mistake, not two.

    Returns the unknown-field errors (by id) with the name meant, and the ids of the
    missing-field errors they explain, which are not reported on their own.
    """
    missing = {tuple(e["loc"][:-1]): e for e in errors if e["type"] == "missing"}
    meant: dict[int, str] = {}
    explained: set[int] = set()
    for error in errors:
        other = missing.get(tuple(error["loc"][:-1]))
        if error["type"] != "extra_forbidden" or other is None or id(other) in explained:
            continue
        wanted = str(other["loc"][-1])
        if difflib.get_close_matches(str(error["loc"][-1]), [wanted], n=1, cutoff=0.6):
            meant[id(error)] = wanted
            explained.add(id(other))
    return meant, explained


def problems_from_validation(
    err: ValidationError, src: LocatedYAML, model: type[BaseModel]
) -> list[Problem]:
    """One :class:`Problem` per mistake, positioned in the source file."""
    problems: list[Problem] = []
    errors = _one_branch_per_mistake(err.errors(), src.data)
    meant, explained = _misspelt_fields(errors)
    for error in errors:
        if id(error) in explained:
            continue  # reported with the misspelt field that was meant to be it
        if error["type"] == "too_short" and any(
            len(o["loc"]) > len(error["loc"]) and o["loc"][: len(error["loc"])] == error["loc"]
            for o in errors
        ):
            continue  # a failing item was dropped; its own error says why
        loc = _loc_in_source(error)
        line, column = src.position_of(_source_path(loc, src))
        message, hint = _message({**error, "loc": _source_path(loc, src)}, model)
        if id(error) in meant:
            hint = f"did you mean '{meant[id(error)]}'?"
        problems.append(Problem(src.file, line, column, message, hint))
    return problems


def _source_path(loc: Sequence[str | int], src: LocatedYAML) -> list[str | int]:
    """Drop path parts pydantic adds that are not in the document (union member tags)."""
    out: list[str | int] = []
    node: Any = src.data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            out.append(part)
        elif isinstance(node, dict | list):
            # A tag pydantic inserted (discriminated unions): skip it, keep descending.
            if isinstance(part, str) and isinstance(node, dict) and part not in node:
                # Either a missing/extra key (keep it, last element) or an inserted tag.
                if part == loc[-1]:
                    out.append(part)
                continue
            out.append(part)
            node = None
        else:
            out.append(part)
            node = None
    return out


def validate_document(
    model: type[M],
    src: LocatedYAML,
    *,
    what: str,
    checks: Callable[[M], list[Issue]] | None = None,
    list_ok: bool = False,
) -> M:
    """Validate ``src`` as ``model``, then run cross-reference ``checks``; raise InputError."""
    if src.data is None:
        raise InputError.single(src.file, f"the file is empty, expected a {what}")
    if not isinstance(src.data, dict) and not (list_ok and isinstance(src.data, list)):
        line, column = src.position_of(())
        raise InputError.single(
            src.file,
            f"expected a {what} (a YAML mapping at the top level)",
            line=line,
            column=column,
        )
    try:
        obj = model.model_validate(src.data)
    except ValidationError as err:
        raise InputError(problems_from_validation(err, src, model)) from None
    if checks is not None:
        issues = checks(obj)
        if issues:
            problems = []
            for issue in issues:
                line, column = src.position_of(issue.loc)
                problems.append(
                    Problem(
                        src.file, line, column, f"{_dotted(issue.loc)}: {issue.message}", issue.hint
                    )
                )
            raise InputError(problems)
    return obj
