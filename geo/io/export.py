"""Exports: ACLED-layout CSV (safe to open in Excel) and GeoJSON with the extensions."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.schema import ACLED_COLUMNS, Event

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with ``'``; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise_cell(value)


def acled_rows(events: Iterable[Event]) -> Iterable[dict[str, Any]]:
    """Each event's ACLED columns, in ACLED order, with formula-like text neutralised."""
    for event in events:
        yield {c: _csv_value(v) for c, v in event.acled_row().items()}


def to_csv(events: Iterable[Event]) -> str:
    """CSV text with ACLED's 31 columns in ACLED order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(acled_rows(events))
    return buffer.getvalue()


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV of a frame's ACLED columns in ACLED order, formula-like text neutralised (vectorised)."""
    import pandas as pd

    table = frame[list(ACLED_COLUMNS)].copy()
    table["event_date"] = pd.to_datetime(table["event_date"]).dt.strftime("%Y-%m-%d")
    for col in table.columns:
        if table[col].dtype == object or pd.api.types.is_string_dtype(table[col]):
            text = table[col].fillna("").astype(str)
            risky = text.str.startswith(FORMULA_PREFIXES)
            table[col] = text.where(~risky, "'" + text)
    return table.to_csv(index=False, lineterminator="\n")


def to_geojson(events: Sequence[Event]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: ACLED columns plus claims, abduction and provenance as properties."""
    features = []
    for event in events:
        props = event.to_dict()
        features.append({
            "type": "Feature",
            "id": event.event_id_cnty,
            "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(events: Sequence[Event]) -> str:
    """The GeoJSON export as UTF-8 text."""
    return json.dumps(to_geojson(events), ensure_ascii=False, indent=1)


def to_geopackage(events: Sequence[Event], path: Path, layer: str = "events") -> None:
    """A GeoPackage of points with the ACLED columns (claims, abduction and provenance as JSON text)."""
    import geopandas as gpd

    rows = []
    for event in events:
        row = {c: _plain(v) for c, v in event.acled_row().items()}
        row["claims"] = json.dumps([asdict(c) for c in event.claims], ensure_ascii=False)
        row["abduction"] = json.dumps(asdict(event.abduction), ensure_ascii=False) if event.abduction else ""
        row["provenance"] = json.dumps([asdict(p) for p in event.provenance], ensure_ascii=False)
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy([e.longitude for e in events],
                                                               [e.latitude for e in events]), crs="EPSG:4326")
    tmp = path.with_name(path.name + ".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    frame.to_file(tmp, layer=layer, driver="GPKG")
    tmp.replace(path)


def geopackage_bytes(events: Sequence[Event]) -> bytes:
    """The GeoPackage export as bytes (for a download button)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.gpkg"
        to_geopackage(events, path)
        return path.read_bytes()


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
