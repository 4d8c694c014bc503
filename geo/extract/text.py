"""Report text: HTML to plain text, the report's own publication date, and sentences with their offsets.

``read_report(data, name)`` gives the plain text and, when the report states it,
the publication date and where it was read (HTML meta, a ``<time>`` element, a
"Published ..." line, a dateline).  Nothing is guessed: no date, or an
ambiguous one, gives ``None``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser

from geo.extract.dates import MONTHS

MAX_REPORT_BYTES = 2_000_000
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
              "footer", "blockquote", "title"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class ReportError(ValueError):
    """A report cannot be read as text (empty, binary, too big); the message says which and why."""


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser signature
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment."""
    return bool(re.search(r"<(html|body|p|div|article|br|h[1-6])\b", text[:5000], re.IGNORECASE))


def html_to_text(html: str) -> str:
    """Visible text of an HTML document, one block per line; scripts and styles dropped."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def decode_report(data: bytes, name: str = "report") -> str:
    """Bytes of a ``.txt`` or ``.html`` report as plain text; raises :class:`ReportError` if unusable."""
    raw = _decode(data, name)
    return _plain(html_to_text(raw) if _is_html(raw, name) else raw, name)


def _is_html(text: str, name: str) -> bool:
    return name.lower().endswith((".html", ".htm")) or looks_like_html(text)


def _plain(text: str, name: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReportError(f"{name}: no text in the report")
    return text


def _decode(data: bytes, name: str) -> str:
    """The bytes as text (HTML left as is); raises :class:`ReportError` if unusable."""
    if not data.strip():
        raise ReportError(f"{name}: the file is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(f"{name}: {len(data):,} bytes is over the {MAX_REPORT_BYTES:,}-byte limit for one report")
    if b"\x00" in data[:8192]:
        raise ReportError(f"{name}: looks binary (NUL bytes), not a text or HTML report")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves few bytes undefined; latin-1 takes anything
        text = data.decode("latin-1")
    control = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t")
    if control > 0.05 * min(len(text), 8192):
        raise ReportError(f"{name}: looks binary (control characters), not a text or HTML report")
    return text


@dataclass(frozen=True)
class Sentence:
    """A sentence of the report and its span in the text."""

    text: str
    start: int
    end: int


# a sentence ends at . ! ? and a space before a capital, at a line break, and also where a word's full stop
# runs into the next sentence with no space ("du pays.Des équipements"), as copied web text often does
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9À-Ý\"'“‘(])|\n+|(?<=[a-zà-ÿ]{3}[.!?])(?=[A-ZÀ-Ý«\"“])")
ABBREVIATIONS = re.compile(r"\b(Col|Gen|Lt|Capt|Maj|Sgt|Mr|Mrs|Ms|Dr|St|No|U\.S|U\.N|approx|etc|vs)\.$")


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences (and lines), keeping offsets into ``text``."""
    out: list[Sentence] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        chunk = text[start:match.start()]
        if ABBREVIATIONS.search(chunk) and "\n" not in match.group(0):
            continue
        _append(out, text, start, match.start())
        start = match.end()
    _append(out, text, start, len(text))
    return out


MAX_SENTENCE = 1500  # characters: no report sentence is longer; a longer run (no punctuation) is cut at spaces


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _append(out, text, start, cut)
        start = cut
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped)
        out.append(Sentence(stripped, offset, offset + len(stripped)))


# --- the report's own publication date -------------------------------------------------------------------

