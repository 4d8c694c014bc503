"""Hostage cases: the people taken in one abduction and what became of them, with a dated status history.

An abduction event opens a case; later reports bring :class:`~geo.extract.hostages.HostageUpdate`
news (released, killed, escaped, proof of life, ransom).  :func:`link_candidates` proposes the
open cases an update may be about, best first, with the reasons; a person confirms the link and
:func:`apply_update` adds the news to the case's history, with its source.  Nothing here decides a
link on its own.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from geo import vocab
from geo.place import haversine_km
from geo.schema import Event
from geo.vocab import STATUS_LABELS

if TYPE_CHECKING:  # the extraction rules are not loaded to show the cases (their patterns take 0.5 s)
    from geo.extract.hostages import HostageUpdate

# what a case's current status can be; "held" until news says otherwise
STATUSES = ("held", *STATUS_LABELS)
CLOSED = frozenset({"released", "killed", "escaped"})  # no later news is expected to change these
LINK_KM = 300.0  # an update placed further than this from where they were taken needs other evidence


@dataclass(frozen=True)
class StatusChange:
    """One dated entry of a case's history, with the report it comes from."""

    status: str
    when: date | None
    precision: int
    source: str
    evidence: str = ""
    count: int | None = None  # how many people the news is about, when it says ("two of the four were freed")


