"""Scoring: a drill's metrics, its P/S/M/U scorecard and a practice postmortem.

Pure by design: everything here is a function of the scenario and the session log, so a
facilitator can re-score an old drill and a team can compare runs. No SimPy, no UI, no
engine runtime; import-linter contracts in ``pyproject.toml`` and
``tests/scoring/test_purity.py`` enforce it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scoring.comms import customer_terms, internal_services, review_communication
from scoring.facts import index_events
from scoring.metrics import Metrics, compute_metrics
from scoring.roles import ROLE_RUBRICS
from scoring.rubric import RUBRIC, RubricConfig, RubricInput
from scoring.scorecard import DimensionScore, Evidence, Scorecard, rating_for
from simulator.log.events import Event
from simulator.scenario.loader import scenario_from_header
from simulator.scenario.model import Scenario

__all__ = [
    "DimensionScore",
    "Evidence",
    "Metrics",
    "Scorecard",
    "rating_for",
    "scenario_from_header",
    "score_drill",
    "score_log",
]


def _log_warnings(events: Sequence[Event]) -> list[str]:
    if not events:
        return ["the log has no events: nothing happened to score"]
    if not any(e.type == "drill.ended" for e in reversed(events)):
        return [
            f"the drill did not finish (no drill.ended); scored up to "
            f"t={events[-1].t:g}s, seq {events[-1].seq}"
        ]
    return []


def _actors(header: Mapping[str, Any], events: Sequence[Event], role: str) -> frozenset[str]:
    """The names of the people who held ``role``: those who gave its commands, its player."""
    names = {
        str(e.get("by"))
        for e in events
        if e.type == "command.accepted" and e.get("role") == role and not e.get("simulated")
    }
    players = header.get("players")
    if isinstance(players, Mapping) and isinstance(players.get(role), str):
        names.add(players[role])
    if header.get("role") == role and isinstance(header.get("trainee"), str):
        names.add(header["trainee"])
    return frozenset(names)


def score_log(
    header: Mapping[str, Any],
    events: Sequence[Event],
    scenario: Scenario | None = None,
    role: str | None = None,
) -> Scorecard:
    """Score a drill from its log for one role: its rated dimensions and an overall rating.

    ``role`` defaults to the trainee's (the header's ``role``); ``team`` rates everyone's
    actions together on the IC's dimensions. ``scenario`` defaults to the one embedded in
    the header. The result is the same for the same inputs, byte for byte once serialised.
    """
    if scenario is None:
        scenario = scenario_from_header(header)
    role = role or str(header.get("role") or "ic")
    config, warnings = RubricConfig.from_scenario(scenario)
    warnings = _log_warnings(events) + warnings
    facts = index_events(events)
    metrics = compute_metrics(facts, scenario)
    targets = config.targets
    review = review_communication(
        facts,
        truth_severity=scenario.truth.severity,
        update_every=targets.update_every,
        first_post=config.first_post,
        declare_target=targets.declare,
        internal=internal_services(scenario),
        terms=customer_terms(scenario),
    )
    humans = frozenset(str(h) for h in header.get("humans") or () if isinstance(h, str))
    held = _actors(header, facts.all("command.accepted"), role)
    actors = None if role in ("ic", "team") else held
    given = RubricInput(facts, metrics, scenario, config, review, humans, actors, role)
    rubric = ROLE_RUBRICS.get(role, RUBRIC)
    builders = [dim(given) for dim in rubric]
    dimensions = tuple(b.build(config.weights.get(b.key, 1.0)) for b in builders)
    total = sum(d.weight for d in dimensions)
    overall = round(sum(d.percent * d.weight for d in dimensions) / total, 1) if total else 0.0
    player = "" if role == "team" else ", ".join(sorted(held))
    return Scorecard(
        overall_rating=rating_for(overall),
        overall_percent=overall,
        dimensions=dimensions,
        metrics=metrics,
        warnings=tuple(warnings),
        scenario_id=scenario.metadata.id,
        scenario_title=scenario.metadata.title,
        seed=header.get("seed"),
        role=role,
        player=player,
    )


def score_drill(
    header: Mapping[str, Any], events: Sequence[Event], scenario: Scenario | None = None
) -> tuple[Scorecard, ...]:
    """One scorecard per person at the drill (each for their role), plus one for the team
    when more than one person played; the trainee's card comes first."""
    trainee = str(header.get("role") or "ic")
    humans = [str(h) for h in header.get("humans") or () if isinstance(h, str)]
    roles = [trainee, *sorted(set(humans) - {trainee})]
    cards = tuple(score_log(header, events, scenario, role) for role in roles)
    if len(roles) > 1:
        cards += (score_log(header, events, scenario, "team"),)
    return cards
