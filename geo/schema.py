"""The event model: ACLED's columns and taxonomy, plus claims, abductions and provenance.

An :class:`Event` carries every ACLED column under ACLED's own name so that our
exports merge with ACLED data.  Three extensions ACLED lacks ride beside them:

* ``claims`` - who said what, with the number (``Claim``);
* ``abduction`` - how many were taken, their nationalities and status;
* ``provenance`` - the report and character span behind each field.

:func:`validate_event` turns a plain mapping into an ``Event`` and raises
:class:`ValidationError` naming the field at fault.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# ACLED event types and their sub-event types (codebook 2019 onwards).
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}
DISORDER_TYPES: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ACLED actor types; the number is the old numeric inter code.
INTER_CODES: dict[str, int] = {
    "State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
    "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8,
}
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "exact place", 2: "near a place / part of a region", 3: "region or area"}
ABDUCTION_STATUSES = ("held", "released", "killed", "unknown")
CLAIMANT_TYPES = ("armed group", "state", "local sources", "officials", "security sources", "media", "analysts",
                  "other")
QUALIFIERS = ("exact", "about", "at least", "more than", "up to", "fewer than")
ABDUCTION_SUB_EVENT = "Abduction/forced disappearance"


class ValidationError(ValueError):
    """An event or zone failed validation; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Claim:
    """One figure and who asserted it, e.g. the army said about 80 attackers were killed."""

    claimant: str
    claimant_type: str
    metric: str
    value: int | None
    qualifier: str = "exact"
    statement: str = ""
    source: str = ""


@dataclass(frozen=True)
class Abduction:
    """People taken in an event: how many, their nationalities (ISO2) and their status."""

    count: int | None
    nationalities: tuple[str, ...] = ()
    status: str = "unknown"


@dataclass(frozen=True)
class Provenance:
    """Where a field's value came from: a report and a character span in it."""

    field: str
    report: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Event:
    """An ACLED-shaped event with claims, abduction details and provenance."""

    event_id_cnty: str
    event_date: date | None  # None only for an extracted event whose report gives no usable date
    year: int | None
    time_precision: int
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: str
    actor2: str
    assoc_actor_2: str
    inter2: str
    interaction: str
    civilian_targeting: str
    iso: int
    region: str
    country: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int
    source: str
    source_scale: str
    notes: str
    fatalities: int
    tags: str
    timestamp: int
    claims: tuple[Claim, ...] = ()
    abduction: Abduction | None = None
    provenance: tuple[Provenance, ...] = ()

    def acled_row(self) -> dict[str, Any]:
        """The event's ACLED columns only, in ACLED order."""
        return {c: getattr(self, c) for c in ACLED_COLUMNS}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict with the extensions as nested lists/dicts."""
        out = asdict(self)
        out["event_date"] = self.event_date.isoformat() if self.event_date else None
        return out


@dataclass(frozen=True)
class ControlZone:
    """A dated territorial-control assessment for one area, with its evidence.

    ``status`` is one of :data:`CONTROL_STATUSES`; ``actor`` says whose control,
    influence or blockade. ``kind`` says how the geometry was made: an admin-1
    region, a buffer around named places, a drawn polygon, or a report's claim.
    """

    zone_id: str
    area: str
    status: str
    actor: str
    valid_from: date
    valid_to: date | None
    geometry: dict[str, Any]
    source: str
    notes: str = ""
    claimant: str = ""
    evidence: str = ""
    linked_events: tuple[str, ...] = ()
    kind: str = "admin1"


CONTROL_STATUSES = ("control", "influence", "contested", "government", "blockade")
ZONE_KINDS = ("admin1", "buffer", "drawn", "report")
# Labels used before statuses and actors were separate fields.
LEGACY_STATUSES = {"JNIM control": ("control", "JNIM"), "IS Sahel control": ("control", "IS Sahel"),
                   "Jihadist control": ("control", "jihadist groups"), "JNIM influence": ("influence", "JNIM"),
                   "Contested": ("contested", ""), "Government": ("government", "")}
# west, south, east, north: the area this map covers; zones outside it are refused.
REGION_BOUNDS = (-26.0, 0.0, 26.0, 30.0)


def _text(data: Mapping[str, Any], name: str, *, required: bool = False, limit: int = 10_000) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = ""
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    if required and not value:
        raise ValidationError(name, "is required")
    if len(value) > limit:
        raise ValidationError(name, f"is longer than {limit} characters")
    return value


def _int(data: Mapping[str, Any], name: str, *, default: int | None = None,
         low: int | None = None, high: int | None = None) -> int:
    value = data.get(name)
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        if default is None:
            raise ValidationError(name, "is required")
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(name, f"must be a whole number, got {value!r}") from None
    if not number.is_integer():
        raise ValidationError(name, f"must be a whole number, got {value!r}")
    result = int(number)
    if low is not None and result < low or high is not None and result > high:
        raise ValidationError(name, f"must be between {low} and {high}, got {result}")
    return result


def _float(data: Mapping[str, Any], name: str, low: float, high: float) -> float:
    value = data.get(name)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(name, f"must be a number, got {value!r}") from None
    if math.isnan(number) or not low <= number <= high:
        raise ValidationError(name, f"must be between {low} and {high}, got {value!r}")
    return number


def parse_date(value: Any, name: str = "event_date") -> date:
    """An ISO date (``YYYY-MM-DD``) or a ``date``; anything else raises ``ValidationError``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValidationError(name, f"must be a date like 2025-07-01, got {value!r}") from None


