"""The event vocabulary: every event type a drill can log, and the fields each one carries.

One typed definition, read by every producer and consumer:
:data:`EventType` names the types, so mypy rejects a misspelt type wherever one is
compared or emitted; each type's payload is a ``TypedDict`` below, so the log
reader can check a line's fields and docs/log-format.md's table is generated from
here (``python -m simulator.log.vocabulary``) and tested against it. The class
docstring is the type's meaning in that table.

Declarative on purpose, and longer than a module usually is: one class per type.
"""

import sys
from collections.abc import Mapping
from types import UnionType
from typing import (
    Any,
    Literal,
    NotRequired,
    TypedDict,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

EventType = Literal[
    "drill.started",
    "drill.ended",
    "metrics.sample",
    "fault.started",
    "fault.escalated",
    "fault.relieved",
    "fault.worsened",
    "fault.fixed",
    "impact.started",
    "impact.mitigated",
    "impact.ended",
    "alert.fired",
    "alert.resolved",
    "alert.grouped",
    "alert.silenced",
    "alert.acknowledged",
    "page.sent",
    "page.escalated",
    "page.acknowledged",
    "message.posted",
    "command.accepted",
    "command.rejected",
    "task.assigned",
    "severity.declared",
    "role.assigned",
    "investigation.started",
    "investigation.completed",
    "mitigation.started",
    "mitigation.applied",
    "status.posted",
    "update.posted",
    "note.added",
    "teammate.joined",
    "teammate.unavailable",
    "teammate.returned",
    "incident.resolved",
    "coach.hint",
    "inject.applied",
    "knowledge.gained",
    "mitigation.refused",
    "data.lost",
    "chat.posted",
    "stakeholder.replied",
    "request.posted",
    "request.answered",
]
"""Every event type, in the order docs/log-format.md lists them."""


class DrillStarted(TypedDict):
    """The drill begins (t=0)."""

    scenario: str
    title: str
    duration: float
    role: str
    trainee: str
    services: list[str]
    briefing: str


class DrillEnded(TypedDict):
    """The drill is over: resolved, or the duration limit."""

    reason: str
    impact_ongoing: bool


class ServiceSample(TypedDict):
    """One service's metrics in a `metrics.sample`."""

    error_rate: float
    latency_p99_ms: float
    saturation: float
    requests_per_minute: float
    users_affected: float
    burn_rate: float
    users_degraded: NotRequired[float]
    requests_lost: NotRequired[float]
    data_lost: NotRequired[float]
    metrics: NotRequired[dict[str, float]]


class MetricsSample(TypedDict):
    """Every `alerts.evaluation_interval` (15 s by default): services: {name: {error_rate,
    latency_p99_ms, saturation, requests_per_minute, users_affected, burn_rate}}.
    `users_affected` is users per minute with at least one failed request caused by a
    fault (v2: or unable to reach the service at all); `burn_rate` is error_rate / (1 - SLO
    availability). v2 scenarios add, only when nonzero (so v1 logs are unchanged):
    `users_degraded` (users per minute served slower than the latency SLO and not already
    failing), `requests_lost` (requests per minute that never arrived: a traffic drop),
    `data_lost` (units of data lost on the service so far, cumulative) and `metrics`
    (the service's scenario-defined metrics)."""

    services: dict[str, ServiceSample]


class FaultStarted(TypedDict):
    """Ground truth: a fault begins."""

    fault: str
    kind: str
    target: str
    region: str | None
    cascade: bool


class FaultEscalated(TypedDict):
    """The fault reached half (milestone 50) or full (100) strength."""

    fault: str
    level: float
    milestone: int


class FaultRelieved(TypedDict):
    """A mitigation (`by`, its id) holds the fault down until `until`; with
    `then: fixes` a `fault.fixed` (and, for the last active fault,
    `impact.mitigated`) follows at `until` (older logs have no `then`: escalates)."""

    fault: str
    by: str | None
    until: float
    level: float
    then: NotRequired[str]


class FaultWorsened(TypedDict):
    """A mitigation made the fault worse."""

    fault: str
    by: str | None
    factor: float


class FaultFixed(TypedDict):
    """A mitigation fixed the fault; metrics recover over the fault's `recovery`."""

    fault: str
    by: str | None


class ImpactStarted(TypedDict):
    """Ground truth: customer impact begins (t_is)."""

    fault: str
    service: str


class ImpactMitigated(TypedDict):
    """Ground truth: the last active fault was fixed (t_mit); `by` is the mitigation id.
    In v2, the last active customer-facing fault, with no chained fault already set off."""

    by: str | None
    action: str
    target: str


class ImpactEnded(TypedDict):
    """Ground truth: metrics are back to baseline (t_ie)."""


class AlertFired(TypedDict):
    """An alert starts firing; `noise: false` only for the scenario's real rules."""

    alert: str
    name: str
    service: str
    severity: str
    labels: dict[str, str]
    noise: bool
    group: str
    summary: str
    silenced: bool
    rule: str | None


class AlertResolved(TypedDict):
    """The alert stops firing."""

    alert: str
    name: str
    noise: bool
    duration: float


class AlertGrouped(TypedDict):
    """The alert joined an already-firing group (no new page)."""

    alert: str
    group: str
    size: int


class AlertSilenced(TypedDict):
    """A silence was created; `alerts` are the ids firing now, `noise` is true if all
    were noise, null if none was firing."""

    name: str
    until: float
    by: str
    alerts: list[str]
    noise: bool | None


class AlertAcknowledged(TypedDict):
    """An alert's group was acknowledged."""

    alert: str
    by: str


class PageSent(TypedDict):
    """Someone was paged, by an alert or by `/page` (`manual: true`, with `by`)."""

    page: str
    alert: str | None
    name: str | None
    to: str
    level: int
    noise: bool
    manual: NotRequired[bool]
    by: NotRequired[str]


class PageEscalated(TypedDict):
    """An unacknowledged page went up the chain."""

    page: str
    alert: str
    to: str
    level: int
    unacknowledged_for: float


class PageAcknowledged(TypedDict):
    """A page was acknowledged `after` seconds after it was sent."""

    page: str
    alert: str
    by: str
    after: float


class MessagePosted(TypedDict):
    """Chatter in a channel (`incident`, `support`, `stakeholders`); `kind` is
    `customer_report`, `executive_ask`, `support_surge` (with `tickets`),
    `stakeholder_ask` (with `stakeholder`), `teammate`, `proposal` (with
    `command`) or `system`."""

    channel: str
    sender: str
    text: str
    kind: str
    stakeholder: NotRequired[str]
    command: NotRequired[str]
    tickets: NotRequired[int]


class CommandAccepted(TypedDict):
    """A command was accepted; `delegate` is who it was handed to (else the actor does
    it hands-on); `simulated: true` for simulated teammates."""

    text: str
    command: str
    args: list[str]
    by: str
    role: str
    delegate: str | None
    reason: str | None
    simulated: NotRequired[bool]


class CommandRejected(TypedDict):
    """A malformed or unknown command; the drill goes on."""

    text: str
    by: str
    role: str
    error: str
    usage: str
    simulated: NotRequired[bool]


class TaskAssigned(TypedDict):
    """A task handed to a named person; `command` is the seq of the command."""

    to: str
    task: str
    by: str
    command: int


class SeverityDeclared(TypedDict):
    """A severity (1-4) was declared or changed."""

    severity: int
    previous: int | None
    by: str


class RoleAssigned(TypedDict):
    """Someone was given a role (`by: gameday` for the roles set before the drill)."""

    role: str
    person: str
    by: str
    previous: str | None
    simulated: NotRequired[bool]


class InvestigationStarted(TypedDict):
    """Someone started looking into something; `defined` if the scenario defines it."""

    query: str
    by: str
    takes: float
    defined: bool


class Finding(TypedDict):
    """One thing an investigation turned up."""

    text: str
    kind: str
    reveals: NotRequired[list[str]]


class InvestigationCompleted(TypedDict):
    """An investigation finished: findings [{text, kind: clue / red_herring / info,
    [reveals: mitigation ids]}]."""

    query: str
    by: str
    findings: list[Finding]


class MitigationStarted(TypedDict):
    """A mitigation (the scenario's id, or null for one it does not define) began."""

    mitigation: str | None
    action: str
    target: str
    by: str
    takes: float


class MitigationApplied(TypedDict):
    """A mitigation took effect: effects {fault: fixed / relieved / worsened}."""

    mitigation: str | None
    action: str
    target: str
    by: str
    effects: dict[str, str]


class StatusPosted(TypedDict):
    """A public status page post (investigating/identified/monitoring/resolved)."""

    state: str
    message: str
    by: str


class UpdatePosted(TypedDict):
    """An internal stakeholder update."""

    message: str
    by: str


class NoteAdded(TypedDict):
    """A note in the incident timeline."""

    text: str
    by: str


class TeammateJoined(TypedDict):
    """A simulated teammate joined the incident (`role` null when paged in)."""

    person: str
    role: str | None


class TeammateUnavailable(TypedDict):
    """A teammate dropped out (an inject), back after `back_after` seconds or never."""

    person: str
    role: str
    back_after: float | None


class TeammateReturned(TypedDict):
    """A teammate who dropped out is back."""

    person: str
    role: str


class IncidentResolved(TypedDict):
    """`/resolve`; the drill then ends."""

    by: str
    impact_ongoing: bool
    severity: int | None


class CoachHint(TypedDict):
    """The coach's hint that a usual step is late (header `"coach": true`)."""

    rule: str
    text: str


class InjectApplied(TypedDict):
    """A facilitator's `/inject` (team game day); its effects follow as ordinary
    events, and `--resume` applies it again."""

    by: str
    text: str
    kind: str


class KnowledgeGained(TypedDict):
    """(v2) A finding showed the team a mitigation they did not know of; its command is
    accepted from now on. `finding` is the finding's text."""

    mitigation: str
    by: str
    finding: str


class MitigationRefused(TypedDict):
    """(v2) A mitigation could not be carried out when its effect ran: a precondition
    not met, a tool down, nobody to approve it; `command` is the slash command."""

    command: str
    mitigation: str | None
    by: str
    reason: str


class DataLost(TypedDict):
    """(v2) Ground truth: the total a fault lost (or corrupted) on `service` between
    `since` and `until`, logged when the loss stopped or the drill ended."""

    fault: str
    service: str
    amount: float
    unit: str
    since: float
    until: float


class ChatPosted(TypedDict):
    """Free text in the incident channel (typed without a `/`, or `/say`), by a person
    in a role."""

    text: str
    by: str
    role: str


class StakeholderReplied(TypedDict):
    """`/reply NAME TEXT`: a direct answer to a stakeholder who asked; it counts as an
    update for that stakeholder's patience."""

    stakeholder: str
    text: str
    by: str


class RequestPosted(TypedDict):
    """`/ask ROLE TEXT`: a request in the incident channel to the holder of `to` (a
    role; `person` holds it, null when nobody does)."""

    to: str
    person: str | None
    text: str
    by: str
    role: str


class RequestAnswered(TypedDict):
    """The holder of a role answered an `/ask`; `approved` and `command` when it asked
    for approval of a lever."""

    to: str
    text: str
    by: str
    approved: NotRequired[bool]
    command: NotRequired[str]


PAYLOADS: dict[EventType, type] = {
    "drill.started": DrillStarted,
    "drill.ended": DrillEnded,
    "metrics.sample": MetricsSample,
    "fault.started": FaultStarted,
    "fault.escalated": FaultEscalated,
    "fault.relieved": FaultRelieved,
    "fault.worsened": FaultWorsened,
    "fault.fixed": FaultFixed,
    "impact.started": ImpactStarted,
    "impact.mitigated": ImpactMitigated,
    "impact.ended": ImpactEnded,
    "alert.fired": AlertFired,
    "alert.resolved": AlertResolved,
    "alert.grouped": AlertGrouped,
    "alert.silenced": AlertSilenced,
    "alert.acknowledged": AlertAcknowledged,
    "page.sent": PageSent,
    "page.escalated": PageEscalated,
    "page.acknowledged": PageAcknowledged,
    "message.posted": MessagePosted,
    "command.accepted": CommandAccepted,
    "command.rejected": CommandRejected,
    "task.assigned": TaskAssigned,
    "severity.declared": SeverityDeclared,
    "role.assigned": RoleAssigned,
    "investigation.started": InvestigationStarted,
    "investigation.completed": InvestigationCompleted,
    "mitigation.started": MitigationStarted,
    "mitigation.applied": MitigationApplied,
    "status.posted": StatusPosted,
    "update.posted": UpdatePosted,
    "note.added": NoteAdded,
    "teammate.joined": TeammateJoined,
    "teammate.unavailable": TeammateUnavailable,
    "teammate.returned": TeammateReturned,
    "incident.resolved": IncidentResolved,
    "coach.hint": CoachHint,
    "inject.applied": InjectApplied,
    "knowledge.gained": KnowledgeGained,
    "mitigation.refused": MitigationRefused,
    "data.lost": DataLost,
    "chat.posted": ChatPosted,
    "stakeholder.replied": StakeholderReplied,
    "request.posted": RequestPosted,
    "request.answered": RequestAnswered,
}
"""The payload type of each event type."""

PayloadKey = Literal[
    "action",
    "after",
    "amount",
    "alert",
    "alerts",
    "approved",
    "args",
    "back_after",
    "briefing",
    "by",
    "cascade",
    "channel",
    "command",
    "defined",
    "delegate",
    "duration",
    "effects",
    "error",
    "factor",
    "fault",
    "finding",
    "findings",
    "group",
    "impact_ongoing",
    "kind",
    "labels",
    "level",
    "manual",
    "message",
    "milestone",
    "mitigation",
    "name",
    "noise",
    "page",
    "person",
    "previous",
    "query",
    "reason",
    "region",
    "role",
    "rule",
    "scenario",
    "sender",
    "service",
    "services",
    "severity",
    "silenced",
    "simulated",
    "since",
    "size",
    "stakeholder",
    "state",
    "summary",
    "takes",
    "target",
    "task",
    "text",
    "then",
    "tickets",
    "title",
    "to",
    "trainee",
    "unacknowledged_for",
    "unit",
    "until",
    "usage",
]
"""Every field name any event has: `Event.get` and `event[...]` take only these, so a
misspelt field is a type error."""


def fields_of(type_: EventType) -> tuple[frozenset[str], frozenset[str]]:
    """The (required, optional) field names of an event type."""
    payload: Any = PAYLOADS[type_]
    return frozenset(payload.__required_keys__), frozenset(payload.__optional_keys__)


def payload_problem(
    type_: str, data: Mapping[str, Any], *, allow_unknown: bool = False
) -> str | None:
    """What is wrong with an event's fields (missing, unknown, wrong type), or None.

    The check is shallow, on purpose: the top-level field types, which is what a
    consumer reads; nested values are the producer's business and checked by tests.
    ``allow_unknown`` lets a reader accept fields a newer gameday may add.
    """
    if type_ not in PAYLOADS:
        return f"unknown event type '{type_}'"
    payload: Any = PAYLOADS[type_]
    required, optional = fields_of(type_)
    if missing := sorted(required - data.keys()):
        return f"{type_} is missing {', '.join(missing)}"
    if not allow_unknown and (unknown := sorted(data.keys() - required - optional)):
        return f"{type_} has unknown field(s) {', '.join(unknown)}"
    for name, hint in _hints(payload).items():
        if name in data and not isinstance(data[name], hint):
            expected = " or ".join(sorted(_TYPE_WORDS.get(t, t.__name__) for t in hint))
            return f"{type_} field '{name}' should be {expected}, not {_word(data[name])}"
    return None


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true/false",
               list: "a list", dict: "an object", type(None): "null"}  # fmt: skip


