"""The rubric: six dimensions of incident response, each built from a few weighted checks.

Each check scores 0 to 1 and cites the log events it looked at. A dimension's
percentage is the weighted mean of its checks; a logged negative event (an
action that made impact worse, the IC doing hands-on work, a real alert
silenced, resolving while customers still hurt) caps the dimension at M,
because no amount of good elsewhere in it makes that fine. ``docs/scoring.md``
lists every check with its weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scoring.comms import ANSWER_WITHIN, CommsReview, Gap, answer_asks
from scoring.decisions import Decision, judge_decisions
from scoring.facts import DrillFacts, findings_of
from scoring.metrics import Metrics
from scoring.scorecard import CAP_PERCENT, DimensionScore, Evidence, rating_for
from simulator.durations import format_clock, format_duration
from simulator.log.events import Event
from simulator.practice import HANDS_ON_COMMANDS, STAFFED_ROLES
from simulator.scenario.model import Scenario, Targets

DIMENSIONS: dict[str, str] = {
    "mobilize": "Mobilize",
    "command": "Command and coordination",
    "mitigation": "Mitigation",
    "communication": "Communication",
    "noise": "Noise handling",
    "documentation": "Documentation and close",
}
"""The IC's and the team's dimension keys (``truth.scoring`` weights them) and titles."""
ROLE_DIMENSIONS: dict[str, str] = {
    "hypothesis": "Hypothesis and investigation",
    "handback": "Hand-back to the IC",
    "cadence": "Update cadence",
    "accuracy": "Accuracy in customers' terms",
    "next_update": "Next-update time",
    "stakeholders": "Answering stakeholders",
    "notes": "Notes that capture decisions",
    "timeline": "Timeline completeness",
}
"""The supporting roles' own dimensions (:mod:`scoring.roles`), weight 1 each."""

KEY_COMMANDS = HANDS_ON_COMMANDS | {"sev", "silence", "resolve", "page"}
"""Commands that are decisions worth a reason (``-- why``) in the record."""


