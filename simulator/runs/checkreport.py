"""A scenario check's verdict: distributions per response, claims, difficulty.

Pure arithmetic over :class:`~simulator.runs.facts.RunFacts` laid out as one row per
response and one column per seed, so the same facts give the same report whatever
executor produced them. Every figure is defined in ``docs/checks-and-sweeps.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from simulator.runs.facts import RunFacts
from simulator.runs.scripts import EXPERT, IDLE, NOVICE, SHOTGUN, Response
from simulator.scenario.model import Scenario

BEAT_SHARE = 0.9
"""The good response must beat idle and shotgun on at least this share of seeds."""
RATINGS = ("P", "S", "M", "U")


def quantile(values: Sequence[float], q: float) -> float:
    """Nearest-rank quantile (``q`` in 0-1): always a value that was observed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _finite(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 1)


def spread(values: Sequence[float]) -> dict[str, float | None]:
    """p50, p90, min and max; infinity (never happened) reads as None."""
    if not values:
        return {"p50": None, "p90": None, "min": None, "max": None}
    return {
        "p50": _finite(quantile(values, 0.5)),
        "p90": _finite(quantile(values, 0.9)),
        "min": _finite(min(values)),
        "max": _finite(max(values)),
    }


def outcome_key(run: RunFacts) -> tuple[float, float]:
    """What "better" means between two responses on one seed: less customer impact,
    then (on a tie) earlier mitigation. Process (comms, roles) is not compared: a
    response that hurts customers less is the better outcome, however it got there."""
    ttm = run.grade.time_to_mitigate
    return (run.grade.user_minutes, math.inf if ttm is None else ttm)


def beats(a: Sequence[RunFacts], b: Sequence[RunFacts]) -> float:
    """Share of seeds on which ``a`` has the better outcome than ``b``."""
    wins = sum(outcome_key(x) < outcome_key(y) for x, y in zip(a, b, strict=True))
    return round(wins / len(a), 4) if a else 0.0


def _response_row(
    response: Response, runs: Sequence[RunFacts], expert: Sequence[RunFacts] | None
) -> dict[str, Any]:
    ttm = [math.inf if r.grade.time_to_mitigate is None else r.grade.time_to_mitigate for r in runs]
    counts = {k: sum(r.grade.rating == k for r in runs) for k in RATINGS}
    compared = expert is not None and response.name != EXPERT
    return {
        "name": response.name,
        "source": response.source,
        "runs": len(runs),
        "solved": sum(r.solved for r in runs),
        "rejected_commands": sum(r.rejected for r in runs),
        "time_to_mitigate": {**spread(ttm), "never": sum(math.isinf(t) for t in ttm)},
        "user_minutes": spread([r.grade.user_minutes for r in runs]),
        "rating": {
            "percent": spread([r.grade.percent for r in runs]),
            "counts": counts,
            "p50": RATINGS[int(quantile([RATINGS.index(r.grade.rating) for r in runs], 0.5))],
        },
        "good_beats": beats(expert, runs) if compared and expert is not None else None,
    }


def difficulty(
    scenario: Scenario, names: Sequence[str], table: Sequence[Sequence[RunFacts]]
) -> dict[str, Any]:
    """How much of the avoidable customer impact a novice still lets through.

    Per seed: (novice − expert) / (idle − expert) in user-minutes, clipped to 0-1; the
    figure is the median over seeds, times 100. 0: a novice does as well as the
    expert; 100: a novice does no better than nobody. The expert is the good script
    (else the best response on each seed); the novice the poor one (else the shotgun).
    """
    rows = dict(zip(names, table, strict=True))
    idle = rows[IDLE]
    novice_name = NOVICE if NOVICE in rows else SHOTGUN
    novice = rows[novice_name]
    others = [row for name, row in rows.items() if name != IDLE]
    shares, unavoidable = [], []
    for i, empty in enumerate(idle):
        if EXPERT in rows:
            best = rows[EXPERT][i].grade.user_minutes
        else:
            best = min(row[i].grade.user_minutes for row in others)
        worst = empty.grade.user_minutes
        if worst > best:
            gap = (novice[i].grade.user_minutes - best) / (worst - best)
            shares.append(min(1.0, max(0.0, gap)))
        if worst > 0:
            unavoidable.append(best / worst)
    let_through = quantile(shares, 0.5) if shares else None
    return {
        "score": None if let_through is None else round(let_through * 100),
        "novice_lets_through": None if let_through is None else round(let_through, 3),
        "expert_cannot_avoid": round(quantile(unavoidable, 0.5), 3) if unavoidable else None,
        "expert": EXPERT if EXPERT in rows else "best response per seed",
        "novice": novice_name,
        "declared": scenario.metadata.difficulty,
    }


def _claims(
    names: Sequence[str], table: Sequence[Sequence[RunFacts]], seeds: Sequence[int]
) -> tuple[list[dict[str, Any]], list[int]]:
    rows = dict(zip(names, table, strict=True))
    unsolvable = [s for i, s in enumerate(seeds) if not any(row[i].solved for row in table)]
    claims: list[dict[str, Any]] = [
        {
            "claim": "every seed can be solved (some response ends the impact)",
            "measured": round(1 - len(unsolvable) / len(seeds), 4),
            "passed": not unsolvable,
        }
    ]
    if EXPERT not in rows:
        claims.append(
            {
                "claim": "a good response is given (--good FILE or scripts/<id>-good.yaml)",
                "measured": None,
                "passed": False,
            }
        )
        return claims, unsolvable
    for other in (IDLE, SHOTGUN):
        share = beats(rows[EXPERT], rows[other])
        claims.append(
            {
                "claim": f"good beats {other} on at least {BEAT_SHARE:.0%} of seeds",
                "measured": share,
                "passed": share >= BEAT_SHARE,
            }
        )
    return claims, unsolvable


def summarise_check(
    scenario: Scenario,
    responses: Sequence[Response],
    seeds: Sequence[int],
    table: Sequence[Sequence[RunFacts]],
) -> dict[str, Any]:
    """The check's report as plain, JSON-ready data (``table[response][seed]``)."""
    names = [r.name for r in responses]
    expert = table[names.index(EXPERT)] if EXPERT in names else None
    claims, unsolvable = _claims(names, table, seeds)
    return {
        "scenario": scenario.metadata.id,
        "title": scenario.metadata.title,
        "seeds": {"first": seeds[0], "count": len(seeds)} if seeds else {},
        "responses": [
            _response_row(r, runs, expert) for r, runs in zip(responses, table, strict=True)
        ],
        "unsolvable_seeds": unsolvable,
        "difficulty": difficulty(scenario, names, table),
        "claims": claims,
        "passed": all(c["passed"] for c in claims),
    }
