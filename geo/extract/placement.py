"""Places the gazetteer lacks or misreads, placed by what the text says around them.

A village missing from GeoNames is still somewhere the text says: near a town ("X, près de Y",
"X, about 30 km from Y", "en périphérie de Y, à X"), in a district ("X, in Soum province"), listed
with a village the gazetteer has ("the villages of A, B and C", "l'axe A-B"), or spelt another way
elsewhere in the same report.  :func:`placed_near` gives such a name that place's point with
``geo_precision`` 2 (3 inside a region) and a note for the reviewer, and moves a name whose entry
lies outside the place the text puts it in to a candidate inside, if it has one.  Never a guessed
village: the point is always the named place's.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geo.extract.places import (
    ORGANISATION,
    STOPWORDS,
    PlaceMention,
    _demonym,
    _person_like,
    common_word,
    place_evidence,
    report_language,
)
from geo.gazetteer import Place, haversine_km, normalise

# ", près de Fassala", ", near Gao", ", à 30 km de Djibo", ", a village in the cercle of Bankass": where the
# name just before is, in terms of a place the gazetteer knows
NEAR_AFTER = re.compile(
    r"^\s*,\s*(?:(?:a|an|un|une)\s+(?:small\s+|petit\s+)?(?:village|hamlet|locality|localité|hameau)\s+"
    r"(?:(?:situé|située|located|lying|sis)\s+)?)?"
    r"(?:(?:near|close to|not far from|outside|on the outskirts of|just outside|près de|non loin de|"
    r"à proximité de|aux abords de|en périphérie de|dans la périphérie de|à la périphérie de)"
    r"|(?:(?:some|about|around|environ|à|at|à environ|à une)\s+)*(?P<km>\d+)\s*(?:km|kilom[eè]tres?)\s+"
    r"(?:(?:north|south|east|west|au nord|au sud|à l['’]est|à l['’]ouest)[\w-]*\s+)?(?:from|of|de|d['’])"
    r"|(?:in|dans|of|de|du)\s+(?:the\s+|la\s+|le\s+)?(?:cercle|commune|department|département|district|"
    r"province|municipality|rural commune|commune rurale)\s+(?:of|de|du|d['’])?)"
    r"\s*(?:the\s+)?(?:(?:town|village|city|ville|localité)\s+(?:of|de|d['’])\s*)?$", re.IGNORECASE)
NEAR_KM_DEFAULT = 50.0


def placed_near(text: str, mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Names placed by the text next to a place it resolved ("Laghdaf, près de Fassala", "the village of
    Kobe, about 30km from Gao", "en périphérie de Diafarabé, à Danguere Tomana"): a name the gazetteer
    lacks, or whose entry lies far from that place, gets that place's point with ``geo_precision`` 2 and a
    note saying so (ACLED's rule for a village it cannot find), for a reviewer to correct.  Returns
    ``mentions`` with those added or replaced."""
    out = sorted(mentions, key=lambda m: m.start)
    language = report_language(text)
    _spelt_as_elsewhere(out)
    _listed_beside(out, text)
    for anchor in [m for m in out if m.place is not None and not m.nested
                   and m.place.feature not in ("country", "border", "tri_border")]:
        before = text[max(0, anchor.start - 160):anchor.start]
        for name in re.finditer(r"([A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+)?)(?=\s*,)", before):
            near = NEAR_AFTER.match(before[name.end():])
            start = anchor.start - len(before) + name.start()
            if near is not None:
                reach = max(2.0 * float(near.group("km")), 25.0) if near.group("km") else NEAR_KM_DEFAULT
                _place_beside(out, text, language, start, start + len(name.group(1)), anchor, reach)
                break
            if anchor.place.feature in AREAS and IN_AREA.match(before[name.end():]) \
                    and (AREA_WORD_AFTER.match(text, anchor.end) or AREA_WORD_AFTER.search(" " + anchor.text)):
                # "Koutougou, in Soum province": a place inside that district, or at its point
                _place_beside(out, text, language, start, start + len(name.group(1)), anchor, AREA_REACH_KM)
                break
        else:
            after = NAMED_AFTER.match(text, anchor.end)
            if after is not None and NEAR_BEFORE.search(text[max(0, anchor.start - 40):anchor.start]):
                _place_beside(out, text, language, after.start(1), after.end(1), anchor, NEAR_KM_DEFAULT)
    return sorted(out, key=lambda m: m.start)


VARIANT_CUTOFF = 85.0


def _spelt_as_elsewhere(out: list[PlaceMention]) -> None:
    """A name the gazetteer lacks that is another spelling of a place the same report names ("Tamalate"
    beside "Tamalat", as translations and local outlets vary): that place."""
    from rapidfuzz import fuzz

    named = [m for m in out if m.place is not None and not m.nested and m.place.feature not in
             ("country", "admin1", "border", "tri_border")]
    for i, mention in enumerate(out):
        if mention.place is not None or mention.nested:
            continue
        key = normalise(mention.text)
        scored = [(fuzz.ratio(key, normalise(m.text)), m) for m in named
                  if normalise(m.text)[:1] == key[:1] and len(key) >= 5]
        best = max(scored, key=lambda s: s[0], default=(0.0, None))
        if best[0] >= VARIANT_CUTOFF:
            out[i] = replace(mention, place=best[1].place, candidates=best[1].candidates)


