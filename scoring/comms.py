"""Communication checks: the cadence of status and stakeholder updates, and what they say.

The content checks are deliberately simple, transparent text heuristics (documented
in ``docs/scoring.md``) so a trainee can see why an update did or did not count:
a good update states the impact in customer terms, says when the next update
comes, and does not promise a resolution time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from scoring.facts import DrillFacts
from simulator.log.events import Event
from simulator.practice import CADENCE_GRACE, update_cadence
from simulator.scenario.model import Scenario

_IMPACT = re.compile(
    r"\b(customers?|users?|unable|cannot|can't|errors?|failing|failures?|fail|affect\w*|"
    r"impact\w*|degraded|slow\w*|outage|unavailable|down|delays?|orders?|checkout)\b",
    re.IGNORECASE,
)
_NEXT_UPDATE = re.compile(
    r"\bnext update\b|\bupdate (?:again )?(?:in|by|at|within)\b|\bupdates? every\b",
    re.IGNORECASE,
)
_PROMISE = re.compile(
    r"\bETA\b|\b(?:fixed|resolved|restored|back(?: up| online)?|working) "
    r"(?:by|in|within|before)\b|\bwill be (?:fixed|resolved|restored)\b",
    re.IGNORECASE,
)
_NEXT_UPDATE_PHRASE = re.compile(r"next update (?:in|within|by|at)\b", re.IGNORECASE)


def internal_services(scenario: Scenario) -> frozenset[str]:
    """Services a public post should not name: behind the entry points, with no customer
    name, and not themselves a word customers use (``checkout``, ``orders``)."""
    entries = set(scenario.entry_points())
    return frozenset(
        s.name
        for s in scenario.services
        if s.name not in entries and not s.customers and not states_impact(s.name)
    )


_ARTICLE = re.compile(r"^(?:the|a|an|our|your)\s+", re.IGNORECASE)


def customer_terms(scenario: Scenario) -> frozenset[str]:
    """What customers use, in the words a public post should use: each service's
    ``customers`` text (without its article: "online shop"), the entry points' names, and
    service names that are wholly customers' words (``checkout``, not ``orders-api``)."""
    entries = set(scenario.entry_points())
    terms = set()
    for s in scenario.services:
        if s.customers:
            terms.add(_ARTICLE.sub("", s.customers.strip()).lower())
        if s.name in entries or _IMPACT.fullmatch(s.name):
            terms.add(s.name.lower())
    return frozenset(t for t in terms if t)


def customer_names(text: str, terms: frozenset[str]) -> list[str]:
    """The names of what customers use that a post says ("the online shop", "checkout")."""
    low = text.lower()
    found = {t for t in terms if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", low)}
    # "the online shop" names the shop once: drop a term found only inside a longer one.
    return sorted(t for t in found if not any(t != o and t in o for o in found))


def states_impact(text: str) -> bool:
    """Whether an update says what customers experience."""
    return bool(_IMPACT.search(text))


def states_next_update(text: str) -> bool:
    """Whether an update says when the next one comes."""
    return bool(_NEXT_UPDATE.search(text))


def promises_resolution(text: str) -> bool:
    """Whether an update promises a resolution time ("fixed in 10 minutes", "ETA 15:00").

    "Next update in 15m" is a promise about communication, not about the fix, so
    that phrase is removed before looking.
    """
    return bool(_PROMISE.search(_NEXT_UPDATE_PHRASE.sub("", text)))


_RECOVERED = re.compile(
    r"\b(?:resolved|recovered|restored|fixed|back to normal|operational|working normally)\b",
    re.IGNORECASE,
)


def claims_recovery(text: str, state: str) -> bool:
    """Whether a post tells readers the problem is over (its state, or its words)."""
    return state in ("resolved", "monitoring") or bool(_RECOVERED.search(text))


def internal_names(text: str, internal: frozenset[str]) -> list[str]:
    """Internal service names a public post uses (customers do not know them)."""
    low = text.lower()
    return sorted(n for n in internal if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low))


