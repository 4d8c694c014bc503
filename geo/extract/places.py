"""Place names in report text, resolved with the gazetteer.

Three kinds of mention are found: border areas ("near the borders with Senegal
and Mauritania", "Mali–Niger border"), regions ("the Gao region", "région de
Mopti"), and capitalised names looked up exactly (accent- and case-insensitively)
in the gazetteer.  Context picks among candidates: the report's country and
"in the X region" phrases.  Names that look like places but resolve to nothing
are kept, flagged ``resolved=False``.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from geo import vocab
from geo.areas import COUNTRY_WORDS, parse_border
from geo.gazetteer import Candidate, Gazetteer, Place, haversine_km, normalise

ACCENTS = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]", " ": r"[\s'’-]"}


def accent_tolerant(word: str) -> str:
    """A regex matching ``word`` (normalised) with or without French accents."""
    return "".join(ACCENTS.get(ch, re.escape(ch)) for ch in word)


COUNTRY_ALT = "|".join(accent_tolerant(w) for w in sorted({w for words in COUNTRY_WORDS.values() for w in words},
                                                          key=len, reverse=True))
_C = rf"(?:{COUNTRY_ALT})"
DIRECTION = r"(?:(?:north|south|east|west)(?:ern|-eastern|-western)?|central|nord|sud|est|ouest|centre)"
BORDER_PHRASE = re.compile(
    rf"(?:(?:{DIRECTION}\s+)?{_C}\s+(?:near|along|on|by|close to|près de|le long de)\s+)?"
    rf"(?:the\s+|la\s+|les\s+)?(?:{_C}[\s–—-]+{_C}(?:[\s–—-]+{_C})?\s+)?"
    rf"(?:tri-border|triborder|borders|border|frontiers|frontier|frontières|frontière)\b"
    rf"(?:\s+(?:area|areas|region|regions|zone|zones))?"
    rf"(?:\s+(?:with|between|avec|entre|of)\s+(?:the\s+|le\s+|la\s+|l')?{_C}"
    rf"(?:\s*(?:,|and|et)\s+(?:the\s+|le\s+|la\s+|l')?{_C})*)?"
    rf"|(?:zone|région|region)\s+des\s+trois\s+frontières|tri-border\s+area|Liptako[\s-]Gourma",
    re.IGNORECASE)
REGION_PHRASE = re.compile(
    r"\b(?:the\s+)?([A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?)\s+(?:[Rr]egion|[Pp]rovince|state)\b|"
    r"\b(?:[Rr]égion|[Pp]rovince|[Rr]egion|state)\s+(?:de\s+|du\s+|d['’]\s*|of\s+)([A-ZÀ-Ý][\w'’-]+)", re.UNICODE)
NAME = re.compile(  # a capitalised run, also after a French elision ("d'Anéfis", "l'Est", "qu'Ayorou")
    r"(?:(?<![\w'’])|(?<=\b[dlDL]['’])|(?<=\b[qQ]u['’]))"
    r"([A-ZÀ-Ý][\w'’-]*(?:[ \t]+(?:du|de|des|la|el|al|N['’])?[ \t]*[A-ZÀ-Ý][\w'’-]*)*)", re.UNICODE)
# Capitalised words that are never place names: function words, months and days, titles, and the
# names of the armed groups and forces themselves.  Words that are also ordinary English or French
# words ("Say", "Karma") are judged by :func:`common_word`, not listed here.
STOPWORDS = {
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "from", "by", "with", "and",
    "but", "or", "since", "despite", "according", "beyond", "their", "meanwhile", "earlier", "later",
    "military", "army", "group", "state", "islamic", "islam", "muslims", "support", "jihadist", "jihadists",
    "africa", "african", "west", "east", "north", "south", "central", "western", "eastern", "northern",
    "southern", "col", "gen", "general", "colonel", "captain", "lieutenant", "president", "minister", "prime",
    "mr", "mrs", "m", "mme", "dr", "imam", "u", "s", "un", "eu", "us", "uk", "reuters", "afp", "ap", "rfi",
    "french", "russian", "wagner", "corps", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
    "novembre", "decembre", "le", "la", "les", "des", "du", "de", "l", "une", "il", "elle", "ils", "selon",
    "al", "qaeda", "qaida", "sahel", "sahara", "jama", "nusrat", "nasr", "muslimin", "wal", "its", "they", "he",
    "she", "we", "it", "there", "when", "while", "after", "before", "during", "as", "if", "his", "her", "our",
    "many", "some", "several", "ce", "cette", "ces", "en", "au", "aux", "dans", "sur", "par", "pour", "mais",
    "god", "allah", "christ", "christian", "christians", "muslim", "islamist", "islamists",
}
PERSON_TITLES = re.compile(r"(?:\b(?:president|minister|mr|mrs|ms|m|mme|dr|gen|general|général|col|colonel|capt|"
                           r"captain|capitaine|lt|lieutenant|commander|commandant|imam|sheikh|cheikh|chief|chef|"
                           r"spokesman|spokesperson|porte-parole|leader|prefect|préfet|mayor|maire|governor|"
                           r"gouverneur|father|père|sister|sœur|soeur|bishop|abbé|pope|emir|émir)\.?\s+"
                           r"(?:[A-ZÀ-Ý][\w'’-]*\s+){0,2})$", re.IGNORECASE)
SPEECH_AFTER = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|explained|declared|wrote|stated|a déclaré|a dit|"
                          r"a affirmé|a indiqué|a expliqué|a précisé|affirme|explique|déclare|précise|indique)\b",
                          re.IGNORECASE)
PLACE_NOUN = r"(?:town|towns|village|villages|city|cities|locality|localities|commune|communes|hamlet|hamlets|" \
             r"district|districts|area|municipality|rural commune|localité|localités|ville|villes|hameau|" \
             r"hameaux|département|cercle|arrondissement|secteur|quartier|site|camp|base|garrison|mine|" \
             r"market|marché|road|route|axe|forest|forêt)"
# "the village of", "in the town of", "localité de", "la commune rurale de"
STRONG_BEFORE = re.compile(rf"\b{PLACE_NOUN}\s+(?:rurale\s+|urbaine\s+)?(?:of|de|du|d['’]|des)\s*$", re.IGNORECASE)
# "Karma village", "Diapaga camp"
STRONG_AFTER = re.compile(rf"^\s+{PLACE_NOUN}\b", re.IGNORECASE)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|towards?|into|à|au|aux|dans|près de|vers|entre|"
                             r"between|nearby|close to|non loin de|autour de|en direction de|from|to|of|de|du|d['’]|"
                             r"on|sur|et|and)\s+(?:the\s+|la\s+|le\s+|l['’])?$|\b(?:d|l|jusqu)['’]$", re.IGNORECASE)
LIST_BEFORE = re.compile(r"(?:,|\band|\bet|\bor|\bou)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text: as written, where, and what it resolved to (if anything)."""

    text: str
    start: int
    end: int
    place: Place | None
    candidates: tuple[Candidate, ...] = field(default=(), compare=False)
    nested: bool = field(default=False, compare=False)  # a name inside a longer mention ("Kidal" in "région de Kidal")

    @property
    def resolved(self) -> bool:
        """False for a name that looks like a place but is not in the gazetteer."""
        return self.place is not None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _major(place: Place) -> bool:
    """A capital, a region's seat or a town of 50,000 or more: named abroad, it is the place, not a homonym."""
    return place.admin_seat in ("capital", "admin1") or place.population >= 50_000


