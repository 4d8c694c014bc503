"""The extraction pipeline: report text in, places, ACLED-shaped events and control claims out."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from geo import vocab
from geo.extract.actors import (
    FRANCE,
    STATE,
    STATE_ACTORS,
    UNNAMED_WORDS,
    Actor,
    ActorMention,
    find_actors,
    state_forces,
    unidentified,
)
from geo.extract.control import ControlStatement, control_statements, to_zone
from geo.extract.countries import country_mentions, detect_countries, ordered_hints
from geo.extract.dates import DateMention, datelines, find_dates, report_year
from geo.extract.events import (
    MILITARY_TARGET,
    SUB_EVENTS,
    Draft,
    drafts_for,
    is_background,
    merge_drafts,
    named_group,
    same_kind,
)
from geo.extract.figures import UNNAMED_GROUP, UNNAMED_STATE, find_figures
from geo.extract.hostages import HostageUpdate, hostage_updates
from geo.extract.numbers import parse_quantity
from geo.extract.placement import placed_near
from geo.extract.places import PlaceMention, find_places, unresolved_names
from geo.extract.text import published_in_text, sentences
from geo.gazetteer import Gazetteer, Place, default_gazetteer, is_world_place
from geo.schema import ControlZone, Event, conservative_fatalities, validate_event
from geo.vocab import country_name


@dataclass
class Extraction:
    """What a report yields: its place mentions, events (with evidence) and control statements."""

    places: list[PlaceMention]
    events: list[Event]
    evidence: list[list[dict[str, Any]]]
    control: list[ControlStatement] = field(default_factory=list)
    text: str = ""
    published: date | None = None
    countries: list[str] = field(default_factory=list)
    hostages: list[HostageUpdate] = field(default_factory=list)  # what became of people held

    def to_json(self) -> dict[str, Any]:
        """The ``python -m geo extract --json`` object."""
        return {
            "places": [place_json(m) for m in self.places],
            "events": [event_json(e, ev) for e, ev in zip(self.events, self.evidence, strict=True)],
            "control": [c.to_json() for c in self.control],
            "hostage_updates": [h.to_json() for h in self.hostages],
        }

    def zones(self, source: str) -> list[ControlZone]:
        """Control-zone entries for the control layer, one per statement whose area can be drawn."""
        if self.published is None:
            return []  # a control claim is dated by its report: without a date it cannot be placed in time
        home = self.countries[0] if self.countries else None
        zones = [to_zone(c, self.published, source, home) for c in self.control]
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


def build_event(draft: Draft, *, published: date | None, source: str, report: str, group: Actor | None,
                home: Place | None, country_areas: dict[str, Place], countries: Sequence[str],
                ) -> tuple[Event, list[dict[str, Any]]] | None:
    """An ACLED-shaped :class:`Event` (and its evidence list) from a merged draft, or None
    when neither the draft nor the report says in which country it happened.

    Actors are only those the text names: an unnamed perpetrator is ACLED's
    "Unidentified Armed Group (Country)", and "the army" is the army of the
    country where the event happened.
    """
    where = _where(draft, home, country_areas, countries)
    if where is None:
        return None
    mention, place = where
    code = place.country
    country = vocab.COUNTRIES.get(code)
    name = country_name(code)
    iso, iso3, region = (country.iso, country.iso3, country.region) if country else (0, code, "Western Africa")
    when, precision = draft.when(published)
    event_type, sub = SUB_EVENTS[draft.category]
    actor1, actor2, assoc2 = _actors(draft, code, group)
    claims = [{"claimant": _claimant(f.claimant, code, actor1), "claimant_type": f.claimant_type,
               "metric": f.metric, "value": f.quantity.value, "qualifier": f.quantity.qualifier, "source": source}
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
    tags = ["blockade"] if draft.category == "blockade" else []
    if when is None:
        tags.append("date unknown")
    if place.geo_precision == 3:
        tags.append("review: located only by region or country")
    if place.source.startswith("not in the gazetteer"):
        tags.append(f"review: {place.name} is {place.source}")
    record = {
        "event_id_cnty": _event_id(iso3, report, sub, when, place.name, draft.sentences[0].start),
        "event_date": when, "time_precision": precision, "event_type": event_type, "sub_event_type": sub,
        "actor1": actor1.name, "inter1": actor1.inter, "actor2": actor2.name if actor2 else "",
        "assoc_actor_2": assoc2, "inter2": actor2.inter if actor2 else "",
        "civilian_targeting": "Civilian targeting" if actor2 and actor2.inter == "Civilians" else "",
        "iso": iso, "region": region, "country": name, "admin1": place.admin1, "admin2": place.admin2,
        "location": place.name, "latitude": place.latitude, "longitude": place.longitude,
        "geo_precision": place.geo_precision, "source": source, "source_scale": "",
        "notes": _notes(sub, place.name, when, actor1.name, claims, abduction),
        "fatalities": (conservative_fatalities((f.metric, f.quantity.value) for f in draft.figures)
                       if draft.category != "abduction" else 0),
        "tags": "; ".join(tags),
        "claims": claims, "abduction": abduction,
        "provenance": [{k: v for k, v in e.items() if k != "text"} for e in evidence],
    }
    return validate_event(record, undated_ok=True), evidence


def _where(draft: Draft, home: Place | None, country_areas: dict[str, Place],
           countries: Sequence[str]) -> tuple[PlaceMention | None, Place] | None:
    """The draft's own place mention (if any) and the place the event gets, or None when no country is known.

    A draft with no place of its own takes the report's main place (``home``, with
    precision 2), except a distinct "other incidents" draft, which is placed at
    country level; an unplaced attack on another country's army is in that country.
    """
    mention = draft.place
    if mention is not None and mention.place.feature == "country" and countries \
            and mention.place.country not in countries and not _located_in(draft, mention):
        mention = None  # "the Malian army said" in a report about Niger: not where the event happened
    place = mention.place if mention else (None if draft.distinct else home)
    army_abroad = _foreign_army(draft, place.country if place else None)
    if mention is None and army_abroad in country_areas:
        place = country_areas[army_abroad]  # "an attack on the Malian army in the same area" in a Niger report
    if place is None:
        place = country_areas.get(countries[0]) if countries else None
    if place is None:
        return None
    if mention is None and place.geo_precision == 1:
        place = replace(place, geo_precision=2)  # placed by the report's main place, not its own mention
    return mention, place


IN_COUNTRY = re.compile(r"\b(?:in|inside|across|au|en|dans)\s+(?:the\s+|le\s+|la\s+|l['’])?$", re.IGNORECASE)


def _located_in(draft: Draft, mention: PlaceMention) -> bool:
    """True when the sentence says the event happened in that country ("struck in Nigeria", "au Niger")."""
    sentence = next((s for s in draft.sentences if s.start <= mention.start < s.end), None)
    return sentence is not None and bool(IN_COUNTRY.search(sentence.text[:mention.start - sentence.start]))


def _actors(draft: Draft, code: str, group: Actor | None) -> tuple[Actor, Actor | None, str]:
    """(actor1, actor2, assoc_actor_2) for a draft in country ``code``, from what the text names only."""
    name = country_name(code)
    struck = _militias_struck(draft)
    named = [a for a in _perpetrators(draft) if a not in struck]
    perpetrator = named[0] if named else (group if group not in struck else None) or unidentified(name)
    army = _state(draft.actors, code)
    text = " ".join(s.text for s in draft.sentences)
    targets_army = bool(MILITARY_TARGET.search(text)) or any(a.actor.inter == "State forces" for a in draft.actors)
    actor1, actor2, assoc2 = perpetrator, None, ""
    if draft.category in ("clash", "overtaken", "explosion", "blockade") and targets_army and army:
        actor2 = army
    if draft.category == "abduction" and targets_army and army and not draft.nationalities \
            and any("soldier" in f.metric for f in draft.figures):
        actor2 = army  # soldiers captured
    elif draft.category in ("abduction", "civilians"):
        codes = draft.nationalities or [code]
        unknown = FOREIGNERS.search(text) and not draft.nationalities  # "four foreigners": nationality not said
        actor2 = Actor(f"Civilians ({'International' if unknown else country_name(codes[0])})", "Civilians")
        assoc2 = "; ".join(f"Civilians ({country_name(c)})" for c in sorted({c for c in codes[1:] if c != codes[0]}))
    if actor2 is None and struck and draft.category == "clash":
        actor2 = struck[0]  # "ten VDP were killed in an ambush": the militia is the target
    if draft.category == "clash" and army is not None and _state_operation(draft):
        # "the army neutralised twenty terrorists in a sweep": the state acted, the group is its target
        actor1, actor2 = army, perpetrator
    elif draft.category in ("air_strike", "regained"):
        french = [a.actor for a in draft.actors if a.actor == FRANCE]
        states = [a for a in draft.actors if a.actor.inter == "State forces"]
        # a strike is the state's when the text names an army or the military, never by default
        striker = french[0] if french and draft.category == "air_strike" else (army if states else None)
        if striker is None and draft.category == "air_strike":
            actor1 = named[0] if named else unidentified(name)  # never the story's group by default
        if striker is not None:
            actor1 = striker
            # the state's foreign partners (Wagner, Africa Corps) strike beside it, never its target
            targets = [a for a in named if a.inter != "External/Other forces"]
            victims = {f.metric.split()[0] for f in draft.figures if f.kind == "killed"}
            civilians = draft.category == "air_strike" and not targets and bool(victims) \
                and victims <= {"civilians", "people"}
            actor2 = Actor(f"Civilians ({name})", "Civilians") if civilians else (targets[0] if targets else None)
    return actor1, actor2, assoc2


FOREIGNERS = re.compile(r"\b(foreign(?:ers?)?|expatriates?|étrangers?|étrangères?|expatriés?)\b", re.IGNORECASE)


ARMY_COUNTRY = {actor: code for code, actor in STATE_ACTORS.items()}


def _foreign_army(draft: Draft, home: str | None) -> str | None:
    """The country of the one army a draft names, when it is not the report's home country."""
    codes = {ARMY_COUNTRY[a.actor] for a in draft.actors if a.actor in ARMY_COUNTRY}
    return codes.pop() if len(codes) == 1 and home not in codes else None