@dataclass(frozen=True)
class Case:
    """The people taken in one abduction."""

    case_id: str
    taken: date | None
    taken_precision: int
    location: str
    latitude: float | None
    longitude: float | None
    country: str                       # ACLED country name
    victims: int | None                # how many people were taken
    nationalities: tuple[str, ...]     # ISO2 codes, one per person when the report counts them
    occupation: str = ""
    by: str = ""                       # the group that took them, claimed or attributed
    attribution: str = ""              # "claimed" or "attributed" (by whom), "" when nobody is named
    event_id_cnty: str = ""            # the abduction event that opened the case
    history: tuple[StatusChange, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        """The latest status the history gives ("held" when it gives none)."""
        dated = sorted((c for c in self.history), key=lambda c: (c.when or date.min))
        return dated[-1].status if dated else "held"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    def days_held(self, today: date) -> int | None:
        """Days from the abduction to its release or death, or to ``today`` for an open case."""
        if self.taken is None:
            return None
        end = next((c.when for c in sorted(self.history, key=lambda c: c.when or date.min, reverse=True)
                    if c.status in CLOSED and c.when is not None), today)
        return (end - self.taken).days


def by_event(cases: Iterable[Case]) -> dict[str, Case]:
    """The cases keyed by the abduction event that opened them (``event_id_cnty``); cases without one left out."""
    return {case.event_id_cnty: case for case in cases if case.event_id_cnty}


def fate(case: Case, today: date) -> str:
    """The case's current status and days held in words: "held for 144 days", "proof of life; held for 30 days",
    "released after 12 days", "killed after 3 days" (without the days when the abduction's date is unknown)."""
    days = case.days_held(today)
    span = "" if days is None else f" {'for' if case.is_open else 'after'} {days} day{'s' if days != 1 else ''}"
    if case.status == "held":
        return f"held{span}"
    label = STATUS_LABELS.get(case.status, case.status)
    return f"{label}; held{span}" if case.is_open else f"{label}{span}"


def case_from_event(event: Event, case_id: str | None = None) -> Case:
    """A new open case for an abduction event (ACLED "Abduction/forced disappearance")."""
    taken = event.abduction
    claimed = [c for c in event.claims if c.metric == "people abducted" and c.value]
    count = taken.count if taken is not None and taken.count else min((c.value for c in claimed), default=None)
    group = "" if not event.actor1 or event.actor1.startswith("Unidentified") else event.actor1
    by_claim = any(c.claimant == group and c.claimant_type == "armed group" for c in event.claims)
    return Case(case_id or f"case-{event.event_id_cnty}", event.event_date, event.time_precision, event.location,
                event.latitude, event.longitude, event.country, count,
                taken.nationalities if taken is not None else (), by=group,
                attribution=("claimed" if by_claim else "attributed") if group else "",
                event_id_cnty=event.event_id_cnty)


@dataclass(frozen=True)
class LinkProposal:
    """An open case an update may be about, with how well it fits and why."""

    case: Case
    score: float
    reasons: tuple[str, ...]


def link_candidates(update: HostageUpdate, cases: Iterable[Case], *, near: tuple[float, float] | None = None,
                    limit: int = 5) -> list[LinkProposal]:
    """The open cases ``update`` may be news of, best first; those that contradict it are left out.

    Evidence for a case: the same nationalities, the same count (or fewer: some of them freed),
    taken around the date the update says, the same group, the update's place near where they
    were taken (``near``: the update's point, when the report places it).
    """
    proposals = []
    for case in cases:
        if not case.is_open or any(c.status == update.status and c.evidence == update.evidence for c in case.history):
            continue  # closed, or this very news is already in its history
        score, reasons = 0.0, []
        if update.nationalities and case.nationalities:
            if set(update.nationalities) <= set(case.nationalities):
                score += 3.0
                names = ", ".join(vocab.country_name(c) for c in dict.fromkeys(update.nationalities))
                reasons.append(f"same nationalities ({names})")
            else:
                continue  # other people
        if update.count and case.victims:
            if update.count == case.victims:
                score += 2.0
                reasons.append(f"same number of people ({update.count})")
            elif update.count < case.victims:
                score += 0.5
                reasons.append(f"{update.count} of the {case.victims} taken")
            else:
                continue  # more people than were taken
        if update.taken_when and case.taken:
            slack = 31 if update.taken_precision >= 3 or case.taken_precision >= 3 else 7
            if abs((update.taken_when - case.taken).days) <= slack:
                score += 3.0
                reasons.append(f"taken around {case.taken.isoformat()}")
            else:
                continue  # taken at another time
        if update.when and case.taken and update.when < case.taken:
            continue  # news from before the abduction
        if update.by and case.by and update.by == case.by:
            score += 1.5
            reasons.append(f"held by {case.by}")
        if update.occupation and case.occupation and update.occupation.lower() == case.occupation.lower():
            score += 1.0
            reasons.append(f"same occupation ({case.occupation})")
        if near and case.latitude is not None and case.longitude is not None:
            km = haversine_km(near[0], near[1], case.latitude, case.longitude)
            if km <= LINK_KM:
                score += 1.0
                reasons.append(f"{km:.0f} km from where they were taken")
        if score > 0:
            proposals.append(LinkProposal(case, score, tuple(reasons)))
    return sorted(proposals, key=lambda p: (-p.score, p.case.taken or date.min))[:limit]


def apply_update(case: Case, update: HostageUpdate, source: str) -> Case:
    """``case`` with ``update`` added to its history (a person confirmed the link)."""
    change = StatusChange(update.status, update.when, update.precision, source, update.evidence, update.count)
    occupation = case.occupation or update.occupation
    nationalities = case.nationalities or update.nationalities
    return replace(case, history=(*case.history, change), occupation=occupation, nationalities=nationalities)


def case_record(case: Case) -> dict:
    """The case without its history, as JSON-ready values (for storage)."""
    return {"case_id": case.case_id, "taken": case.taken.isoformat() if case.taken else None,
            "taken_precision": case.taken_precision, "location": case.location, "latitude": case.latitude,
            "longitude": case.longitude, "country": case.country, "victims": case.victims,
            "nationalities": list(case.nationalities), "occupation": case.occupation, "by": case.by,
            "attribution": case.attribution, "event_id_cnty": case.event_id_cnty}


def case_from_record(record: dict, history: Sequence[StatusChange] = ()) -> Case:
    """A case back from :func:`case_record` and its history."""
    return Case(record["case_id"], date.fromisoformat(record["taken"]) if record.get("taken") else None,
                int(record.get("taken_precision") or 3), record.get("location") or "", record.get("latitude"),
                record.get("longitude"), record.get("country") or "", record.get("victims"),
                tuple(record.get("nationalities") or ()), record.get("occupation") or "", record.get("by") or "",
                record.get("attribution") or "", record.get("event_id_cnty") or "", tuple(history))


CSV_COLUMNS = ("case_id", "status", "taken", "days_held", "location", "country", "latitude", "longitude",
               "victims", "nationalities", "occupation", "held_by", "attribution", "last_news", "last_news_date",
               "last_source", "history", "event_id_cnty")


def cases_csv(cases: Sequence[Case], today: date) -> str:
    """One row per case, its history in one cell; cells a spreadsheet would run as formulas are neutralised."""
    from geo.io.export import neutralise_cell  # the export module is not needed to colour the map's abductions

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        last = max(case.history, key=lambda c: c.when or date.min) if case.history else None
        history = "; ".join(f"{c.when.isoformat() if c.when else 'undated'} {STATUS_LABELS.get(c.status, c.status)}"
                            f" ({c.source})" for c in sorted(case.history, key=lambda c: c.when or date.min))
        row = [case.case_id, case.status, case.taken.isoformat() if case.taken else "", case.days_held(today),
               case.location, case.country, case.latitude, case.longitude, case.victims,
               ", ".join(vocab.country_name(c) for c in dict.fromkeys(case.nationalities)), case.occupation,
               case.by, case.attribution, STATUS_LABELS.get(last.status, last.status) if last else "",
               last.when.isoformat() if last and last.when else "", last.source if last else "", history,
               case.event_id_cnty]
        writer.writerow(["" if v is None else neutralise_cell(v) for v in row])
    return out.getvalue()
