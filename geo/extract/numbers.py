"""Numbers written as digits or words, in English and French, with their qualifier.

``parse_quantity("more than 100")`` -> ``Quantity(100, "more than")``;
``parse_quantity("une vingtaine")`` -> ``Quantity(20, "about")``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "octante": 80, "nonante": 90,
}
SCALES = {"hundred": 100, "cent": 100, "cents": 100, "thousand": 1000, "mille": 1000}
DOZENS = {"dozen": 12, "dozens": 24, "douzaine": 12, "dizaine": 10, "quinzaine": 15, "vingtaine": 20,
          "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
          "centaines": 200, "dizaines": 20}
QUALIFIERS = [
    (r"more than|over|upwards of|in excess of|plus de|plus d['’]|au moins plus de", "more than"),
    (r"at least|no fewer than|no less than|au moins|au minimum", "at least"),
    (r"about|around|approximately|roughly|some|nearly|almost|close to|an estimated|près de|près d['’]|environ|"
     r"quelque|quelques|une|un|approximativement", "about"),
    (r"up to|as many as|jusqu'à|jusqu’à", "up to"),
    (r"fewer than|less than|under|moins de|moins d['’]", "fewer than"),
]
NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, *DOZENS, "vingts"], key=len, reverse=True))
# digits (with thousands separators) or a run of number words joined by spaces, hyphens, "and"/"et"
NUMBER = (rf"(?:\d{{1,3}}(?:[,\u202f ]\d{{3}})+|\d+|"
          rf"(?:(?:{NUMBER_WORD})(?:[\s-]+(?:(?:and|et)[\s-]+)?(?:{NUMBER_WORD}))*))")
QUALIFIER = "|".join(q for q, _ in QUALIFIERS)
# a hedge and the space after it; an elided French one needs none ("près d'une centaine")
HEDGE = rf"(?:(?:{QUALIFIER})(?:(?<=['’])\s*|\s+))"
QUANTITY = re.compile(rf"\b(?:(?P<qual>{QUALIFIER})(?:(?<=['’])\s*|\s+))?(?P<num>{NUMBER})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number and how it was hedged ("exact", "about", "at least", "more than", "up to", "fewer than")."""

    value: int
    qualifier: str = "exact"


def words_to_int(text: str) -> int | None:
    """``"eighty"`` -> 80, ``"two hundred and five"`` -> 205, ``"quatre-vingt-dix"`` -> 90; None if not a number."""
    text = text.strip().lower()
    digits = re.sub(r"[,\u202f ]", "", text)
    if digits.isdigit():
        return int(digits)
    text = re.sub(r"quatre[\s-]+vingts?", "octante", text)  # French 80 is "four twenties"
    tokens = [t for t in re.split(r"[\s-]+", text) if t and t not in ("and", "et")]
    if not tokens:
        return None
    total = current = 0
    seen = False
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            scale = SCALES[token]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        elif token in DOZENS:
            current = max(current, 1) * DOZENS[token] if current else DOZENS[token]
        else:
            return None
        seen = True
    return total + current if seen else None


def _qualifier(word: str | None, number_text: str) -> str:
    """The hedge's name; a round count ("une vingtaine") is "about" unless hedged otherwise ("plus d'une")."""
    named = next((name for pattern, name in QUALIFIERS if word and re.fullmatch(pattern, word.lower())), None)
    if named not in (None, "about"):
        return named
    if any(number_text.lower().endswith(d) for d in DOZENS):
        return "about"
    return named or "exact"


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text`` (with its hedge), or None."""
    for match in QUANTITY.finditer(text):
        number_text = match.group("num")
        if number_text.lower() in ("a", "an", "un", "une", "and", "et"):
            continue
        value = words_to_int(number_text)
        if value is None:
            continue
        return Quantity(value, _qualifier(match.group("qual"), number_text))
    return None