# the month names dates.py reads, plus the abbreviations publication lines use ("3 janv. 2025")
MONTH_NUMBERS = {**MONTHS, "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "déc": 12}
_WEEKDAYS = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
             "|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_DAY = r"(?P<d>[0-3]?\d)(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_LEAD = rf"(?:(?:le|the)\s+)?(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:(?:le|the)\s+)?"  # "le jeudi 3", "Wednesday, 6 April"
_DATE_FORMS = (  # each matched at one position; a name ending in "_noyear" gives day and month only
    ("iso", re.compile(r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d])")),
    ("ymd", re.compile(r"(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])")),
    ("numeric", re.compile(r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d])")),
    ("dmy", re.compile(rf"{_DAY}\s+(?P<mon>{_MONTH})\b\.?,?\s+{_YEAR}(?![\d])", re.IGNORECASE)),
    ("mdy", re.compile(rf"(?P<mon>{_MONTH})\b\.?\s+{_DAY},?\s+{_YEAR}(?![\d])", re.IGNORECASE)),
    ("dm_noyear", re.compile(rf"{_DAY}\s+(?P<mon>{_MONTH})\b", re.IGNORECASE)),
    ("md_noyear", re.compile(rf"(?P<mon>{_MONTH})\b\.?\s+{_DAY}\b", re.IGNORECASE)),
)
_LEAD_RE = re.compile(_LEAD, re.IGNORECASE)
# what may follow a date on a line of its own: a time, a time zone, "par AFP"
_TIME_TAIL = re.compile(
    r"[\s,|·•/–—-]*(?:(?:à|a|at|@|T)\s*)?"
    r"(?:\d{1,2}\s*[:h.]\s*\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)?"
    r"(?:\s*\(?(?-i:[A-Z]{1,5})?(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?"
    r"(?:\s*[|,–—-]?\s*(?:par|by|via|source\s*:?)\s+[\w .&'’-]{1,30})?[\s.]*$", re.IGNORECASE)
_PUBLISHED_LABELS = ("published", "first published", "date published", "publication date", "posted", "date")
_UPDATED_LABELS = ("updated", "last updated", "modified", "last modified")
_PUBLIE_LABELS = ("publié", "publie", "paru", "date de publication", "posté", "poste")
_MIS_A_JOUR_LABELS = ("mis à jour", "mis a jour", "mise à jour", "mise a jour", "dernière mise à jour",
                      "derniere mise a jour", "modifié", "modifie")
_LABEL = re.compile(
    r"(?:^|[|•·—–;,]\s*|\s[-/]\s+)(?P<label>"
    + "|".join(sorted(_PUBLISHED_LABELS + _UPDATED_LABELS + _PUBLIE_LABELS + _MIS_A_JOUR_LABELS, key=len,
                      reverse=True))
    + r")\s*(?:(?:on|le)\b)?\s*:?\s*(?:(?:on|le)\s+)?", re.IGNORECASE)
_PLACE = (r"(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:[ -](?:[A-ZÀ-Ý][\w'’.-]*|de|du|des|la|le|el|al|d'|l'|et|and)){0,4})"
          r"(?:\s*\([^)\n]{1,30}\))?")
_AGENCY = r"\((?P<agency>[A-Z][\w .&/-]{0,24})\)"
_DATELINE_PLACE_DATE = re.compile(rf"\s*{_PLACE}\s*,\s*(?:le\s+)?", re.UNICODE)
_DATELINE_PLACE_AGENCY = re.compile(rf"\s*{_PLACE}\s*{_AGENCY}\s*[-–—:]?\s*", re.UNICODE)
_DATELINE_END = re.compile(rf"\s*(?:{_AGENCY})?\s*(?:—|–|-{{1,2}}|:|\.|/)(?:\s|$)")
_AFTER_AGENCY_DATE = re.compile(r"\s*(?:$|[-–—:.,]\s)")
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?(?P<y>(?:19|20)\d\d)",
                             re.IGNORECASE)
_FRENCH_WORDS = re.compile(r"\b(le|la|les|des|du|une|et|est|dans|selon|ont|été|à)\b", re.IGNORECASE)
_ENGLISH_WORDS = re.compile(r"\b(the|and|of|in|was|were|said|has|have|on|by|at)\b", re.IGNORECASE)
TOP_LINES, BOTTOM_LINES, LABEL_LINE_CHARS = 12, 6, 160
SOURCE_PUBLISHED, SOURCE_UPDATED = "Published line", "Updated line"
SOURCE_DATELINE, SOURCE_DATE_LINE = "dateline", "date line"
SOURCE_META, SOURCE_TIME = "HTML meta", "<time>"


@dataclass(frozen=True)
class Report:
    """A report's plain text and its publication date as the report states it (``None`` when it does not).

    ``published_source`` says where the date was read: ``"HTML meta"``, ``"<time>"``,
    ``"Published line"``, ``"Updated line"``, ``"dateline"``, ``"date line"`` (a date
    standing alone near the top), or ``""`` when there is none.
    """

    text: str
    published: date | None
    published_source: str


def read_report(data: bytes, name: str = "report") -> Report:
    """The report in ``data`` (``.txt`` or ``.html``) with its publication date; raises :class:`ReportError`."""
    raw = _decode(data, name)
    if _is_html(raw, name):
        text = _plain(html_to_text(raw), name)
        published, source = html_published(raw)
        if published is None:
            published, source = published_with_source(text)
        return Report(text, published, source)
    text = _plain(raw, name)
    return Report(text, *published_with_source(text))


def published_in_text(text: str) -> date | None:
    """The publication date a plain-text report states near its top or bottom, else ``None``.

    Read from a "Published 3 July 2025" / "Publié le jeudi 3 juillet 2025" / "Updated: 30-01-2026"
    line, a dateline ("BAMAKO, July 3 (Reuters) -", "Niamey, 12 mars 2024 (AFP) -"), or a
    date standing alone near the top ("January 6, 2021 - 22:46").  Dates in body sentences
    ("On 3 July, gunmen attacked ...") are never taken.
    """
    return published_with_source(text)[0]


def published_with_source(text: str) -> tuple[date | None, str]:
    """:func:`published_in_text` and where the date was read (see :class:`Report`); ``(None, "")`` if none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    top, bottom = lines[:TOP_LINES], lines[TOP_LINES:][-BOTTOM_LINES:]
    french = _looks_french(text)
    year = _copyright_year(top + bottom)
    found: dict[str, date] = {}
    for line in top + bottom:
        if len(line) > LABEL_LINE_CHARS:
            continue
        for match in _LABEL.finditer(line):
            label = match["label"].lower()
            in_french = label in _PUBLIE_LABELS + _MIS_A_JOUR_LABELS
            day = _full_date(line, match.end(), french=french or in_french)
            if day is not None:
                kind = SOURCE_UPDATED if label in _UPDATED_LABELS + _MIS_A_JOUR_LABELS else SOURCE_PUBLISHED
                found.setdefault(kind, day)
                break
    for line in top[:8]:
        day = _alone(line, french) if len(line) <= 80 else None
        if day is not None:
            found.setdefault(SOURCE_DATE_LINE, day)
            continue
        day = _dateline(line, french, year)
        if day is not None:
            found.setdefault(SOURCE_DATELINE, day)
    for kind in (SOURCE_PUBLISHED, SOURCE_DATELINE, SOURCE_DATE_LINE, SOURCE_UPDATED):
        if kind in found:
            return found[kind], kind
    return None, ""


def _looks_french(text: str) -> bool:
    sample = text[:4000]
    return len(_FRENCH_WORDS.findall(sample)) > len(_ENGLISH_WORDS.findall(sample))


def _copyright_year(lines: list[str]) -> int | None:
    for line in lines:
        match = _COPYRIGHT_YEAR.search(line)
        if match:
            return int(match["y"])
    return None


def _date_at(text: str, pos: int, *, french: bool, year_needed: bool = True
             ) -> tuple[int | None, int, int, int] | None:
    """``(year, month, day, end)`` of a date written at ``text[pos:]`` (weekday and "le" allowed before it).

    ``year`` is None only for a day and month with ``year_needed=False``.  A numeric
    date whose day and month could be swapped (03/07/2025) is read day first in French
    text only; in other text it is ambiguous and gives None.
    """
    lead = _LEAD_RE.match(text, pos)
    start = lead.end() if lead else pos
    for kind, pattern in _DATE_FORMS:
        if kind.endswith("_noyear") and year_needed:
            continue
        match = pattern.match(text, start)
        if not match:
            continue
        if kind in ("iso", "ymd"):
            return int(match["y"]), int(match["m"]), int(match["d"]), match.end()
        if kind == "numeric":
            a, b = int(match["a"]), int(match["b"])
            if a > 12 >= b or (a == b):
                day, month = a, b
            elif b > 12 >= a:
                day, month = b, a  # 07/30/2025 can only be month first
            elif french:
                day, month = a, b
            else:
                return None
            return int(match["y"]), month, day, match.end()
        year = int(match["y"]) if "y" in pattern.groupindex else None
        return year, MONTH_NUMBERS[match["mon"].lower().rstrip(".")], int(match["d"]), match.end()
    return None


def _valid(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_date(text: str, pos: int, *, french: bool) -> date | None:
    found = _date_at(text, pos, french=french)
    return _valid(*found[:3]) if found else None


def _dateline(line: str, french: bool, year: int | None) -> date | None:
    """The date of a dateline at the start of ``line``: "Bamako, 1 July 2025 —", "BAMAKO, July 3 (Reuters) -",
    "Ouagadougou (AFP) March 22, 2023", "5 September 2025. ...".  A dateline without its year
    takes the year of the report's copyright line ("© 2025"), else gives None."""
    match = _DATELINE_PLACE_DATE.match(line)
    if match:
        found = _date_at(line, match.end(), french=french, year_needed=False)
        if found and (found[3] == len(line) or _DATELINE_END.match(line, found[3])):
            return _valid(year if found[0] is None else found[0], found[1], found[2])
    if not re.match(r"(?:le|the|on|in|en)\s", line, re.IGNORECASE):  # "On 3 July 2025 - ..." tells of an event
        found = _date_at(line, 0, french=french)
        if found and _DATELINE_END.match(line, found[3]):
            return _valid(*found[:3])
    match = _DATELINE_PLACE_AGENCY.match(line)
    if match:
        found = _date_at(line, match.end(), french=french, year_needed=False)
        if found and _AFTER_AGENCY_DATE.match(line, found[3]):
            return _valid(year if found[0] is None else found[0], found[1], found[2])
    return None


def _alone(line: str, french: bool) -> date | None:
    """The date of a line that is only a date, perhaps with a time: "January 6, 2021 - 22:46"."""
    found = _date_at(line, 0, french=french)
    if found is None or not _TIME_TAIL.match(line, found[3]):
        return None
    return _valid(*found[:3])


# HTML: <meta> names (lower case) in order of preference, then JSON-LD, then the first <time datetime>
META_NAMES = ("article:published_time", "og:published_time", "datepublished", "publish-date", "publish_date",
              "publishdate", "pubdate", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
              "citation_publication_date", "parsely-pub-date", "sailthru.date", "date")
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"(?P<v>[^"]{4,60})"')


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.time: str | None = None
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser signature
        found = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (found.get("property") or found.get("name") or found.get("itemprop") or "").strip().lower()
            if key and found.get("content"):
                self.meta.setdefault(key, found["content"])
        elif tag == "script" and found.get("type", "").lower() == "application/ld+json":
            self._in_jsonld = True
        elif found.get("itemprop", "").lower() == "datepublished" and (found.get("datetime")
                                                                       or found.get("content")):
            self.meta.setdefault("datepublished", found.get("datetime") or found["content"])
        if tag == "time" and self.time is None and found.get("datetime"):
            self.time = found["datetime"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)


