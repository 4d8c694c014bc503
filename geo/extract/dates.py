"""Dates in report text resolved against the publication date, with ACLED ``time_precision``.

``resolve_date("on Tuesday", published=date(2025, 7, 3))`` -> ``(date(2025, 7, 1), 1)``.
Precision: 1 = the day is known, 2 = the week, 3 = only the month.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.extract.numbers import Quantity, parse_quantity

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "décembre": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY = "|".join(WEEKDAYS)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    # "dans la nuit du 4 au 5 juin", "between 3 and 5 March": a span, dated by its first day (ACLED's rule)
    ("dmy", re.compile(rf"\b(?:(?:{WEEKDAY}),?\s+(?:the\s+)?)?(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+"
                       rf"(?:(?:au|to|and|et|-|–)\s+(?P<d2>\d{{1,2}})(?:er|st|nd|rd|th)?\s+)?"
                       rf"(?P<mon>{MONTH})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.IGNORECASE)),
    ("mdy", re.compile(rf"\b(?:(?:{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                       rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
                       re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?:(?P<last>last)\s+|(?:on|this|ce)\s+)?(?P<wd>{WEEKDAY})\b"
                           rf"(?:\s+(?P<dernier>dernier|passé))?", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(yesterday|hier|la veille)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(today|aujourd'hui|aujourd’hui|this morning|ce matin)\b", re.IGNORECASE)),
    # a night that ends on the publication day began the day before: ACLED dates it by its start
    ("overnight", re.compile(r"\b(overnight|last night|la nuit dernière|cette nuit)\b", re.IGNORECASE)),
    ("last_week", re.compile(r"\b(last week|la semaine dernière|la semaine passée)\b", re.IGNORECASE)),
    ("this_week", re.compile(r"\b(this week|cette semaine|in recent days|ces derniers jours)\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\b(last month|le mois dernier|le mois passé)\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(earlier this month|this month|début du mois|plus tôt ce mois|ce mois-ci)\b",
                              re.IGNORECASE)),
    ("weekend", re.compile(r"\b(last weekend|over the weekend|this weekend|le week-end dernier|"
                           r"ce week-end|le week-end)\b", re.IGNORECASE)),
    ("month_year", re.compile(rf"\b(?:in|en|early|late|mid|début|fin)?\s*(?P<mon>{MONTH})\s+(?P<y>(?:19|20)\d\d)\b",
                              re.IGNORECASE)),
    # the number is read by parse_quantity; matching it here as words would be slow at every position
    ("ago", re.compile(r"\b(?:il y a|voici|voilà|cela fait|ça fait)\s+(?:plus d['’]\s*|près d['’]\s*|environ\s+)?"
                       r"(?P<n>[\w-]+)\s+"
                       r"(?P<u>jours?|semaines?|mois)\b|\b(?P<n2>[\w-]+)\s+(?P<u2>days?|weeks?|months?)\s+ago\b",
                       re.IGNORECASE)),
    ("month", re.compile(rf"\b(?:in|en|early|late|mid|since|début|fin|mi|au mois de|le mois de|mois de|"
                         rf"au cours du mois de|dans le courant du mois de)[\s-]+(?:d['’]\s*)?"
                         rf"(?P<mon>{MONTH})\b(?!\s+\d)", re.IGNORECASE)),
    # "August, the group attacked...": a month that opens a sentence (its "In" lost, or a French "Août,")
    ("month_lead", re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?=[A-ZÀ-Ý])(?P<mon>{MONTH})\s*,", re.IGNORECASE)),
]
ABSOLUTE = {"iso", "dmy", "mdy", "month_year"}
# A date counted from the one written before it ("two days earlier", "le lendemain"), not from the publication:
# resolved against the nearest earlier date in the text, with its precision; dropped when there is none.
ANCHORED = re.compile(r"\b(?:(?P<n>[\w-]+)\s+(?P<u>days?|weeks?|jours?|semaines?)\s+"
                      r"(?P<dir>earlier|later|plus tôt|plus tard|auparavant)"
                      r"|the\s+(?P<prev>previous|preceding)\s+day|the\s+(?P<next>following|next)\s+day"
                      r"|(?P<lendemain>le lendemain))\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date found in text: the resolved day, its precision, and where it was written."""

    value: date
    precision: int
    start: int
    end: int
    text: str


