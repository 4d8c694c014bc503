"""The extraction pipeline: report text in, places, ACLED-shaped events and control claims out."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Sequence

from geo.extract.actors import Actor, find_actors
from geo.extract.control import ControlStatement, control_statements, to_zone
from geo.extract.dates import datelines
from geo.extract.events import SUB_EVENTS, Draft, drafts_for, main_group, main_state, merge_drafts
from geo.extract.figures import find_figures
from geo.extract.places import PlaceMention, find_places, unresolved_names
from geo.extract.text import sentences
from geo.gazetteer import Gazetteer, Place, default_gazetteer
from geo.schema import ControlZone, Event, conservative_fatalities, validate_event

COUNTRIES = {  # ISO2 -> (name, ISO numeric, ISO3, ACLED region)
    "ML": ("Mali", 466, "MLI", "Western Africa"), "BF": ("Burkina Faso", 854, "BFA", "Western Africa"),
    "NE": ("Niger", 562, "NER", "Western Africa"), "MR": ("Mauritania", 478, "MRT", "Western Africa"),
    "SN": ("Senegal", 686, "SEN", "Western Africa"), "GN": ("Guinea", 324, "GIN", "Western Africa"),
    "CI": ("Ivory Coast", 384, "CIV", "Western Africa"), "NG": ("Nigeria", 566, "NGA", "Western Africa"),
    "TD": ("Chad", 148, "TCD", "Middle Africa"), "DZ": ("Algeria", 12, "DZA", "Northern Africa"),
    "BJ": ("Benin", 204, "BEN", "Western Africa"), "TG": ("Togo", 768, "TGO", "Western Africa"),
    "GH": ("Ghana", 288, "GHA", "Western Africa"), "GM": ("Gambia", 270, "GMB", "Western Africa"),
    "GW": ("Guinea-Bissau", 624, "GNB", "Western Africa"), "LY": ("Libya", 434, "LBY", "Northern Africa"),
}


@dataclass
class Extraction:
    """What a report yields: its place mentions, events (with evidence) and control statements."""

    places: list[PlaceMention]
    events: list[Event]
    evidence: list[list[dict[str, Any]]]
    control: list[ControlStatement] = field(default_factory=list)
    text: str = ""
    published: date | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``python -m geo extract --json`` object."""
        return {
            "places": [place_json(m) for m in self.places],
            "events": [event_json(e, ev) for e, ev in zip(self.events, self.evidence)],
            "control": [c.to_json() for c in self.control],
        }

    def zones(self, source: str) -> list[ControlZone]:
        """Control-zone entries for the control layer, one per statement whose area can be drawn."""
        zones = [to_zone(c, self.published or date.today(), source) for c in self.control]
        return [z for z in zones if z is not None]


def place_json(mention: PlaceMention) -> dict[str, Any]:
    """A place mention as JSON: as written, resolved name, point, country, precision and span."""
    place = mention.place
    return {
        "text": mention.text, "name": place.name if place else None,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "country": place.country if place else None, "geo_precision": place.geo_precision if place else None,
        "feature": place.feature if place else None, "resolved": place is not None,
        "start": mention.start, "end": mention.end,
        "candidates": [{"name": c.place.name, "country": c.place.country, "latitude": c.place.latitude,
                        "longitude": c.place.longitude, "feature": c.place.feature, "score": round(c.score, 1)}
                       for c in mention.candidates],
    }


