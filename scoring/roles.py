"""The rubrics of the supporting roles: Tech Lead, Comms Lead and Scribe.

A trainee playing the Comms Lead did the Comms Lead's job, not the IC's, so their
card rates that job (PagerDuty's role guides, Google SRE ch. 14): the Tech Lead
forms a hypothesis, investigates, mitigates on evidence and hands findings back to
the IC; the Comms Lead keeps the cadence, says what is true at the time in the
words customers use, gives the next update time and answers stakeholders; the
Scribe records decisions with their reasons and keeps the timeline complete.
Declarative dimension functions, like :mod:`scoring.rubric`'s (docs/scoring.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from scoring.comms import ANSWER_WITHIN, answer_asks
from scoring.facts import findings_of
from scoring.rubric import (
    DimensionBuilder,
    RubricInput,
    _dur,
    _gap_evidence,
    mitigation,
)
from simulator.log.events import Event

HANDBACK_WITHIN = 300.0
"""Seconds within which a finding or a mitigation's result should reach the IC (a note)."""
NOTE_WITHIN = 300.0
"""Seconds within which the Scribe should have recorded a key decision."""
_REASONED = re.compile(
    r"\b(decision|decided|because|since|so that|so we|why|to stop|instead|rather than|"
    r"first|after|until|hold|keep|confirm\w*)\b|:|—|->",
    re.IGNORECASE,
)


def _first_within(events: list[Event], times: list[float], t: float, within: float) -> Event | None:
    """The first of ``events`` (in time order, ``times`` theirs) from ``t`` to ``t + within``:
    one bisection, so a long log's hundreds of findings stay cheap."""
    i = bisect_left(times, t)
    return events[i] if i < len(events) and events[i].t <= t + within else None


def _by(x: RubricInput, events: list[Event]) -> list[Event]:
    actors = x.actors
    return [e for e in events if actors is None or e.get("by") in actors]


# --------------------------------------------------------------------------- tech


def hypothesis(x: RubricInput) -> DimensionBuilder:
    """Look where a clue can be found before changing things; do not chase red herrings."""
    d = DimensionBuilder("hypothesis")
    f = x.facts
    until = f.mitigated.t if f.mitigated else f.incident_close
    done = [e for e in _by(x, f.all("investigation.completed")) if e.t <= until]
    clue = next((e for e in done if any(g.get("kind") == "clue" for g in findings_of(e))), None)
    d.cite(clue, f"investigation '{clue.get('query')}' found a clue" if clue else "", True)
    d.check(
        0.5,
        1.0 if clue else 0.0,
        "Found a clue that pointed at the cause before the impact was mitigated.",
        "Form a hypothesis from what changed and what fails, then look where it can be "
        "confirmed: no investigation of yours found a clue before mitigation.",
    )
    herrings = [
        e
        for e in done
        if {g.get("kind") for g in findings_of(e)} >= {"red_herring"}
        and "clue" not in {g.get("kind") for g in findings_of(e)}
    ]
    for event in herrings:
        d.cite(event, f"investigation '{event.get('query')}' chased a red herring", False)
    d.check(
        0.5,
        (1.0 - 0.35 * len(herrings)) if done else 0.0,
        "Investigations went where the evidence pointed, not after red herrings.",
        f"{len(herrings)} investigation(s) chased red herrings; check what changed first."
        if done
        else "Investigate: no investigation of yours completed before mitigation.",
    )
    return d


