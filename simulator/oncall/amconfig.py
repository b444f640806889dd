"""The ``alertmanager.yml`` format, read the way Alertmanager itself reads it.

Every config ``amtool check-config`` accepts must load here, so the models follow
Alertmanager's ``config/config.go``: the same top-level, route, inhibit-rule,
receiver and time-interval fields (unknown ones are still rejected, as Alertmanager's
strict YAML decoding rejects them), matcher strings that hold several matchers
(``'a="1", b=~"x|y"'``, ``'{a="1"}'``, as ``pkg/labels/parse.go``), and legacy
``match`` values that YAML reads as numbers or booleans (Go's decoder keeps their
text). Fields that cannot change who is paged (``global``, ``templates``,
``tracing``, the integrations' settings) are accepted and listed by
:func:`ignored_fields` so a report can say what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from simulator.durations import parse_duration
from simulator.fielddocs import describe_fields
from simulator.oncall.amtime import TimeInterval
from simulator.validation import Issue, did_you_mean

_MATCHER = re.compile(r"^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*(.*?)\s*$", re.S)


@dataclass(frozen=True)
class Matcher:
    """One label matcher: ``name op value`` with op in ``= != =~ !~``."""

    name: str
    op: str
    value: str

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether ``labels`` satisfy the matcher (a missing label is the empty string)."""
        have = labels.get(self.name, "")
        if self.op == "=":
            return have == self.value
        if self.op == "!=":
            return have != self.value
        # Alertmanager anchors regexes as ^(?:value)$, which is what fullmatch does.
        found = re.fullmatch(self.value, have) is not None
        return found if self.op == "=~" else not found