def _word(value: object) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


_HINTS: dict[type, dict[str, tuple[type, ...]]] = {}


def _hints(payload: type) -> dict[str, tuple[type, ...]]:
    """Each field's accepted runtime types (an int is a valid float, as JSON has it)."""
    if payload not in _HINTS:
        out: dict[str, tuple[type, ...]] = {}
        for name, hint in get_type_hints(payload).items():
            parts = get_args(hint) if get_origin(hint) in (Union, UnionType) else (hint,)
            kinds = [dict if is_typeddict(p) else (get_origin(p) or p) for p in parts]
            if float in kinds:
                kinds.append(int)
            out[name] = tuple(kinds)
        _HINTS[payload] = out
    return _HINTS[payload]


def markdown_table() -> str:
    """The event table of docs/log-format.md, generated from this vocabulary."""
    rows = ["| type | fields | meaning |", "| --- | --- | --- |"]
    for type_ in get_args(EventType):
        required = fields_of(type_)[0]
        payload = PAYLOADS[type_]
        names = [n if n in required else f"[{n}]" for n in payload.__annotations__]
        meaning = " ".join((payload.__doc__ or "").split())
        rows.append(f"| `{type_}` | {', '.join(names) or '—'} | {meaning} |")
    return "\n".join(rows) + "\n"


def _check_vocabulary() -> None:
    """The three lists above must agree; this runs once at import."""
    types = set(get_args(EventType))
    if types != set(PAYLOADS):
        raise AssertionError(f"EventType and PAYLOADS differ: {sorted(types ^ set(PAYLOADS))}")
    keys = set().union(*(p.__annotations__ for p in PAYLOADS.values()))
    if keys != set(get_args(PayloadKey)):
        raise AssertionError(
            f"PayloadKey differs from the payloads: {sorted(keys ^ set(get_args(PayloadKey)))}"
        )


_check_vocabulary()

if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    sys.stdout.write(markdown_table())