LISTED_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|et\s+)?|\s+(?:and|et)\s+|[-–])\s*$", re.IGNORECASE)
SITE_FEATURES = ("village", "town", "city", "capital", "locality", "well")


def _listed_beside(out: list[PlaceMention], text: str) -> None:
    """Villages the gazetteer lacks that the text lists with one it has ("the villages of Intazayene, Bakorat
    and Wistane", "l'axe Bantalaré-Kardjabou"): at that village's point, ``geo_precision`` 2, noted."""
    for i, mention in enumerate(out):
        words = mention.text.split()
        if mention.place is not None or mention.nested or len(words) > 2 \
                or (len(words) == 2 and place_evidence(text, mention.start, mention.end) < 2):
            continue  # "Hubert Yameogo", a headline's "Cinq Otages Nigériens Libérés": no village's name
        for j in (i - 1, i + 1, i - 2, i + 2):
            if not 0 <= j < len(out):
                continue
            other = out[j]
            first, second = sorted((mention, other), key=lambda m: m.start)
            if other.place is None or other.place.feature not in SITE_FEATURES or other.place.geo_precision > 1 \
                    or not LISTED_GAP.match(text[first.end:second.start]):
                continue
            place = replace(other.place, name=mention.text, feature="village", admin_seat="", population=0,
                            relevance=0, alternate_names=(), geo_precision=2, geometry=None,
                            source=f"not in the gazetteer: placed at {other.place.name}, listed with it")
            out[i] = replace(mention, place=place)
            break


# "en périphérie de Diafarabé, à Danguere Tomana": the name after the place a near-phrase leads to
NEAR_BEFORE = re.compile(r"(?:near|close to|not far from|outside|on the outskirts of|près de|non loin de|"
                         r"à proximité de|aux abords de|en périphérie de|dans la périphérie de|"
                         r"à la périphérie de)\s+$", re.IGNORECASE)
NAMED_AFTER = re.compile(r"\s*,\s*(?:à|at|in|au|dans)\s+(?:(?:the\s+)?(?:village|hamlet|locality)\s+of\s+|"
                         r"(?:le\s+)?(?:village|hameau|la localité)\s+de\s+)?"
                         r"([A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+)?)")


AREAS = ("admin1", "admin2", "admin3")
AREA_REACH_KM = 150.0
IN_AREA = re.compile(r"^\s*,\s*(?:in|dans)\s+(?:the\s+|la\s+|le\s+)?$", re.IGNORECASE)
AREA_WORD_AFTER = re.compile(r"\s+(?:province|provinces|department|département|region|région|cercle|commune|district|"
                             r"prefecture|préfecture|state)\b", re.IGNORECASE)
AREA_NAME = re.compile(r"^(?:province|r[ée]gion|d[ée]partement|department|cercle|commune|district|pr[ée]fecture)"
                       r"\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*|of\s+)?"
                       r"|\s+(?:region|province|department|cercle|prefecture|district)$", re.IGNORECASE)


def _within(place: Place, anchor: PlaceMention, reach: float) -> bool:
    """Whether ``place`` can be where the text puts it: inside the district or region ``anchor`` (by the
    admin names GeoNames gives, or the area's name as written), or within ``reach`` km of it."""
    area = anchor.place
    if area.feature in AREAS:
        names = {normalise(AREA_NAME.sub("", area.name)), normalise(AREA_NAME.sub("", anchor.text))}
        if place.admin1 or place.admin2:
            return bool(names & {normalise(place.admin1), normalise(place.admin2)})
    return haversine_km(place.latitude, place.longitude, area.latitude, area.longitude) <= reach


def _place_beside(out: list[PlaceMention], text: str, language: str, start: int, end: int,
                  anchor: PlaceMention, reach: float) -> None:
    """Place the name at ``start:end`` at ``anchor`` (in ``out``), unless it is no place name or already
    resolves within ``reach`` km of it."""
    name = text[start:end]
    key = normalise(name)
    if not key or key in STOPWORDS or any(w in STOPWORDS for w in key.split()) or _demonym(key) \
            or _person_like(text, start, end) or ORGANISATION.search(name) \
            or (common_word(name, language) and place_evidence(text, start, end) < 2):
        return
    overlapping = [m for m in out if m.start < end and start < m.end]
    current = next((m for m in overlapping if m.place is not None), overlapping[0] if overlapping else None)
    if current is not None and current.place is not None:
        if current.nested or _within(current.place, anchor, reach):
            return
        close = [c.place for c in (current.candidates or ()) if _within(c.place, anchor, reach)]
        if close:
            out[out.index(current)] = replace(current, place=close[0])
            return
    place = replace(anchor.place, name=name, feature="village", admin_seat="", population=0,
                    relevance=0, alternate_names=(), geo_precision=max(2, anchor.place.geo_precision),
                    geometry=None, source=f"not in the gazetteer near {anchor.place.name}: placed at its point")
    for m in overlapping:
        out.remove(m)
    out.append(PlaceMention(name, start, end, place, current.candidates if current else ()))