def handback(x: RubricInput) -> DimensionBuilder:
    """Findings and results go back to the IC soon after they are known: said in the
    incident channel, asked of the IC, or noted (the Scribe owns `/note`, so a Tech Lead
    usually says it in the channel)."""
    d = DimensionBuilder("handback")
    f = x.facts
    notes = sorted(
        _by(x, [*f.all("chat.posted"), *f.all("request.posted"), *f.all("note.added")]),
        key=lambda e: e.seq,
    )
    found = [
        e
        for e in _by(x, f.all("investigation.completed"))
        if any(g.get("kind") == "clue" for g in findings_of(e))
    ] + _by(x, f.all("mitigation.applied"))
    reported = 0
    note_times = [n.t for n in notes]
    for event in found:
        note = _first_within(notes, note_times, event.t, HANDBACK_WITHIN)
        what = event.get("query") or f"{event.get('action')} {event.get('target')}"
        if note is not None:
            reported += 1
            d.cite(note, f"reported {what} to the IC: {note.get('text')}", True)
        else:
            d.cite(event, f"{what}: no report to the IC within {_dur(HANDBACK_WITHIN)}", False)
    d.check(
        1.0,
        reported / len(found) if found else 0.0,
        f"Handed {reported} finding(s) and result(s) back to the IC.",
        "Hand each finding and each mitigation's result back to the IC (say it in the "
        f"incident channel) within "
        f"{_dur(HANDBACK_WITHIN)}: {reported} of {len(found)} were.",
    )
    return d


# --------------------------------------------------------------------------- comms


def cadence(x: RubricInput) -> DimensionBuilder:
    """Status page and stakeholder updates at the cadence for the severity."""
    d = DimensionBuilder("cadence")
    review, f = x.comms, x.facts
    opener, close = f.declared or f.first_real_page, f.resolved or f.last("drill.ended")
    for what, gaps in (
        ("status post", review.status_gaps),
        ("stakeholder update", review.update_gaps),
    ):
        _gap_evidence(d, gaps, what, opener, close)
        late = sum(g.late for g in gaps)
        d.check(
            0.5,
            review.on_time_share(gaps),
            f"Kept {what}s at the cadence for the severity.",
            f"Keep {what}s at the cadence: {late} of {len(gaps)} interval(s) went over."
            if gaps
            else f"Post {what}s: none was due or none was posted.",
        )
    return d


def accuracy(x: RubricInput) -> DimensionBuilder:
    """Each post true at its moment, in customers' words, with no ETA."""
    d = DimensionBuilder("accuracy")
    posts = [p for p in x.comms.posts if x.actors is None or p.event.get("by") in x.actors]
    for post in posts:
        problems = [
            text
            for text, bad in (
                ("claims what was not yet true", not post.accurate),
                (f"names internal service(s) {', '.join(post.internal)}", bool(post.internal)),
                ("does not state the customer impact", not post.impact),
                ("promises a resolution time", post.promise),
            )
            if bad
        ]
        says = (
            f" (names what customers use: {', '.join(post.customer_terms)})"
            if post.customer_terms
            else ""
        )
        d.cite(
            post.event,
            f"{post.channel}: " + ("; ".join(problems) or "accurate, in customers' terms") + says,
            not problems,
        )
    good = [p for p in posts if p.accurate and not p.internal and p.impact and not p.promise]
    public = [p for p in posts if p.channel == "status"]
    named = [p for p in public if p.customer_terms]
    terms = sorted({t for p in named for t in p.customer_terms})
    d.check(
        0.25,
        len(named) / len(public) if public else 0.0,
        f"{len(named)} of {len(public)} public post(s) named what customers use "
        f"({', '.join(terms)}).",
        "Name what customers use (the product, the page, the app they know), not what it "
        f"runs on: {len(named)} of {len(public)} public post(s) did."
        if public
        else "Post to the status page, naming what customers use: nothing was posted.",
        good=bool(public) and len(named) == len(public),
    )
    d.check(
        1.0,
        len(good) / len(posts) if posts else 0.0,
        f"{len(good)} of {len(posts)} post(s) were accurate for their moment and in "
        "customers' terms.",
        f"{len(posts) - len(good)} of {len(posts)} post(s) said something untrue at the time, "
        "named internal services, left out the customer impact or promised an ETA."
        if posts
        else "Post updates: none was posted.",
    )
    return d