def _claims(raw: Any) -> tuple[Claim, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, (list, tuple)):
        raise ValidationError("claims", "must be a list")
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(item if isinstance(item, Claim) else _claim(item))
        except ValidationError as exc:
            raise ValidationError(f"claims[{i}]" + (f".{exc.field}" if exc.field else ""), exc.message) from None
    return tuple(out)


def _claim(item: Any) -> Claim:
    if not isinstance(item, Mapping):
        raise ValidationError("", "must be an object")
    kind = _text(item, "claimant_type") or "other"
    if kind not in CLAIMANT_TYPES:
        raise ValidationError("claimant_type", f"must be one of {', '.join(CLAIMANT_TYPES)}")
    qualifier = _text(item, "qualifier") or "exact"
    if qualifier not in QUALIFIERS:
        raise ValidationError("qualifier", f"must be one of {', '.join(QUALIFIERS)}")
    value = item.get("value")
    return Claim(
        claimant=_text(item, "claimant", required=True, limit=200),
        claimant_type=kind,
        metric=_text(item, "metric", required=True, limit=200),
        value=None if value in (None, "") else _int(item, "value", low=0, high=10_000_000),
        qualifier=qualifier,
        statement=_text(item, "statement", limit=2000),
        source=_text(item, "source", limit=500),
    )


def _abduction(raw: Any) -> Abduction | None:
    if raw in (None, "") or isinstance(raw, Abduction):
        return raw or None
    if not isinstance(raw, Mapping):
        raise ValidationError("abduction", "must be an object")
    count = raw.get("count")
    count = None if count in (None, "") else _int(raw, "count", low=0, high=100_000)
    nats = raw.get("nationalities") or ()
    if isinstance(nats, str):
        nats = [n for n in nats.replace(",", ";").split(";") if n.strip()]
    nationalities = tuple(str(n).strip().upper() for n in nats)
    for n in nationalities:
        if len(n) != 2 or not n.isalpha():
            raise ValidationError("abduction.nationalities", f"must be ISO 3166 alpha-2 codes, got {n!r}")
    status = _text(raw, "status") or "unknown"
    if status not in ABDUCTION_STATUSES:
        raise ValidationError("abduction.status", f"must be one of {', '.join(ABDUCTION_STATUSES)}")
    return Abduction(count=count, nationalities=nationalities, status=status)


def _provenance(raw: Any) -> tuple[Provenance, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, (list, tuple)):
        raise ValidationError("provenance", "must be a list")
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(item if isinstance(item, Provenance) else _provenance_item(item))
        except ValidationError as exc:
            raise ValidationError(f"provenance[{i}]" + (f".{exc.field}" if exc.field else ""), exc.message) from None
    return tuple(dict.fromkeys(out))  # one entry per field and span, however often a report names it


