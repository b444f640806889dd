"""Scoring: a drill's metrics, its P/S/M/U scorecard and a practice postmortem.

Pure by design: everything here is a function of the scenario and the session log, so a
facilitator can re-score an old drill and a team can compare runs. No SimPy, no UI, no
engine runtime; import-linter contracts in ``pyproject.toml`` and
``tests/scoring/test_purity.py`` enforce it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scoring.comms import review_communication
from scoring.facts import index_events
from scoring.metrics import Metrics, compute_metrics
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
    "score_log",
]


def _log_warnings(events: Sequence[Event]) -> list[str]:
    if not events:
        return ["the log has no events: nothing happened to score"]
    if not any(e.type == "drill.ended" for e in events):
        return [
            f"the drill did not finish (no drill.ended); scored up to "
            f"t={events[-1].t:g}s, seq {events[-1].seq}"
        ]
    return []


def score_log(
    header: Mapping[str, Any], events: Sequence[Event], scenario: Scenario | None = None
) -> Scorecard:
    """Score a drill from its log: metrics, six rated dimensions, an overall rating.

    ``scenario`` defaults to the one embedded in the header. The result is the same
    for the same inputs, byte for byte once serialised.
    """
    if scenario is None:
        scenario = scenario_from_header(header)
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
    )
    humans = frozenset(str(h) for h in header.get("humans") or () if isinstance(h, str))
    given = RubricInput(facts, metrics, scenario, config, review, humans)
    dimensions = tuple(
        builder.build(config.weights[builder.key]) for builder in (dim(given) for dim in RUBRIC)
    )
    total = sum(d.weight for d in dimensions)
    overall = round(sum(d.percent * d.weight for d in dimensions) / total, 1)
    return Scorecard(
        overall_rating=rating_for(overall),
        overall_percent=overall,
        dimensions=dimensions,
        metrics=metrics,
        warnings=tuple(warnings),
        scenario_id=scenario.metadata.id,
        scenario_title=scenario.metadata.title,
        seed=header.get("seed"),
    )
