"""Event detection: trigger sentences become draft events, merged per incident within a report."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from shapely.geometry import Point

from geo.extract.actors import Actor, ActorMention, find_actors
from geo.extract.dates import DateMention, find_dates
from geo.extract.figures import Figure, find_figures, nationalities
from geo.extract.places import PlaceMention
from geo.extract.text import Sentence
from geo.gazetteer import haversine_km
from geo.vocab import ARMED_GROUP_INTERS, same_incident_window

IC = re.IGNORECASE
# (category, pattern) in priority order: the first that fires names the sentence's event.
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    ("abduction", re.compile(r"\b(abduct\w*|kidnap\w*|taken hostage|held hostage|hostages?|enl[eè]v\w*|otages?|"
                             r"rapt|kidnapp\w*|séquestr\w*|taken captive)\b", IC)),
    ("explosion", re.compile(r"\b(IEDs?|improvised explosive|landmines?|roadside bombs?|explosive devices?|"
                             r"engins? explosifs?|mines? artisanales?|EEI|suicide (?:bomb\w*|attack\w*)|car bomb\w*|"
                             r"kamikazes?|booby[- ]trapped|piégée?s?|mortars?|shelling|shelled|obus|roquettes?|"
                             r"rockets?|sauté sur|explosion (?:d['’]|de|of)|"
                             r"(?:in|by|dans|par) (?:l['’]\s*|the |an |une )explosion)", IC)),
    ("air_strike", re.compile(r"\b(drone strikes?|drone fire|drone attacks?|drones? (?:struck|hit|targeted)|"
                              r"drones? (?:de l['’]armée )?(?:a |ont )?(?:frappé|bombardé|visé|ciblé)|"
                              r"air ?strikes?|aerial (?:strikes?|"
                              r"bombardments?)|frappes? (?:aériennes?|de drones?)|bombed|bombardments?|bombarded|"
                              r"bombardé\w*|bombardements?|helicopters?|hélicoptères?|warplanes?|fighter jets?|"
                              r"aircraft|avions? de chasse|airstrikes?)\b", IC)),
    ("overtaken", re.compile(r"\b(took control of|seized control of|taken control of|overran|overrun|"
                             r"captured the (?:town|city|village|locality|camp|base)|"
                             r"seized the (?:town|city|village|camp|base)|fell (?:in)?to the hands|fell to|"
                             r"s'est emparée?|se sont emparés|pris(?:,?\s+[\w'’]+){0,6}?,?\s+le contrôle|"
                             r"prise? de contrôle|tombée? aux mains|takes control)\b", IC)),
    ("regained", re.compile(r"\b(retook|retaken|recaptured|regained control|regained|reprise? le contrôle|a repris|"
                            r"ont repris|reconqu\w*|took back|back under (?:the )?(?:army|state|government)|"
                            r"contrôle total|full control|total control|reprise? la ville|(?:a|ont) été reprise?s?|"
                            r"reprise? par|retaken by|recaptured by|liberated|libérée?s? (?:par|de)|reconquête)\b",
                            IC)),
    ("blockade", re.compile(r"\b(blockades?|blockaded|blocus|besieg\w*|under siege|siege|assiég\w*|"
                            r"embargo|encercl\w*|encircl\w*)\b", IC)),
    ("attack", re.compile(r"\b(attack(?!ers?\b)\w*|assault\w*|raids?|raided|ambush\w*|stormed|offensive|"
                          r"targeted|gunfire|clash\w*|fighting|(?:bloody |fierce |heavy )?battles? (?:between|for|"
                          r"with|against)|batailles? (?:entre|pour|de|contre)|struck|attaqu(?!ants?\b)\w*|"
                          r"assaut\w*|embuscades?|affrontements?|"
                          r"combats?|killed|killing|massacre\w*|executed|tués?|tuées?|tuant|massacrés?|exécut\w*|"
                          r"shot dead|gunned down|opened fire|murder\w*|slaughter\w*|assassin\w*|abattu\w*|"
                          r"mitraill\w*|incendi\w*|torched|set (?:\w+ ){0,3}on fire|ont tiré|tirs?|"
                          r"trouvée?s? la mort|perdu la vie|lost their lives|shot at|fired on|tiré sur|"
                          r"neutrali[sz]\w*|opération de ratissage|military operation|opération militaire|"
                          r"hit (?:\w+ ){0,3}(?:army|military|posts?|positions?|bases?|camps?|barracks))\b",
                          IC)),
    # a blast told with no attack around it ("l'explosion d'un engin"); "gunfire and explosions" is an attack
    ("explosion", re.compile(r"\b(explosions?|blasts?|explosé\w*)\b", IC)),
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
MILITARY_TARGET = re.compile(r"\b(military|army|soldiers?|troops|camps?|bases?|posts?|barracks|garrisons?|"
                             r"checkpoints?|FAMa|militaires?|armée|soldats?|casernes?|gendarmerie|gendarmes?)\b", IC)
CIVILIAN_TARGET = re.compile(r"\b(civilians|villagers|market|mosque|church|worshippers|wedding|civils|villageois|"
                             r"marché|passengers|travell?ers|commuters|bus(?:es)?|minibus(?:es)?|passagers|voyageurs|"
                             r"autobus)\b", IC)
BACKGROUND = re.compile(r"\b(decade|decades|since (?:19|20)\d\d|for years|originated|history|historically|"
                        r"depuis (?:19|20)\d\d|décennies?|depuis (?:\w+ )?(?:ans|années|mois)|"
                        r"for (?:the past |the last )?(?:\w+ )?(?:years|months)|à plusieurs reprises|repeatedly|"
                        r"regularly|régulièrement|several times|many times|thousands of|hundreds of thousands|"
                        r"des milliers|des centaines de milliers|often|frequently|souvent|fréquemment|planning|"
                        r"planned to|projetaient|prévoyaient|deadliest (?:month|year|week)s?|on record|swaths|swathes|"
                        r"large parts of|would be|could be|might be|since (?:january|february|march|april|may|june|"
                        r"july|august|september|october|november|december)|"
                        r"in (?:two|three|four|several|a series of) attacks|displaced|déplacés|displacement|"
                        r"estimates?|estimations?|since the (?:start|beginning)|depuis le début|"
                        r"not the first time|n['’]est pas la première fois|pas la première fois que|"
                        # a toll over months: "massacres ... left 925 dead between March and September" ("a
                        # series of coordinated attacks" on one day is the news itself)
                        r"between (?:january|february|march|april|may|june|july|august|september|october|"
                        r"november|december)(?: \d{4})? and|entre (?:janvier|février|mars|avril|mai|juin|"
                        r"juillet|août|septembre|octobre|novembre|décembre)(?: \d{4})? et)\b", IC)
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
OTHER_INCIDENTS = re.compile(r"\b(other|separate|additional|further|d'autres|autres)\s+(?:\w+\s+){0,2}?"
                             r"(incidents?|attacks?|assaults?|raids?|ambushes|attaques|incidents)\b", IC)
# ", a month after the attack on X", "deux semaines après l'attaque de Y": an earlier incident, named to compare
EARLIER_INCIDENT = re.compile(r",\s*(?:(?:about|some|environ|près d['’])\s+)?(?:a|an|one|two|three|un|une|deux|trois|"
                              r"quelques|several|\d+)\s+(?:days?|weeks?|months?|years?|jours?|semaines?|mois|ans?)\s+"
                              r"(?:after|following|après)\s+(?:the|l['’]|la|le|les|an?|une?)\s*(?:[\w-]+\s+){0,2}?"
                              r"(?:attacks?|attaques?|assaults?|assauts?|massacres?|ambush(?:es)?|embuscades?|raids?)\b",
                              IC)
SAME_PLACE_KM = 50.0


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
    split_group: str = ""  # drafts split from one sentence's list of places never merge again

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
        if _specificity(first) == 3:  # "near the border, 55 km from Kwala": the town is the better point
            first = next((m for m in ordered if _specificity(m) == 4), first)
        area = first.place.geometry if first.place is not None else None
        if _specificity(first) < 4 and area is not None:
            for mention in ordered:
                p = mention.place
                if _specificity(mention) == 4 and area.contains(Point(p.longitude, p.latitude)):
                    return mention
        return first

    def when(self, published: date | None) -> tuple[date | None, int]:
        """The draft's date and precision; the publication week when no date is written,
        and None when the report has no publication date either.

        A report's main incident usually goes undated ("JNIM fighters attacked...");
        a vague "this month" elsewhere in the same incident is context, not its date,
        but it dates the sentence that opens the incident ("an attack last month").
        """
        first = self.sentences[0]
        dated = [d for d in self.dates if d.precision < 3] or \
            [d for d in self.dates if first.start <= d.start < first.end] or \
            ([] if len(self.dates) < len(self.sentences) else self.dates)
        if dated:
            best = min(dated, key=lambda d: (d.precision, d.start))
            return best.value, best.precision
        return published, 2


def _specificity(mention: PlaceMention) -> int:
    place = mention.place
    if place is None:
        return 0
    return {"country": 1, "admin1": 2, "border": 3, "tri_border": 3, "admin2": 3, "admin3": 3}.get(place.feature, 4)


# "after the attack", "suite à l'attaque": the sentence is about what followed, not a new incident
AFTERMATH = re.compile(r"\b(?:after|following|since|in the wake of|après|suite à|à la suite de|depuis|"
                       r"in response to|en réponse à|en représailles à)\s+(?:the|this|that|these|l['’]|cette|ces|"
                       r"les|la|le)?\s*(?:[\w-]+\s+){0,2}?(?:attacks?|attaques?|assaults?|ambush(?:es)?|"
                       r"embuscades?|massacres?|kidnappings?|enlèvements?|raids?|strikes?|frappes?)\b", IC)
# "le bilan s'alourdit", "the death toll rose": a figure updated later, dated by the update, not the incident
TOLL_UPDATE = re.compile(r"\b(?:nouveau bilan|bilan s['’]alourdit|new toll|death toll "
                         r"(?:rose|has risen|climbed|increased)|toll (?:rose|has risen)|revised (?:the )?toll)\b", IC)


# Violence named but not asserted: a purpose ("to carry out attacks", "pour mener des attaques"), a condition
# ("if attacked", "en cas d'attaque"), or the people taken in an earlier abduction while their release is
# being sought ("ensure the release of the abducted man", "négocier la libération des otages").
NOT_ASSERTED = re.compile(
    r"\b(?:to|in order to|pour|afin de)\s+(?:carry out|conduct|launch|stage|commit|perpetrate|mount|mener|"
    r"perpétrer|commettre|lancer|organiser)\s+(?:[\w'’-]+\s+){0,3}?(?:attacks?|attaques?|raids?|assaults?|"
    r"ambush(?:es)?|embuscades?|kidnappings?|enlèvements?|abductions?)\b"
    r"|\b(?:if|in case of|should they be|en cas d['’]|s['’]ils? (?:sont|étaient))\s*(?:[\w'’-]+\s+){0,2}?"
    r"(?:attack\w*|attaqu\w*|agress\w*)", IC)
RELEASE = re.compile(r"\b(?:releas\w*|freed|free the|libér\w*|negotiat\w*|négoci\w*|ransom|rançon|repatriat\w*|"
                     r"rapatri\w*|proof of life|preuve de vie)\b", IC)
TAKEN_BEFORE = re.compile(r"\b(?:the|their|his|her|our|les|l['’]|le|la|leurs?|ses|nos|des)\s*(?:[\w'’-]+\s+){0,2}?"
                          r"(?:abducted|kidnapped|enlevés?|enlevées?|otages?|hostages?|captives?)\b", IC)


def category_of(sentence: str) -> str | None:
    """The event category a sentence reports, or None."""
    sentence = NOT_ASSERTED.sub(" ", AFTERMATH.sub(" ", sentence))
    if RELEASE.search(sentence):
        sentence = TAKEN_BEFORE.sub(" ", sentence)  # "the release of the hostages": taken before, not now
    for category, pattern in TRIGGERS:
        if pattern.search(sentence):
            return category
    return None


def is_background(sentence: str, dates: Sequence[DateMention], published: date | None) -> bool:
    """Context about the conflict's history rather than a dated incident."""
    if any(d.precision < 3 for d in dates):
        return False
    if BACKGROUND.search(sentence):
        return True
    return published is not None and not dates and any(int(y) < published.year for y in YEAR.findall(sentence))


