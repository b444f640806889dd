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
from bisect import bisect_right
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
    """What the team had seen by each moment: clues, all findings, real alerts, proposals.

    A 100,000-event log repeats mitigations hundreds of times, so each question ("when did
    a clue first name checkout?") is answered once per distinct mitigation and memoised.
    """

    def __init__(self, facts: DrillFacts, scenario: Scenario) -> None:
        self.briefing = scenario.metadata.briefing
        self.clues: list[tuple[float, str]] = []
        self.seen: list[tuple[float, str]] = []
        for done in facts.all("investigation.completed"):
            for finding in findings_of(done):
                text = str(finding.get("text") or "")
                self.seen.append((done.t, text))
                if finding.get("kind") == "clue":
                    self.clues.append((done.t, text))
        for alert in facts.all("alert.fired"):
            if alert.get("noise") is False:
                self.seen.append((alert.t, f"{alert.get('name')} {alert.get('summary') or ''}"))
        self.seen.sort(key=lambda pair: pair[0])
        self.known: dict[str, tuple[float, str]] = {}
        for e in facts.all("knowledge.gained"):
            self.known.setdefault(str(e.get("mitigation")), (e.t, str(e.get("finding") or "")))
        self.proposals: dict[str, tuple[float, str]] = {}
        for e in facts.all("message.posted"):
            if e.get("kind") == "proposal":
                key = str(e.get("command") or "").strip()
                self.proposals.setdefault(key, (e.t, str(e.get("sender") or "")))
        self._first: dict[tuple[str, frozenset[str]], tuple[float, str] | None] = {}

    def _first_naming(self, source: str, words: frozenset[str]) -> tuple[float, str] | None:
        """The first (time, text) of ``clues`` or ``seen`` that names one of ``words``."""
        key = (source, words)
        if key not in self._first:
            pairs = self.clues if source == "clues" else self.seen
            self._first[key] = next(((t, x) for t, x in pairs if _names(x, set(words))), None)
        return self._first[key]

    def basis(self, event: Event, mit: Mitigation | None, command: str) -> str:
        """Why the evidence at ``event.t`` supported it, or "" when nothing did."""
        t = event.t
        known = self.known.get(str(event.get("mitigation")))
        if known is not None and known[0] <= t:
            return f"a finding made it known: {known[1]}"
        proposal = self.proposals.get(command) if command else None
        if proposal is not None and proposal[0] <= t:
            return f"{proposal[1]} proposed it"
        words = frozenset(_words(mit, event))
        clue = self._first_naming("clues", words)
        if clue is not None and clue[0] <= t:
            return f"a clue pointed at it: {clue[1]}"
        seen = self._first_naming("seen", words)
        in_view = seen is not None and seen[0] <= t
        generic = str(event.get("action") or "") in GENERIC_LEVERS and (
            mit is None or getattr(mit, "state", "off") == "off"
        )
        if generic and (in_view or _names(self.briefing, set(words))):
            return "a safe, reversible lever on a change already in view"
        reason = str(event.get("reason") or "")
        if reason and in_view and _names(reason, set(words)):
            return f"its stated reason matched what was visible: {reason}"
        return ""


def _command_of(commands: list[Event], times: list[float], event: Event) -> tuple[str, str]:
    """The command text and reason of the last command given at or before ``event``."""
    i = bisect_right(times, event.t)
    if not i:
        return "", ""
    command = commands[i - 1]
    text = str(command.get("text") or "").split(" @")[0].split(" --")[0].strip()
    return text, str(command.get("reason") or "")


def judge_decisions(
    facts: DrillFacts, scenario: Scenario, by: frozenset[str] | None = None
) -> tuple[Decision, ...]:
    """Every mitigation attempted before the impact was mitigated (by ``by`` when given)."""
    index = EvidenceIndex(facts, scenario)
    commands = [
        c
        for c in facts.all("command.accepted")
        if c.get("command") not in ("note", "status", "update")
    ]
    times = [c.t for c in commands]
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
        command, reason = _command_of(commands, times, event)
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