# the army acting (not repelling: whoever attacked is actor1 then)
STATE_OPERATION = re.compile(r"\b(?:neutrali[sz]\w*|opérations?|operations?|ratissage|sweeps?|counter-?offensive|"
                             r"contre-offensive|pursu\w+|poursuivi\w*)\b", re.IGNORECASE)


# an attack on someone ("une attaque contre leur position", "an assault on the base"), and what makes the state's
# action that follows one a new operation rather than its riposte ("après l'attaque contre…", "following the raid on…")
ATTACK_ON = re.compile(r"\b(?:attaques?|attacks?|assauts?|assaults?|raids?|embuscades?|ambush(?:es)?)\s+"
                       r"(?:\w+\s+)?(?:contre|sur|visant|on|against|targeting)\b", re.IGNORECASE)
AFTER = re.compile(r"\b(?:après|after|suite à|following|in response to|responding to|en réponse à|en représailles?)\b",
                   re.IGNORECASE)


def _state_operation(draft: Draft) -> bool:
    """True when the first sentence has state forces doing an operation ("l'armée a neutralisé..."):
    a state actor before an operation word, with no armed group named in between. Not when the sentence tells of
    an attack on someone before it ("soldiers were killed in an attack on their position, the ministry said, which
    says it neutralised twenty assailants"): that is the state repelling an attack, whose authors are actor1."""
    sentence = draft.sentences[0]
    verb = STATE_OPERATION.search(sentence.text)
    if verb is None:
        return False
    attack = ATTACK_ON.search(sentence.text[:verb.start()])
    if attack is not None and not AFTER.search(sentence.text[:attack.start()]):
        return False
    at = sentence.start + verb.start()
    before = [a for a in draft.actors if sentence.start <= a.start < at]
    states = [a for a in before if a.actor.inter == "State forces"]
    if not states or before[-1].actor.inter not in ("State forces", "Rebel group"):
        return False
    # a group named before the operation word only as those the state killed: "the army said its troops killed 45
    # fighters of IS Sahel during an operation"
    return all(group.start > states[0].end
               and KILLED_BY.search(sentence.text[states[0].end - sentence.start:group.start - sentence.start])
               for group in before if group.actor.inter == "Rebel group")


