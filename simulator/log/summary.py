"""The headline facts of a drill, computed from its events alone.

Used by ``gameday run`` to print what happened; the full grading lives in
``scoring/``. Being a function of the log, it reads the same for a live session,
a finished log and a replay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from simulator.log.events import Event


def _first(events: list[Event], type_: str) -> Event | None:
    return next((e for e in events if e.type == type_), None)


def summarize(header: Mapping[str, Any], events: Iterable[Event]) -> dict[str, Any]:
    """Impact start/end, what mitigated it, alerts and noise, commands, how it ended."""
    evs = list(events)
    fired = [e for e in evs if e.type == "alert.fired"]
    noise = [e for e in fired if e["noise"]]
    pages = [e for e in evs if e.type == "page.sent" and not e.get("manual")]
    accepted = [e for e in evs if e.type == "command.accepted"]
    rejected = [e for e in evs if e.type == "command.rejected"]
    started = _first(evs, "impact.started")
    mitigated = _first(evs, "impact.mitigated")
    ended_impact = [e for e in evs if e.type == "impact.ended"]
    drill_end = _first(evs, "drill.ended")
    first_ack = _first(evs, "page.acknowledged")
    severity = [e for e in evs if e.type == "severity.declared"]
    return {
        "scenario": header.get("scenario_id"),
        "seed": header.get("seed"),
        "role": header.get("role"),
        "ended": drill_end["reason"] if drill_end else "not finished",
        "ended_at": drill_end.t if drill_end else (evs[-1].t if evs else 0.0),
        "impact_started_at": started.t if started else None,
        "impact_mitigated_at": mitigated.t if mitigated else None,
        "mitigated_by": (mitigated["by"] or mitigated["action"]) if mitigated else None,
        "impact_ended_at": ended_impact[-1].t if ended_impact else None,
        "impact_ongoing_at_end": bool(drill_end["impact_ongoing"]) if drill_end else None,
        "first_page_at": pages[0].t if pages else None,
        "first_ack_at": first_ack.t if first_ack else None,
        "severity": severity[-1]["severity"] if severity else None,
        "alerts_fired": len(fired),
        "noise_alerts": len(noise),
        "noise_share": round(len(noise) / len(fired), 3) if fired else 0.0,
        "pages": len(pages),
        "commands_accepted": len(accepted),
        "commands_rejected": len(rejected),
        "rejected": [{"t": e.t, "text": e["text"], "error": e["error"]} for e in rejected],
        "events": len(evs),
        "data_lost": [
            {k: e[k] for k in ("fault", "service", "amount", "unit", "since", "until")}
            for e in evs
            if e.type == "data.lost"
        ],
        "user_minutes_degraded": _degraded_minutes(evs),
    }


def _degraded_minutes(evs: list[Event]) -> float:
    """User-minutes served slower than the latency SLO (v2 samples), across the drill.

    Each sample counts until the next one; across a cascade the same users show up on
    several services, so each sample counts its largest service, as for errors.
    """
    samples = [e for e in evs if e.type == "metrics.sample"]
    total = 0.0
    for this, nxt in pairwise(samples):
        worst = max((s.get("users_degraded", 0.0) for s in this["services"].values()), default=0.0)
        total += worst * (nxt.t - this.t) / 60.0
    return round(total, 1)
