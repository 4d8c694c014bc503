"""Place names in report text, resolved with the gazetteer.

Three kinds of mention are found: border areas ("near the borders with Senegal
and Mauritania", "Mali–Niger border"), regions ("the Gao region", "région de
Mopti"), and capitalised names looked up exactly (accent- and case-insensitively)
in the gazetteer.  Context picks among candidates: the report's country and
"in the X region" phrases.  Names that look like places but resolve to nothing
are kept, flagged ``resolved=False``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from geo.areas import COUNTRY_WORDS, parse_border
from geo.gazetteer import Candidate, Gazetteer, Place, normalise

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
    r"\b(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:region|province)\b|"
    r"\b(?:région|province)\s+(?:de\s+|du\s+|d['’])([A-ZÀ-Ý][\w'’-]+)", re.UNICODE)
NAME = re.compile(
    r"(?<![\w'’])([A-ZÀ-Ý][\w'’-]*\.?(?:\s+(?:du|de|des|la|el|al|N['’])?\s*[A-ZÀ-Ý][\w'’-]*)*)", re.UNICODE)
# Capitalised words that are never place names here, however the gazetteer spells its villages.
STOPWORDS = {
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "from", "by", "with", "and",
    "but", "or", "since", "despite", "according", "beyond", "their", "meanwhile", "earlier", "later", "details",
    "military", "response", "army", "group", "state", "islamic", "islam", "muslims", "support", "coordinated",
    "jihadist", "jihadists", "assaults", "attacks", "attack", "africa", "african", "west", "east", "north",
    "south", "central", "western", "eastern", "northern", "southern", "col", "gen", "president", "minister",
    "u", "s", "un", "eu", "us", "command", "agency", "reuters", "afp", "ap", "france", "french", "russian",
    "wagner", "corps", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "le", "la", "les", "des", "du", "de", "l", "un", "une", "il", "elle", "ils", "selon",
    "indian", "chinese", "malian", "tuareg", "al", "qaeda", "eyewitnesses", "sahel", "expanding", "influence",
    "escalating", "conflict", "jama", "nusrat", "nasr", "muslimin", "wal", "shake", "backbone", "spokesperson",
    "souleymane", "dembele", "third", "mali's", "its", "they", "he", "she", "we", "it", "there", "when",
    "while", "after", "before", "during", "as", "if", "his", "her", "our", "many", "some", "several",
}


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text: as written, where, and what it resolved to (if anything)."""

    text: str
    start: int
    end: int
    place: Place | None
    candidates: tuple[Candidate, ...] = field(default=(), compare=False)

    @property
    def resolved(self) -> bool:
        """False for a name that looks like a place but is not in the gazetteer."""
        return self.place is not None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_places(text: str, gazetteer: Gazetteer, *, country_codes: Sequence[str] = ()) -> list[PlaceMention]:
    """Place mentions in ``text``, resolved with ``gazetteer``, in text order."""
    hints = [c.upper() for c in country_codes]
    mentions: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    for match in BORDER_PHRASE.finditer(text):
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
    for match in NAME.finditer(text):
        for start, end, name in _sub_names(match):
            if _overlaps(taken, start, end):
                continue
            mention = _resolve_name(name, start, end, text, gazetteer, hints)
            if mention is not None:
                mentions.append(mention)
                taken.append((start, end))
                break
    return sorted(mentions, key=lambda m: m.start)


def _countries_within(match: re.Match[str], gazetteer: Gazetteer) -> list[PlaceMention]:
    """The countries a border phrase names, as mentions of their own (nested in the phrase)."""
    out = []
    for name in re.finditer(r"[A-ZÀ-Ý][\w'’-]*(?:\s+Faso)?", match.group(0)):
        countries = [p for p in gazetteer.lookup(name.group(0)) if p.feature == "country"]
        if countries:
            start = match.start() + name.start()
            out.append(PlaceMention(name.group(0), start, start + len(name.group(0)), countries[0]))
    return out


def _sub_names(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """The capitalised run and its shorter prefixes/suffixes, longest first."""
    words = list(re.finditer(r"\S+", match.group(1)))
    out = []
    for size in range(len(words), 0, -1):
        for i in range(0, len(words) - size + 1):
            first, last = words[i], words[i + size - 1]
            start, end = match.start(1) + first.start(), match.start(1) + last.end()
            name = match.string[start:end].rstrip(".,;:’'").removesuffix("'s").removesuffix("’s")
            out.append((start, start + len(name), name))
    return out


def _resolve_name(name: str, start: int, end: int, text: str, gazetteer: Gazetteer,
                  hints: list[str]) -> PlaceMention | None:
    key = normalise(name)
    if not key or key in STOPWORDS or all(w in STOPWORDS for w in key.split()):
        return None
    context = text[max(0, start - 80):end + 80]
    candidates = gazetteer.search(name, country_codes=hints, context=context, limit=5, fuzzy=False)
    exact = [c for c in candidates if c.how == "exact"]
    if not exact:
        return None
    best = exact[0].place
    # A bare homonym abroad, or an unheard-of hamlet, is more likely an ordinary word than a place.
    if hints and best.country not in hints and best.feature not in ("country",) and best.population < 50_000:
        return None
    if best.feature not in ("country", "admin1") and best.relevance == 0 and best.population < 5_000 \
            and not best.admin_seat:
        return None
    return PlaceMention(name, start, end, best, tuple(exact))


def unresolved_names(text: str, mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Capitalised names after "in", "near", "at" or "à" that resolved to nothing: kept and flagged."""
    out = []
    taken = [(m.start, m.end) for m in mentions]
    for match in re.finditer(r"\b(?:in|near|at|outside|à|près de)\s+(?:the\s+(?:town|village)\s+of\s+)?"
                             r"([A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?)", text):
        name = match.group(1)
        if _overlaps(taken, match.start(1), match.end(1)) or normalise(name) in STOPWORDS:
            continue
        out.append(PlaceMention(name, match.start(1), match.end(1), None))
    return out