KILLED_BY = re.compile(r"\b(?:killed|killing|neutrali[sz]\w*|eliminated|eliminating|tué|tuant|abattu|éliminé)",
                       re.IGNORECASE)


def _militias_struck(draft: Draft) -> list[Actor]:
    """The militias a draft names when its figures count militiamen among the dead, wounded or taken: the targets."""
    if not any(f.metric.startswith("militia ") for f in draft.figures):
        return []
    return list(dict.fromkeys(a.actor for a in draft.actors if a.actor.inter in vocab.MILITIA_INTERS))


# a group the text says did not do it: "IS Sahel did not claim the attack", "le JNIM a démenti toute implication"
DISOWNED = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}?(?:did not|didn't|has not|hasn't|have not|had not|never|"
                      r"n['’]a pas|n['’]ont pas|n['’]avait pas|ne s['’]est pas)\s+(?:\w+\s+)?"
                      r"(?:claim|claimed|revendiqué|attribué)\b|^\W*(?:[\w'’-]+\s+){0,3}?(?:denied|denies|"
                      r"a démenti|dément|démentent|nie|a nié|rejected responsibility|a rejeté)\b", re.IGNORECASE)


def _disowns(text: str, mention: ActorMention) -> bool:
    """Whether the words after a group's ``mention`` say it did not do it ("did not claim", "a démenti")."""
    if mention.actor.inter == "State forces":  # "the army denied": a denial of something else, the army still fought
        return False
    after = re.split(r"[.;\n]", text[mention.end:mention.end + 120], maxsplit=1)[0]
    return bool(DISOWNED.search(after))


