"""Seats are secrets: a random token per seat (and one for watchers), checked on every join.

Before tokens, any process on the machine could take a free seat and act, logged, as
the player (on a shared bastion, any user). Now the host makes a token per seat with
:mod:`secrets`, prints each seat's join command, and can write them all as JSON for
scripts (``--seats-file``); a join without its seat's token is refused, and a
holder who comes back with the token reclaims the seat from a stale connection.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WATCH = "watch"
"""The key of the watchers' seat in the seats file (any number may watch with it)."""


@dataclass(frozen=True)
class Seat:
    """One seat of a hosted drill: a role and the person in it (or the watchers')."""

    role: str | None
    """The role, or None for the watchers' seat."""
    name: str
    """Who sits here: the player's name ("watchers" for the watchers' seat)."""
    token: str
    """The secret that admits to this seat."""

    @property
    def key(self) -> str:
        """The seat's name in the seats file and on the wire: its role, or ``watch``."""
        return self.role or WATCH

    def admits(self, token: object) -> bool:
        """Whether ``token`` is this seat's (compared in constant time)."""
        return isinstance(token, str) and hmac.compare_digest(
            token.encode("utf-8", "replace"), self.token.encode()
        )


def make_seats(players: dict[str, str], tokens: dict[str, str] | None = None) -> dict[str, Seat]:
    """A seat per player (role -> name) and the watchers' seat, each with a fresh token
    (or the one in ``tokens``, keyed like the seats file, so a resumed host keeps them)."""
    given = tokens or {}
    seats = {
        role: Seat(role, name, given.get(role) or secrets.token_urlsafe(16))
        for role, name in players.items()
    }
    seats[WATCH] = Seat(None, "watchers", given.get(WATCH) or secrets.token_urlsafe(16))
    return seats


def tokens_from_seats_file(path: Path, players: dict[str, str]) -> dict[str, str]:
    """The tokens a previous run of this drill wrote to ``path``, for the same people.

    A host resumed after a crash keeps its seats' secrets, so players rejoin with the
    command they already have. A seat whose person changed, or a file that is missing
    or not a seats file, gets no token from it (a fresh one is made).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    wanted = {**players, WATCH: "watchers"}
    kept: dict[str, str] = {}
    for key, seat in data.items():
        if not isinstance(seat, dict) or wanted.get(key) != seat.get("name"):
            continue
        token = seat.get("token")
        if isinstance(token, str) and len(token) >= 16:
            kept[key] = token
    return kept


def join_command(address: str, seat: Seat, *, tls: bool = False) -> str:
    """The command a person runs to take ``seat``."""
    where = f"--role {seat.role}" if seat.role else "--watch"
    return f"gameday join {address} {where} --token {seat.token}" + (" --tls" if tls else "")


def seats_json(seats: dict[str, Seat], address: str, *, tls: bool = False) -> dict[str, Any]:
    """``{"<role or watch>": {"name", "token", "join"}}``, the seats file's content."""
    return {
        key: {"name": seat.name, "token": seat.token, "join": join_command(address, seat, tls=tls)}
        for key, seat in seats.items()
    }


def write_seats_file(path: Path, seats: dict[str, Seat], address: str, *, tls: bool) -> None:
    """Write the seats file readable by its owner only: it holds every seat's secret."""
    text = json.dumps(seats_json(seats, address, tls=tls), indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file may have been readable by others
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