def next_update(x: RubricInput) -> DimensionBuilder:
    """Every update but the closing one says when the next comes."""
    d = DimensionBuilder("next_update")
    posts = [
        p
        for p in x.comms.posts
        if not p.final and (x.actors is None or p.event.get("by") in x.actors)
    ]
    for post in posts:
        if not post.next_update:
            d.cite(post.event, f"{post.channel}: no next update time", False)
    said = sum(p.next_update for p in posts)
    d.check(
        1.0,
        said / len(posts) if posts else 0.0,
        "Every update said when the next would come.",
        f"Say when the next update comes: {said} of {len(posts)} update(s) did.",
    )
    return d


def stakeholders(x: RubricInput) -> DimensionBuilder:
    """Each stakeholder or executive ask is answered within 10 minutes: by an update to
    everyone, or a ``/reply`` to the one who asked."""
    d = DimensionBuilder("stakeholders")
    answers = answer_asks(x.facts, x.actors)
    answered = 0
    for a in answers:
        answered += a.answer is not None
        outcome = (
            f"answered by a {a.how}: {a.answer.get('text') or a.answer.get('message')}"
            if a.answer is not None
            else f"no update or reply within {_dur(ANSWER_WITHIN)}"
        )
        d.cite(
            a.answer or a.ask,
            f"{a.ask.get('sender')} asked for news: {outcome}",
            a.answer is not None,
        )
    d.check(
        1.0,
        answered / len(answers) if answers else 1.0,
        f"Answered {answered} of {len(answers)} stakeholder ask(s) within 10 minutes.",
        f"Answer stakeholders with an update or a /reply: {answered} of {len(answers)} "
        "ask(s) were.",
    )
    return d


# --------------------------------------------------------------------------- scribe


def human_notes(x: RubricInput) -> list[Event]:
    """Notes written by people (the simulated Scribe's automatic lines do not count)."""
    return [n for n in _by(x, x.facts.all("note.added")) if not x.facts.simulated_note(n)]


def notes(x: RubricInput) -> DimensionBuilder:
    """Notes that capture decisions and their reasons, not just that something happened."""
    d = DimensionBuilder("notes")
    written = human_notes(x)
    reasoned = [n for n in written if _REASONED.search(str(n.get("text") or ""))]
    for note in written:
        d.cite(note, f"note: {note.get('text')}", note in reasoned)
    d.check(
        0.4,
        {0: 0.0, 1: 0.5, 2: 0.8}.get(len(written), 1.0),
        f"Wrote {len(written)} note(s) by hand.",
        f"Record the incident as it unfolds: {len(written)} note(s) written by hand.",
    )
    d.check(
        0.6,
        len(reasoned) / len(written) if written else 0.0,
        "Notes captured decisions with their reasons.",
        f"Capture the decision and its reason, not only the event: {len(reasoned)} of "
        f"{len(written)} note(s) did.",
    )
    return d


def timeline(x: RubricInput) -> DimensionBuilder:
    """Each key decision (severity, mitigation, silence, resolve) noted within minutes."""
    d = DimensionBuilder("timeline")
    f = x.facts
    written = human_notes(x)
    key = [
        *f.all("severity.declared"),
        *f.all("mitigation.started"),
        *f.all("alert.silenced"),
        *f.all("incident.resolved"),
    ]
    noted = 0
    written_times = [n.t for n in written]
    for event in sorted(key, key=lambda e: e.seq):
        note = _first_within(written, written_times, event.t, NOTE_WITHIN)
        noted += note is not None
        d.cite(
            note or event, f"{event.type} " + ("recorded" if note else "not recorded"), bool(note)
        )
    d.check(
        1.0,
        noted / len(key) if key else 0.0,
        f"Recorded {noted} of {len(key)} key decisions within {_dur(NOTE_WITHIN)}.",
        f"Keep the timeline complete: {noted} of {len(key)} key decisions were noted "
        f"within {_dur(NOTE_WITHIN)}.",
    )
    return d


ROLE_RUBRICS = {
    "tech": (hypothesis, mitigation, handback),
    "comms": (cadence, accuracy, next_update, stakeholders),
    "scribe": (notes, timeline),
}
"""The supporting roles' dimensions, in scorecard order."""