# "the group said in a statement on Friday": the day something was said, not the day it happened
# "the army said in a statement on Friday", "a revendiqué lundi": the day something was said, not the day it
# happened.  A claim verb dates only what follows it at once ("JNIM claimed an attack last month" is the attack's).
SPOKEN_ON = re.compile(r"\b(?:said|says|told|announced|stated|declared|statement|communiqué|press release|"
                       r"a déclaré|a indiqué|a annoncé|a affirmé|a rapporté|ont rapporté|ont indiqué|"
                       r"sent to [A-Z]\w+)(?:\s+(?!in\b|à\b)[\w'’()]+){0,6}?\s*\(?\s*(?:on\s+|ce\s+)?$"
                       r"|\b(?:claimed(?: responsibility)?|revendiqu\w*|a reconnu|acknowledged|confirmed|a confirmé)"
                       r"\s+(?:on\s+|ce\s+)?$", IC)


def drafts_for(sentence: Sentence, places: Sequence[PlaceMention], published: date | None,
               source: str, skip_dates: Sequence[DateMention] = (), year: int | None = None,
               known_actors: Sequence[ActorMention] | None = None,
               known_dates: Sequence[DateMention] | None = None) -> list[Draft]:
    """The draft event(s) a sentence reports; empty when it reports none.

    A sentence naming several places where things happened ("in A, B and C",
    "six in A, two in B") gives one draft per place; the toll stays with the
    first unless a figure names its own place.  Soldiers or civilians captured
    in an attack give an abduction draft besides it.  ``skip_dates`` are
    datelines: they date the report, not the events in it.
    """
    category = category_of(sentence.text)
    figures = find_figures(sentence.text, sentence.start, source)
    if category is None:
        # "trois soldats ont été capturés": a figure of people taken is an abduction
        if not any(f.kind == "abducted" for f in figures):
            return []
        category = "abduction"
    if known_dates is None:
        dates = [DateMention(d.value, d.precision, d.start + sentence.start, d.end + sentence.start, d.text)
                 for d in find_dates(sentence.text, published, year=year)]
    else:  # the report's dates, found once
        dates = [d for d in known_dates if sentence.start <= d.start and d.end <= sentence.end]
    dates = [d for d in dates if not any(d.start < s.end and s.start < d.end for s in skip_dates)
             and not SPOKEN_ON.search(sentence.text[:d.start - sentence.start])]
    if TOLL_UPDATE.search(sentence.text):
        dates = []
    unplaced = [p for p in places if sentence.start <= p.start < sentence.end and p.place is None]
    inside = [p for p in places if sentence.start <= p.start < sentence.end and p.place is not None]
    sites = _with_listed_unplaced(sentence, event_sites(sentence, inside), unplaced)
    if is_background(sentence.text, dates, published) and not (category == "blockade" and sites):
        return []  # a blockade of a named place "for months" is the state of things, not history
    if known_actors is None:
        actors = [ActorMention(a.actor, a.alias, a.start + sentence.start, a.end + sentence.start)
                  for a in find_actors(sentence.text)]
    else:  # the report's actors, found once
        actors = [a for a in known_actors if sentence.start <= a.start < sentence.end]
    if category in ("overtaken", "regained"):
        category = _who_took(category, sentence, actors)
    if category == "attack":
        category = "civilians" if CIVILIAN_TARGET.search(sentence.text) and \
            not MILITARY_TARGET.search(sentence.text) else "clash"
    if category == "abduction" and any(f.kind == "killed" for f in figures):
        # "two were shot dead and one abducted": an attack, and the abduction beside it
        category = "civilians" if CIVILIAN_TARGET.search(sentence.text) or not MILITARY_TARGET.search(
            sentence.text) else "clash"
    taken = [f for f in figures if f.kind == "abducted"]
    if category != "abduction" and taken:
        figures = [f for f in figures if f.kind != "abducted"]
    inside = [m for m in inside if _specificity(m) < 4 or m in sites or not _not_a_site(sentence, m)]
    earlier = EARLIER_INCIDENT.search(sentence.text)
    cut = sentence.start + earlier.start() if earlier else sentence.end
    if earlier and any(f.start < cut for f in figures) and any(m.start < cut for m in sites):
        # "25 killed on Thursday at A, a month after the attack on B, which left 71 dead": B and 71 are that
        # earlier attack's, named to compare
        figures = [f for f in figures if f.start < cut]
        sites = [m for m in sites if m.start < cut]
        inside = [m for m in inside if m.start < cut]
    main = Draft(category, [sentence], inside, dates, actors, figures, nationalities(sentence.text))
    out = [main]
    if len(sites) > 1:
        out = _split(main, sites)
    else:
        out = _split_by_day(main)
    if category != "abduction" and taken:
        out.append(Draft("abduction", [sentence], list(inside), dates, actors, taken,
                         nationalities(sentence.text)))
    other = OTHER_INCIDENTS.search(sentence.text)
    # "... ; in other attacks, 30 soldiers were killed": the figures after the phrase are other incidents.
    # A sentence that opens on the phrase ("In a separate incident, ...") is that incident itself.
    if other and figures and len(out) == 1 and sentence.text[:other.start()].strip(" ,.;:–—-").count(" ") >= 3:
        split = sentence.start + other.start()
        later = [f for f in figures if f.start >= split]
        if later:
            main.figures = [f for f in figures if f.start < split]
            out.append(Draft(main.category, [sentence], [], dates, actors, later, distinct=True))
    return out