def _provenance_item(item: Any) -> Provenance:
    if not isinstance(item, Mapping):
        raise ValidationError("", "must be an object")
    start, end = item.get("start"), item.get("end")
    return Provenance(
        field=_text(item, "field", required=True, limit=100),
        report=_text(item, "report", required=True, limit=500),
        start=None if start in (None, "") else _int(item, "start", low=0),
        end=None if end in (None, "") else _int(item, "end", low=0),
    )


def conservative_fatalities(figures: Iterable[tuple[str, int | None]]) -> int:
    """ACLED's conservative count from (metric, number) pairs: for each group of victims
    (a metric ending in "killed"), the lowest figure anyone gave; the groups summed.

    A toll that names no group ("people killed", "115 morts") is a total, not
    another group: against the groups' sum, the lower of the two counts.
    """
    lowest: dict[str, int] = {}
    for metric, value in figures:
        if metric.endswith("killed") and value is not None:
            lowest[metric] = min(lowest.get(metric, value), value)
    total = lowest.pop("people killed", None)
    parts = sum(lowest.values())
    if total is None:
        return parts
    return min(total, parts) if lowest else total


def interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction text: the two actor types, lower code first."""
    types = sorted((t for t in (inter1, inter2) if t), key=lambda t: INTER_CODES[t])
    if len(types) == 1:
        return f"{types[0]} only"
    return "-".join(types)


def validate_event(data: Mapping[str, Any], *, undated_ok: bool = False) -> Event:
    """Check a mapping against the event model and return an :class:`Event`.

    Derivable columns (``year``, ``disorder_type``, ``interaction``, ``timestamp``)
    are filled in when missing.  Raises :class:`ValidationError` naming the field.
    ``undated_ok`` lets an extracted event whose report gives no usable date keep
    ``event_date=None`` (flagged for review); anything saved must have a date.
    """
    event_id = _text(data, "event_id_cnty", required=True, limit=64)
    if undated_ok and data.get("event_date") in (None, ""):
        event_date = None
    elif data.get("event_date") in (None, ""):
        raise ValidationError("event_date", "is missing: the report gives no date for this event; enter one")
    else:
        event_date = parse_date(data.get("event_date"))
    event_type = _text(data, "event_type", required=True)
    if event_type not in TAXONOMY:
        raise ValidationError("event_type", f"{event_type!r} is not an ACLED event type")
    sub = _text(data, "sub_event_type", required=True)
    if sub not in TAXONOMY[event_type]:
        raise ValidationError("sub_event_type", f"{sub!r} is not a sub-event type of {event_type!r}")
    inter1 = _text(data, "inter1", required=True)
    inter2 = _text(data, "inter2")
    for name, value in (("inter1", inter1), ("inter2", inter2)):
        if value and value not in INTER_CODES:
            raise ValidationError(name, f"{value!r} is not an ACLED actor type")
    actor2 = _text(data, "actor2", limit=300)
    if actor2 and not inter2:
        raise ValidationError("inter2", "is required when actor2 is set")
    civ = _text(data, "civilian_targeting")
    if civ not in ("", "Civilian targeting"):
        raise ValidationError("civilian_targeting", "must be empty or 'Civilian targeting'")
    return Event(
        event_id_cnty=event_id,
        event_date=event_date,
        year=_int(data, "year", default=event_date.year) if event_date else None,
        time_precision=_int(data, "time_precision", low=1, high=3),
        disorder_type=_text(data, "disorder_type") or DISORDER_TYPES[event_type],
        event_type=event_type,
        sub_event_type=sub,
        actor1=_text(data, "actor1", required=True, limit=300),
        assoc_actor_1=_text(data, "assoc_actor_1", limit=500),
        inter1=inter1,
        actor2=actor2,
        assoc_actor_2=_text(data, "assoc_actor_2", limit=500),
        inter2=inter2,
        interaction=_text(data, "interaction") or interaction(inter1, inter2),
        civilian_targeting=civ,
        iso=_int(data, "iso", low=0, high=999),
        region=_text(data, "region", required=True, limit=100),
        country=_text(data, "country", required=True, limit=100),
        admin1=_text(data, "admin1", limit=200),
        admin2=_text(data, "admin2", limit=200),
        admin3=_text(data, "admin3", limit=200),
        location=_text(data, "location", required=True, limit=300),
        latitude=_float(data, "latitude", -90, 90),
        longitude=_float(data, "longitude", -180, 180),
        geo_precision=_int(data, "geo_precision", low=1, high=3),
        source=_text(data, "source", required=True, limit=2000),
        source_scale=_text(data, "source_scale", limit=200),
        notes=_text(data, "notes", limit=20_000),
        fatalities=_int(data, "fatalities", default=0, low=0, high=1_000_000),
        tags=_text(data, "tags", limit=2000),
        timestamp=_int(data, "timestamp", default=int(time.time()), low=0),
        claims=_claims(data.get("claims")),
        abduction=_abduction(data.get("abduction")),
        provenance=_provenance(data.get("provenance")),
    )


def validate_geometry(geometry: Any, name: str = "geometry") -> dict[str, Any]:
    """A GeoJSON polygon checked for type, WGS84 coordinates, validity and location; raises ValidationError."""
    from shapely.geometry import mapping, shape
    from shapely.validation import explain_validity

    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(name, "must be a GeoJSON Polygon or MultiPolygon")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ValidationError(name, f"is not a readable polygon ({exc})") from None
    if polygon.is_empty:
        raise ValidationError(name, "is empty: draw at least three distinct corners")
    west, south, east, north = polygon.bounds
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ValidationError(name, "has coordinates outside longitude/latitude degrees: it looks projected "
                                    "(e.g. metres); give WGS84 longitude, latitude (EPSG:4326)")
    if not polygon.is_valid:
        raise ValidationError(name, f"is not a valid polygon: {explain_validity(polygon)} "
                                    "(edges must not cross themselves)")
    rw, rs, re_, rn = REGION_BOUNDS
    if east < rw or west > re_ or north < rs or south > rn:
        raise ValidationError(name, f"lies outside the region this map covers (longitude {rw} to {re_}, "
                                    f"latitude {rs} to {rn}); check the order is longitude, latitude")
    return dict(mapping(polygon))


def validate_zone(data: Mapping[str, Any]) -> ControlZone:
    """Check a control-zone mapping and return a :class:`ControlZone`."""
    status = _text(data, "status", required=True)
    actor = _text(data, "actor", limit=200)
    if status in LEGACY_STATUSES:
        status, legacy_actor = LEGACY_STATUSES[status]
        actor = actor or legacy_actor
    status = status.lower()
    if status not in CONTROL_STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(CONTROL_STATUSES)}")
    if status in ("control", "influence", "blockade") and not actor:
        raise ValidationError("actor", f"is required for {status}: whose {status} is it?")
    kind = _text(data, "kind") or "admin1"
    if kind not in ZONE_KINDS:
        raise ValidationError("kind", f"must be one of {', '.join(ZONE_KINDS)}")
    valid_to = data.get("valid_to")
    linked = data.get("linked_events") or ()
    if isinstance(linked, str):
        linked = [x for x in linked.replace(",", ";").split(";") if x.strip()]
    zone = ControlZone(
        zone_id=_text(data, "zone_id", required=True, limit=64),
        area=_text(data, "area", required=True, limit=200),
        status=status,
        actor=actor,
        valid_from=parse_date(data.get("valid_from"), "valid_from"),
        valid_to=None if valid_to in (None, "") else parse_date(valid_to, "valid_to"),
        geometry=validate_geometry(data.get("geometry")),
        source=_text(data, "source", required=True, limit=2000),
        notes=_text(data, "notes", limit=20_000),
        claimant=_text(data, "claimant", limit=500),
        evidence=_text(data, "evidence", limit=20_000),
        linked_events=tuple(str(x).strip() for x in linked),
        kind=kind,
    )
    if zone.valid_to is not None and zone.valid_to < zone.valid_from:
        raise ValidationError("valid_to", "is before valid_from")
    return zone