def _perpetrators(draft: Draft) -> list[Actor]:
    """The armed groups a draft names, rebels first; a pro-government militia (VDP, Dozo) only when the
    text does not also speak of unnamed jihadists or gunmen, who are then the likelier perpetrators."""
    named = [a.actor for a in draft.actors if a.actor.inter != "State forces" and not a.generic]
    rebels = [a for a in named if a.inter == "Rebel group"]
    if rebels:
        return rebels
    text = " ".join(s.text for s in draft.sentences)
    return [] if UNNAMED_WORDS.search(text) else named


def _state(actors: Sequence[ActorMention], code: str) -> Actor | None:
    """The state forces in a draft: those it names by country, else the army of the event's country."""
    named = [a.actor for a in actors if a.actor.inter == "State forces" and a.actor != STATE]
    return named[0] if named else state_forces(code)


def _claimant(claimant: str, code: str, actor1: Actor) -> str:
    """A claimant placeholder named: "State forces" after the event's country, an unnamed group as actor1."""
    if claimant == UNNAMED_STATE:
        army = state_forces(code)
        return army.name if army else "State forces"
    if claimant == UNNAMED_GROUP:
        return actor1.name
    return claimant


NOTE_CLAIMS = 8  # figures spelt out in an event's notes; all of them stay in its claims


def _notes(sub: str, location: str, when: date | None, actor: str, claims: Sequence[dict],
           abduction: dict | None) -> str:
    """A short summary in our own words, never a sentence copied from the report."""
    day = when.isoformat() if when else "date unknown"
    parts = [f"{sub} attributed to {actor.split(':')[0]} at or near {location} ({day})."]
    if abduction and abduction.get("count"):
        parts.append(f"{abduction['count']} people taken.")
    for claim in claims[:NOTE_CLAIMS]:
        qualifier = "" if claim["qualifier"] == "exact" else f"{claim['qualifier']} "
        parts.append(f"{claim['claimant'].split(':')[0]} figure: {qualifier}{claim['value']} {claim['metric']}.")
    if len(claims) > NOTE_CLAIMS:
        parts.append(f"{len(claims) - NOTE_CLAIMS} more figures in the claims.")
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