def html_published(html: str) -> tuple[date | None, str]:
    """The publication date in an HTML page's metadata (``"HTML meta"``) or first ``<time>``, else ``(None, "")``.

    JSON-LD ``datePublished`` counts as metadata.  A value that is not a clear date is skipped.
    """
    parser = _MetaParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # a badly broken page: keep what was read
        pass
    values = [parser.meta[k] for k in META_NAMES[:2] if k in parser.meta]
    values += [m["v"] for block in parser.jsonld for m in _JSONLD_PUBLISHED.finditer(block)]
    values += [parser.meta[k] for k in META_NAMES[2:] if k in parser.meta]
    for value in values:
        day = parse_date_value(value)
        if day is not None:
            return day, SOURCE_META
    if parser.time:
        day = parse_date_value(parser.time)
        if day is not None:
            return day, SOURCE_TIME
    return None, ""


def parse_date_value(value: str) -> date | None:
    """A date from a machine-written value: ISO 8601 ("2025-07-03T10:00:00Z"), "20250703",
    RFC 2822 ("Thu, 03 Jul 2025 10:00:00 GMT") or a written date with its year; else None."""
    value = value.strip()
    match = re.match(r"((?:19|20)\d\d)-?([01]\d)-?([0-3]\d)(?:$|[T\s_+Z.:-])", value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if re.match(r"[A-Za-z]{3},\s", value):
        try:
            return parsedate_to_datetime(value).date()
        except (TypeError, ValueError, IndexError):
            return None
    found = _date_at(value, 0, french=False)
    return _valid(*found[:3]) if found else None
