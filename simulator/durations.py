"""Durations as people write them in YAML and commands: ``90s``, ``2m30s``, ``1h``, ``45``."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
DURATION_PATTERN = r"^\s*(\d+(\.\d+)?(ms|s|m|h|d|w)\s*)+$|^\s*\d+(\.\d+)?\s*$"


def parse_duration(value: Any) -> float:
    """Seconds from ``90``, ``"90s"``, ``"2m30s"`` or ``"1h"``; raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 90s, 2m30s or 1h")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    if not isinstance(value, str):
        raise ValueError("expected a duration such as 90s, 2m30s or 1h")
    text = value.strip().replace(" ", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    pos, total = 0, 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise ValueError(f"'{value}' is not a duration: write it like 90s, 2m30s, 1h or 1d")
    return total


def format_duration(seconds: float) -> str:
    """``150.0`` → ``"2m30s"``; ``3600`` → ``"1h"``; sub-second precision is dropped."""
    whole = round(seconds)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if whole >= size:
            parts.append(f"{whole // size}{unit}")
            whole %= size
    return sign + ("".join(parts) or "0s")


def format_clock(seconds: float) -> str:
    """Simulated time as ``T+mm:ss`` (or ``T+h:mm:ss`` past an hour)."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"T+{h}:{m:02d}:{s:02d}" if h else f"T+{m:02d}:{s:02d}"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"type": "number", "minimum": 0},
            ],
            "description": "A duration: seconds as a number, or text like 90s, 2m30s, 1h.",
        }
    ),
]
"""A pydantic field type: a duration in seconds, written as text or a number."""
