"""Event detection: trigger sentences become draft events, merged per incident within a report."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from geo.extract.actors import FAMA, JNIM, Actor, ActorMention, find_actors
from geo.extract.dates import DateMention, find_dates
from geo.extract.figures import Figure, find_figures, nationalities
from geo.extract.places import PlaceMention
from geo.extract.text import Sentence
from shapely.geometry import Point

from geo.gazetteer import haversine_km

IC = re.IGNORECASE
# (category, pattern) in priority order: the first that fires names the sentence's event.
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("abduction", re.compile(r"\b(abduct\w*|kidnap\w*|taken hostage|hostages?|enlev\w*|otages?|rapt)\b", IC)),
    ("explosion", re.compile(r"\b(IEDs?|improvised explosive|landmines?|roadside bombs?|explosive devices?|"
                             r"engins? explosifs?|mines? artisanales?)\b", IC)),
    ("air_strike", re.compile(r"\b(drone strikes?|air ?strikes?|frappes? (?:aériennes?|de drones?)|bombed)\b", IC)),
    ("overtaken", re.compile(r"\b(took control of (?:the )?(?:town|city|village|locality)|overran|"
                             r"captured the (?:town|city|village)|seized the (?:town|city|village)|"
                             r"s'est emparée?|pris le contrôle)\b", IC)),
    ("regained", re.compile(r"\b(retook|recaptured|regained control|reprise? le contrôle|a repris)\b", IC)),
    ("blockade", re.compile(r"\b(blockades?|blockaded|blocus|besieg\w*|under siege)\b", IC)),
    ("attack", re.compile(r"\b(attack\w*|assault\w*|raids?|raided|ambush\w*|stormed|offensive|targeted|gunfire|"
                          r"clash\w*|fighting|struck|strikes?|attaqu\w*|assaut\w*|embuscades?|affrontements?|"
                          r"combats?|killed|killing|massacred?|executed|tués|tuées|massacrés?|exécutés?|"
                          r"hit (?:\w+ ){0,3}(?:army|military|posts?|positions?|bases?|camps?|barracks))\b",
                          IC)),
]
SUB_EVENTS = {
    "abduction": ("Violence against civilians", "Abduction/forced disappearance"),
    "explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "air_strike": ("Explosions/Remote violence", "Air/drone strike"),
    "overtaken": ("Battles", "Non-state actor overtakes territory"),
    "regained": ("Battles", "Government regains territory"),
    "blockade": ("Strategic developments", "Other"),
    "clash": ("Battles", "Armed clash"),
    "civilians": ("Violence against civilians", "Attack"),
}
MILITARY_TARGET = re.compile(r"\b(military|army|soldiers|troops|camps?|bases?|posts?|barracks|garrisons?|"
                             r"checkpoints?|FAMa|militaires|armée|soldats|casernes?|gendarmerie)\b", IC)
CIVILIAN_TARGET = re.compile(r"\b(civilians|villagers|market|mosque|church|worshippers|wedding|civils|villageois|"
                             r"marché)\b", IC)
BACKGROUND = re.compile(r"\b(decade|decades|since (?:19|20)\d\d|for years|originated|history|historically|"
                        r"depuis (?:19|20)\d\d|décennie)\b", IC)
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
OTHER_INCIDENTS = re.compile(r"\b(other|separate|additional|further|d'autres|autres)\s+(?:\w+\s+){0,2}?"
                             r"(incidents?|attacks?|assaults?|raids?|ambushes|attaques|incidents)\b", IC)
SAME_PLACE_KM = 50.0
PRECISION_SLACK = {1: 1, 2: 7, 3: 31}


@dataclass
class Draft:
    """An event in the making: one trigger sentence, or several merged."""

    category: str
    sentences: list[Sentence]
    places: list[PlaceMention]
    dates: list[DateMention]
    actors: list[ActorMention]
    figures: list[Figure] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    distinct: bool = False  # "other incidents": never merged into a located event
    anchors: list[PlaceMention] = field(default_factory=list)  # each merged sentence's own place

    @property
    def place(self) -> PlaceMention | None:
        """Where the draft happened.

        In one sentence, the first place named below country level ("in the Kayes
        region ... and further east around Niono" is in the Kayes region), or a
        town named inside that area.  Across merged sentences, the most specific
        of the sentences' own places.
        """
        if self.anchors:
            return max(self.anchors, key=lambda m: (_specificity(m), -m.start))
        if not self.places:
            return None
        ordered = sorted(self.places, key=lambda m: m.start)
        first = next((m for m in ordered if _specificity(m) >= 2), ordered[0])
        area = first.place.geometry if first.place is not None else None
        if _specificity(first) < 4 and area is not None:
            for mention in ordered:
                p = mention.place
                if _specificity(mention) == 4 and area.contains(Point(p.longitude, p.latitude)):
                    return mention
        return first

    def when(self, published: date) -> tuple[date, int]:
        """The draft's date and precision; the publication week when no date is written.

        A report's main incident usually goes undated ("JNIM fighters attacked...");
        a vague "this month" elsewhere in the same incident is context, not its date.
        """
        dated = [d for d in self.dates if d.precision < 3] or \
            ([] if len(self.dates) < len(self.sentences) else self.dates)
        if dated:
            best = min(dated, key=lambda d: (d.precision, d.start))
            return best.value, best.precision
        return published, 2


def _specificity(mention: PlaceMention) -> int:
    place = mention.place
    if place is None:
        return 0
    return {"country": 1, "admin1": 2, "border": 3, "tri_border": 3}.get(place.feature, 4)


def category_of(sentence: str) -> str | None:
    """The event category a sentence reports, or None."""
    for category, pattern in TRIGGERS:
        if pattern.search(sentence):
            return category
    return None


def is_background(sentence: str, dates: Sequence[DateMention], published: date) -> bool:
    """Context about the conflict's history rather than a dated incident."""
    recent = any(abs((d.value - published).days) <= 62 for d in dates)
    if recent:
        return False
    if BACKGROUND.search(sentence):
        return True
    return any(int(y) < published.year for y in YEAR.findall(sentence))


def drafts_for(sentence: Sentence, places: Sequence[PlaceMention], published: date,
               source: str, skip_dates: Sequence[DateMention] = ()) -> list[Draft]:
    """The draft event(s) a sentence reports; empty when it reports none.

    ``skip_dates`` are datelines: they date the report, not the events in it.
    """
    category = category_of(sentence.text)
    if category is None:
        return []
    dates = [DateMention(d.value, d.precision, d.start + sentence.start, d.end + sentence.start, d.text)
             for d in find_dates(sentence.text, published)]
    dates = [d for d in dates if not any(d.start < s.end and s.start < d.end for s in skip_dates)]
    if is_background(sentence.text, dates, published):
        return []
    inside = [p for p in places if sentence.start <= p.start < sentence.end and p.place is not None]
    actors = [ActorMention(a.actor, a.alias, a.start + sentence.start, a.end + sentence.start)
              for a in find_actors(sentence.text)]
    figures = find_figures(sentence.text, sentence.start, source)
    if category == "attack":
        category = "civilians" if CIVILIAN_TARGET.search(sentence.text) and \
            not MILITARY_TARGET.search(sentence.text) else "clash"
    main = Draft(category, [sentence], inside, dates, actors, figures, nationalities(sentence.text))
    other = OTHER_INCIDENTS.search(sentence.text)
    if other and figures:
        split = sentence.start + other.start()
        later = [f for f in figures if f.start >= split]
        if later:
            main.figures = [f for f in figures if f.start < split]
            return [main, Draft(main.category, [sentence], [], dates, actors, later, distinct=True)]
    return [main]


def _compatible_dates(a: Draft, b: Draft, published: date) -> bool:
    (da, pa), (db, pb) = a.when(published), b.when(published)
    slack = max(PRECISION_SLACK[pa], PRECISION_SLACK[pb])
    if a.dates and b.dates and pa == pb == 3:
        slack = 0 if da.month != db.month else slack
    return abs((da - db).days) <= slack and not (a.dates and b.dates and pa == 1 and pb == 1 and da != db)


def _compatible_places(a: Draft, b: Draft) -> bool:
    pa, pb = a.place, b.place
    if pa is None or pb is None or _specificity(pa) < 3 or _specificity(pb) < 3:
        return True  # a country-level or unplaced mention joins a located one
    return haversine_km(pa.place.latitude, pa.place.longitude, pb.place.latitude, pb.place.longitude) \
        <= SAME_PLACE_KM


def merge_drafts(drafts: Sequence[Draft], published: date) -> list[Draft]:
    """Merge drafts that describe the same incident: same category, compatible date and place."""
    merged: list[Draft] = []
    for draft in drafts:
        target = None
        if not draft.distinct:
            for existing in merged:
                if existing.category == draft.category and not existing.distinct \
                        and _compatible_dates(existing, draft, published) and _compatible_places(existing, draft):
                    target = existing
                    break
        own = [draft.place] if draft.place is not None else []
        if target is None:
            merged.append(Draft(draft.category, list(draft.sentences), list(draft.places), list(draft.dates),
                                list(draft.actors), list(draft.figures), list(draft.nationalities),
                                draft.distinct, own))
            continue
        if not target.anchors and target.place is not None:
            target.anchors = [target.place]
        target.anchors += own
        target.sentences += draft.sentences
        target.places += draft.places
        target.dates += draft.dates
        target.actors += draft.actors
        target.figures += [f for f in draft.figures if f not in target.figures]
        if len(draft.nationalities) > len(target.nationalities):
            target.nationalities = draft.nationalities
    return merged


def main_group(actors: Sequence[ActorMention]) -> Actor:
    """The armed group a report is mostly about (JNIM if it names none)."""
    counts: dict[Actor, int] = {}
    for mention in actors:
        if mention.actor.inter != "State forces" and not mention.generic:
            counts[mention.actor] = counts.get(mention.actor, 0) + 1
    return max(counts, key=lambda a: counts[a]) if counts else JNIM


def main_state(actors: Sequence[ActorMention]) -> Actor:
    """The state force a report names (Mali's army by default)."""
    for mention in actors:
        if mention.actor.inter == "State forces" and not mention.generic:
            return mention.actor
    return FAMA