def event_json(event: Event, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """An event as JSON: the ACLED fields plus ``claims``, ``abducted`` and ``evidence``."""
    data = event.to_dict()
    data["tags"] = [t.strip() for t in event.tags.split(";") if t.strip()]
    data["abducted"] = data.pop("abduction")
    data.pop("provenance")
    data["evidence"] = evidence
    return data


def _event_id(iso3: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:8].upper()
    return f"{iso3}X{digest}"


def build_event(draft: Draft, *, published: date, source: str, report: str, group: Actor, state: Actor,
                home: Place | None, country_area: Place | None = None) -> tuple[Event, list[dict[str, Any]]]:
    """An ACLED-shaped :class:`Event` (and its evidence list) from a merged draft.

    A draft with no place of its own takes the report's main place (``home``),
    except a distinct "other incidents" draft, which is placed at country level.
    """
    mention = draft.place
    place = mention.place if mention else (country_area if draft.distinct else home)
    if mention is None and place is not None and place.geo_precision == 1:
        place = replace(place, geo_precision=2)  # placed by the report's main place, not its own mention
    when, precision = draft.when(published)
    event_type, sub = SUB_EVENTS[draft.category]
    named_groups = [a.actor for a in draft.actors if a.actor.inter != "State forces" and not a.generic]
    actor1 = named_groups[0] if named_groups else group
    inter2, actor2 = state.inter, state.name
    assoc2 = ""
    if draft.category in ("abduction", "civilians"):
        codes = draft.nationalities
        inter2 = "Civilians"
        actor2 = f"Civilians ({COUNTRIES.get(codes[0], (codes[0],))[0] if codes else 'Mali'})"
        others = sorted({c for c in codes[1:] if c != (codes[0] if codes else "")})
        assoc2 = "; ".join(f"Civilians ({COUNTRIES.get(c, (c,))[0]})" for c in others)
    if draft.category in ("air_strike", "regained"):
        actor1, actor2, inter2 = state, group.name, group.inter
    country = place.country if place else "ML"
    name, iso, iso3, region = COUNTRIES.get(country, COUNTRIES["ML"])
    claims = [{"claimant": f.claimant, "claimant_type": f.claimant_type, "metric": f.metric,
               "value": f.quantity.value, "qualifier": f.quantity.qualifier, "source": source}
              for f in draft.figures]
    abduction = None
    if draft.category == "abduction":
        taken = [f.quantity.value for f in draft.figures if f.kind == "abducted"]
        count = max([*taken, len(draft.nationalities)]) or None
        abduction = {"count": count, "nationalities": draft.nationalities, "status": "held"}
    evidence = [{"field": "event", "report": report, "start": s.start, "end": s.end, "text": s.text}
                for s in draft.sentences]
    if mention:
        evidence.append({"field": "location", "report": report, "start": mention.start, "end": mention.end,
                         "text": mention.text})
    evidence += [{"field": f"claims.{f.metric}", "report": report, "start": f.start, "end": f.end}
                 for f in draft.figures]
    location = place.name if place else "Mali"
    record = {
        "event_id_cnty": _event_id(iso3, report, sub, when, location, draft.sentences[0].start),
        "event_date": when, "time_precision": precision, "event_type": event_type, "sub_event_type": sub,
        "actor1": actor1.name, "inter1": actor1.inter, "actor2": actor2, "assoc_actor_2": assoc2,
        "inter2": inter2, "civilian_targeting": "Civilian targeting" if inter2 == "Civilians" else "",
        "iso": iso, "region": region, "country": name, "admin1": place.admin1 if place else "",
        "admin2": place.admin2 if place else "", "location": location,
        "latitude": place.latitude if place else 17.35, "longitude": place.longitude if place else -3.53,
        "geo_precision": place.geo_precision if place else 3, "source": source, "source_scale": "",
        "notes": _notes(sub, location, when, actor1.name, claims, abduction),
        "fatalities": (conservative_fatalities((f.metric, f.quantity.value) for f in draft.figures)
                       if draft.category != "abduction" else 0),
        "tags": "blockade" if draft.category == "blockade" else "",
        "claims": claims, "abduction": abduction,
        "provenance": [{k: v for k, v in e.items() if k != "text"} for e in evidence],
    }
    return validate_event(record), evidence


def _notes(sub: str, location: str, when: date, actor: str, claims: Sequence[dict], abduction: dict | None) -> str:
    """A short summary in our own words, never a sentence copied from the report."""
    parts = [f"{sub} attributed to {actor.split(':')[0]} at or near {location} ({when.isoformat()})."]
    if abduction and abduction.get("count"):
        parts.append(f"{abduction['count']} people taken.")
    for claim in claims:
        qualifier = "" if claim["qualifier"] == "exact" else f"{claim['qualifier']} "
        parts.append(f"{claim['claimant'].split(':')[0]} figure: {qualifier}{claim['value']} {claim['metric']}.")
    parts.append("Extracted automatically; review before use.")
    return " ".join(parts)


WHOLE_SET = re.compile(r"\b(the|these|those|all|ces|les)\s+(attacks|assaults|raids|offensives|attaques|assauts)\b",
                       re.IGNORECASE)


def _continues(draft: Draft, previous: Draft) -> bool:
    """A sentence with no place or date of its own goes on about the previous incident,
    unless it speaks of "the attacks" as a whole."""
    return (not draft.places and not draft.dates and not draft.distinct and not previous.distinct
            and draft.category == previous.category
            and not any(WHOLE_SET.search(s.text) for s in draft.sentences))


def _share_main_date(drafts: Sequence[Draft], published: date) -> None:
    """Undated drafts take the day the report gives for the same kind of incident ("on Tuesday")."""
    for draft in drafts:
        if draft.dates:
            continue
        dated = next((d for d in drafts if d.category == draft.category and d.dates
                      and d.when(published)[1] == 1 and abs((d.when(published)[0] - published).days) <= 7), None)
        if dated is not None:
            draft.dates = [min(dated.dates, key=lambda m: (m.precision, m.start))]


def extract(text: str, *, published: date | None = None, source: str = "unknown source", report: str = "report",
            country_codes: Sequence[str] = ("ML",), gazetteer: Gazetteer | None = None) -> Extraction:
    """Extract places, events and control statements from report ``text``.

    Relative dates resolve against ``published``; without it, the report's
    dateline ("Bamako, 1 July 2025 —"), else today.
    """
    gazetteer = gazetteer or default_gazetteer()
    lines = datelines(text, published or date.today())
    if published is None:
        published = lines[0].value if lines else date.today()
    places = find_places(text, gazetteer, country_codes=country_codes)
    resolved = [p for p in places if p.place is not None]
    drafts: list[Draft] = []
    for sentence in sentences(text):
        found = drafts_for(sentence, resolved, published, source, lines)
        if len(found) == 1 and drafts and _continues(found[0], drafts[-1]):
            # no place, no date, same kind of event: the narrative goes on about the previous incident
            drafts[-1].sentences.append(sentence)
            drafts[-1].figures += found[0].figures
            drafts[-1].actors += found[0].actors
            drafts[-1].nationalities = drafts[-1].nationalities or found[0].nationalities
        elif found:
            drafts += found
        elif drafts:  # a figure in a follow-up sentence belongs to the incident just described
            figures = find_figures(sentence.text, sentence.start, source)
            if figures:
                drafts[-1].figures += figures
                drafts[-1].sentences.append(sentence)
    merged = merge_drafts(drafts, published)
    _share_main_date(merged, published)
    all_actors = find_actors(text)
    group, state = main_group(all_actors), main_state(all_actors)
    located = [d.place for d in merged if d.place is not None and d.place.place.feature != "country"]
    home = located[0].place if located else next((p.place for p in resolved), None)
    country_area = next((p.place for p in resolved if p.place.feature == "country"
                         and p.place.country == (home.country if home else "ML")), home)
    events, evidence = [], []
    for draft in merged:
        event, ev = build_event(draft, published=published, source=source, report=report, group=group,
                                state=state, home=home, country_area=country_area)
        events.append(event)
        evidence.append(ev)
    mentions = places + unresolved_names(text, places)
    return Extraction(sorted(mentions, key=lambda m: m.start), events, evidence,
                      control_statements(text, resolved, source, report, group), text, published)