def _share_main_date(drafts: Sequence[Draft], published: date | None) -> None:
    """Undated drafts take the day the report gives for the same kind of incident ("on Tuesday")."""
    if published is None:
        return
    for draft in drafts:
        if draft.dates:
            continue
        dated = next((d for d in drafts if d.category == draft.category and d.dates
                      and d.when(published)[1] == 1 and abs((d.when(published)[0] - published).days) <= 7), None)
        if dated is not None:
            draft.dates = [min(dated.dates, key=lambda m: (m.precision, m.start))]


def _read_drafts(text: str, mentions: Sequence[PlaceMention], published: date | None, source: str,
                 lines: Sequence[DateMention], year: int | None, all_actors: Sequence[ActorMention],
                 all_dates: Sequence[DateMention]) -> list[Draft]:
    """The report's drafts, sentence by sentence: new incidents, sentences that go on about the last one,
    "the attack took place on..." sentences that date it, and follow-up figures; the headline's own
    drafts only for kinds of events the body does not report."""
    drafts: list[Draft] = []
    title: list[Draft] = []
    title_end = _title_end(text)
    for sentence in sentences(text):
        found = drafts_for(sentence, mentions, published, source, lines, year, all_actors, all_dates)
        if sentence.end <= title_end:
            title += found  # a headline sums up the body: kept only for what the body does not report
            continue
        earlier = _referent(found, drafts, sentence.text)
        if earlier is not None:
            # "The attack took place on July 15": the incident already described, now dated
            earlier.sentences.append(sentence)
            earlier.dates += found[0].dates
            earlier.figures += found[0].figures
            earlier.actors += found[0].actors
        elif len(found) == 1 and drafts and _continues(found[0], drafts[-1]):
            # no place, no date, same kind of event: the narrative goes on about the previous incident
            # (a list of places split into events keeps its toll once, on the first)
            target = _head(drafts)
            target.sentences.append(sentence)
            target.figures += found[0].figures
            target.actors += found[0].actors
            target.nationalities = target.nationalities or found[0].nationalities
        elif found:
            for draft in found:
                days = [d for d in drafts[-1].dates if d.precision < 3] if drafts else []
                later = _days_later(sentence.text)
                if not draft.dates and days and later:
                    day = min(days, key=lambda d: (d.precision, d.start))  # "le lendemain", "trois jours après"
                    draft.dates = [replace(day, value=day.value + timedelta(days=later))]
                elif not draft.dates and days and _same_paragraph(text, drafts[-1], draft):
                    draft.dates = days  # the narrative goes on in the same paragraph
            drafts += [d for d in found if d.places or d.dates or d.figures or d.distinct]
        elif drafts and not is_background(sentence.text, (), published):
            # a figure in a follow-up sentence belongs to the incident just described
            figures = find_figures(sentence.text, sentence.start, source)
            if figures:
                target = _head(drafts)
                target.figures += figures
                target.sentences.append(sentence)
    kinds = {d.category for d in drafts}
    # a headline's own event needs a place below the country: "blockaded Burkina city" is no event by itself
    drafts = [d for d in title if d.category not in kinds
              and any(m.place is not None and m.place.feature != "country" for m in d.places)] + drafts
    return drafts


