"""What the prompt can complete: the scenario's names, what is firing, what the team knows.

Only what the team knows, as the engine's world model says (``known_investigations``,
``known_mitigations`` on a live feed): never every lever of the scenario, which would
be an answer key.
"""

from __future__ import annotations

from tui.feed import DrillFeed
from tui.widgets.commandline import Vocabulary
from tui.widgets.picture import IncidentPicture


def vocabulary_for(feed: DrillFeed, picture: IncidentPicture, *, facilitating: bool) -> Vocabulary:
    """The names the prompt completes now."""
    sc = feed.header.get("scenario", {})
    services = [s["name"] for s in sc.get("services", [])]
    regions = sorted({r for s in sc.get("services", []) for r in s.get("regions", [])})
    # Replays and remote seats have no engine to ask: they offer no levers.
    known_inv = getattr(feed, "known_investigations", None)
    known_mit = getattr(feed, "known_mitigations", None)
    levers: list[str] = known_mit() if known_mit is not None else []
    return Vocabulary(
        services=services,
        flags=[f["name"] for f in sc.get("flags", [])],
        regions=regions,
        mitigations=[c.split()[1] for c in levers if c.startswith("/mitigate ")],
        investigations=known_inv() if known_inv is not None else (),
        levers=levers,
        stakeholders=picture.stakeholders,
        people=feed.people(),
        alerts=sorted({a.name for a in picture.alerts.values()}),
        faults=[f["id"] for f in sc.get("faults", []) if f.get("start") is None],
        commands=("inject",) if facilitating else (),
    )