@dataclass(frozen=True)
class PostReview:
    """One status or stakeholder update and what its text does."""

    event: Event
    channel: str
    """``status`` (public status page) or ``update`` (internal stakeholders)."""
    impact: bool
    next_update: bool
    promise: bool
    accurate: bool = True
    """What it claims matched the truth at that moment (no "recovered" while customers
    still failed, no "investigating" long after the impact ended)."""
    internal: tuple[str, ...] = ()
    """Internal service names in a public post."""
    final: bool = False
    """The closing post (state ``resolved``): no next update is due after it."""
    customer_terms: tuple[str, ...] = ()
    """What customers use that a public post names (``customers`` texts, entry points)."""

    @property
    def score(self) -> float:
        """Share of the content checks the post passes (0 to 1)."""
        checks = [
            self.impact,
            self.next_update or self.final,
            not self.promise,
            self.accurate,
            not self.internal,
        ]
        return sum(checks) / len(checks)


ANSWER_WITHIN = 600.0
"""Seconds within which a stakeholder's ask should be answered (an update or a reply)."""
ASK_KINDS = ("stakeholder_ask", "executive_ask")


@dataclass(frozen=True)
class Answer:
    """A stakeholder's ask for news and what answered it."""

    ask: Event
    asker: str
    """Who asked, by name, as ``/reply`` names them ("Brian R.", "Head of Customer Support")."""
    answer: Event | None
    """The first stakeholder update (``update.posted``, to everyone) or ``/reply`` to this
    asker (``stakeholder.replied``) within ``ANSWER_WITHIN``; None when nothing came."""

    @property
    def how(self) -> str:
        """``reply``, ``update`` or ``""`` (unanswered)."""
        if self.answer is None:
            return ""
        return "reply" if self.answer.type == "stakeholder.replied" else "update"


def asker_of(ask: Event) -> str:
    """The asker's name: a stakeholder's own, an executive's without their title."""
    if ask.get("kind") == "stakeholder_ask" and ask.get("stakeholder"):
        return str(ask.get("stakeholder"))
    return str(ask.get("sender") or "").split(" (")[0]


def _first_from(events: list[Event], times: list[float], t: float) -> Event | None:
    i = bisect_left(times, t)
    return events[i] if i < len(events) and events[i].t <= t + ANSWER_WITHIN else None


def answer_asks(facts: DrillFacts, by: frozenset[str] | None = None) -> tuple[Answer, ...]:
    """Each stakeholder ask and its answer (by ``by`` when given): an update, or a ``/reply``
    to that same asker. Linear-logarithmic: one bisection per ask."""
    updates = [e for e in facts.all("update.posted") if by is None or e.get("by") in by]
    update_times = [e.t for e in updates]
    replies: dict[str, list[Event]] = {}
    for e in facts.all("stakeholder.replied"):
        if by is None or e.get("by") in by:
            replies.setdefault(str(e.get("stakeholder") or "").casefold(), []).append(e)
    reply_times = {k: [e.t for e in v] for k, v in replies.items()}
    out = []
    for ask in facts.all("message.posted"):
        if ask.get("kind") not in ASK_KINDS:
            continue
        asker = asker_of(ask)
        key = asker.casefold()
        update = _first_from(updates, update_times, ask.t)
        reply = _first_from(replies.get(key, []), reply_times.get(key, []), ask.t)
        found = [e for e in (reply, update) if e is not None]
        out.append(Answer(ask, asker, min(found, key=lambda e: e.seq) if found else None))
    return tuple(out)


@dataclass(frozen=True)
class Gap:
    """An interval in which an update was due."""

    start: float
    end: float
    allowed: float
    after: Event | None
    """The post that opened the interval (None: the interval opened at the declaration)."""
    overdue_at_close: bool = False
    """The interval ran to the incident's close with no further post."""

    @property
    def late(self) -> bool:
        """Whether the interval was longer than allowed."""
        return self.end - self.start > self.allowed