def extract(text: str, *, published: date | None = None, source: str = "unknown source", report: str = "report",
            country_codes: Sequence[str] | None = None, gazetteer: Gazetteer | None = None) -> Extraction:
    """Extract places, events and control statements from report ``text``.

    Relative dates resolve against ``published``; without it, the date the
    report itself gives (a "Published" line, a dateline).  Without any, only
    dates written in full resolve and the other events stay undated, flagged.
    ``country_codes`` overrides the countries detected from the text.
    """
    gazetteer = gazetteer or default_gazetteer()
    if published is None:
        published = published_in_text(text)
    lines = datelines(text, published)
    if published is None and lines:
        published = lines[0].value
    year = report_year(text) if published is None else None
    countries = ordered_hints(detect_countries(text, gazetteer), country_codes)
    all_actors = find_actors(text)
    # the names of groups and forces ("Katiba Macina", "FAMa") are not places
    group_names = [(a.start, a.end) for a in all_actors if a.actor.inter != "State forces"
                   or a.alias.isupper() or a.alias[:2].isupper()]
    places = find_places(text, gazetteer, country_codes=countries, mentioned=list(country_mentions(text)),
                         skip=group_names)
    places = placed_near(text, _mark_datelines(text, places) + _capitals(text, gazetteer, countries, places))
    # toponyms abroad ("Rome", "New Delhi", "l'Italie") are named, never where the region's events happen
    local = [p for p in places if p.place is None or not is_world_place(p.place)]
    resolved = [p for p in local if p.place is not None and not p.nested]
    site_mentions = [p for p in local if not p.nested]  # with the listed villages the gazetteer lacks
    all_dates = find_dates(text, published, year=year)
    # a group the text says did not do it is no actor of the incidents ("IS Sahel did not claim the attack")
    owned = [a for a in all_actors if not _disowns(text, a)]
    drafts = _read_drafts(text, site_mentions, published, source, lines, year, owned, all_dates)
    merged = merge_drafts(drafts, published)
    _share_main_date(merged, published)
    _place_abductions_at_their_attack(text, merged, published)
    located = [d.place for d in merged if d.place is not None and d.place.place.feature != "country"]
    home = located[0].place if located else next((p.place for p in resolved if p.place.feature != "country"), None)
    country_areas = {p.place.country: p.place for p in resolved if p.place.feature == "country"}
    armies = {ARMY_COUNTRY[a.actor] for a in all_actors if a.actor in ARMY_COUNTRY}
    for code in [*countries, *sorted(armies)]:
        if code not in country_areas:
            area = next((p for p in gazetteer.lookup(country_name(code)) if p.feature == "country"), None)
            if area is not None:
                country_areas[code] = area
    paragraphs = _paragraphs(text)
    lead = _lead_span(text, paragraphs)
    events, evidence = [], []
    for draft in merged:
        built = build_event(draft, published=published, source=source, report=report,
                            group=(_group_for(draft, paragraphs, merged, owned)
                                   or _group_of_the_attack(draft, merged)
                                   or _lead_group(draft, lead, merged, owned)),
                            home=home, country_areas=country_areas,
                            countries=countries)
        if built is not None:
            events.append(built[0])
            evidence.append(built[1])
    mentions = places + [m for m in unresolved_names(text, places)
                         if not any(m.start < e and s < m.end for s, e in group_names)]
    written = [d for d in all_dates if not any(d.start < x.end and x.start < d.end for x in lines)]  # no datelines
    hostages = hostage_updates(sentences(text), places, written, all_actors, published)
    return Extraction(sorted(mentions, key=lambda m: m.start), events, evidence,
                      control_statements(text, resolved, source, report, None), text, published, countries, hostages)


DAYS_LATER = re.compile(r"\b(?P<n>[\w-]+)\s+(?:jours?|days?)\s+(?:après|plus tard|later|afterwards)\b", re.IGNORECASE)


def _days_later(sentence: str) -> int:
    """How many days after the incident just told this sentence's one happened (0: it does not say)."""
    if NEXT_DAY.search(sentence):
        return 1
    match = DAYS_LATER.search(sentence)
    count = parse_quantity(match.group("n")) if match else None
    return count.value if count is not None and 0 < count.value < 60 else 0


NEXT_DAY = re.compile(r"\b(?:le lendemain|the next day|the following day|the day after|a day later|"
                      r"un jour plus tard)\b", re.IGNORECASE)
ANAPHORA = re.compile(r"\b(?:the|this|that|cette|l['’]|ce|the same)\s*(?:attack|assault|raid|ambush|kidnapping|"
                      r"abduction|massacre|strike|attaque|assaut|embuscade|enlèvement|rapt|tuerie|frappe)\b",
                      re.IGNORECASE)


def _referent(found: Sequence[Draft], drafts: Sequence[Draft], sentence: str) -> Draft | None:
    """The incident an unplaced sentence about "the attack" goes on about: the latest of its kind."""
    if len(found) != 1 or not drafts or not ANAPHORA.search(sentence):
        return None
    draft = found[0]
    if any(m.place is not None and m.place.feature != "country" for m in draft.places):
        return None
    return next((d for d in reversed(drafts) if same_kind(d.category, draft.category) and not d.distinct), None)


