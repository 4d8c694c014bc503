"""Deduplication: two reports of the same incident become one event with both sources.

Two events match when their sub-event types are compatible, their dates fall
within the window their precisions allow, their places are as close as their
precisions allow (:data:`geo.vocab.PRECISION_DAYS`, :data:`geo.vocab.PRECISION_KM`),
and they share actor1.
The merge keeps every claim once and recomputes the conservative fatalities, so
the army's "about 80" and "over 80" for one wave are not added up.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from geo.place import haversine_km
from geo.schema import Event, conservative_fatalities
from geo.vocab import PRECISION_KM, same_incident_window

COMPATIBLE = [{"Armed clash", "Attack", "Non-state actor overtakes territory"},
              {"Abduction/forced disappearance"}, {"Remote explosive/landmine/IED"}, {"Air/drone strike"},
              {"Government regains territory"}, {"Other"}]


@dataclass(frozen=True)
class Match:
    """Why two events were judged the same incident."""

    existing: str
    days: int
    km: float
    reason: str


def _compatible(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in COMPATIBLE)


def same_incident(new: Event, old: Event) -> Match | None:
    """A :class:`Match` if ``new`` and ``old`` report the same incident, else None."""
    if not _compatible(new.sub_event_type, old.sub_event_type) or new.country != old.country:
        return None
    if new.actor1 != old.actor1:
        return None
    days = abs((new.event_date - old.event_date).days)
    if days > same_incident_window(new.time_precision, old.time_precision):
        return None
    km = haversine_km(new.latitude, new.longitude, old.latitude, old.longitude)
    if km > PRECISION_KM[max(new.geo_precision, old.geo_precision)]:
        return None
    reason = (f"same kind of event ({old.sub_event_type}), {days} day(s) apart, {km:.0f} km apart, "
              f"same actor ({old.actor1.split(':')[0]})")
    return Match(old.event_id_cnty, days, km, reason)


def merge(old: Event, new: Event, match: Match) -> Event:
    """``old`` enriched with ``new``: both sources, every distinct claim, the more precise place and date."""
    claims = list(old.claims)
    for claim in new.claims:
        if not any((c.claimant, c.metric, c.value, c.qualifier) == (claim.claimant, claim.metric, claim.value,
                                                                     claim.qualifier) for c in claims):
            claims.append(claim)
    better_place = new if new.geo_precision < old.geo_precision else old
    better_date = new if new.time_precision < old.time_precision else old
    sources = "; ".join(dict.fromkeys([*old.source.split("; "), *new.source.split("; ")]))
    abduction = old.abduction
    if new.abduction and (abduction is None or (new.abduction.count or 0) > (abduction.count or 0)):
        abduction = new.abduction
    # A figure the stored event already carries (same claimant, metric and number, however hedged) is
    # already in its fatalities - perhaps split over a wave of events - and must not be counted again.
    known = {(c.claimant, c.metric, c.value) for c in old.claims}
    fresh = [c for c in new.claims if c.metric.endswith("killed") and (c.claimant, c.metric, c.value) not in known]
    fatalities = conservative_fatalities((c.metric, c.value) for c in claims) if fresh else old.fatalities
    note = f"{old.notes} [Merged a second report: {match.reason}.]"
    return replace(
        old, source=sources, claims=tuple(claims), provenance=tuple(dict.fromkeys(old.provenance + new.provenance)),
        fatalities=fatalities,
        location=better_place.location, latitude=better_place.latitude, longitude=better_place.longitude,
        geo_precision=better_place.geo_precision, admin1=better_place.admin1, admin2=better_place.admin2,
        event_date=better_date.event_date, year=better_date.event_date.year,
        time_precision=better_date.time_precision, abduction=abduction, notes=note[:20_000],
    )


def deduplicate(new_events: Sequence[Event], existing: Sequence[Event]) -> tuple[list[Event], list[Match]]:
    """Events to save: new ones, and existing ones merged with their duplicates; plus the matches made."""
    pool = {e.event_id_cnty: e for e in existing}
    out: dict[str, Event] = {}
    matches: list[Match] = []
    for event in new_events:
        candidates = [*out.values(), *[e for k, e in pool.items() if k not in out]]
        found = next(((old, m) for old in candidates if (m := same_incident(event, old))), None)
        if found is None:
            out[event.event_id_cnty] = event
            continue
        old, match = found
        out[old.event_id_cnty] = merge(old, event, match)
        matches.append(match)
    return list(out.values()), matches
