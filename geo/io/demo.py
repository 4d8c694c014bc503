"""The demo events and control zones shipped in ``data/``."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from shapely import set_precision
from shapely.geometry import mapping
from shapely.ops import unary_union

from geo.areas import places_buffer
from geo.io.boundaries import admin1_regions
from geo.schema import ControlZone, Event, ValidationError, validate_event, validate_zone

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
T = TypeVar("T")


def validate_records(records: list[dict[str, Any]], validator: Callable[[dict[str, Any]], T],
                     label: str = "record") -> list[T]:
    """Validate each record; a failure names the record's position and field."""
    out = []
    for number, record in enumerate(records, 1):
        try:
            out.append(validator(record))
        except ValidationError as exc:
            raise ValidationError(f"{label} {number}.{exc.field}", exc.message) from exc
    return out


def load_demo_events(path: Path = DATA_DIR / "demo_events.json") -> list[Event]:
    """The curated demo events, validated."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return validate_records(records, validate_event, "event")


def load_demo_zones(path: Path = DATA_DIR / "control_zones.json") -> list[ControlZone]:
    """The curated control-zone assessments, with geometry dissolved from admin-1 regions."""
    regions = admin1_regions()
    records = json.loads(path.read_text(encoding="utf-8"))
    for number, record in enumerate(records, 1):
        if "geometry" in record:
            continue
        if "places" in record:
            record["geometry"] = mapping(set_precision(places_buffer(record.pop("places")), 0.001))
            continue
        names = record.pop("regions", [])
        shapes = regions[regions["name"].isin(names)]
        missing = sorted(set(names) - set(shapes["name"]))
        if missing or not names:
            raise ValidationError(f"zone {number}.regions", f"unknown admin-1 region(s): {missing or names}")
        record["geometry"] = mapping(set_precision(unary_union(list(shapes.geometry)), 0.001))
    return validate_records(records, validate_zone, "zone")