# "capital of the region", "the prosecutor in X": a place named as a seat or an office, not a site
NOT_SITE_BEFORE = re.compile(r"\b(?:prosecutor|court|tribunal|procureur|governor|gouverneur|ministry|embassy|"
                             r"bishop of|évêque de|diocese of|diocèse de|archbishop of|"
                             r"ambassade|hospital|hôpital|évacués? (?:vers|à|sur)|evacuated to|taken to|transported "
                             r"to|flown to|returned to|based in|basée? à|headquartered in|from the capital|"
                             r"(?:told|said)(?: \w+){0,3} (?:in|from)|"
                             # a comparison: "the same tactic as in Inates", "comme à Inates"
                             # (with its preposition: "towns such as Kayes", "des villes comme Kayes" are sites)
                             r"(?<!aussi bien )comme\s+(?:à|au|dans|en)|(?<!well )(?<!such )as\s+(?:in|at)|"
                             r"like\s+in|similar to|ainsi qu['’]\s*(?:à|au|en))\s+(?:in\s+|à\s+|de\s+)?$", IC)
ROUTE_SECOND = re.compile(r"\b(?:between|entre)\s+(?:the\s+(?:towns?|villages?)\s+of\s+)?[\w'’ -]{2,40}?"
                          r"\s+(?:and|et)\s+$", IC)


