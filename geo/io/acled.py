"""Import ACLED and UCDP GED exports into events.

ACLED layouts handled: the current 31 columns; the older 28-30 column exports
(``data_id``, ``event_id_no_cnty``, ``iso3``); the "monadic" export with one row
per actor (rows merged by ``event_id_cnty``, the second actor filling
``actor2``); the pre-2019 taxonomy without ``sub_event_type``; dates written
``2020-12-31``, ``31 December 2020`` or ``9-May-20``; numbers written as floats.

Bad rows are rejected with their line number and the reason; good rows import.

Files are read as a stream, :data:`CHUNK_ROWS` rows at a time (:class:`ExportReader`): memory stays
the same whatever the file's size, except for the set of event ids already read, kept so that an id
repeated anywhere in the file is rejected (about 100 bytes an event).  :func:`read_text` and
:func:`read_file` collect every chunk for callers that want all the events of a small file.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from geo.schema import ACLED_COLUMNS, INTER_CODES, TAXONOMY, Event, ValidationError, validate_event
from geo.vocab import by_acled_name

INTER_NAMES = {str(code): name for name, code in INTER_CODES.items()}
OLD_TAXONOMY = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "violence against civilians": ("Violence against civilians", "Attack"),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}
REMOTE_WORDS = [
    (re.compile(r"drone|air ?strike|aircraft|helicopter|bombard", re.I), "Air/drone strike"),
    (re.compile(r"suicide", re.I), "Suicide bomb"),
    (re.compile(r"grenade", re.I), "Grenade"),
    (re.compile(r"shell|mortar|rocket|artillery|missile", re.I), "Shelling/artillery/missile attack"),
]
STRATEGIC_WORDS = [
    (re.compile(r"arrest", re.I), "Arrests"),
    (re.compile(r"loot|burn|destroy|destruction|sabotag", re.I), "Looting/property destruction"),
    (re.compile(r"defus|dismantl|seized weapons|weapons cache", re.I), "Disrupted weapons use"),
    (re.compile(r"agreement|accord|ceasefire|peace deal", re.I), "Agreement"),
]
DEFAULT_SUB = {"Battles": "Armed clash", "Violence against civilians": "Attack",
               "Explosions/Remote violence": "Remote explosive/landmine/IED", "Protests": "Peaceful protest",
               "Riots": "Violent demonstration", "Strategic developments": "Other"}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d %b %Y")


@dataclass
class ImportResult:
    """Events read from a file and the rows rejected, each with its line number and reason."""

    events: list[Event] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0
    format: str = ""

    def rejection_csv(self) -> str:
        """The rejected rows as CSV (line, reason), for the user to download."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["line", "reason"])
        writer.writerows(self.rejected)
        return out.getvalue()


class ImportFormatError(ValueError):
    """The file is not an ACLED or UCDP export this importer understands."""


