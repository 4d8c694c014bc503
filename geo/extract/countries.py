"""Which countries a report is about, read from the text itself.

Evidence, weighted: countries and their adjectives named in the title and the
body ("Burkina Faso", "Nigerien", "armée malienne"), all-caps datelines
("NIAMEY, March 3 —"), and places the gazetteer resolves without doubt (a
capital, a regional or cercle seat).  No country is assumed: a text with no
evidence gets none, and its places are ranked without a country preference.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from geo.areas import COUNTRY_WORDS
from geo.gazetteer import Gazetteer, is_world_place, normalise

# "the Niger river", "fleuve Niger", "the inner Niger delta": the river, not the country
RIVER = re.compile(r"\b(?:river|fleuve|delta|boucle du|bend of the|inner)\s+niger\b|\bniger\s+(?:river|delta|bend)\b")
# "Lake Chad" is a basin shared by four countries
LAKE = re.compile(r"\b(?:lake|lac)\s+chad\b|\blac\s+tchad\b")
TITLE_WEIGHT = 3.0
DATELINE_WEIGHT = 3.0
SEAT_WEIGHT = 1.0
SHARE = 0.3  # a country counts when its evidence is at least this share of the strongest


def _word_pattern() -> re.Pattern[str]:
    words = sorted({w for ws in COUNTRY_WORDS.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z0-9])")


WORDS = _word_pattern()
BY_WORD = {w: cc for cc, ws in COUNTRY_WORDS.items() for w in ws}
DATELINE = re.compile(r"^\s*([A-ZÀ-Ý][A-ZÀ-Ý'’ -]{2,30})\b(?=\s*(?:,|\(|—|–|-\s))", re.MULTILINE)


def country_mentions(text: str) -> Counter[str]:
    """Mentions of each country's names and adjectives in ``text`` (rivers and lakes left out)."""
    key = normalise(text)
    key = LAKE.sub(" ", RIVER.sub(" ", key))
    return Counter(BY_WORD[m.group(1)] for m in WORDS.finditer(key))


def detect_countries(text: str, gazetteer: Gazetteer) -> list[str]:
    """ISO2 codes of the countries ``text`` is about, strongest evidence first."""
    title, _, body = text.strip().partition("\n")
    scores: Counter[str] = Counter()
    for cc, n in country_mentions(title).items():
        scores[cc] += TITLE_WEIGHT * n
    for cc, n in country_mentions(body).items():
        scores[cc] += n
    for match in DATELINE.finditer(text):
        for place in gazetteer.lookup(match.group(1).strip()):
            if is_world_place(place):
                continue  # "NEW DELHI, July 19": where it was written, not what it is about
            if place.admin_seat in ("capital", "admin1") or place.population >= 50_000:
                scores[place.country] += DATELINE_WEIGHT
                break
    for cc, n in _seats(text, gazetteer).items():
        scores[cc] += SEAT_WEIGHT * n
    if not scores:
        return []
    top = max(scores.values())
    return [cc for cc, s in scores.most_common() if s >= SHARE * top]


def _seats(text: str, gazetteer: Gazetteer) -> Counter[str]:
    """Capitals and administrative seats named in the text whose name is unique in the gazetteer."""
    found: Counter[str] = Counter()
    seen: set[str] = set()
    for match in re.finditer(r"(?<![\w'’])[A-ZÀ-Ý][\w'’-]{3,}", text):
        name = match.group(0)
        if name in seen:
            continue
        seen.add(name)
        places = [p for p in gazetteer.lookup(name) if p.feature not in ("country", "admin1")
                  and not is_world_place(p)]
        seats = {p.country for p in places if p.admin_seat in ("capital", "admin1", "admin2")
                 or p.population >= 20_000}
        if len(seats) == 1 and len({p.country for p in places}) == 1:
            found[seats.pop()] += 1
    return found


def ordered_hints(detected: Sequence[str], given: Sequence[str] | None) -> list[str]:
    """The user's countries when given, else the detected ones."""
    return [c.upper() for c in given] if given else list(detected)