def event_sites(sentence: Sentence, inside: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The town-level places in a sentence where something happened, one per distinct place.

    Left out: seats and offices (:func:`_not_a_site`), the second town of
    "between A and B", and, once a site is found, towns that only locate it
    ("near Djibo", "the road to Ségou", "Bamako-Ségou").
    """
    sites: list[PlaceMention] = []
    for mention in sorted(inside, key=lambda m: m.start):
        if _specificity(mention) < 4:
            continue
        rel_start = mention.start - sentence.start
        before = sentence.text[max(0, rel_start - 50):rel_start]
        if _not_a_site(sentence, mention):
            continue
        if sites and REFERENCE_BEFORE.search(before):
            continue  # "in Boulkessi, near Djibo": Djibo locates Boulkessi
        if sites and AREA_AFTER.match(sentence.text[mention.end - sentence.start:]):
            continue  # "in the village of Toumour in Diffa region": the region locates the village
        if sites and re.search(r"\w\s*[-–—]\s*$", before):
            continue  # "l'axe Bamako-Ségou": the road's other end
        if any(m.place == mention.place for m in sites):
            continue  # the same place named twice
        sites.append(mention)
    return sites


LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|et\s+)?|\s+(?:and|et)\s+)$", re.IGNORECASE)


def _with_listed_unplaced(sentence: Sentence, sites: list[PlaceMention],
                          unplaced: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Sites plus the villages the gazetteer lacks that the sentence lists with one ("the villages of
    Intazayene, Bakorat and Wistane"): each its own event, at the listed neighbour's point with
    ``geo_precision`` 2 and a note saying so, for a reviewer to correct."""
    if not sites or not unplaced:
        return sites
    chain = sorted([*sites, *unplaced], key=lambda m: m.start)
    out = list(sites)
    for i, mention in enumerate(chain):
        if mention.place is not None:
            continue
        neighbours = [chain[j] for j in (i - 1, i + 1) if 0 <= j < len(chain)]
        for other in neighbours:
            first, second = sorted((mention, other), key=lambda m: m.start)
            if LIST_GAP.match(sentence.text[first.end - sentence.start:second.start - sentence.start]):
                anchor = other if other.place is not None else next((m for m in out if m.place), None)
                if anchor is None or anchor.place is None:
                    break
                place = replace(anchor.place, name=mention.text, feature="village", admin_seat="", population=0,
                                relevance=0, alternate_names=(), geo_precision=2, geometry=None,
                                source=f"not in the gazetteer: placed at {anchor.place.name}, listed with it")
                out.append(replace(mention, place=place))
                break
    return sorted(out, key=lambda m: m.start)


def _not_a_site(sentence: Sentence, mention: PlaceMention) -> bool:
    """A seat, an office or a route's far end named in the sentence, not where the incident happened."""
    rel_start = mention.start - sentence.start
    before = sentence.text[max(0, rel_start - 50):rel_start]
    after = sentence.text[mention.end - sentence.start:mention.end - sentence.start + 12]
    far = FAR_FROM.search(before)  # "à plus de 700 km de Cotonou": how far away it happened, not where
    return bool(NOT_SITE_BEFORE.search(before) or ROUTE_SECOND.search(before) or NOT_SITE_AFTER.match(after)
                or (far and int(far.group(1)) >= FAR_KM)
                or ROAD_ENDS.search(sentence.text[max(0, rel_start - 90):rel_start]))


# "deux routes qui relient A à B d'une part et à C", "the road linking A and B": the towns a road joins
AREA_AFTER = re.compile(r"^\s+(?:region|province|state|cercle|department|district|prefecture|county)\b", IC)
ROAD_ENDS = re.compile(r"\b(?:qui relient|qui relie|reliant|relie|relier|linking|links|linked|connecting|connects|"
                       r"joining|joins)\s+(?:the\s+(?:towns?\s+of\s+)?)?(?:[\w'’-]+(?:\s+[\w'’-]+){0,6}?\s+"
                       r"(?:à|to|and|et|with|avec)\s+)?$", IC)


# "Kaya Bishop Théophile Naré said", "the Kaya diocese": an office named after the town
NOT_SITE_AFTER = re.compile(r"^\s+(?:diocese|diocèse|embassy|ambassade|court|tribunal|bishop|mayor|governor|prefect|"
                            r"imam|chief|officials?|hospital|university|prosecutor)\b", IC)
SAME_SITE_KM = 15.0
FAR_FROM = re.compile(r"(\d+)\s*(?:km|kilom\w+|miles?)\b(?:\s+[\w'’()-]+){0,3}?\s+(?:de|from|of|du|d['’])\s*"
                      r"(?:la ville de\s+|the town of\s+|the capital,?\s+)?$", IC)
FAR_KM = 100  # further than this, a distance from a town says how far away, not where
REFERENCE_BEFORE = re.compile(r"(?:near|close to|outside|près de|non loin de|à proximité de|on the outskirts of|"
                              r"en périphérie de|aux alentours de|dans les environs de|"
                              r"(?:qui mène|menant|leading|heading|on (?:the|its|their) way) (?:à|vers|to|towards)|"
                              r"(?:road|route|axe|highway) (?:to|de|vers|towards)|"
                              r"(?:km|kilomet\w+|miles?)\s+(?:\w+\s+)?(?:of|from|de|du|d['’])|"
                              r"(?:north|south|east|west)\w*\s+of|au (?:nord|sud|est|ouest)(?:-\w+)? (?:de|du)|"
                              r"(?:region|région|province|cercle|district|département|department|commune|state|wilaya|préfecture|"
                              r"prefecture) (?:of|de|du))\s+"
                              r"(?:the\s+(?:town|city)\s+of\s+|la ville de\s+)?$", IC)


TERRITORY = dict(TRIGGERS)


def _who_took(category: str, sentence: Sentence, actors: Sequence[ActorMention]) -> str:
    """Taking a place is the state regaining it or an armed group overtaking it, whoever the text says did it:
    the actor just before the verb ("FAMa took control of"), or after it in the passive ("reprise par l'armée")."""
    trigger = TERRITORY["overtaken"].search(sentence.text) or TERRITORY["regained"].search(sentence.text)
    if trigger is None or not actors:
        return category
    at = sentence.start + trigger.start()
    before = [a for a in actors if a.end <= at]
    after = [a for a in actors if a.start >= at and re.search(r"\b(?:par|by)\s+(?:\S+\s+){0,4}$",
                                                              sentence.text[:a.start - sentence.start])]
    actor = before[-1] if before else (after[0] if after else None)
    if actor is None:
        return category
    return "regained" if actor.actor.inter == "State forces" else "overtaken"


def _split_by_day(main: Draft) -> list[Draft]:
    """"40 taken on Thursday and 20 more on Friday": one draft per day, each with the figures before its day."""
    days = sorted({d.value: d for d in main.dates if d.precision == 1}.values(), key=lambda d: d.start)
    if len(days) < 2 or len(main.figures) < 2:
        return [main]
    parts = []
    previous = main.sentences[0].start
    for day in days:
        figures = [f for f in main.figures if previous <= f.start < day.end]
        previous = day.end
        if figures:
            parts.append(Draft(main.category, list(main.sentences), list(main.places), [day], list(main.actors),
                               figures, list(main.nationalities), split_group=f"{main.sentences[0].start}d"))
    return parts if len(parts) > 1 else [main]


def _split(main: Draft, sites: Sequence[PlaceMention]) -> list[Draft]:
    """One draft per site; a figure goes to the site written right after it ("six in A"), else the first."""
    own: dict[int, list[Figure]] = {i: [] for i in range(len(sites))}
    for figure in main.figures:
        after = [i for i, m in enumerate(sites) if 0 <= m.start - figure.end <= 25]
        own[after[0] if after else 0].append(figure)
    group = f"{main.sentences[0].start}"
    return [Draft(main.category, list(main.sentences), [site], list(main.dates), list(main.actors), own[i],
                  list(main.nationalities), split_group=group) for i, site in enumerate(sites)]


def _compatible_dates(a: Draft, b: Draft, published: date | None) -> bool:
    if not a.dates or not b.dates:
        # a sentence that gives no date can tell of the incident another one dates, but the news a report
        # opens on undated is not the incident of months before it recalls later ("En décembre 2020, ...")
        undated, dated = (a, b) if not a.dates else (b, a)
        if undated.dates or published is None or undated.sentences[0].start > dated.sentences[0].start \
                or 0 <= dated.sentences[0].start - undated.sentences[-1].end <= 4:  # the very next sentence
            return True
        when, precision = dated.when(published)
        return when is None or (published - when).days <= same_incident_window(precision, 3)
    (da, pa), (db, pb) = a.when(published), b.when(published)
    if da is None or db is None:
        return True
    slack = same_incident_window(pa, pb)
    if a.dates and b.dates and pa == pb == 3:
        slack = 0 if da.month != db.month else slack
    return abs((da - db).days) <= slack and not (a.dates and b.dates and pa == 1 and pb == 1 and da != db)


def _distance(a: Draft, b: Draft) -> float | None:
    """Kilometres between two drafts' places; None when either is unplaced or only a country or region."""
    pa, pb = a.place, b.place
    if pa is None or pb is None or _specificity(pa) < 3 or _specificity(pb) < 3:
        return None
    return haversine_km(pa.place.latitude, pa.place.longitude, pb.place.latitude, pb.place.longitude)


FAMILY = {"clash": "attack", "civilians": "attack"}


def same_kind(a: str, b: str) -> bool:
    """True for the same category, or an attack on soldiers and one on civilians (the same assault told twice)."""
    return a == b or FAMILY.get(a, a) == FAMILY.get(b, b)


def _own_site(draft: Draft) -> bool:
    """True when the draft's place is a town or village it names itself."""
    return draft.place is not None and _specificity(draft.place) == 4


def merge_drafts(drafts: Sequence[Draft], published: date | None) -> list[Draft]:
    """Merge drafts that describe the same incident: same category, compatible date and place.

    A draft joins the nearest compatible incident (the same place first); drafts
    split from one list of places stay apart.
    """
    merged: list[Draft] = []
    for draft in drafts:
        target = None
        if not draft.distinct:
            fits = []
            for existing in merged:
                if existing.category != draft.category or existing.distinct \
                        or (draft.split_group and existing.split_group == draft.split_group) \
                        or not _compatible_dates(existing, draft, published):
                    continue
                km = _distance(existing, draft)
                if (draft.split_group or existing.split_group) and _own_site(existing) and _own_site(draft) \
                        and existing.place.place.name != draft.place.place.name:
                    continue  # places a sentence lists one by one: separate incidents, however close
                if km is None or km <= SAME_PLACE_KM:
                    fits.append((km if km is not None else SAME_PLACE_KM, existing))
            if fits:
                target = min(fits, key=lambda f: f[0])[1]
        own = [draft.place] if draft.place is not None else []
        if target is None:
            merged.append(Draft(draft.category, list(draft.sentences), list(draft.places), list(draft.dates),
                                list(draft.actors), list(draft.figures), list(draft.nationalities),
                                draft.distinct, own, draft.split_group))
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


ARMED_GROUPS = ARMED_GROUP_INTERS


def named_group(actors: Sequence[ActorMention]) -> Actor | None:
    """The one armed group these mentions name, or None when they name none or several."""
    groups = {m.actor for m in actors if m.actor.inter in ARMED_GROUPS and not m.generic}
    return groups.pop() if len(groups) == 1 else None