def _unescape(raw: str, text: str) -> str:
    """OpenMetrics escapes (``\\"``, ``\\n``, ``\\\\``); a spurious backslash stays literal."""
    quoted = raw.startswith('"')
    body = raw[1:] if quoted else raw
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i < len(body) - 1:
            nxt = body[i + 1]
            out.append({"n": "\n", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        if char == '"':
            if not quoted or i != len(body) - 1:
                raise ValueError(f"'{text}': unescaped double quote in the value")
            quoted = False
        else:
            out.append(char)
        i += 1
    if quoted:
        raise ValueError(f"'{text}': the value's closing double quote is missing")
    return "".join(out)


def parse_matcher(text: str) -> Matcher:
    """Parse one matcher like ``severity="critical"``; raises ValueError when malformed."""
    match = _MATCHER.match(text)
    if not match:
        raise ValueError(f"'{text.strip()}' is not a matcher: write it like severity=\"critical\"")
    name, op, raw = match.groups()
    value = _unescape(raw, text.strip())
    if op in ("=~", "!~"):
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"'{text.strip()}': bad regular expression ({exc})") from None
    return Matcher(name, op, value)


def parse_matchers(text: str) -> list[Matcher]:
    """Parse a matcher string as Alertmanager does: optional braces, commas between
    matchers (not inside double quotes), a trailing comma allowed."""
    body = text.strip()
    body = body.removeprefix("{").removesuffix("}")
    tokens: list[str] = []
    token: list[str] = []
    inside, escaped = False, False
    for char in body:
        if char == "," and not inside:
            tokens.append("".join(token))
            token = []
            continue
        if char == '"':
            inside = inside if escaped else not inside
            escaped = False
        elif char == "\\":
            escaped = not escaped
        else:
            escaped = False
        token.append(char)
    if "".join(token).strip():
        tokens.append("".join(token))
    return [parse_matcher(t) for t in tokens]


def legacy_matchers(match: dict[str, str], match_re: dict[str, str]) -> list[Matcher]:
    """``match``/``match_re`` maps as matchers (equality and anchored regex)."""
    return [Matcher(k, "=", v) for k, v in match.items()] + [
        Matcher(k, "=~", v) for k, v in match_re.items()
    ]


def _go_text(value: object) -> str:
    """A YAML scalar as Go's decoder gives it to a string field (``2`` → ``"2"``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label_map(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _go_text(v) for k, v in value.items()}
    return value


def _string_list(value: object) -> object:
    if isinstance(value, list):
        return [_go_text(v) if isinstance(v, int | float | bool) else v for v in value]
    return value


def _am_duration(value: object) -> float:
    """Alertmanager durations also allow years (``1y`` = 365d)."""
    if isinstance(value, str) and (m := re.fullmatch(r"\s*(\d+)y(.*)", value)):
        rest = m.group(2).strip()
        return int(m.group(1)) * 365 * 86400.0 + (parse_duration(rest) if rest else 0.0)
    return parse_duration(value)


AMDuration = Annotated[float, BeforeValidator(_am_duration)]
LabelMap = Annotated[dict[str, str], BeforeValidator(_label_map)]
MatcherList = Annotated[list[str], BeforeValidator(_string_list)]


def _check_matchers(value: list[str]) -> list[str]:
    for text in value:
        parse_matchers(text)
    return value


class _AMModel(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, json_schema_extra=describe_fields
    )


class Route(_AMModel):
    """A node of the routing tree, as in ``alertmanager.yml``."""

    receiver: str | None = None
    """Receiver name; inherited from the parent when absent."""
    group_by: list[str] | None = None
    """Labels to group by; ``['...']`` groups by all labels (one group per alert)."""
    continue_: bool = Field(default=False, alias="continue")
    """Keep matching later siblings after this route matched."""
    matchers: MatcherList = []
    """Matcher strings like ``severity="critical"``, each possibly holding several."""
    match: LabelMap = {}
    """Legacy equality matchers."""
    match_re: LabelMap = {}
    """Legacy regex matchers."""
    group_wait: AMDuration | None = None
    """Wait before the first notification of a new group (default 30s)."""
    group_interval: AMDuration | None = None
    """Wait between notifications about new alerts in a group (default 5m)."""
    repeat_interval: AMDuration | None = None
    """Resend interval for groups still firing (default 4h)."""
    mute_time_intervals: list[str] = []
    """Named time intervals during which this route does not notify (not inherited)."""
    active_time_intervals: list[str] = []
    """Named time intervals outside which this route does not notify (not inherited)."""
    routes: list[Route] = []
    """Child routes."""

    @field_validator("matchers")
    @classmethod
    def _matchers(cls, value: list[str]) -> list[str]:
        return _check_matchers(value)

    @field_validator("group_interval", "repeat_interval")
    @classmethod
    def _nonzero(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError("cannot be zero (Alertmanager rejects it)")
        return value


class InhibitRule(_AMModel):
    """Mute target alerts while a matching source alert fires."""

    name: str = ""
    """Optional name of the rule."""
    source_matchers: MatcherList = []
    """Matchers a firing source alert must satisfy."""
    target_matchers: MatcherList = []
    """Matchers an alert must satisfy to be muted."""
    source_match: LabelMap = {}
    """Legacy source equality matchers."""
    source_match_re: LabelMap = {}
    """Legacy source regex matchers."""
    target_match: LabelMap = {}
    """Legacy target equality matchers."""
    target_match_re: LabelMap = {}
    """Legacy target regex matchers."""
    equal: list[str] = []
    """Labels whose values must be equal in source and target."""

    @field_validator("source_matchers", "target_matchers")
    @classmethod
    def _matchers(cls, value: list[str]) -> list[str]:
        return _check_matchers(value)

    def sources(self) -> list[Matcher]:
        """Every source matcher, legacy ones included."""
        found = [m for text in self.source_matchers for m in parse_matchers(text)]
        return legacy_matchers(self.source_match, self.source_match_re) + found

    def targets(self) -> list[Matcher]:
        """Every target matcher, legacy ones included."""
        found = [m for text in self.target_matchers for m in parse_matchers(text)]
        return legacy_matchers(self.target_match, self.target_match_re) + found


INTEGRATIONS = (
    "discord",
    "email",
    "incidentio",
    "jira",
    "mattermost",
    "msteams",
    "msteamsv2",
    "opsgenie",
    "pagerduty",
    "pushover",
    "rocketchat",
    "slack",
    "sns",
    "telegram",
    "victorops",
    "webex",
    "webhook",
    "wechat",
)
"""Alertmanager's notifier integrations (``<name>_configs`` in a receiver)."""

DEDUPLICATING = frozenset({"pagerduty", "opsgenie", "victorops", "incidentio"})
"""Integrations that send the group key as a deduplication key, so a resend of a group
whose incident is open adds to that incident instead of paging again."""

QUIET_ON_RESOLVE = frozenset({"email", "slack", "wechat"})
"""Integrations whose ``send_resolved`` defaults to false (every other one defaults to true)."""

Integrations = list[dict[str, Any]]


class Receiver(_AMModel):
    """A receiver: its name and integrations (their settings are not used)."""

    name: str
    """Receiver name."""
    discord_configs: Integrations = []
    """Discord integrations."""
    email_configs: Integrations = []
    """Email integrations."""
    incidentio_configs: Integrations = []
    """incident.io integrations."""
    jira_configs: Integrations = []
    """Jira integrations."""
    mattermost_configs: Integrations = []
    """Mattermost integrations."""
    msteams_configs: Integrations = []
    """Microsoft Teams integrations."""
    msteamsv2_configs: Integrations = []
    """Microsoft Teams (v2) integrations."""
    opsgenie_configs: Integrations = []
    """Opsgenie integrations."""
    pagerduty_configs: Integrations = []
    """PagerDuty integrations."""
    pushover_configs: Integrations = []
    """Pushover integrations."""
    rocketchat_configs: Integrations = []
    """Rocket.Chat integrations."""
    slack_configs: Integrations = []
    """Slack integrations."""
    sns_configs: Integrations = []
    """Amazon SNS integrations."""
    telegram_configs: Integrations = []
    """Telegram integrations."""
    victorops_configs: Integrations = []
    """VictorOps integrations."""
    webex_configs: Integrations = []
    """Webex integrations."""
    webhook_configs: Integrations = []
    """Webhook integrations."""
    wechat_configs: Integrations = []
    """WeChat integrations."""

    def integrations(self) -> list[str]:
        """Names of the integrations this receiver has, e.g. ``['pagerduty']``."""
        return [name for name in INTEGRATIONS if getattr(self, f"{name}_configs")]

    def sends_resolved(self) -> bool:
        """Whether any integration sends resolved alerts (its ``send_resolved`` or default):
        then a group whose alerts partly resolve is notified again."""
        for name in self.integrations():
            for settings in getattr(self, f"{name}_configs"):
                if settings.get("send_resolved", name not in QUIET_ON_RESOLVE):
                    return True
        return False

    def deduplicates(self) -> bool:
        """Whether a resend reaches a paging system that folds it into the open incident
        (every integration deduplicates by group key); otherwise it reaches people."""
        found = self.integrations()
        return bool(found) and all(name in DEDUPLICATING for name in found)


class AlertmanagerConfig(_AMModel):
    """The parts of ``alertmanager.yml`` that decide who is notified and when."""

    route: Route
    """The root route."""
    receivers: list[Receiver] = []
    """Receivers."""
    inhibit_rules: list[InhibitRule] = []
    """Inhibition rules."""
    time_intervals: list[TimeInterval] = []
    """Named time intervals."""
    mute_time_intervals: list[TimeInterval] = []
    """Deprecated name for ``time_intervals``."""
    global_: dict[str, Any] = Field(default={}, alias="global")
    """Global settings (not used: they configure integrations)."""
    templates: list[str] = []
    """Template files (not used: they shape messages, not who is paged)."""
    tracing: dict[str, Any] = {}
    """Tracing settings (not used)."""


def ignored_fields(config: AlertmanagerConfig) -> list[str]:
    """What the config sets that the simulation leaves out, one note each."""
    notes = [
        f"'{key}' is read but not used: it does not change who is paged or when"
        for key, value in (
            ("global", config.global_),
            ("templates", config.templates),
            ("tracing", config.tracing),
        )
        if value
    ]
    if any(r.integrations() for r in config.receivers):
        notes.append(
            "receivers' integration settings are not used; only their kinds decide "
            "whether a resend pages again"
        )
    return notes


def check_alertmanager(config: AlertmanagerConfig) -> list[Issue]:
    """Cross-references and root-route rules, as Alertmanager's config loader checks them."""
    receivers = {r.name for r in config.receivers}
    intervals = {t.name for t in [*config.time_intervals, *config.mute_time_intervals]}
    issues: list[Issue] = []
    root = config.route
    if root.receiver is None:
        issues.append(Issue(["route"], "the root route needs a receiver"))
    if root.matchers or root.match or root.match_re:
        issues.append(Issue(["route"], "the root route must not have matchers"))
    if root.mute_time_intervals or root.active_time_intervals:
        issues.append(Issue(["route"], "the root route must not have time intervals"))

    def visit(route: Route, loc: list[str | int]) -> None:
        if route.receiver is not None and route.receiver not in receivers:
            issues.append(
                Issue(
                    [*loc, "receiver"],
                    f"unknown receiver '{route.receiver}'",
                    did_you_mean(route.receiver, receivers),
                )
            )
        for key in ("mute_time_intervals", "active_time_intervals"):
            for i, name in enumerate(getattr(route, key)):
                if name not in intervals:
                    issues.append(
                        Issue(
                            [*loc, key, i],
                            f"unknown time interval '{name}'",
                            did_you_mean(name, intervals),
                        )
                    )
        for i, child in enumerate(route.routes):
            visit(child, [*loc, "routes", i])

    visit(root, ["route"])
    return issues
