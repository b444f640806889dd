"""Everything a report says about a policy test, computed once for HTML and markdown.

Kept apart from the test itself: intervals, burnout figures and breakdowns cost a
fraction of a second per configuration, which a CI gate that only needs the exit
code should not pay, and both report formats must say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.oncall.assumptions import assumptions
from simulator.oncall.burnout import (
    Breakdown,
    PersonLoad,
    StepLoad,
    by_hour,
    by_service,
    by_step,
    grouping_note,
    people_load,
)
from simulator.oncall.estimates import (
    Estimate,
    NormalApprox,
    Resampler,
    headline,
    paired_person_deltas,
)
from simulator.oncall.loader import OnCall
from simulator.oncall.testrun import PolicySummary, TrialOutcome
from simulator.oncall.verdict import Check, check, verdict_line


@dataclass(frozen=True)
class ConfigFindings:
    """One configuration's figures, verdict and load."""

    summary: PolicySummary
    figures: dict[str, Estimate]
    checks: list[Check]
    verdict: str
    grouping: str
    people: list[PersonLoad]
    services: list[Breakdown]
    steps: list[StepLoad]
    hours: list[Breakdown]
    assumptions: list[str]

    @property
    def passed(self) -> bool:
        """Whether every limit is met (true when none was given)."""
        return all(c.passed for c in self.checks)


@dataclass(frozen=True)
class Findings:
    """The whole test: the proposal, the baseline if any, and who sleeps worse."""

    outcome: TrialOutcome
    proposed: ConfigFindings
    baseline: ConfigFindings | None
    sleep_page_changes: dict[str, Estimate]
    """Person → proposed minus baseline sleep-hour pages a week (paired runs)."""

    def configs(self) -> list[ConfigFindings]:
        """The proposal first, then the baseline."""
        return [self.proposed] + ([self.baseline] if self.baseline else [])


def _config(
    oncall: OnCall,
    summary: PolicySummary,
    outcome: TrialOutcome,
    limits: Mapping[str, float],
    resampler: Resampler,
) -> ConfigFindings:
    setup = outcome.setup
    figures = headline(summary, resampler)
    approx = NormalApprox()
    checks = check(figures, limits)
    return ConfigFindings(
        summary=summary,
        figures=figures,
        checks=checks,
        verdict=verdict_line(summary, checks),
        grouping=grouping_note(oncall, summary),
        people=people_load(oncall, summary, setup.start, approx),
        services=by_service(summary, approx),
        steps=by_step(summary, approx),
        hours=by_hour(summary, oncall.config.time_zone, approx),
        assumptions=assumptions(oncall, setup.start, fixed_alerts=setup.alerts is not None),
    )


def build_findings(outcome: TrialOutcome, limits: Mapping[str, float]) -> Findings:
    """Intervals, verdicts, load and breakdowns for every configuration of ``outcome``
    (simulated with ``TrialSetup.detail``, or load and breakdowns come out empty)."""
    setup = outcome.setup
    resampler = Resampler(outcome.proposed.runs, setup.seed)
    proposed = _config(setup.proposed, outcome.proposed, outcome, limits, resampler)
    baseline = None
    changes: dict[str, Estimate] = {}
    if outcome.baseline is not None and setup.baseline is not None:
        baseline = _config(setup.baseline, outcome.baseline, outcome, limits, resampler)
        changes = paired_person_deltas(outcome.proposed, outcome.baseline, resampler)
    return Findings(outcome, proposed, baseline, changes)