@dataclass(frozen=True)
class RubricConfig:
    """Weights, targets and cadences, from the defaults and the scenario's overrides."""

    weights: dict[str, float]
    targets: Targets
    first_post: float = 600.0
    """Seconds after the declaration by which the first status and stakeholder posts are due."""
    resolve_hold: float = 300.0
    """Impact must have stayed ended this long before resolving."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> tuple[RubricConfig, list[str]]:
        """The config for a scenario, and warnings about overrides it could not use."""
        weights = dict.fromkeys(DIMENSIONS, 1.0)
        knobs = {"first_post": 600.0, "resolve_hold": 300.0}
        warnings = []
        for key, value in sorted(scenario.truth.scoring.items()):
            if key in weights and value >= 0:
                weights[key] = float(value)
            elif key in knobs and value >= 0:
                knobs[key] = float(value)
            else:
                warnings.append(
                    f"truth.scoring: ignored {key}={value} (keys: "
                    f"{', '.join([*DIMENSIONS, *knobs])}; values must not be negative)"
                )
        if not any(weights.values()):
            warnings.append("truth.scoring: every weight is 0; using equal weights")
            weights = dict.fromkeys(DIMENSIONS, 1.0)
        return cls(weights, scenario.truth.targets, **knobs), warnings


LATE_SLACK = 1800.0
"""Seconds past a target after which a step earns nothing, however long the target: on a
long incident "twice the target" is hours, and 44 minutes late must not read as on time."""


def timeliness(actual: float | None, target: float) -> float:
    """1 within the target, then the lower of two linear falls: relative (0 at twice the
    target) and absolute (0 at ``LATE_SLACK`` past it); 0 if it never happened."""
    if actual is None:
        return 0.0
    if actual <= target or target <= 0:
        return 1.0 if actual <= target else 0.0
    relative = 2.0 - actual / target
    absolute = 1.0 - (actual - target) / LATE_SLACK
    return max(0.0, min(relative, absolute))


def _dur(seconds: float | None) -> str:
    return "never" if seconds is None else format_duration(seconds)


@dataclass
class DimensionBuilder:
    """Collects one dimension's checks, evidence and debrief lines."""

    key: str
    checks: list[tuple[float, float]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    went_well: list[str] = field(default_factory=list)
    to_practise: list[str] = field(default_factory=list)
    capped: bool = False

    def check(
        self, weight: float, score: float, well: str, practise: str, *, good: bool | None = None
    ) -> None:
        """Add a scored check; its line goes to went-well when ``good`` (default: score >= 0.75)."""
        score = min(1.0, max(0.0, score))
        self.checks.append((weight, score))
        if good if good is not None else score >= 0.75:
            self.went_well.append(well)
        else:
            self.to_practise.append(practise)

    def cite(self, event: Event | None, text: str, good: bool) -> None:
        """Attach a log event as evidence."""
        if event is not None:
            self.evidence.append(Evidence(event.t, event.seq, text, good))

    def cap(self) -> None:
        """A logged negative event: hold the dimension at M or below."""
        self.capped = True

    def build(self, weight: float) -> DimensionScore:
        """The finished, immutable dimension score."""
        total = sum(w for w, _ in self.checks)
        percent = 100.0 * sum(w * s for w, s in self.checks) / total if total else 0.0
        percent = round(percent, 1)
        if self.capped:
            percent = min(percent, CAP_PERCENT)
        evidence = tuple(sorted(self.evidence, key=lambda e: (e.t, e.seq, e.text)))
        return DimensionScore(
            key=self.key,
            title=DIMENSIONS.get(self.key) or ROLE_DIMENSIONS[self.key],
            rating=rating_for(percent),
            percent=percent,
            weight=weight,
            evidence=evidence,
            went_well=tuple(self.went_well),
            to_practise=tuple(self.to_practise),
            capped=self.capped,
        )


@dataclass(frozen=True)
class RubricInput:
    """What every dimension reads."""

    facts: DrillFacts
    metrics: Metrics
    scenario: Scenario
    config: RubricConfig
    comms: CommsReview
    humans: frozenset[str]
    """Roles held by people at the drill."""
    actors: frozenset[str] | None = None
    """Whose actions a role's card judges (names); None: everyone's (the team)."""
    role: str | None = None
    """The role the card is for (``ic``, ``tech``, ``comms``, ``scribe`` or ``team``)."""


# --------------------------------------------------------------------------- 1 mobilize


def mobilize(x: RubricInput) -> DimensionBuilder:
    """Acknowledge and declare on time; hand out the roles."""
    d = DimensionBuilder("mobilize")
    f, m, targets = x.facts, x.metrics, x.config.targets
    page = f.first_real_page
    if page is not None:
        d.cite(page, f"first page: {page.get('name') or 'manual page'}", True)
        ack = f.first_real_ack
        ok = m.time_to_acknowledge is not None and m.time_to_acknowledge <= targets.acknowledge
        d.cite(ack, f"page acknowledged after {_dur(m.time_to_acknowledge)}", ok)
        d.check(
            0.35,
            timeliness(m.time_to_acknowledge, targets.acknowledge),
            f"Acknowledged the first page in {_dur(m.time_to_acknowledge)} "
            f"(target {_dur(targets.acknowledge)}).",
            f"Acknowledge pages within {_dur(targets.acknowledge)}: the first real page "
            + (
                "was never acknowledged."
                if m.time_to_acknowledge is None
                else f"waited {_dur(m.time_to_acknowledge)}."
            ),
            good=ok,
        )
    declared = f.declared
    ok = m.time_to_declare is not None and m.time_to_declare <= targets.declare
    d.cite(
        declared,
        f"SEV{declared.get('severity')} declared {_dur(m.time_to_declare)} after the first page"
        if declared
        else "",
        ok,
    )
    d.check(
        0.35,
        timeliness(m.time_to_declare, targets.declare),
        f"Declared a severity {_dur(m.time_to_declare)} after the first page "
        f"(target {_dur(targets.declare)}).",
        f"Declare an incident within {_dur(targets.declare)} of the first page: "
        + (
            "no severity was declared."
            if m.time_to_declare is None
            else f"it took {_dur(m.time_to_declare)}."
        ),
        good=ok,
    )
    staffed = {r for r in STAFFED_ROLES if r in x.humans}
    for event in f.all("role.assigned"):
        role = event.get("role")
        if role in STAFFED_ROLES:
            staffed.add(role)
            d.cite(event, f"{role} role given to {event.get('person')}", True)
    missing = [r for r in STAFFED_ROLES if r not in staffed]
    d.check(
        0.3,
        len(staffed) / len(STAFFED_ROLES),
        "Staffed the Tech Lead, Comms Lead and Scribe roles."
        if not missing
        else f"Staffed {len(staffed)} of the three supporting roles.",
        "Hand out the supporting roles early (missing: "
        + ", ".join(missing)
        + "); roles not handed out stay with the IC.",
    )
    return d


# --------------------------------------------------------------------------- 2 command


def _ic_hands_on(facts: DrillFacts) -> list[Event]:
    return [
        e
        for e in facts.all("command.accepted")
        if e.get("role") == "ic" and not e.get("delegate") and e.get("command") in HANDS_ON_COMMANDS
    ]


def severity_fit(declared: int | None, truth: int) -> float:
    """How well the most severe declared level fits the truth; under-declaring costs more."""
    if declared is None:
        return 0.0
    diff = declared - truth  # positive: under-declared (SEV4 for a SEV2 incident)
    if diff == 0:
        return 1.0
    if diff < 0:
        return 0.8 if diff == -1 else 0.6
    return {1: 0.4, 2: 0.15}.get(diff, 0.0)


def _tech_name(x: RubricInput) -> str:
    """A Tech Lead's first name from this drill, so the advice names someone who was there."""
    assigned = [e for e in x.facts.all("role.assigned") if e.get("role") == "tech"]
    names = [str(e.get("person")) for e in assigned]
    names += [r.name for r in x.scenario.team if r.role == "tech"]
    return names[0].split()[0] if names else "Alex"


def command(x: RubricInput) -> DimensionBuilder:
    """The IC delegates instead of doing hands-on work; tasks go to named people; right SEV."""
    d = DimensionBuilder("command")
    f = x.facts
    hands_on = _ic_hands_on(f)
    for event in hands_on:
        d.cite(
            event,
            f"the IC ran {event.get('text')} hands-on, so nobody was in command meanwhile",
            False,
        )
    if hands_on:
        d.cap()
    commanded = any(e.get("role") == "ic" for e in f.all("command.accepted"))
    d.check(
        0.35,
        1.0 - 0.25 * len(hands_on) if commanded else 0.0,
        "The IC stayed in command and left the hands-on work to others.",
        f"Stay in command: the IC ran {len(hands_on)} technical command(s) hands-on; "
        "hand them over with @tech instead."
        if commanded
        else "Take command: nobody gave a command as Incident Commander.",
    )
    tasks = f.all("task.assigned")
    for event in tasks:
        d.cite(event, f"{event.get('task')} handed to {event.get('to')}", True)
    share = len(tasks) / (len(tasks) + len(hands_on)) if tasks or hands_on else 0.0
    d.check(
        0.3,
        share,
        f"Handed {len(tasks)} task(s) to a named person.",
        f'Give each task to a named person ("{_tech_name(x)}, check the deploy log"), not '
        "to the room: "
        + (
            f"{len(tasks)} of {len(tasks) + len(hands_on)} technical tasks were."
            if tasks or hands_on
            else "no technical task was handed out."
        ),
    )
    _severity_check(d, x)
    return d


def _severity_check(d: DimensionBuilder, x: RubricInput) -> None:
    """Severity fit weighed by the time spent at each declared level, not just the worst."""
    truth = x.scenario.truth.severity
    spent = x.metrics.time_at_severity
    levels = [e for e in x.facts.all("severity.declared") if isinstance(e.get("severity"), int)]
    for event in levels:
        sev = event.get("severity")
        d.cite(event, f"SEV{sev} declared (the incident deserved SEV{truth})", sev <= truth)
    total = sum(sec for _, sec in spent)
    if total > 0:
        fit = sum(severity_fit(sev, truth) * sec for sev, sec in spent) / total
    else:
        fit = severity_fit(min((e.get("severity") for e in levels), default=None), truth)
    held = ", ".join(f"SEV{sev} for {_dur(sec)}" for sev, sec in spent) or "no severity"
    d.check(
        0.35,
        fit,
        f"Declared the severity the impact deserved (SEV{truth}): {held}.",
        f"Declare the severity the impact deserves (SEV{truth}), and correct it as soon as "
        f"the impact is clear: the incident spent {held}"
        + (" (under-declaring delays help and updates)." if fit < 0.8 else "."),
    )


# --------------------------------------------------------------------------- 3 mitigation


def mitigation(x: RubricInput) -> DimensionBuilder:
    """Mitigate within the target, on evidence, without blind, repeated or harmful moves."""
    d = DimensionBuilder("mitigation")
    f, m, target = x.facts, x.metrics, x.config.targets.mitigate
    d.cite(f.impact_start, "impact began", False)
    ok = m.time_to_mitigate is not None and m.time_to_mitigate <= target
    d.cite(f.mitigated, f"impact mitigated {_dur(m.time_to_mitigate)} after it began", ok)
    d.check(
        0.4,
        timeliness(m.time_to_mitigate, target),
        f"Mitigated {_dur(m.time_to_mitigate)} after impact began (target {_dur(target)}).",
        f"Stop the impact within {_dur(target)}: "
        + (
            "it was never mitigated."
            if m.time_to_mitigate is None
            else f"mitigation took {_dur(m.time_to_mitigate)}."
        ),
        good=ok,
    )
    _decision_checks(d, judge_decisions(f, x.scenario, x.actors))
    for event in f.all("mitigation.applied"):
        if f.follow_up(event) and (x.actors is None or event.get("by") in x.actors):
            d.cite(event, f"{event.get('action')} {event.get('target')}: a follow-up", True)
    return d


def _decision_checks(d: DimensionBuilder, decisions: tuple[Decision, ...]) -> None:
    """Decisions on evidence (0.35) and no wasted or harmful moves (0.25); a worsening caps."""
    for dec in decisions:
        what = f"{dec.event.get('action')} {dec.event.get('target')}"
        if dec.supported:
            d.cite(dec.event, f"{what} ({dec.effect}): {dec.basis}", dec.effect != "worsened")
        else:
            d.cite(dec.event, f"{what} ({dec.effect}) was fired without evidence", False)
    supported = [dec for dec in decisions if dec.supported]
    blind = len(decisions) - len(supported)
    d.check(
        0.35,
        len(supported) / len(decisions) if decisions else 0.0,
        f"Every mitigation ({len(decisions)}) rested on evidence the team had at the time.",
        "Act on evidence: "
        + (
            f"{blind} of {len(decisions)} mitigation(s) were fired before anything visible "
            "pointed at them; look first (deploys, flags, the failing service's logs), or "
            "state the reason that makes a lever the right one."
            if decisions
            else "no mitigation was attempted."
        ),
    )
    wasted = [dec for dec in decisions if dec.wasted]
    harmful = [dec for dec in decisions if dec.effect == "worsened"]
    protective = [dec for dec in decisions if dec.effect == "relieved" and dec.supported]
    if protective:
        d.went_well.append(
            f"Protected customers while the fix was found ({len(protective)} relieving action(s))."
        )
    if harmful:
        d.cap()
    d.check(
        0.25,
        1.0 - 0.25 * len(wasted) - 0.5 * len(harmful) if decisions else 0.0,
        "No blind, repeated or harmful moves.",
        "Each lever costs time and can break something: "
        + (
            f"{len(wasted)} blind or repeated move(s) had no effect"
            + (f", and {len(harmful)} made the impact worse." if harmful else ".")
            if decisions
            else "nothing was tried."
        ),
        good=not wasted and not harmful and bool(decisions),
    )


# --------------------------------------------------------------------------- 4 communication


def _gap_evidence(
    d: DimensionBuilder, gaps: Iterable[Gap], what: str, opener: Event | None, close: Event | None
) -> None:
    for gap in gaps:
        if not gap.late:
            continue
        where = gap.after or opener
        if gap.overdue_at_close:
            due = "first due within" if gap.after is None else "due every"
            d.cite(
                close or where,
                f"no {what} for {_dur(gap.end - gap.start)} before the close "
                f"({due} {_dur(gap.allowed)})",
                False,
            )
        else:
            d.cite(
                where,
                f"next {what} came {_dur(gap.end - gap.start)} later "
                f"(due within {_dur(gap.allowed)})",
                False,
            )


def communication(x: RubricInput) -> DimensionBuilder:
    """Status page and stakeholders updated at the cadence, with impact and next-update time."""
    d = DimensionBuilder("communication")
    f, review, cfg = x.facts, x.comms, x.config
    opener = f.declared or f.first_real_page
    if review.opened_at is None:
        d.check(1.0, 0.0, "", "Declare the incident so updates have a cadence to follow.")
        return d
    first = review.first_status
    delay = None if first is None else max(0.0, first.t - review.opened_at)
    allowed = review.status_gaps[0].allowed if review.status_gaps else cfg.first_post
    d.cite(
        first,
        f"first status page post {_dur(delay)} after "
        f"{'the declaration' if f.declared else 'the first page'}",
        bool(first),
    )
    d.check(
        0.2,
        timeliness(delay, allowed),
        f"First status page post {_dur(delay)} in.",
        "Post to the status page early (within "
        f"{_dur(allowed)}): "
        + ("nothing was posted." if first is None else f"the first post came after {_dur(delay)}."),
        good=delay is not None and delay <= allowed,
    )
    close = f.resolved or f.last("drill.ended")
    for what, gaps, weight in (
        ("status post", review.status_gaps, 0.25),
        ("stakeholder update", review.update_gaps, 0.2),
    ):
        share = review.on_time_share(gaps)
        _gap_evidence(d, gaps, what, opener, close)
        late = sum(g.late for g in gaps)
        d.check(
            weight,
            share,
            f"Kept {what}s at the cadence for the severity.",
            f"Keep {what}s at the cadence for the severity: {late} of {len(gaps)} "
            "interval(s) went over.",
        )
    posts = review.posts
    for post in posts:
        missing = [
            label
            for label, ok in (
                ("the customer impact", post.impact),
                ("when the next update comes", post.next_update),
            )
            if not ok
        ]
        if post.final:
            missing = missing[:1]
        text = f"{post.channel} by {post.event.get('by')}: "
        if post.promise:
            text += "promises a resolution time; "
        if not post.accurate:
            text += "says something the truth at that moment did not support; "
        if post.internal:
            text += f"names internal service(s) {', '.join(post.internal)}; "
        text += (
            "states the impact" + ("" if post.final else " and the next update")
            if not missing
            else "does not say " + " or ".join(missing)
        )
        d.cite(post.event, text, post.score == 1.0)
    content = sum(p.score for p in posts) / len(posts) if posts else 0.0
    d.check(
        0.35,
        content,
        "Updates were accurate, stated the customer impact in customers' terms and the "
        "next update time, with no ETA.",
        "Make every update accurate for that moment, state the customer impact in the "
        "words customers use (not internal service names), say when the next update "
        "comes, and never promise a resolution time.",
    )
    comms_leads = {str(e.get("person")) for e in f.all("role.assigned") if e.get("role") == "comms"}
    if any(p.event.get("by") in comms_leads for p in posts):
        d.went_well.append("The Comms Lead the IC assigned carried the updates for the team.")
    first_update = min((p.event.t for p in posts), default=None)
    answers = answer_asks(f)
    for a in answers:
        if a.answer is not None:
            d.cite(
                a.answer,
                f"{a.ask.get('sender')} asked for news: answered by a {a.how} from "
                f"{a.answer.get('by')}",
                True,
            )
        elif first_update is None or a.ask.t < first_update:
            d.cite(a.ask, "a stakeholder asked for news before any update had gone out", False)
        else:
            d.cite(
                a.ask,
                f"{a.ask.get('sender')} asked for news: no update or reply within "
                f"{_dur(ANSWER_WITHIN)}",
                False,
            )
    answered = sum(a.answer is not None for a in answers)
    if answers and answered == len(answers):
        d.went_well.append(f"Every stakeholder ask ({answered}) was answered within 10 minutes.")
    elif answers:
        d.to_practise.append(
            "Answer each stakeholder who asks, with an update or a /reply to them, within "
            f"10 minutes: {answered} of {len(answers)} ask(s) were."
        )
    return d


# --------------------------------------------------------------------------- 5 noise


def noise(x: RubricInput) -> DimensionBuilder:
    """Find the real signal; silence noise rather than chase it; never silence a real alert."""
    d = DimensionBuilder("noise")
    f, n = x.facts, x.metrics.noise
    ack = f.first_real_ack
    mitigated_t = f.mitigated.t if f.mitigated else f.incident_close
    clue = next(
        (
            e
            for e in f.all("investigation.completed")
            if e.t <= mitigated_t and any(x.get("kind") == "clue" for x in findings_of(e))
        ),
        None,
    )
    d.cite(ack, "acknowledged a real alert's page", True)
    d.cite(clue, f"investigation '{clue.get('query')}' found a clue" if clue else "", True)
    d.check(
        0.35,
        0.5 * (ack is not None) + 0.5 * (clue is not None),
        "Found the real signal among the noise (real page acknowledged, clue found).",
        "Find the real signal first: "
        + ("acknowledge the real alert's page" if ack is None else "")
        + (" and " if ack is None and clue is None else "")
        + ("look where a clue can be found before mitigating" if clue is None else "")
        + ".",
    )
    chased = [e for e in n.red_herring_investigations if e.t <= mitigated_t]
    for event in chased:
        d.cite(event, f"investigation '{event.get('query')}' chased a red herring", False)
    d.check(
        0.35,
        1.0 - 0.35 * len(chased),
        "Did not chase red herrings while customers were affected.",
        f"{len(chased)} investigation(s) chased red herrings while customers were affected; "
        "check what changed (deploys, flags) before the usual suspects.",
    )
    for event in n.noise_silenced:
        d.cite(event, f"silenced noise: {event.get('name')}", True)
    if n.noise_alerts:
        d.check(
            0.3,
            1.0 if n.noise_silenced else 0.3,
            f"Silenced noise ({len(n.noise_silenced)} silence(s)) instead of chasing it.",
            f"Silence known noise so it stops competing for attention "
            f"({n.noise_alerts} noise alert(s), none silenced).",
        )
    for event in n.real_silenced:
        d.cite(event, f"silenced a real alert: {event.get('name')}", False)
    if n.real_silenced:
        d.cap()
        d.check(
            0.3,
            0.0,
            "",
            "Never silence a real alert while it matters: silence by "
            "source or instance, not the rule customers depend on.",
        )
    return d


# --------------------------------------------------------------------------- 6 documentation


def documentation(x: RubricInput) -> DimensionBuilder:
    """Notes and reasons recorded; resolved only after impact ended and stayed ended."""
    d = DimensionBuilder("documentation")
    f, hold = x.facts, x.config.resolve_hold
    notes = [n for n in f.all("note.added") if not f.simulated_note(n)]
    for event in notes:
        d.cite(event, f"note: {event.get('text')}", True)
    automatic = len(f.all("note.added")) - len(notes)
    d.check(
        0.3,
        {0: 0.0, 1: 0.6}.get(len(notes), 1.0),
        f"Recorded {len(notes)} note(s) and decisions in the timeline by hand.",
        f"Record notes and decisions as you go (/note): {len(notes)} written by people"
        + (
            f" (the simulated Scribe's {automatic} automatic line(s) do not count)."
            if automatic
            else "."
        ),
    )
    key = [
        e
        for e in f.human_commands()
        if e.get("command") in KEY_COMMANDS
        and (x.role in ("team", None) or e.get("role") == x.role)
    ]
    reasoned = [e for e in key if e.get("reason")]
    for event in key:
        if not event.get("reason"):
            d.cite(event, f"{event.get('text')} without a reason", False)
    d.check(
        0.3,
        len(reasoned) / len(key) if key else 0.0,
        f"Gave reasons for {len(reasoned)} of {len(key)} key decisions.",
        "Say why with each decision (append `-- why`): "
        f"{len(reasoned)} of {len(key)} key commands had a reason.",
    )
    resolved, ended = f.resolved, f.impact_end
    if resolved is not None and resolved.get("impact_ongoing"):
        d.cap()
        d.cite(resolved, "resolved while customers were still affected", False)
        d.check(0.4, 0.0, "", "Resolve only after the impact has ended and stayed ended.")
    elif resolved is not None and ended is not None:
        held = resolved.t - ended.t
        d.cite(resolved, f"resolved {_dur(held)} after impact ended", held >= hold)
        d.check(
            0.4,
            1.0 if held >= hold else 0.5,
            f"Resolved {_dur(held)} after the impact ended, once it had stayed ended.",
            f"Wait until impact has stayed ended for {_dur(hold)} before resolving "
            f"(resolved after {_dur(held)}).",
        )
    elif resolved is not None:
        d.cite(resolved, "resolved", True)
        d.check(0.4, 1.0, "Resolved the incident.", "")
    else:
        d.check(
            0.4,
            0.3 if ended is not None else 0.0,
            "",
            "Close the incident once impact has ended and stayed ended: it was left open "
            f"until the drill ended at {format_clock(f.end_t)}.",
        )
    return d


RUBRIC = (mobilize, command, mitigation, communication, noise, documentation)
"""The dimensions in scorecard order."""
