"""Was each mitigation supported by the evidence the team had when it was fired?

A drill teaches what it rewards: a blind guess of the right fix must not rate like a
diagnosis, and firing every lever must not rate like a decision. So each attempted
mitigation is judged on what was visible at that moment, never on what the truth
later showed (docs/scoring.md, "Decisions on evidence"):

1. a finding made it known (``knowledge.gained``, from the world model);
2. a teammate proposed exactly that command (the Tech Lead's proposal is evidence);
3. a clue found before it names what it acts on (service, flag, region, job);
4. it is a safe, reversible generic lever (roll back, turn a flag off) on a change the
   briefing or a finding had already named;
5. its stated reason names what it acts on, and something visible (a real alert, a
   finding) named it too.

Anything else was fired without evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.facts import DrillFacts, effects_of, findings_of
from simulator.log.events import Event
from simulator.scenario.model import Mitigation, Scenario

GENERIC_LEVERS = frozenset({"rollback", "flag"})
"""Actions that undo the last change (a rollback, a flag turned off): safe and reversible,
there from the start. Turning a flag on is a new change, not an undo."""


@dataclass(frozen=True)
class Decision:
    """One attempted mitigation and the evidence behind it (``basis`` empty: none)."""

    event: Event
    basis: str
    effect: str
    """``fixed``, ``relieved``, ``worsened``, ``no effect``, ``refused`` or ``pending``."""
    repeat: bool
    """The same mitigation had already been applied with no effect."""

    @property
    def supported(self) -> bool:
        """Whether the evidence at the time supported it."""
        return bool(self.basis)

    @property
    def wasted(self) -> bool:
        """A move that cost time and risk for nothing: blind and useless, or a repeat."""
        return self.effect in ("no effect", "refused") and (not self.supported or self.repeat)


def _words(mit: Mitigation | None, event: Event) -> set[str]:
    """What a mitigation acts on, as lower-case words a finding or reason would use."""
    words = {str(event.get("target") or "").lower()}
    if mit is not None:
        for attr in ("service", "flag", "region", "from_region", "command"):
            value = getattr(mit, attr, None)
            if isinstance(value, str):
                words.add(value.lower())
        if mit.action == "custom":
            words |= {w for w in re.split(r"[-_ ]", mit.id.lower()) if len(w) >= 5}
    return {w for w in words if w}


def _names(text: str, words: set[str]) -> bool:
    low = text.lower()
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w])", low) for w in words)


class EvidenceIndex:
    """What the team had seen by each moment: clues, all findings, real alerts, proposals."""

    def __init__(self, facts: DrillFacts, scenario: Scenario) -> None:
        self.facts = facts
        self.scenario = scenario
        self.clues: list[tuple[float, str]] = []
        self.seen: list[tuple[float, str]] = [(0.0, scenario.metadata.briefing)]
        for done in facts.all("investigation.completed"):
            for finding in findings_of(done):
                text = str(finding.get("text") or "")
                self.seen.append((done.t, text))
                if finding.get("kind") == "clue":
                    self.clues.append((done.t, text))
        for alert in facts.all("alert.fired"):
            if alert.get("noise") is False:
                self.seen.append((alert.t, f"{alert.get('name')} {alert.get('summary') or ''}"))
        self.known = {
            (str(e.get("mitigation")), e.t): str(e.get("finding") or "")
            for e in facts.all("knowledge.gained")
        }
        self.proposals = [
            (e.t, str(e.get("command") or "").strip(), str(e.get("sender") or ""))
            for e in facts.all("message.posted")
            if e.get("kind") == "proposal"
        ]

    def basis(self, event: Event, mit: Mitigation | None, command: str) -> str:
        """Why the evidence at ``event.t`` supported it, or "" when nothing did."""
        t = event.t
        mid = str(event.get("mitigation"))
        found = next((f for (m, at), f in self.known.items() if m == mid and at <= t), None)
        if found is not None:
            return f"a finding made it known: {found}"
        by = next((s for at, cmd, s in self.proposals if at <= t and cmd and cmd == command), None)
        if by is not None:
            return f"{by} proposed it"
        words = _words(mit, event)
        clue = next((text for at, text in self.clues if at <= t and _names(text, words)), None)
        if clue is not None:
            return f"a clue pointed at it: {clue}"
        visible = [text for at, text in self.seen if at <= t]
        generic = str(event.get("action") or "") in GENERIC_LEVERS and (
            mit is None or getattr(mit, "state", "off") == "off"
        )
        if generic and any(_names(text, words) for text in visible):
            return "a safe, reversible lever on a change already in view"
        reason = str(event.get("reason") or "")
        if reason and _names(reason, words) and any(_names(x, words) for x in visible[1:]):
            return f"its stated reason matched what was visible: {reason}"
        return ""


def _command_of(facts: DrillFacts, event: Event) -> tuple[str, str]:
    """The command text and reason of the command that started ``event``."""
    command = next(
        (
            c
            for c in reversed(facts.all("command.accepted"))
            if c.t <= event.t and c.get("command") not in ("note", "status", "update")
        ),
        None,
    )
    if command is None:
        return "", ""
    text = str(command.get("text") or "").split(" @")[0].split(" --")[0].strip()
    return text, str(command.get("reason") or "")


def judge_decisions(
    facts: DrillFacts, scenario: Scenario, by: frozenset[str] | None = None
) -> tuple[Decision, ...]:
    """Every mitigation attempted before the impact was mitigated (by ``by`` when given)."""
    index = EvidenceIndex(facts, scenario)
    mits = {m.id: m for m in scenario.mitigations}
    applied: dict[str, list[Event]] = {}
    for event in facts.all("mitigation.applied"):
        applied.setdefault(str(event.get("mitigation")), []).append(event)
    out: list[Decision] = []
    no_effect_before: set[str] = set()
    attempts = sorted(
        facts.all("mitigation.started") + facts.all("mitigation.refused"), key=lambda e: e.seq
    )
    for event in attempts:
        if facts.follow_up(event) or (by is not None and event.get("by") not in by):
            continue
        mid = str(event.get("mitigation"))
        command, reason = _command_of(facts, event)
        if event.type == "mitigation.refused":
            command = str(event.get("command") or command)
        judged = Event(event.seq, event.t, event.type, {**event.data, "reason": reason})
        basis = index.basis(judged, mits.get(mid), command)
        effect = "refused"
        if event.type == "mitigation.started":
            result = next((a for a in applied.get(mid, []) if a.t >= event.t), None)
            values = set(effects_of(result).values()) if result is not None else set()
            effect = (
                "pending"
                if result is None
                else "worsened"
                if "worsened" in values
                else "fixed"
                if "fixed" in values
                else "relieved"
                if "relieved" in values
                else "no effect"
            )
        out.append(Decision(event, basis, effect, mid in no_effect_before))
        if effect == "no effect":
            no_effect_before.add(mid)
    return tuple(out)