def find_places(text: str, gazetteer: Gazetteer, *, country_codes: Sequence[str] = (),
                mentioned: Sequence[str] = (), skip: Sequence[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Place mentions in ``text``, resolved with ``gazetteer``, in text order.

    Names are resolved as a document (as CLAVIN and Mordecai do): first the
    names that are sure (areas, seats, large towns, names with a place word
    before them), then the doubtful ones, each taking the candidate nearest the
    places already found and inside the regions the text names.

    ``country_codes`` are the countries the report is about; a small place in
    another country is taken only when the text names that country too
    (``mentioned``) and a place word leads to it.  ``skip`` spans (the names of
    armed groups, "Katiba Macina") hold no places.
    """
    hints = [c.upper() for c in country_codes]
    elsewhere = {c.upper() for c in mentioned} | set(hints)
    mentions: list[PlaceMention] = []
    taken: list[tuple[int, int]] = list(skip)
    for match in _border_phrases(text):
        area = parse_border(match.group(0), hints)
        if area is not None:
            mentions.append(PlaceMention(match.group(0), match.start(), match.end(), area))
            taken.append(match.span())
            mentions += _countries_within(match, gazetteer)
    for match in REGION_PHRASE.finditer(text):
        if _overlaps(taken, *match.span()):
            continue
        name = match.group(1) or match.group(2)
        found = gazetteer.search(f"{name} region", country_codes=hints, limit=5, fuzzy=False)
        if found and found[0].how == "exact" and found[0].place.feature == "admin1":
            mentions.append(PlaceMention(match.group(0), match.start(), match.end(), found[0].place, tuple(found)))
            taken.append(match.span())
            # the region's name as written is also a toponym: its namesake town, when there is one
            group = 1 if match.group(1) else 2
            town = [c for c in gazetteer.search(name, country_codes=[found[0].place.country], limit=5, fuzzy=False)
                    if c.how == "exact" and c.place.feature not in ("admin1", "country", "admin2", "admin3")
                    and c.place.country == found[0].place.country]
            if town:
                mentions.append(PlaceMention(name, match.start(group), match.end(group), town[0].place,
                                             tuple(town), nested=True))
    language = report_language(text)
    mask = bytearray(len(text))  # characters already inside a mention
    for start, end in taken:
        mask[start:end] = b"\x01" * (end - start)
    pending: list[_Pending] = []
    unplaced: list[PlaceMention] = []
    for match in NAME.finditer(text):
        for start, end, name, whole in _sub_names(match):
            if any(mask[start:end]):
                continue
            item = _candidates(name, start, end, text, gazetteer, hints, language, whole, pending, elsewhere)
            if item is not None:
                pending.append(item)
                mask[item.start:item.end] = b"\x01" * (item.end - item.start)
        start, end = match.span(1)
        if not any(mask[start:end]) and _unplaced(text, start, end, language, pending, unplaced):
            unplaced.append(PlaceMention(text[start:end], start, end, None))
        unplaced += _other_half(text, start, end, mask, language)
    mentions += unplaced
    regions = {m.place.admin1 for m in mentions if m.place is not None and m.place.feature == "admin1"}
    # districts the text names ("le cercle de Bankass", "Soum province", "département de Téra"): a village
    # whose GeoNames district is one of them is the one meant
    regions |= {normalise(m.group(1) or m.group(2)) for m in DISTRICT_PHRASE.finditer(text)}
    placed = [(m.place.latitude, m.place.longitude, m.start) for m in mentions
              if m.place is not None and m.place.feature == "admin1"]
    # anchors: places that are sure, or that only one gazetteer entry answers to
    placed += [(p.candidates[0].place.latitude, p.candidates[0].place.longitude, p.start) for p in pending
               if (p.sure or len({(c.place.latitude, c.place.longitude) for c in p.candidates}) == 1)
               and p.candidates[0].place.feature not in ("country",)]
    anchors = list(dict.fromkeys((lat, lon) for lat, lon, _ in placed))  # each point once: a report names a
    # town many times, and the cost of reading a name is its candidates times the distinct anchors
    parts = _country_parts(text, [m for m in mentions if m.place is not None and m.place.feature == "country"]
                           + [PlaceMention(p.name, p.start, p.end, p.candidates[0].place) for p in pending
                              if p.candidates[0].place.feature == "country"])
    # a first reading of every name, then each name again beside the others' first readings: the places
    # named in the same sentence count twice ("the market of Banibangou and the village of X")
    first = {id(item): _coherent(item, anchors, regions, parts).place for item in pending}
    placed += [(first[id(p)].latitude, first[id(p)].longitude, p.start) for p in pending]
    placed.sort(key=lambda x: x[2])
    positions = [at for _, _, at in placed]
    for item in pending:
        nearby = placed[bisect_left(positions, item.start - LOCAL_CHARS):
                        bisect_right(positions, item.start + LOCAL_CHARS)]
        local = list(dict.fromkeys((lat, lon) for lat, lon, at in nearby if at != item.start))
        best = _coherent(item, anchors, regions, parts, local)
        if best.how == "fuzzy" and anchors and min(haversine_km(best.place.latitude, best.place.longitude, *a)
                                                   for a in anchors) > FUZZY_REACH_KM:
            # a look-alike far from everything else the report names: kept unresolved, for the reviewer
            mentions.append(PlaceMention(item.name, item.start, item.end, None, tuple(item.candidates)))
            continue
        mentions.append(PlaceMention(item.name, item.start, item.end, best.place, tuple(item.candidates)))
    _solid_compounds(mentions, text, gazetteer, hints)
    return sorted(mentions, key=lambda m: m.start)


SOLID_REACH_KM = 50.0


def _solid_compounds(mentions: list[PlaceMention], text: str, gazetteer: Gazetteer, hints: Sequence[str]) -> None:
    """A village's compound name written solid ("le village de Dareydey" for "Darey-Dey"), which the
    gazetteer lacks: the village its first part names, if one lies near the other places of the report."""
    placed = [m.place for m in mentions if m.place is not None and m.place.feature not in
              ("country", "admin1", "border", "tri_border")]
    for i, mention in enumerate(mentions):
        key = normalise(mention.text)
        if mention.place is not None or mention.nested or " " in key or len(key) < 8 or not placed \
                or place_evidence(text, mention.start, mention.end) < 2:
            continue
        for size in range(len(key) - 3, 4, -1):
            near = [p for p in gazetteer.lookup(key[:size]) if p.country in hints and p.feature in ("village", "town")
                    and min(haversine_km(p.latitude, p.longitude, q.latitude, q.longitude) for q in placed)
                    <= SOLID_REACH_KM]
            if near:
                place = replace(near[0], name=mention.text, geo_precision=2, source=f"{near[0].source}; "
                                f"'{mention.text}' read as a compound of {near[0].name}")
                mentions[i] = replace(mention, place=place)
                break


BORDER_WORD = re.compile(r"border|frontier|fronti[eè]re|liptako|triborder", re.IGNORECASE)


def _border_phrases(text: str) -> list[re.Match[str]]:
    """Border phrases, looked for only around the words that can start or end one (the full
    pattern is slow to try at every character of a long report)."""
    out: dict[tuple[int, int], re.Match[str]] = {}
    for word in BORDER_WORD.finditer(text):
        for match in BORDER_PHRASE.finditer(text, max(0, word.start() - 120), min(len(text), word.end() + 160)):
            if match.start() <= word.start() < match.end() or match.start() <= word.end() <= match.end():
                out.setdefault(match.span(), match)
    spans = sorted(out, key=lambda s: (s[0], -s[1]))
    kept: list[re.Match[str]] = []
    for span in spans:  # the longest phrase at each place, as finditer over the whole text gives
        if not kept or span[0] >= kept[-1].end():
            kept.append(out[span])
    return kept


@dataclass
class _Pending:
    """A name with its ranked candidates, before the document decides among them."""

    name: str
    start: int
    end: int
    candidates: list[Candidate]
    sure: bool
    evidence: int


def _unplaced(text: str, start: int, end: int, language: str, pending: Sequence[_Pending],
              unplaced: Sequence[PlaceMention]) -> bool:
    """A name the gazetteer lacks that the text still calls a place: after a place noun ("the villages of
    Intazayene"), or listed right after such a place ("..., Bakorat and Wistane").  Kept, flagged unresolved."""
    key = normalise(text[start:end])
    if not key or key in STOPWORDS or any(w in STOPWORDS for w in key.split()) or _demonym(key) \
            or _person_like(text, start, end) or ORGANISATION.search(text[start:end]) \
            or common_word(text[start:end], language):
        return False
    evidence = place_evidence(text, start, end)
    if evidence == 2:
        return True
    ends = [p.end for p in pending] + [m.end for m in unplaced]
    listed = LIST_BEFORE.search(text[max(0, start - 8):start]) or LOCATIVE_BEFORE.search(text[max(0, start - 8):start])
    return bool(listed) and any(0 < start - e <= 8 for e in ends)


def _other_half(text: str, start: int, end: int, mask: bytearray, language: str) -> list[PlaceMention]:
    """The other half of a compound whose one half is a place ("l'axe Bantalaré-Kardjabou"): a place too,
    kept unresolved when the gazetteer lacks it."""
    out = []
    for word in re.finditer(r"[^\s–—-]+[–—-][^\s–—-]+", text[start:end]):
        halves = list(re.finditer(r"[^\s–—-]+", word.group(0)))
        spans = [(start + word.start() + h.start(), start + word.start() + h.end()) for h in halves]
        done = [any(mask[a:b]) for a, b in spans]
        if len(spans) != 2 or done.count(True) != 1:
            continue
        a, b = spans[done.index(False)]
        name = text[a:b].rstrip(".,;:’'")
        if len(name) >= 4 and name[0].isupper() and normalise(name) not in STOPWORDS \
                and not common_word(name, language) and not _demonym(normalise(name)):
            out.append(PlaceMention(name, a, a + len(name), None))
    return out


def report_language(text: str) -> str:
    """"fr" or "en", by counting each language's commonest short words."""
    words = re.findall(r"\b(?:le|la|les|des|du|est|dans|une|et|the|of|and|in|was|were|is)\b", text[:5000].lower())
    french = sum(w in ("le", "la", "les", "des", "du", "est", "dans", "une", "et") for w in words)
    return "fr" if french > len(words) - french else "en"


@lru_cache(maxsize=4096)
def common_word(name: str, language: str) -> bool:
    """True when ``name`` is also an ordinary word of the report's language ("Say", "Karma", "Ho")."""
    from wordfreq import zipf_frequency

    word = name.lower()
    return zipf_frequency(word, language) >= COMMON_ZIPF or (
        language != "en" and zipf_frequency(word, "en") >= COMMON_ZIPF + 1.0)


COMMON_ZIPF = 3.4


DATELINE_AFTER = re.compile(r"\s*(?:,\s*(?:[A-Z][a-z]+,?\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
                            r"janv|févr|fevr|avr|mai|juin|juil|août|aout|déc)\w*\.?\s+\d)|\s*\((?:AFP|Reuters|AP|"
                            r"APA|Xinhua|ANI)\))", re.IGNORECASE)


def place_evidence(text: str, start: int, end: int) -> int:
    """How strongly the words around a name say it is a place.

    2: a place noun ("the village of X", "commune de X", "X village");
    1: a locative preposition ("in X", "près de X"); 0: nothing.
    """
    before = text[max(0, start - 60):start]
    if STRONG_BEFORE.search(before) or STRONG_AFTER.match(text[end:end + 25]):
        return 2
    if LOCATIVE_BEFORE.search(before) or ((start == 0 or text[start - 1] == "\n") and DATELINE_AFTER.match(text, end)):
        return 1  # "in X", or a dateline: "New Delhi, July 19:", "BAMAKO (AFP) -"
    return 0


MEDIA_AFTER = re.compile(r"\s+(?:24|Inter|Info|Culture|Télévisions?|Médias Monde)\b")
COUNTRY_NAMES = frozenset(name for c in vocab.COUNTRIES.values() for name in c.names)


def _person_like(text: str, start: int, end: int) -> bool:
    """"President Bazoum", "Diallo said": a person, not a place."""
    return bool(PERSON_TITLES.search(text[max(0, start - 60):start]) or SPEECH_AFTER.match(text[end:end + 30]))


DEMONYM_ENDINGS = re.compile(r"(?:ais|aise|aises|ois|oise|oises|ien|iens|ienne|iennes|ese|ian|ians|ean|eans|"
                             r"ain|ains|aine|aines|ite|ites|i|is)$")


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    from geo.extract.figures import DEMONYMS

    return frozenset({normalise(d) for d in DEMONYMS} | {w for c in vocab.COUNTRIES.values() for w in c.adjectives})


def _demonym(key: str) -> bool:
    """"Togolais", "Malian", "Nigériens": a people, not a place (a country's name is a place)."""
    return key in _demonyms()


ORGANISATION = re.compile(r"\b(?:Group|Groupe|Intelligence|Institute|Institut|Organi[sz]ation|Agency|Agence|Council|"
                          r"Conseil|Committee|Comité|Ministry|Ministère|Union|Movement|Mouvement|Party|Parti|"
                          r"Association|Collective|Collectif|Network|Réseau|News|Press|Presse|Radio|Television|"
                          r"Télévision|Times|Post|Watch|Foundation|Fondation|Cent(?:re|er)|Bank|Banque|Company|"
                          r"Société|Corporation|University|Université|Observatory|Observatoire|Project|Projet)\b")


def _run(text: str, start: int, end: int) -> str:
    """The capitalised run a sub-name belongs to (the words joined to it by spaces)."""
    left = re.search(r"(?:[A-ZÀ-Ý][\w'’-]*[ \t]+)*$", text[max(0, start - 80):start])
    right = re.match(r"(?:[ \t]+[A-ZÀ-Ý][\w'’-]*)*", text[end:end + 80])
    return (left.group(0) if left else "") + text[start:end] + (right.group(0) if right else "")


def _sure(place: Place) -> bool:
    return place.feature in ("country", "admin1", "capital") or place.admin_seat in ("capital", "admin1", "admin2") \
        or place.population >= 20_000 or place.relevance >= 2


def _candidates(name: str, start: int, end: int, text: str, gazetteer: Gazetteer, hints: list[str],
                language: str, whole: bool | None, pending: Sequence[_Pending],
                elsewhere: set[str]) -> _Pending | None:
    key = normalise(name)
    if not key or len(key) < 2 or key in STOPWORDS or all(w in STOPWORDS for w in key.split()):
        return None
    if (len(key) < 5 or not hints or whole is None) and not gazetteer.lookup(name):
        return None  # no exact entry, and no near spelling will be tried: no need to read the context
    if MEDIA_AFTER.match(text, end):
        return None  # "France 24", "France Inter": a broadcaster
    if (_person_like(text, start, end) and key not in COUNTRY_NAMES) or _demonym(key):
        return None  # "Diallo said"; but "in Niger, said the embassy" is the country
    evidence = own_evidence = place_evidence(text, start, end)
    if evidence == 0 and LIST_BEFORE.search(text[max(0, start - 8):start]) and pending \
            and pending[-1].evidence and 0 < start - pending[-1].end <= 8:
        evidence = pending[-1].evidence  # "the villages of A, B and C"
    context = text[max(0, start - 40):end + 40]  # words that say "camp", "airport" or "mine"
    candidates = [c for c in gazetteer.search(name, country_codes=hints, context=context, limit=8, fuzzy=False)
                  if c.how == "exact"]
    if any(c.place.feature not in AREA_FEATURES for c in candidates) and not _hamlets_beside_a_district(candidates):
        # "Bourem" is the town before the cercle named after it
        candidates = [c for c in candidates if c.place.feature not in AREA_FEATURES]
    if hints and candidates and all(c.place.country not in hints for c in candidates) \
            and not any(_major(c.place) or c.place.feature == "country" for c in candidates) \
            and evidence and not common_word(name, language):
        candidates = []  # only homonyms abroad: a spelling of a place at home is likelier
    candidates = _wells_last(candidates, whole, own_evidence)
    if not candidates:
        if evidence and len(key) >= 5 and (own_evidence == 2 or not common_word(name, language)) and hints \
                and not DEMONYM_ENDINGS.search(key):  # "Togolais" is no misspelt village
            fuzzy = []
            for spelling in dict.fromkeys((name, _plain_spelling(name))):  # "Bounty" for "Bounti"
                fuzzy = [c for c in gazetteer.search(spelling, country_codes=hints, context=context, limit=5,
                                                     cutoff=EVIDENCE_CUTOFF)
                         if c.place.country in hints and c.place.feature not in ("country", "admin1")]
                if fuzzy:
                    break
            fuzzy = _wells_last(fuzzy, whole, own_evidence)
            if fuzzy:
                return _Pending(name, start, end, fuzzy, False, evidence)
        return None
    best = candidates[0].place
    sure = _sure(best)
    if best.feature == "country":
        return _Pending(name, start, end, candidates, True, evidence)
    # A homonym abroad is more likely a word or a person than a place the report is about.
    abroad = bool(hints) and best.country not in hints
    major = _major(best)
    if abroad and not major and not (evidence and best.country in elsewhere):
        return None
    if evidence == 0 and (abroad or not major or len(key) <= 3) and common_word(name, language) \
            and not (abroad and best.population >= 1_000_000 and len(key) > 3):  # "Moscow" is frequent as a city
        return None  # "No group claimed", "Say", "Karma": a word unless a place word leads to it
    if whole is None and not sure:
        # half of "Bamako-Ségou" is a place; the first half of a village's compound name the gazetteer
        # lacks ("the village of Darey-Daye", GeoNames "Darèy") stands for the whole, for a reviewer to check
        compound = re.match(r"[\w'’]*-[\w'’-]+", text[start:start + 60])
        if compound is None or text[end:end + 1] != "-" or best.country not in hints \
                or best.feature not in ("village", "town") or place_evidence(text, start, end) == 0:
            return None
        return _Pending(compound.group(0), start, start + compound.end(), candidates, False, evidence)
    if not whole and not sure and (evidence == 0 or ORGANISATION.search(_run(text, start, end))):
        return None  # a part of "Daouda Diallo", "SITE Intelligence Group" or "Collective Against Impunity"
    if not sure and evidence == 0 and not hints:
        return None
    return _Pending(name, start, end, candidates, sure or evidence == 2, evidence)


def _hamlets_beside_a_district(candidates: Sequence[Candidate]) -> bool:
    """A district whose namesakes are only villages (the Soum province, seated at Djibo, and villages called
    Soum): the name means the district.  A district named after its seat town ("Bourem") means the town."""
    return any(c.place.feature in AREA_FEATURES for c in candidates) and not any(
        _sure(c.place) for c in candidates if c.place.feature not in AREA_FEATURES)


def _plain_spelling(name: str) -> str:
    """An English or French transcription's quirks undone: a final or inner "y" for "i", doubled letters
    single ("Bounty", "Tamalatt")."""
    return re.sub(r"(\w)\1", r"\1", re.sub(r"(?<=\w)y", "i", name.lower()))


def _wells_last(candidates: list[Candidate], whole: bool | None, evidence: int) -> list[Candidate]:
    """A well or waterhole is the place meant only when no village or town has the name, and only for a
    whole name a place word or preposition of its own leads to ("à Tamalat", not "Niger, Mohamed Bazoum")."""
    places = [c for c in candidates if c.place.feature != "well"]
    if places or not candidates:
        return places
    return candidates if whole and evidence else []


NEAR_KM = 150.0
FUZZY_REACH_KM = 300.0
# a name a place word leads to ("le village de Dogofry") may be spelt further from the gazetteer's form
EVIDENCE_CUTOFF = 84.0
AREA_FEATURES = ("admin2", "admin3")


PART_OF_COUNTRY = re.compile(r"\b(?:(north|south|east|west|centre|center|central|nord|sud|est|ouest)"
                             r"(?:ern|-?(?:east|west)(?:ern)?|-(?:est|ouest))?)\s+(?:of\s+|du\s+|de\s+l['’]\s*|"
                             r"de\s+la\s+|de\s+)?(?:the\s+)?$", re.IGNORECASE)
PART_WORDS = {"nord": "north", "sud": "south", "est": "east", "ouest": "west", "centre": "central",
              "center": "central"}


def _country_parts(text: str, countries: Sequence[PlaceMention]) -> dict[str, tuple[Place, set[str]]]:
    """The parts of countries the text places things in ("northern Burkina Faso", "le centre du Mali"):
    for each country, its area and those parts."""
    parts: dict[str, tuple[Place, set[str]]] = {}
    for mention in countries:
        match = PART_OF_COUNTRY.search(text[max(0, mention.start - 30):mention.start])
        if match:
            word = match.group(1).lower()
            parts.setdefault(mention.place.country, (mention.place, set()))[1].add(PART_WORDS.get(word, word))
    return parts


# The parts of a country as reports and analysts use them ("le centre du Mali" is Mopti and Ségou, not the
# middle of its bounding box, which is desert), by admin-1 region; other countries use the bounding box.
REGION_PARTS = {
    "ML": {"north": {"tombouctou", "timbuktu", "gao", "kidal", "menaka", "taoudenit"},
           "central": {"mopti", "segou"}, "south": {"sikasso", "koulikoro", "bamako"},
           "west": {"kayes", "koulikoro"}, "east": {"gao", "menaka", "kidal"}},
    "BF": {"north": {"sahel", "nord", "centre nord"}, "east": {"est", "centre est"},
           "west": {"boucle du mouhoun", "hauts bassins", "cascades"},
           "central": {"centre", "plateau central", "centre ouest", "centre nord", "centre sud"},
           "south": {"sud ouest", "centre sud", "cascades"}},
    "NE": {"west": {"tillaberi", "niamey", "dosso"}, "north": {"agadez"}, "east": {"diffa", "zinder"},
           "south": {"maradi", "zinder", "dosso"}, "central": {"tahoua"}},
}


def _in_part(place: Place, area: Place, part: str) -> bool:
    """Whether ``place`` lies in that part of the country ``area``: its regions (:data:`REGION_PARTS`) or,
    for other countries, thirds of its bounding box."""
    regions = REGION_PARTS.get(area.country, {}).get(part)
    if regions is not None and place.admin1:
        return normalise(place.admin1) in regions
    if area.geometry is None:
        return False
    west, south, east, north = area.geometry.bounds
    x = (place.longitude - west) / ((east - west) or 1)
    y = (place.latitude - south) / ((north - south) or 1)
    return {"north": y > 0.5, "south": y < 0.5, "east": x > 0.5, "west": x < 0.5,
            "central": 0.2 < x < 0.8 and 0.2 < y < 0.8}.get(part, False)


LOCAL_CHARS = 150
DISTRICT_PHRASE = re.compile(r"\b(?:cercle|province|d[ée]partement|department|district|pr[ée]fecture)\s+"
                             r"(?:de\s+la\s+|du\s+|de\s+|d['’]\s*|of\s+)?(?:the\s+)?([A-ZÀ-Ý][\w'’-]+)"
                             r"|\b([A-ZÀ-Ý][\w'’-]+)\s+(?:cercle|province|department|district|prefecture)\b")


def _coherent(item: _Pending, anchors: Sequence[tuple[float, float]], regions: set[str],
              parts: dict[str, tuple[Place, set[str]]] | None = None,
              local: Sequence[tuple[float, float]] = ()) -> Candidate:
    """The candidate closest to the report's other places (above all those named beside it) and inside the
    regions it names."""
    if len(item.candidates) == 1:
        return item.candidates[0]
    top = item.candidates[0].score

    key = normalise(item.name)

    def score(cand: Candidate) -> float:
        p = cand.place
        # a village known under several names is the better known of its homonyms; a place whose own name
        # it is, before one that merely has it among its alternates ("Rome", not Lomé's transliteration)
        value = cand.score + 2.0 * min(len(p.alternate_names), 4) + (10.0 if normalise(p.name) == key else 0.0)
        if (p.admin1 and p.admin1 in regions) or (p.admin2 and normalise(p.admin2) in regions):
            value += 15.0
        area, named = (parts or {}).get(p.country, (None, ()))
        if area is not None and any(_in_part(p, area, part) for part in named):
            value += 10.0  # "a village in northern Burkina Faso"
        near = [haversine_km(p.latitude, p.longitude, lat, lon) for lat, lon in anchors
                if (lat, lon) != (p.latitude, p.longitude)]
        if near:
            value += 20.0 * math.exp(-min(near) / NEAR_KM)
        beside = [haversine_km(p.latitude, p.longitude, lat, lon) for lat, lon in local
                  if (lat, lon) != (p.latitude, p.longitude)]
        if beside:
            value += 20.0 * math.exp(-min(beside) / NEAR_KM)
        return value

    # only candidates that rank close to the best compete on coherence; a seat or a town is not
    # displaced by a hamlet of the same name
    if _sure(item.candidates[0].place) and not any(_sure(c.place) for c in item.candidates[1:]):
        return item.candidates[0]
    close = [c for c in item.candidates if c.score >= top - 25.0]
    return max(close, key=score)


def _countries_within(match: re.Match[str], gazetteer: Gazetteer) -> list[PlaceMention]:
    """The countries a border phrase names, as mentions of their own (nested in the phrase)."""
    out = []
    for name in re.finditer(r"[A-ZÀ-Ý][\w'’-]*(?:\s+Faso)?", match.group(0)):
        countries = [p for p in gazetteer.lookup(name.group(0)) if p.feature == "country"]
        if countries:
            start = match.start() + name.start()
            out.append(PlaceMention(name.group(0), start, start + len(name.group(0)), countries[0]))
    return out


MAX_NAME_WORDS = 6


def _sub_names(match: re.Match[str]) -> list[tuple[int, int, str, bool | None]]:
    """The capitalised run and its shorter parts, longest first; True for the whole run, None for
    half of a hyphenated compound."""
    # "L'Italie", "D'Ansongo" opening a sentence: the name without its elided article
    elided = re.match(r"(?:[LD]|Qu)['’](?=[A-ZÀ-Ý])", match.group(1))
    skip = elided.end() if elided else 0
    words = list(re.finditer(r"\S+", match.group(1)))
    if skip and words:
        words[0] = re.compile(r"\S+").search(match.group(1), skip)
    out = []
    # no place name runs to more than a few words; a longer capitalised run (a headline in title case, a
    # list of names) is read in parts of at most MAX_NAME_WORDS, so that its cost stays linear
    for size in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        for i in range(0, len(words) - size + 1):
            first, last = words[i], words[i + size - 1]
            start, end = match.start(1) + first.start(), match.start(1) + last.end()
            name = match.string[start:end].rstrip(".,;:’'").removesuffix("'s").removesuffix("’s")
            out.append((start, start + len(name), name, size == len(words)))
    # "Ségou-Bamako": a compound of two names, tried after the compound itself
    for word in words:
        parts = list(re.finditer(r"[^\s–—-]+", word.group(0)))
        if len(parts) == 2 and all(len(p.group(0)) >= 3 and p.group(0)[0].isupper() for p in parts):
            for part in parts:
                start = match.start(1) + word.start() + part.start()
                out.append((start, start + len(part.group(0)), part.group(0), None))
    return out


def unresolved_names(text: str, mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Capitalised names after "in", "near", "at" or "à" that resolved to nothing: kept and flagged."""
    out = []
    taken = [(m.start, m.end) for m in mentions]
    for match in re.finditer(r"\b(?:in|near|at|outside|à|près de)\s+(?:the\s+(?:town|village)\s+of\s+)?"
                             r"([A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?)", text):
        name = match.group(1)
        if _overlaps(taken, match.start(1), match.end(1)) or normalise(name) in STOPWORDS \
                or _demonym(normalise(name)):
            continue
        out.append(PlaceMention(name, match.start(1), match.end(1), None))
    return out
