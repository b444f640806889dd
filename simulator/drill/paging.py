"""Paging: who is notified of an alert group, and escalation while nobody acknowledges.

With a team on-call config (``scenario.oncall``) pages follow its escalation
policy, computed by :mod:`simulator.oncall.paging`; without one, the page goes to
the trainee (or the simulated IC), then a backup, then a manager, five minutes apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import simpy

from simulator.drill.alerting import Alert
from simulator.drill.state import DrillParts, Page
from simulator.drill.tooling import tool_down

if TYPE_CHECKING:
    from simulator.oncall.model import OnCallConfig

ESCALATE_AFTER = 300.0
"""Without an on-call config, an unacknowledged page goes up the chain after this long."""


class Pager:
    """Sends pages for alert groups and escalates the unacknowledged ones."""

    def __init__(
        self,
        parts: DrillParts,
        escalation_chain: Callable[[], list[str]],
        oncall: OnCallConfig | None,
    ) -> None:
        self.parts = parts
        self.escalation_chain = escalation_chain
        self.oncall = oncall

    def page_for(self, alert: Alert) -> None:
        """Page the on-call for a new alert, unless its group already has an open page."""
        p = self.parts
        # One incident per alert group (Alertmanager's group, PagerDuty's dedup key): a
        # new alert in a group that already paged and is still firing does not page again.
        if any(pg.alert.group == alert.group and pg.alert.firing for pg in p.state.pages):
            return
        if tool_down(p.state, "paging"):
            p.env.process(self._page_when_back(alert))
            return
        plan = self._plan(alert)
        page = Page(f"P{len(p.state.pages) + 1}", alert, plan[0][1], 0, p.now)
        p.state.pages.append(page)
        p.emit(
            "page.sent",
            page=page.id,
            alert=alert.id,
            name=alert.name,
            to=page.to,
            level=0,
            noise=alert.noise,
        )
        p.env.process(self._escalate(page, plan[1:]))

    def _page_when_back(self, alert: Alert) -> simpy.events.ProcessGenerator:
        """The paging provider queues notifications while it is unreachable (v2 tooling)."""
        p = self.parts
        while tool_down(p.state, "paging") and not p.state.ended:
            yield p.env.timeout(p.state.scenario.alerts.evaluation_interval)
        if alert.firing and not p.state.ended:
            self.page_for(alert)

    def _plan(self, alert: Alert) -> list[tuple[float, str]]:
        """(offset from the page, who) for each level: the team's policy when one is given."""
        if self.oncall is None:
            chain = self.escalation_chain()
            return [(i * ESCALATE_AFTER, person) for i, person in enumerate(chain)]
        from simulator.oncall.paging import escalation_plan

        names = [s.name for s in self.oncall.services]
        service = alert.service if alert.service in names else names[0]
        trigger = self.parts.state.scenario.metadata.starts_at + timedelta(seconds=self.parts.now)
        steps = escalation_plan(self.oncall, service, trigger).steps
        plan = [(s.offset, ", ".join(s.people) or "(nobody on call)") for s in steps]
        return plan or [(0.0, "(nobody on call)")]

    def _escalate(self, page: Page, rest: list[tuple[float, str]]) -> simpy.events.ProcessGenerator:
        p = self.parts
        for level, (offset, person) in enumerate(rest, start=1):
            yield p.env.timeout(max(0.0, page.sent_at + offset - p.now))
            alert = page.alert
            if page.acknowledged_by is not None or not alert.firing or alert.silenced:
                return
            if p.state.ended:
                return
            p.emit(
                "page.escalated",
                page=page.id,
                alert=alert.id,
                to=person,
                level=level,
                unacknowledged_for=round(p.now - page.sent_at, 3),
            )
