"""The responders' own tools as services: monitoring, paging, chat, status page, deploys...

In the outages that taught the industry most, the status page was hosted on the
broken service and the deploy pipeline needed the network that was down. A v2
scenario says which service each tool runs on (``tooling``); while that service's
error rate is at ``tooling.down_at`` or more, the tool fails the way it would.
"""

from __future__ import annotations

from simulator.drill.state import DrillState

_FAILURES = {
    "monitoring": "Grafana: 502 Bad Gateway (the monitoring stack runs on {host}, which is "
    "failing)",
    "paging": "the paging provider is unreachable from {host}",
    "chat": "chat: 'Trouble connecting, retrying...' (chat runs on {host}, which is failing)",
    "status_page": "status page: 503 Service Unavailable (it is hosted on {host}, which is "
    "failing); post from the provider's backup page once it is back",
    "deploys": "deploy pipeline: job failed, 'could not reach artifact store' (the pipeline "
    "depends on {host}, which is failing)",
    "flags": "flag service: 504 Gateway Timeout (it runs on {host}, which is failing)",
    "remote_access": "ssh: connect to bastion: Connection timed out (the bastion/VPN "
    "depends on {host}, which is failing)",
}

COMMAND_TOOLS = {
    "rollback": "deploys",
    "flag": "flags",
    "restart": "remote_access",
    "scale": "remote_access",
    "mitigate": "remote_access",
    "status": "status_page",
    "update": "chat",
    "note": "chat",
}
"""Which tool each command needs (investigations: see :func:`investigation_tool`)."""


def investigation_tool(query: str) -> str | None:
    """The tool an investigation needs: dashboards for metrics, a shell for logs."""
    word = query.split()[0] if query.split() else ""
    return {"metrics": "monitoring", "logs": "remote_access"}.get(word)


def tool_down(state: DrillState, tool: str | None) -> str | None:
    """Why ``tool`` fails now (a realistic error), or None when it works or is not modelled."""
    if tool is None or not state.v2:
        return None
    host = getattr(state.scenario.tooling, tool)
    m = state.last_metrics.get(host) if host else None
    if m is None or m.error_rate < state.scenario.tooling.down_at:
        return None
    return _FAILURES[tool].format(host=host)
