"""Import ACLED and UCDP GED exports into events.

ACLED layouts handled: the current 31 columns; the older 28-30 column exports
(``data_id``, ``event_id_no_cnty``, ``iso3``); the "monadic" export with one row
per actor (rows merged by ``event_id_cnty``, the second actor filling
``actor2``); the pre-2019 taxonomy without ``sub_event_type``; dates written
``2020-12-31``, ``31 December 2020`` or ``9-May-20``; numbers written as floats.

Bad rows are rejected with their line number and the reason; good rows import.
"""
from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

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


def parse_acled_date(value: str) -> date:
    """``2020-12-31``, ``31 December 2020`` or ``9-May-20`` as a date."""
    text = value.strip()
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


def _rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, ((number, row) for number, row in enumerate(reader, 2))


def detect_format(header: Iterable[str]) -> str:
    """``acled``, ``acled-monadic`` or ``ucdp`` from a CSV header; raises :class:`ImportFormatError`."""
    cols = set(header)
    if {"event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude"} <= cols:
        return "acled" if "actor2" in cols else "acled-monadic"
    if {"id", "date_start", "best", "latitude", "longitude", "type_of_violence"} <= cols:
        return "ucdp"
    raise ImportFormatError("not an ACLED or UCDP GED CSV: expected columns such as event_id_cnty, event_date, "
                            "actor1 (ACLED) or id, date_start, best (UCDP)")


def read_acled(text: str, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Events from ACLED CSV text (any of the layouts above)."""
    header, rows = _rows(text)
    fmt = detect_format(header)
    result = ImportResult(format=fmt)
    merged: dict[str, tuple[int, dict[str, str]]] = {}
    order: list[str] = []
    for number, row in rows:
        result.rows += 1
        if progress and result.rows % 5000 == 0:
            progress(result.rows)
        key = (row.get("event_id_cnty") or "").strip()
        if fmt == "acled-monadic" and key in merged:
            first = merged[key][1]
            actor = (row.get("actor1") or "").strip()
            if actor and actor != first.get("actor1") and not first.get("actor2"):
                first["actor2"] = actor
                first["assoc_actor_2"] = row.get("assoc_actor_1", "")
                first["inter2"] = row.get("inter1", "")
            continue
        if not key:
            result.rejected.append((number, "event_id_cnty: is required"))
            continue
        if key in merged:
            result.rejected.append((number, f"event_id_cnty: {key} appears twice in the file"))
            continue
        merged[key] = (number, dict(row))
        order.append(key)
    for key in order:
        number, row = merged[key]
        try:
            result.events.append(validate_event(acled_record(row)))
        except ValidationError as exc:
            result.rejected.append((number, str(exc)))
    return result


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
    header, rows = _rows(text)
    if detect_format(header) != "ucdp":
        raise ImportFormatError("not a UCDP GED CSV")
    result = ImportResult(format="ucdp")
    for number, row in rows:
        result.rows += 1
        try:
            result.events.append(validate_event(ucdp_record(row)))
        except (ValidationError, ValueError) as exc:
            result.rejected.append((number, str(exc)))
    return result


def read_file(path: Path, fmt: str = "auto", progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read an ACLED or UCDP export; ``fmt`` is ``acled``, ``ucdp`` or ``auto``."""
    return read_text(path.read_bytes(), fmt, progress)


def read_text(data: bytes, fmt: str = "auto", progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read export bytes (UTF-8, or Latin-1 as a fallback)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "\x00" in text[:4096]:
        raise ImportFormatError("the file looks binary, not a CSV export")
    header, _ = _rows(text)
    detected = detect_format(header)
    if fmt == "ucdp" or fmt == "auto" and detected == "ucdp":
        return read_ucdp(text)
    if fmt == "acled" and detected == "ucdp":
        raise ImportFormatError("this is a UCDP GED file, not ACLED: use --format ucdp or auto")
    return read_acled(text, progress)