class ImportReadError(ImportFormatError):
    """The CSV cannot be read past a line (a broken quote, a field beyond the size limit, a NUL byte)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line:,}: {reason}")
        self.line, self.reason = line, reason


CHUNK_ROWS = 20_000  # rows read, checked and written at a time
SCAN_BLOCK = 1 << 20  # bytes hashed and checked at a time by the first pass over a file


@dataclass
class Chunk:
    """Events and rejected rows from consecutive rows of a file: CSV records ``first_line`` to ``last_line``.

    Line numbers count the header as line 1 and one line per CSV record.
    """

    events: list[Event]
    rejected: list[tuple[int, str]]
    rows: int
    first_line: int
    last_line: int


def parse_acled_date(value: str) -> date:
    """``2020-12-31``, ``31 December 2020`` or ``9-May-20`` as a date."""
    text = value.strip()
    if len(text) == 10 and text[4] == "-":  # ISO, as current exports write it: the fast path
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("event_date", f"{value!r} is not a date")


def _number(value: str) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    return None if math.isnan(number) else number


def _whole(value: str) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _inter(value: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if text in INTER_CODES:
        return text
    code = _whole(text)
    if code is None or str(code) not in INTER_NAMES:
        if code == 0:
            return ""
        raise ValidationError("inter", f"{value!r} is not an ACLED actor type")
    return INTER_NAMES[str(code)]


def _modern_types(row: dict[str, str]) -> tuple[str, str, str]:
    """(event_type, sub_event_type, extra tag) - mapping the pre-2019 taxonomy when needed."""
    event_type = row.get("event_type", "").strip()
    sub = row.get("sub_event_type", "").strip()
    if sub:
        return event_type, sub, ""
    if event_type in TAXONOMY:  # a modern type with the sub-type column missing
        return event_type, DEFAULT_SUB[event_type], "sub-event type not given"
    key = event_type.lower()
    notes = row.get("notes", "")
    if key in OLD_TAXONOMY:
        new_type, new_sub = OLD_TAXONOMY[key]
    elif key == "remote violence":
        new_type = "Explosions/Remote violence"
        new_sub = next((s for rx, s in REMOTE_WORDS if rx.search(notes)), "Remote explosive/landmine/IED")
    elif key == "riots/protests":
        violent = re.search(r"riot|violent|clash|stones|burn|loot", notes, re.I)
        new_type, new_sub = ("Riots", "Violent demonstration") if violent else ("Protests", "Peaceful protest")
    elif key == "strategic development":
        new_type = "Strategic developments"
        new_sub = next((s for rx, s in STRATEGIC_WORDS if rx.search(notes)), "Other")
    else:
        raise ValidationError("event_type", f"{event_type!r} is not an ACLED event type")
    return new_type, new_sub, f"pre-2019 type: {event_type}"


def unneutralise(value: str) -> str:
    """Undo the export's formula guard: ``'=x`` back to ``=x`` (only before ``= + - @``, tab or CR)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def acled_record(row: dict[str, str]) -> dict[str, Any]:
    """One ACLED CSV row as an event record for :func:`validate_event`."""
    row = {k: unneutralise(v or "") for k, v in row.items() if k is not None}
    event_type, sub, tag = _modern_types(row)
    record: dict[str, Any] = {c: (row.get(c) or "").strip() for c in ACLED_COLUMNS}
    record.update(event_type=event_type, sub_event_type=sub, disorder_type=record["disorder_type"])
    record["event_date"] = parse_acled_date(record["event_date"])
    record["inter1"] = _inter(record["inter1"])
    record["inter2"] = _inter(record["inter2"])
    if record["interaction"] and re.fullmatch(r"[\d.]+", record["interaction"]):
        record["interaction"] = ""  # numeric codes: derived again from the actor types
    for name in ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"):
        try:
            record[name] = _whole(record[name])
        except ValueError as exc:
            raise ValidationError(name, str(exc)) from None
    for name in ("latitude", "longitude"):
        try:
            record[name] = _number(record[name])
        except ValueError:
            raise ValidationError(name, f"{row.get(name)!r} is not a number") from None
    if tag:
        record["tags"] = "; ".join(t for t in (record["tags"], tag) if t)
    return record


