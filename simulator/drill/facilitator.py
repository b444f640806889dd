"""The facilitator's injects: the surprises a game-day facilitator throws in by hand.

A scenario's injects happen at fixed times; a facilitator watching the team adds
their own as the drill goes, with the same effects::

    /inject exec Can someone tell me if we are losing orders?
    /inject customer checkout I was charged twice and my order is gone
    /inject surge 80
    /inject drop tech 10m
    /inject fault replica-lag

The message is optional where there is one (the seed writes a plausible one).
Each inject is logged as ``inject.applied`` (ground truth: players see only its
effect) with the text typed, so a resumed drill applies it again at the same time.
"""

from __future__ import annotations

from functools import cache

from pydantic import TypeAdapter, ValidationError

from simulator.drill.commands import CommandError
from simulator.durations import parse_duration
from simulator.practice import ROLES
from simulator.scenario.model import Inject, Scenario
from simulator.validation import did_you_mean

INJECT_KINDS = ("exec", "customer", "surge", "drop", "fault")
USAGE = (
    "/inject exec [MESSAGE] | /inject customer [SERVICE] [MESSAGE] | /inject surge [TICKETS]"
    " | /inject drop ROLE [BACK_AFTER] | /inject fault FAULT"
)


@cache
def _adapter() -> TypeAdapter[Inject]:
    """Built on the first inject, not at import (the console imports INJECT_KINDS)."""
    return TypeAdapter(Inject)


def parse_inject(text: str, scenario: Scenario, now: float) -> Inject:
    """The inject ``text`` asks for, happening at ``now``; CommandError saying what was
    expected when it is not one."""
    words = text.strip().split()
    if not words or words[0].lower() != "/inject":
        raise CommandError(
            "the facilitator's commands are injects; the players give the others", USAGE
        )
    if len(words) < 2 or words[1].lower() not in INJECT_KINDS:
        given = words[1] if len(words) > 1 else ""
        raise CommandError(f"unknown inject '{given}': " + did_you_mean(given, INJECT_KINDS), USAGE)
    kind, args = words[1].lower(), words[2:]
    message = " ".join(args) or None
    data: dict[str, object] = {"at": now}
    if kind == "exec":
        data.update(kind="executive_ask", message=message)
    elif kind == "customer":
        services = [s.name for s in scenario.services]
        # The first word is the service whenever one is given: a typo must not become
        # the start of the customer's message.
        service = args[0] if args else None
        if service is not None and service not in services:
            raise CommandError(
                f"no service is called '{service}': " + did_you_mean(service, services),
                "/inject customer [SERVICE] [MESSAGE]",
            )
        rest = args[1:]
        data.update(kind="customer_report", service=service, message=" ".join(rest) or None)
    elif kind == "surge":
        data.update(kind="support_surge", tickets=_count(args))
    elif kind == "drop":
        if not args or args[0].lower() not in ROLES:
            raise CommandError("which role drops off?", "/inject drop ROLE [BACK_AFTER]")
        back = _duration(args[1]) if len(args) > 1 else None
        data.update(kind="teammate_drop", role=args[0].lower(), back_after=back)
    else:
        waiting = [f.id for f in scenario.faults if f.start is None]
        if not args or args[0] not in waiting:
            given = args[0] if args else ""
            raise CommandError(
                "no fault waiting for an inject is called "
                f"'{given}': " + did_you_mean(given, waiting),
                "/inject fault FAULT (one with no start time of its own)",
            )
        data.update(kind="fault", fault=args[0])
    try:
        return _adapter().validate_python(data)
    except ValidationError as err:
        raise CommandError(err.errors()[0]["msg"], USAGE) from None


def _count(args: list[str]) -> int:
    if not args:
        return 25
    if not args[0].isdigit() or int(args[0]) < 1:
        raise CommandError(f"'{args[0]}' is not a number of tickets", "/inject surge [TICKETS]")
    return int(args[0])


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as err:
        raise CommandError(str(err), "/inject drop ROLE [BACK_AFTER], e.g. 10m") from None