DATELINE_AFTER = re.compile(r"^(?:\s*,\s*[A-ZÀ-Ý][\w'’ -]{1,30}?)?\s*(?:\([\w .'’-]{1,25}\)\s*)?"
                            r"(?:—|–|--|-\s|:|,\s*(?:\w+\s+)?\d{1,2}\b|,\s*\d{1,2}\s+\w+)")


def _mark_datelines(text: str, places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """A place opening a paragraph as a dateline ("BAMAKO, Mali (AP) —", "New Delhi, July 19:") says
    where the report was filed, not where anything happened: kept as a toponym, never an event's site."""
    out = []
    for mention in places:
        line_start = text.rfind("\n", 0, mention.start) + 1
        if not text[line_start:mention.start].strip() and DATELINE_AFTER.match(text[mention.end:mention.end + 40]):
            mention = replace(mention, nested=True)
        out.append(mention)
    return out


CAPITAL_PHRASE = re.compile(r"\b(?:the (?:country's |nation's )?capital(?: city)?|la capitale)\b"
                            r"(?!\s+(?:of|de|du|des|régionale|regional))", re.IGNORECASE)


def _capitals(text: str, gazetteer: Gazetteer, countries: Sequence[str],
              places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """"In the capital": the capital of the country the report is about, when it is about one."""
    if not countries or countries[0] not in vocab.COUNTRIES:
        return []
    city = next((p for p in gazetteer.lookup(vocab.COUNTRIES[countries[0]].capital)
                 if p.country == countries[0] and "capital" in (p.feature, p.admin_seat)), None)
    if city is None:
        return []
    taken = [(m.start, m.end) for m in places]
    return [PlaceMention(m.group(0), m.start(), m.end(), city) for m in CAPITAL_PHRASE.finditer(text)
            if not any(m.start() < e and s < m.end() for s, e in taken)]


def _head(drafts: Sequence[Draft]) -> Draft:
    """The draft a follow-up sentence adds to: the last, or the first of the places it was split from."""
    last = drafts[-1]
    return next((d for d in drafts if last.split_group and d.split_group == last.split_group), last)


def _place_abductions_at_their_attack(text: str, drafts: Sequence[Draft], published: date | None) -> None:
    """People taken "in the area" or "near the border", when the same paragraph (or, if they were taken
    "during an attack", the report) tells of an attack at a named place on a compatible day: they were
    taken there."""
    for draft in drafts:
        if draft.category != "abduction" or (draft.place is not None and draft.place.place.feature not in (
                "country", "admin1", "border", "tri_border")):
            continue
        during = DURING_AN_ATTACK.search(" ".join(s.text for s in draft.sentences))
        attack = next((d for d in drafts if d.category in ("clash", "civilians") and d.place is not None
                       and d.place.place.feature not in ("country", "admin1", "border", "tri_border")
                       and (during or _near_in_text(text, d, draft)) and _same_day(d, draft, published)), None)
        if attack is not None:
            draft.anchors = [attack.place]


# "abducted ... following an armed ambush", "enlevés lors de l'attaque": taken in an attack the report places
DURING_AN_ATTACK = re.compile(r"\b(?:during|in|following|after|lors d[eu']|pendant|au cours d[eu']|après)\s+"
                              r"(?:an?|the|this|une?|l['’]|cette|cet)?\s*(?:armed\s+)?(?:attack|ambush|raid|assault|"
                              r"attaque|embuscade|assaut)\b", re.IGNORECASE)


def _near_in_text(text: str, a: Draft, b: Draft) -> bool:
    """True when the two drafts' first sentences stand in the same paragraph."""
    first, second = sorted((a.sentences[0], b.sentences[0]), key=lambda s: s.start)
    return "\n" not in text[first.end:second.start]


def _same_day(a: Draft, b: Draft, published: date | None) -> bool:
    (da, pa), (db, pb) = a.when(published), b.when(published)
    return da is None or db is None or abs((da - db).days) <= max(pa, pb) * 3


def _title_end(text: str) -> int:
    """Where a headline ends: a short first line followed by more text; 0 when there is none."""
    first, newline, rest = text.lstrip().partition("\n")
    if not newline or not rest.strip() or len(first) > 200:
        return 0
    return len(text) - len(text.lstrip()) + len(first)


def _same_paragraph(text: str, a: Draft, b: Draft) -> bool:
    """True when no line break separates the two drafts' sentences."""
    return "\n" not in text[a.sentences[-1].end:b.sentences[0].start]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Each paragraph's span."""
    out = []
    start = 0
    for block in re.split(r"(\n\s*\n|\n)", text):
        end = start + len(block)
        if block.strip():
            out.append((start, end))
        start = end
    return out


DURING = re.compile(r"\b(?:during|in|lors d[eu]s?|pendant|au cours d[eu]s?)\s+(?:the|these|this|those|ces|cette|"
                    r"cet|l['’]|les|la)\s*(?:attacks?|attaques?|assaults?|assauts?|raids?)\b", re.IGNORECASE)


def _group_of_the_attack(draft: Draft, drafts: Sequence[Draft]) -> Actor | None:
    """"Four foreigners were abducted during the attacks": the group named for the attack before it."""
    if not DURING.search(draft.sentences[0].text):
        return None
    earlier = [d for d in drafts if d.sentences[0].start < draft.sentences[0].start and d.category == "clash"]
    for previous in reversed(earlier):
        group = named_group(previous.actors)
        if group is not None:
            return group
    return None


def _lead_span(text: str, paragraphs: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Where the headline and the lead paragraph are."""
    return 0, next((end for start, end in paragraphs if start >= _title_end(text)), len(text))


SEPARATE = re.compile(r"\b(?:separate|another|distinct|other|unrelated|autres?|distincte?s?|séparée?s?)\b",
                      re.IGNORECASE)


def _lead_group(draft: Draft, lead: tuple[int, int], drafts: Sequence[Draft],
                actors: Sequence[ActorMention]) -> Actor | None:
    """The one armed group the headline and the lead paragraph (``lead``) name, the story's perpetrator, for the
    story's own incidents; never for one the text sets apart ("in a separate attack", "une attaque distincte"),
    nor for one elsewhere when the lead names the group only for another incident (:func:`_group_in`)."""
    if any(SEPARATE.search(s.text) for s in draft.sentences):
        return None
    return _group_in(lead, draft, drafts, actors)


def _group_for(draft: Draft, paragraphs: Sequence[tuple[int, int]], drafts: Sequence[Draft],
               actors: Sequence[ActorMention]) -> Actor | None:
    """The armed group named in the paragraph of the draft's first sentence, if exactly one is (:func:`_group_in`)."""
    first = draft.sentences[0].start
    span = next(((start, end) for start, end in paragraphs if start <= first < end), None)
    return None if span is None else _group_in(span, draft, drafts, actors)


def _group_in(span: tuple[int, int], draft: Draft, drafts: Sequence[Draft],
              actors: Sequence[ActorMention]) -> Actor | None:
    """The one armed group named in ``span`` of the text, for ``draft``: not when every mention of it there is
    in the sentences of another incident, in another country or region. "IS Sahel attacked Téra (Niger) ... Two
    days later, gunmen abducted five traders near Djibo (Burkina Faso)" leaves Djibo's gunmen unnamed."""
    start, end = span
    named = [m for m in actors if start <= m.start < end]
    group = named_group(named)
    if group is None:
        return None
    own = {s.start for s in draft.sentences}
    elsewhere = [s for other in drafts if other is not draft and _elsewhere(other, draft) for s in other.sentences
                 if s.start not in own]
    if all(any(s.start <= m.start < s.end for s in elsewhere) for m in named if m.actor == group and not m.generic):
        return None
    return group


def _elsewhere(one: Draft, other: Draft) -> bool:
    """Whether two drafts happened in different countries or first-level regions (both placed there)."""
    a, b = (d.place.place if d.place is not None else None for d in (one, other))
    if a is None or b is None:
        return False
    return a.country != b.country or bool(a.admin1 and b.admin1 and a.admin1 != b.admin1)