def _rows(stream: Iterable[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the numbered rows (line 2 onwards) of CSV text; a CSV that breaks raises ImportReadError."""
    reader = csv.DictReader(stream)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ImportReadError(reader.line_num, f"the header cannot be read as CSV ({exc})") from None
    reader.fieldnames = header

    def numbered() -> Iterator[tuple[int, dict[str, str]]]:
        number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportReadError(number + 1, f"the CSV cannot be read ({exc})") from None
            number += 1
            yield number, row

    return header, numbered()


def detect_format(header: Iterable[str]) -> str:
    """``acled``, ``acled-monadic`` or ``ucdp`` from a CSV header; raises :class:`ImportFormatError`."""
    cols = set(header)
    if {"event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude"} <= cols:
        return "acled" if "actor2" in cols else "acled-monadic"
    if {"id", "date_start", "best", "latitude", "longitude", "type_of_violence"} <= cols:
        return "ucdp"
    raise ImportFormatError("not an ACLED or UCDP GED CSV: expected columns such as event_id_cnty, event_date, "
                            "actor1 (ACLED) or id, date_start, best (UCDP)")


def _chosen_format(detected: str, fmt: str) -> str:
    """The format to read a file as, given what its header looks like and what the user asked for."""
    if fmt == "ucdp" and detected != "ucdp":
        raise ImportFormatError("not a UCDP GED CSV")
    if fmt == "acled" and detected == "ucdp":
        raise ImportFormatError("this is a UCDP GED file, not ACLED: use --format ucdp or auto")
    return detected


class _Batch:
    """Rows gathered for the next chunk: what was kept by id (in file order), what was rejected, the line range."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, dict[str, str]]] = {}
        self.rejected: list[tuple[int, str]] = []
        self.rows = 0
        self.first = self.last = 0

    def add_row(self, number: int) -> None:
        self.rows += 1
        self.first = self.first or number
        self.last = number

    def chunk(self, make: Callable[[dict[str, str]], Event]) -> Chunk:
        events, rejected = [], list(self.rejected)
        for number, row in self.kept.values():
            try:
                events.append(make(row))
            except (ValidationError, ValueError) as exc:
                rejected.append((number, str(exc)))
        rejected.sort()
        return Chunk(events, rejected, self.rows, self.first, self.last)


def _acled_event(row: dict[str, str]) -> Event:
    return validate_event(acled_record(row))


def _ucdp_event(row: dict[str, str]) -> Event:
    return validate_event(ucdp_record(row))


def acled_chunks(rows: Iterable[tuple[int, dict[str, str]]], fmt: str, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Chunks of about ``size`` rows of an ACLED file (``fmt`` ``acled`` or ``acled-monadic``).

    An id seen before, in this chunk or an earlier one, is rejected ("appears twice"), so a chunk
    boundary changes nothing.  A monadic export's rows of one event (one per actor) are merged; a
    chunk never ends between such rows when they follow each other, as in ACLED's exports.
    """
    seen: set[str] = set()
    batch, last_key = _Batch(), None
    for number, row in rows:
        key = (row.get("event_id_cnty") or "").strip()
        if batch.rows >= size and not (fmt == "acled-monadic" and key == last_key):
            yield batch.chunk(_acled_event)
            seen.update(batch.kept)
            batch = _Batch()
        batch.add_row(number)
        last_key = key
        if fmt == "acled-monadic" and key in batch.kept:
            first = batch.kept[key][1]
            actor = (row.get("actor1") or "").strip()
            if actor and actor != first.get("actor1") and not first.get("actor2"):
                first["actor2"] = actor
                first["assoc_actor_2"] = row.get("assoc_actor_1", "")
                first["inter2"] = row.get("inter1", "")
            continue
        if not key:
            batch.rejected.append((number, "event_id_cnty: is required"))
        elif key in batch.kept or key in seen and fmt != "acled-monadic":
            batch.rejected.append((number, f"event_id_cnty: {key} appears twice in the file"))
        elif key in seen:
            batch.rejected.append((number, f"event_id_cnty: {key} appears again more than {size:,} rows after "
                                           "its first row: a monadic export keeps an event's rows together"))
        else:
            batch.kept[key] = (number, dict(row))
    if batch.rows:
        yield batch.chunk(_acled_event)


def ucdp_chunks(rows: Iterable[tuple[int, dict[str, str]]], size: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Chunks of ``size`` rows of a UCDP GED file; an id seen before is rejected ("appears twice")."""
    seen: set[str] = set()
    batch = _Batch()
    for number, row in rows:
        if batch.rows >= size:
            yield batch.chunk(_ucdp_event)
            seen.update(batch.kept)
            batch = _Batch()
        batch.add_row(number)
        key = (row.get("id") or "").strip()
        if key and (key in batch.kept or key in seen):
            batch.rejected.append((number, f"id: {key} appears twice in the file"))
        else:
            batch.kept[key or f"line {number}"] = (number, row)
    if batch.rows:
        yield batch.chunk(_ucdp_event)


def _collect(chunks: Iterable[Chunk], fmt: str, progress: Callable[[int], None] | None = None) -> ImportResult:
    result = ImportResult(format=fmt)
    for chunk in chunks:
        result.events += chunk.events
        result.rejected += chunk.rejected
        result.rows += chunk.rows
        if progress:
            progress(result.rows)
    return result


def read_acled(text: str, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Events from ACLED CSV text (any of the layouts above)."""
    header, rows = _rows(io.StringIO(text))
    fmt = detect_format(header)
    return _collect(acled_chunks(rows, fmt), fmt, progress)


UCDP_VIOLENCE = {"1": ("Battles", "Armed clash"), "2": ("Battles", "Armed clash"),
                 "3": ("Violence against civilians", "Attack")}
UCDP_WHERE = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 3, "6": 3, "7": 3}

def ucdp_record(row: dict[str, str]) -> dict[str, Any]:
    """One UCDP GED row as an event record; best/low/high become fatalities and claims."""
    kind = (row.get("type_of_violence") or "").strip()
    if kind not in UCDP_VIOLENCE:
        raise ValidationError("type_of_violence", f"{kind!r} is not 1, 2 or 3")
    event_type, sub = UCDP_VIOLENCE[kind]
    country = (row.get("country") or "").strip()
    known = by_acled_name(country)
    iso, iso3 = (known.iso, known.iso3) if known else (0, "UNK")
    start = parse_acled_date(row.get("date_start", ""))
    date_prec = _whole(row.get("date_prec", "")) or 1
    side_b = (row.get("side_b") or "").strip()
    best, low, high = (_whole(row.get(k, "")) for k in ("best", "low", "high"))
    claims = [{"claimant": "UCDP", "claimant_type": "analysts", "metric": f"people killed ({label} estimate)",
               "value": value, "qualifier": "exact", "source": "UCDP GED"}
              for label, value in (("low", low), ("best", best), ("high", high)) if value is not None]
    return {
        "event_id_cnty": f"{iso3}UCDP{(row.get('id') or '').strip()}", "event_date": start,
        "time_precision": 1 if date_prec == 1 else (2 if date_prec <= 3 else 3),
        "event_type": event_type, "sub_event_type": sub,
        "actor1": (row.get("side_a") or "").strip(), "inter1": "State forces" if kind == "1" else "Rebel group",
        "actor2": side_b, "inter2": "Civilians" if kind == "3" else ("Rebel group" if side_b else ""),
        "civilian_targeting": "Civilian targeting" if kind == "3" else "",
        "iso": iso, "region": (row.get("region") or "Africa").strip(), "country": country,
        "admin1": (row.get("adm_1") or "").strip(), "admin2": (row.get("adm_2") or "").strip(),
        "location": (row.get("where_coordinates") or row.get("where_description") or "").strip(),
        "latitude": _number(row.get("latitude", "")), "longitude": _number(row.get("longitude", "")),
        "geo_precision": UCDP_WHERE.get((row.get("where_prec") or "").strip(), 3),
        "source": (row.get("source_office") or row.get("source_headline") or "UCDP GED").strip() or "UCDP GED",
        "source_scale": "", "notes": (row.get("source_headline") or "").strip(),
        "fatalities": best if best is not None else 0, "tags": f"UCDP conflict {row.get('conflict_name', '')}".strip(),
        "claims": claims,
    }


def read_ucdp(text: str) -> ImportResult:
    """Events from UCDP GED CSV text."""
    header, rows = _rows(io.StringIO(text))
    if detect_format(header) != "ucdp":
        raise ImportFormatError("not a UCDP GED CSV")
    return _collect(ucdp_chunks(rows), "ucdp")


class ExportReader:
    """An ACLED or UCDP export read from a binary stream, a chunk of rows at a time.

    Opening it reads the file once, in blocks: its SHA-256, its encoding (UTF-8, else Latin-1),
    how many lines it has (for progress: at least the number of rows) and its format (``fmt``:
    ``acled``, ``ucdp`` or ``auto``).  Raises :class:`ImportFormatError` for a file that is not an
    export.  :meth:`chunks` then reads the rows; the stream must be seekable and stay open.
    """

    def __init__(self, stream: BinaryIO, fmt: str = "auto") -> None:
        self.stream = stream
        stream.seek(0)
        digest, utf8 = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")()
        self.size = self.lines = 0
        head, valid, last = b"", True, b""
        while block := stream.read(SCAN_BLOCK):
            digest.update(block)
            head = head or block[:4096]
            self.size += len(block)
            self.lines += block.count(b"\n")
            last = block[-1:]
            if valid:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    valid = False
        if valid:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
        self.lines += bool(last and last != b"\n")
        self.sha256 = digest.hexdigest()
        self.encoding = "utf-8-sig" if valid else "latin-1"
        if b"\x00" in head:
            raise ImportFormatError("the file looks binary, not a CSV export")
        with self._text() as text:
            header, _ = _rows(text)
        self.format = _chosen_format(detect_format(header), fmt)

    @property
    def approx_rows(self) -> int:
        """The number of data rows if no field spans lines (an upper bound: the lines after the header)."""
        return max(self.lines - 1, 0)

    def _text(self) -> io.TextIOWrapper:
        self.stream.seek(0)
        return _Borrowed(self.stream, encoding=self.encoding, newline="")

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """The file's rows in chunks of about ``size``; a CSV that breaks part-way raises :class:`ImportReadError`."""
        with self._text() as text:
            _, rows = _rows(text)
            if self.format == "ucdp":
                yield from ucdp_chunks(rows, size)
            else:
                yield from acled_chunks(rows, self.format, size)


class _Borrowed(io.TextIOWrapper):
    """A text view of a binary stream that leaves the stream open when it closes."""

    def close(self) -> None:
        if not self.closed:
            self.detach()


def read_file(path: Path, fmt: str = "auto", progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read an ACLED or UCDP export; ``fmt`` is ``acled``, ``ucdp`` or ``auto``."""
    with path.open("rb") as stream:
        return read_stream(stream, fmt, progress)


def read_text(data: bytes, fmt: str = "auto", progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read export bytes (UTF-8, or Latin-1 as a fallback)."""
    return read_stream(io.BytesIO(data), fmt, progress)


def read_stream(stream: BinaryIO, fmt: str = "auto", progress: Callable[[int], None] | None = None) -> ImportResult:
    """Every event and rejected row of an export read from a binary stream (see :class:`ExportReader`)."""
    reader = ExportReader(stream, fmt)
    return _collect(reader.chunks(), reader.format, progress)