@dataclass(frozen=True)
class CommsReview:
    """Everything the communication dimension and the postmortem need."""

    posts: tuple[PostReview, ...]
    status_gaps: tuple[Gap, ...]
    update_gaps: tuple[Gap, ...]
    opened_at: float | None
    """When updates became due: the declaration, else the first real page."""
    first_status: Event | None

    def on_time_share(self, gaps: tuple[Gap, ...]) -> float:
        """Share of due intervals that had an update in time (0 when none was posted)."""
        return sum(not g.late for g in gaps) / len(gaps) if gaps else 0.0


def _severity_steps(declarations: list[Event], default: int) -> tuple[list[float], list[int]]:
    """(times, severity in force from each time): looked up by bisection, since a long log
    has thousands of posts and declarations."""
    times, levels = [float("-inf")], [default]
    for event in declarations:
        sev = event.get("severity")
        times.append(event.t)
        levels.append(sev if isinstance(sev, int) and 1 <= sev <= 4 else levels[-1])
    return times, levels


def _gaps(
    posts: list[Event],
    opened: float,
    close: float,
    first_allowed: float,
    allowed_after: dict[int, float],
) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    start, allowed, after = opened, first_allowed, None
    for post in posts:
        if post.t < opened:
            start, after = opened, post
            allowed = allowed_after[post.seq]
            continue
        gaps.append(Gap(start, post.t, allowed, after))
        start, allowed, after = post.t, allowed_after[post.seq], post
    if close - start > allowed:
        gaps.append(Gap(start, close, allowed, after, overdue_at_close=True))
    elif not gaps:
        # Closed before the first update came due: nothing was missed.
        gaps.append(Gap(start, close, allowed, after))
    return tuple(gaps)


def _review(
    event: Event,
    channel: str,
    facts: DrillFacts,
    internal: frozenset[str],
    terms: frozenset[str] = frozenset(),
) -> PostReview:
    """Check one post's words, and its claims against the truth when it was posted."""
    text = str(event.get("message") or "")
    state = str(event.get("state") or "")
    mitigated, ended = facts.mitigated, facts.impact_end
    started = facts.impact_start
    recovered_yet = mitigated is not None and mitigated.t <= event.t
    if claims_recovery(text, state):
        accurate = recovered_yet or started is None or started.t > event.t
    else:
        # Still "investigating" ten minutes after the impact ended misleads too.
        accurate = not (
            ended is not None and event.t - ended.t > 600.0 and state == "investigating"
        )
    return PostReview(
        event,
        channel,
        states_impact(text),
        states_next_update(text),
        promises_resolution(text),
        accurate,
        tuple(internal_names(text, internal)),
        final=state == "resolved",
        customer_terms=tuple(customer_names(text, terms)),
    )


def review_communication(
    facts: DrillFacts,
    *,
    truth_severity: int,
    update_every: float | None,
    first_post: float,
    declare_target: float,
    internal: frozenset[str] = frozenset(),
    terms: frozenset[str] = frozenset(),
) -> CommsReview:
    """Check update cadence per stream (status page, stakeholders) and each post's content."""
    status = facts.all("status.posted")
    updates = facts.all("update.posted")
    posts = tuple(
        [_review(e, "status", facts, internal, terms) for e in status]
        + [_review(e, "update", facts, frozenset()) for e in updates]
    )
    declared = facts.declared
    page = facts.first_real_page
    if declared is not None:
        opened: float | None = declared.t
        first_allowed = first_post
    elif page is not None:
        opened = page.t
        first_allowed = declare_target + first_post
    else:
        opened = None
    first_status = status[0] if status else None
    if opened is None:
        return CommsReview(posts, (), (), None, first_status)
    times, levels = _severity_steps(facts.all("severity.declared"), truth_severity)
    mitigated = facts.mitigated
    allowed_after = {
        e.seq: update_cadence(
            levels[bisect_right(times, e.t) - 1],
            mitigated is not None and e.t >= mitigated.t,
            update_every,
        )
        + CADENCE_GRACE
        for e in (*status, *updates)
    }
    close = facts.incident_close
    return CommsReview(
        posts,
        _gaps(status, opened, close, first_allowed, allowed_after),
        _gaps(updates, opened, close, first_allowed, allowed_after),
        opened,
        first_status,
    )