def _month_day(mon: str, day: int, year: int | None, published: date) -> date | None:
    month = MONTHS[mon.lower().rstrip(".")]
    if year is None:
        year = published.year
        # "30 December" in a report of 2 January is last year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate > published + timedelta(days=2):
            year -= 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, match: re.Match[str], published: date | None,
             year: int | None = None) -> tuple[date, int] | None:
    if published is None:
        # no publication date: only what the text states in full; a day and month take the report's year
        if kind in ("dmy", "mdy") and not match["y"]:
            if year is None:
                return None
            try:
                return date(year, MONTHS[match["mon"].lower().rstrip(".")], int(match["d"])), 1
            except ValueError:
                return None
        if kind == "month" and year is not None:
            return date(year, MONTHS[match["mon"].lower()], 15), 3
        if kind not in ABSOLUTE:
            return None
    if kind == "iso":
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"])), 1
        except ValueError:
            return None
    if kind in ("dmy", "mdy"):
        day = _month_day(match["mon"], int(match["d"]), int(match["y"]) if match["y"] else None, published)
        span = int(match["d2"]) - int(match["d"]) if kind == "dmy" and match["d2"] else 0
        return (day, 1 if span <= 1 else 2) if day else None
    if kind == "weekday":
        wanted = WEEKDAYS[match["wd"].lower()]
        back = (published.weekday() - wanted) % 7  # the most recent such day, the publication day included
        if back == 0 and (match["last"] or match["dernier"]):
            back = 7  # "dimanche dernier" in a report of a Sunday is a week ago
        return published - timedelta(days=back), 1
    if kind == "yesterday":
        return published - timedelta(days=1), 1
    if kind == "today":
        return published, 1
    if kind == "overnight":
        return published - timedelta(days=1), 1
    if kind == "last_week":
        return published - timedelta(days=7), 2
    if kind == "this_week":
        return published - timedelta(days=3), 2
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=15), 3
    if kind == "this_month":
        # a report of the 1st or 2nd writing "earlier this month" was written in the month before
        if published.day <= 2:
            previous = published.replace(day=1) - timedelta(days=1)
            return previous.replace(day=15), 3
        return published.replace(day=max(1, published.day // 2)), 3
    if kind == "month_year":
        return date(int(match["y"]), MONTHS[match["mon"].lower()], 15), 3
    if kind == "weekend":
        back = (published.weekday() - 6) % 7  # the Sunday that ends the weekend
        if back == 0 and re.search(r"last|dernier", match[0], re.IGNORECASE):
            back = 7
        return published - timedelta(days=back), 2
    if kind == "ago":
        number = (match["n"] or match["n2"]).lower()
        count = parse_quantity(number) or (Quantity(1) if number in ("un", "une", "a", "an", "one") else None)
        unit = (match["u"] or match["u2"]).lower()
        if count is None:
            return None
        if unit.startswith(("day", "jour")):
            return published - timedelta(days=count.value), 1 if count.value <= 3 else 2
        if unit.startswith(("week", "semaine")):
            return published - timedelta(days=7 * count.value), 2
        back = published.replace(day=1)
        for _ in range(count.value):
            back = (back - timedelta(days=1)).replace(day=1)
        return back.replace(day=15), 3
    if kind in ("month", "month_lead"):
        month = MONTHS[match["mon"].lower()]
        year = published.year if month <= published.month else published.year - 1
        return date(year, month, 15), 3
    return None


def find_dates(text: str, published: date | None, *, year: int | None = None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published``, in text order, not overlapping.

    Without a publication date only dates written in full resolve; a day and
    month with no year ("samedi 23 mars") take ``year`` (the report's own year)
    when it is known.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    anchored = list(ANCHORED.finditer(text))
    taken += [m.span() for m in anchored]  # "three days later" is not "three days ago" or a weekday
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = _resolve(kind, match, published, year)
            if resolved is None or published is not None and resolved[0] > published + timedelta(days=1):
                continue
            taken.append((start, end))
            found.append(DateMention(resolved[0], resolved[1], start, end, match.group(0).strip()))
    for match in anchored:  # in text order, so that one may count from another
        before = [d for d in found if d.end <= match.start()]
        days = _anchored_days(match)
        if not before or days is None:
            continue
        anchor = max(before, key=lambda d: d.end)
        value = anchor.value + timedelta(days=days)
        if published is not None and value > published + timedelta(days=1):
            continue
        precision = max(anchor.precision, 2 if abs(days) >= 7 else 1)
        found.append(DateMention(value, precision, match.start(), match.end(), match.group(0).strip()))
    return sorted(found, key=lambda d: d.start)


def _anchored_days(match: re.Match[str]) -> int | None:
    """The days an :data:`ANCHORED` expression counts from the date before it (negative: earlier)."""
    if match["prev"]:
        return -1
    if match["next"] or match["lendemain"]:
        return 1
    count = parse_quantity(match["n"].lower()) or (Quantity(1) if match["n"].lower() in ("un", "une", "a", "one")
                                                    else None)
    if count is None:
        return None
    days = count.value * (7 if match["u"].lower().startswith(("week", "semaine")) else 1)
    return days if match["dir"].lower() in ("later", "plus tard") else -days


def resolve_date(text: str, published: date) -> tuple[date, int]:
    """The first date in ``text``, or the publication date with week precision when none is written."""
    dates = find_dates(text, published)
    if dates:
        return dates[0].value, dates[0].precision
    return published, 2


DATELINE = re.compile(r"^[ \t]*(?:[A-ZÀ-Ý][\w'’. -]{1,40},\s*)?(?P<date>[^\n]{4,30}?)\s*(?:—|–|-{1,2}|\.|:)\s",
                      re.MULTILINE)


def report_year(text: str) -> int | None:
    """The latest year of a date written in full in ``text`` ("1er janvier 2019"), or None."""
    years = [d.value.year for d in find_dates(text, None) if d.precision == 1]
    return max(years) if years else None


def datelines(text: str, published: date | None) -> list[DateMention]:
    """Datelines ("Bamako, 1 July 2025 —" at a paragraph's start): when the report was written, not the events."""
    out = []
    for match in DATELINE.finditer(text):
        found = find_dates(match.group("date"), published)
        if found and found[0].precision == 1 and found[0].start == 0:
            start = match.start("date")
            out.append(DateMention(found[0].value, 1, start, start + found[0].end, found[0].text))
    return out
