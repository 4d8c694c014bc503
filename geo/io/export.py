"""Exports: ACLED-layout CSV (safe to open in Excel), GeoJSON with the extensions, GeoPackage, KML, Shapefile.

Every export names what it holds - the window, the filters, the sources, when it
was made - in an :class:`ExportInfo`, carried where each format keeps such things:

* GeoJSON: a top-level ``metadata`` member (a foreign member, RFC 7946 §6.1);
* GeoPackage: the layer's metadata (``gpkg_metadata``) and description (``gpkg_contents``);
* KML: the document's ``<name>`` and ``<description>``;
* zipped Shapefile and zipped CSV: ``README.txt`` and ``metadata.json`` beside the data in the zip.

The CSV itself stays exactly ACLED's 31 columns (so it merges with ACLED data and
re-imports); its sidecar travels in the zip, or as ``FILE.metadata.json`` from the CLI.
The file formats are written by GDAL through pyogrio.
"""
from __future__ import annotations

import csv
import html
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.schema import ACLED_COLUMNS, Event

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.views import View

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


@dataclass(frozen=True)
class ExportInfo:
    """What an export holds: the window and filters asked for, the events' dates and sources, when it was made.

    ``start``/``end`` are the window asked for (None: open); ``first``/``last`` the
    dates of the events exported. Empty filters mean "all".
    """

    events: int
    start: date | None = None
    end: date | None = None
    first: date | None = None
    last: date | None = None
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    as_of: date | None = None
    view: str = ""
    sources: tuple[str, ...] = ()
    created: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    area: str = ""  # an area the events were selected in, described (e.g. a drawn polygon)
    area_geometry: dict[str, Any] | None = None  # that area as GeoJSON

    def window_text(self) -> str:
        """The window, e.g. "2025-06-01 to 2025-07-08", or "all dates"."""
        if self.start is None and self.end is None:
            return "all dates"
        return f"{self.start or 'the first event'} to {self.end or 'the last event'}"

    def filters_text(self) -> str:
        """The filters in one line, e.g. "actors: all; event types: Battles; countries: Mali"."""
        def listed(values: tuple[str, ...]) -> str:
            return ", ".join(values) if values else "all"

        return (f"actors: {listed(self.actors)}; event types: {listed(self.event_types)}; "
                f"countries: {listed(self.countries)}")

    def to_dict(self, fmt: str = "") -> dict[str, Any]:
        """The metadata as JSON-friendly data (``fmt`` names the export's format)."""
        return {
            "title": "Conflict Map events export",
            "format": fmt,
            "created": self.created.isoformat(),
            "window": {"start": _iso(self.start), "end": _iso(self.end), "text": self.window_text()},
            "filters": {"actors": list(self.actors), "event_types": list(self.event_types),
                        "countries": list(self.countries)},
            "data_as_of": _iso(self.as_of),
            "saved_view": self.view or None,
            "area": {"text": self.area, "geometry": self.area_geometry} if self.area else None,
            "events": self.events,
            "event_dates": {"first": _iso(self.first), "last": _iso(self.last)},
            "sources": list(self.sources),
            "columns": "ACLED's columns and taxonomy; fatalities are the conservative figure, every claimed figure "
                       "with its claimant is in the GeoJSON and GeoPackage exports",
        }

    def lines(self, fmt: str = "") -> list[str]:
        """The metadata as lines of plain text (a README, a KML description)."""
        out = [f"Conflict Map events export{f' ({fmt})' if fmt else ''}",
               f"Created: {self.created.isoformat()}",
               f"Window: {self.window_text()}",
               f"Filters: {self.filters_text()}"]
        if self.as_of:
            out.append(f"Data as of: {self.as_of} (events recorded by then)")
        if self.view:
            out.append(f"Saved view: {self.view}")
        if self.area:
            out.append(f"Area: {self.area}")
        dates = f", dated {self.first} to {self.last}" if self.first and self.last else ""
        out.append(f"Events: {self.events}{dates}")
        out.append(f"Sources: {'; '.join(self.sources) if self.sources else 'none named'}")
        return out

    def text(self, fmt: str = "") -> str:
        """:meth:`lines` as one text."""
        return "\n".join(self.lines(fmt)) + "\n"

    def layer_metadata(self, fmt: str = "") -> dict[str, str]:
        """The metadata as string pairs (GeoPackage layer metadata)."""
        data = self.to_dict(fmt)
        return {"title": data["title"], "created": data["created"], "window": self.window_text(),
                "window_start": data["window"]["start"] or "", "window_end": data["window"]["end"] or "",
                "filters": self.filters_text(), "data_as_of": data["data_as_of"] or "", "saved_view": self.view,
                "area": self.area, "events": str(self.events), "sources": "; ".join(self.sources),
                "conflictmap_export": json.dumps(data, ensure_ascii=False)}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _split_sources(values: Iterable[Any]) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for value in values:
        for part in str(value or "").split(";"):
            name = part.strip()
            if name:
                names.setdefault(name.casefold(), name)
    return tuple(sorted(names.values(), key=str.casefold))


def export_info(events: Sequence[Event] | pd.DataFrame, view: View | None = None, *,
                created: datetime | None = None) -> ExportInfo:
    """The :class:`ExportInfo` of ``events`` (Events or an events frame) exported under ``view`` (None: all).

    Sources are the events' ``source`` entries and the sources of their claims.
    """
    import pandas as pd

    if isinstance(events, pd.DataFrame):
        stamps = pd.to_datetime(events["event_date"]).dropna()
        dates = [stamps.min().date(), stamps.max().date()] if len(stamps) else []
        claimed = (c.get("source") for claims in events["claims"] if len(claims or ()) for c in claims)
        sources = [*pd.unique(events["source"].fillna("")), *set(claimed)]
    else:
        dates = [e.event_date for e in events if e.event_date is not None]
        sources = [*(e.source for e in events), *(c.source for e in events for c in e.claims)]
    extra = {"created": created} if created else {}
    return ExportInfo(
        events=len(events), first=min(dates, default=None), last=max(dates, default=None),
        start=view.start if view else None, end=view.end if view else None,
        actors=tuple(view.actors) if view else (), event_types=tuple(view.types) if view else (),
        countries=tuple(view.countries) if view else (), as_of=view.as_of if view else None,
        view=(view.title or view.name) if view else "", sources=_split_sources(sources), **extra)


def to_geojson(events: Sequence[Event], info: ExportInfo | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: ACLED columns plus claims, abduction and provenance as properties.

    ``info`` (default: all of ``events``) is the collection's ``metadata`` member.
    """
    features = []
    for event in events:
        props = event.to_dict()
        features.append({
            "type": "Feature",
            "id": event.event_id_cnty,
            "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
            "properties": props,
        })
    info = info or export_info(events)
    return {"type": "FeatureCollection", "metadata": info.to_dict("GeoJSON"), "features": features}


def to_geojson_text(events: Sequence[Event], info: ExportInfo | None = None) -> str:
    """The GeoJSON export as UTF-8 text."""
    return json.dumps(to_geojson(events, info), ensure_ascii=False, indent=1)


def _points(rows: list[dict[str, Any]], events: Sequence[Event]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy([e.longitude for e in events],
                                                              [e.latitude for e in events]), crs="EPSG:4326")


def _write_atomic(frame: gpd.GeoDataFrame, path: Path, suffix: str, **options: Any) -> None:
    tmp = path.with_name(path.name + ".tmp" + suffix)
    tmp.unlink(missing_ok=True)
    frame.to_file(tmp, engine="pyogrio", geometry_type="Point", **options)
    tmp.replace(path)


def to_geopackage(events: Sequence[Event], path: Path, layer: str = "events", info: ExportInfo | None = None) -> None:
    """A GeoPackage of points with the ACLED columns (claims, abduction and provenance as JSON text).

    ``info`` (default: all of ``events``) is the layer's metadata and its description.
    """
    rows = []
    for event in events:
        row = {c: _plain(v) for c, v in event.acled_row().items()}
        row["claims"] = json.dumps([asdict(c) for c in event.claims], ensure_ascii=False)
        row["abduction"] = json.dumps(asdict(event.abduction), ensure_ascii=False) if event.abduction else ""
        row["provenance"] = json.dumps([asdict(p) for p in event.provenance], ensure_ascii=False)
        rows.append(row)
    info = info or export_info(events)
    _write_atomic(_points(rows, events), path, ".gpkg", layer=layer, driver="GPKG",
                  layer_metadata=info.layer_metadata("GeoPackage"),
                  layer_options={"DESCRIPTION": " | ".join(info.lines("GeoPackage"))})


def _as_bytes(write: Any, name: str, *args: Any) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write(*args, path)
        return path.read_bytes()


def geopackage_bytes(events: Sequence[Event], info: ExportInfo | None = None) -> bytes:
    """The GeoPackage export as bytes (for a download button)."""
    return _as_bytes(lambda evs, path: to_geopackage(evs, path, info=info), "events.gpkg", events)


def _kml_description(event: Event) -> str:
    """A placemark's balloon: what happened, the claims side by side, the notes and source (HTML, escaped)."""
    from geo.popups import claims_table

    actors = " vs ".join(html.escape(a) for a in (event.actor1, event.actor2) if a)
    parts = [f"<p><b>{html.escape(event.sub_event_type)}</b>, {_iso(event.event_date) or 'undated'}: {actors}</p>",
             f"<p>Fatalities (conservative): {event.fatalities}</p>",
             claims_table([asdict(c) for c in event.claims])]
    if event.abduction:
        a = event.abduction
        taken = "unknown number" if a.count is None else str(a.count)
        parts.append(f"<p>Abducted: {taken}; nationalities: {html.escape(', '.join(a.nationalities) or '?')}; "
                     f"status: {html.escape(a.status)}</p>")
    parts.append(f"<p>{html.escape(event.notes)}</p><p><small>Source: {html.escape(event.source)}</small></p>")
    return "".join(parts)


def _flat_extensions(event: Event) -> dict[str, Any]:
    from geo.popups import claims_line

    a = event.abduction
    return {"claims": claims_line([asdict(c) for c in event.claims]),
            "abducted": None if a is None or a.count is None else a.count,
            "nationalities": ", ".join(a.nationalities) if a else "",
            "abduction_status": a.status if a else ""}


def to_kml(events: Sequence[Event], path: Path, info: ExportInfo | None = None) -> None:
    """KML (LIBKML) for Google Earth and other globes: one placemark per event.

    The document's name and description name the window, filters and sources; each
    placemark is named "location, date: sub-event type", its balloon shows the claims
    side by side, its TimeStamp is the event date (Google Earth's time slider), and the
    ACLED columns ride along as ExtendedData - ACLED's own ``timestamp`` (when the event
    was recorded) as ``acled_timestamp``, because KML's ``timestamp`` is the event's date.
    """
    import pandas as pd

    rows = []
    for event in events:
        row: dict[str, Any] = {
            "Name": f"{event.location}, {_iso(event.event_date) or 'undated'}: {event.sub_event_type}",
            "description": _kml_description(event),
            "timestamp": pd.Timestamp(event.event_date) if event.event_date else pd.NaT,
        }
        for column, value in event.acled_row().items():
            row["acled_timestamp" if column == "timestamp" else column] = _plain(value)
        row.update(_flat_extensions(event))
        rows.append(row)
    info = info or export_info(events)
    lines = [html.escape(line) for line in info.lines("KML")]
    frame = _int32(_points(rows, events), {"timestamp": "acled_timestamp"})
    _write_atomic(frame, path, ".kml", driver="LIBKML", layer="events",
                  dataset_options={"NAME": f"Conflict Map events, {info.window_text()}",
                                   "DESCRIPTION": "<br>\n".join(lines)})


INTEGER_COLUMNS = ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp", "abducted")


def _int32(frame: gpd.GeoDataFrame, rename: dict[str, str]) -> gpd.GeoDataFrame:
    """The whole-number columns (named as ``rename`` names them) as nullable 32-bit integers, which KML and
    dBASE type as integers (64-bit ones become text in KML)."""
    for column in INTEGER_COLUMNS:
        name = rename.get(column, column)
        if name in frame.columns:
            frame[name] = frame[name].astype("Int32")
    return frame


def kml_bytes(events: Sequence[Event], info: ExportInfo | None = None) -> bytes:
    """The KML export as bytes (for a download button)."""
    return _as_bytes(lambda evs, path: to_kml(evs, path, info), "events.kml", events)


# Shapefile (dBASE) field names have at most 10 characters: ACLED's longer names are shortened.
SHAPEFILE_FIELDS: dict[str, str] = {
    "event_id_cnty": "event_id", "time_precision": "time_prec", "disorder_type": "disorder",
    "sub_event_type": "sub_event", "assoc_actor_1": "assoc_act1", "assoc_actor_2": "assoc_act2",
    "interaction": "interact", "civilian_targeting": "civ_target", "geo_precision": "geo_prec",
    "source_scale": "src_scale", "abduction_status": "abd_status", "nationalities": "nationalit",
}
DBF_TEXT_BYTES = 254  # a dBASE text field holds at most 254 bytes


def _dbf_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return value.encode("utf-8")[:DBF_TEXT_BYTES].decode("utf-8", errors="ignore")


def _shapefile_readme(info: ExportInfo) -> str:
    renamed = "\n".join(f"  {short:<10} = {name}" for name, short in SHAPEFILE_FIELDS.items())
    return (info.text("ESRI Shapefile, zipped")
            + "\nFiles: conflictmap_events.shp/.shx/.dbf/.prj/.cpg (points, WGS 84, UTF-8 text), "
              "metadata.json (this README as data).\n"
            + "\nFields are ACLED's columns; the shapefile format limits names to 10 characters, so these are "
              "shortened:\n" + renamed + "\n"
            + "claims: every claimed figure and who claimed it, in one line; abducted, nationalit, abd_status: the "
              "abduction's details.\n"
            + f"Text longer than {DBF_TEXT_BYTES} bytes (long notes, many claims) is cut there by the format; the "
              "GeoJSON and GeoPackage exports keep it whole, with the claims' sources and the provenance.\n")


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shapefile_zip_bytes(events: Sequence[Event], info: ExportInfo | None = None) -> bytes:
    """A zipped ESRI Shapefile of the events, with ``README.txt`` and ``metadata.json`` naming what it holds."""
    rows = []
    for event in events:
        row = {SHAPEFILE_FIELDS.get(c, c): _dbf_text(v) for c, v in event.acled_row().items()}
        row.update({SHAPEFILE_FIELDS.get(c, c): _dbf_text(v) for c, v in _flat_extensions(event).items()})
        rows.append(row)
    frame = _int32(_points(rows, events), SHAPEFILE_FIELDS)
    info = info or export_info(events)
    files: dict[str, bytes | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "conflictmap_events.shp"
        # through Arrow, Python dates become a dBASE date field (the classic path writes them as text)
        frame.to_file(path, engine="pyogrio", driver="ESRI Shapefile", encoding="UTF-8", geometry_type="Point",
                      use_arrow=True)
        for part in sorted(Path(tmp).iterdir()):
            files[part.name] = part.read_bytes()
    files["README.txt"] = _shapefile_readme(info)
    files["metadata.json"] = json.dumps(info.to_dict("ESRI Shapefile"), ensure_ascii=False, indent=1)
    return _zip(files)


def to_shapefile_zip(events: Sequence[Event], path: Path, info: ExportInfo | None = None) -> None:
    """Write :func:`shapefile_zip_bytes` to ``path`` (replaced whole)."""
    _replace(path, shapefile_zip_bytes(events, info))


CSV_NAME = "conflictmap_events.csv"


def csv_readme(info: ExportInfo) -> str:
    """The README that goes beside an ACLED-layout CSV."""
    return (info.text("CSV, ACLED columns")
            + f"\nFiles: {CSV_NAME} (ACLED's 31 columns in ACLED's order, UTF-8), metadata.json (this README as "
              "data).\nText cells that a spreadsheet would run as a formula (starting with = + - @) begin with an "
              "apostrophe; Conflict Map's import removes it again.\n")


def csv_zip_bytes(csv_text: str, info: ExportInfo) -> bytes:
    """A zip of the CSV (:func:`frame_to_csv` or :func:`to_csv` text) with ``README.txt`` and ``metadata.json``."""
    return _zip({CSV_NAME: csv_text.encode("utf-8"), "README.txt": csv_readme(info),
                 "metadata.json": json.dumps(info.to_dict("CSV"), ensure_ascii=False, indent=1)})


def sidecar_path(path: Path) -> Path:
    """Where the metadata of an export written to ``path`` goes: ``path`` + ``.metadata.json``."""
    return path.with_name(path.name + ".metadata.json")


def write_sidecar(path: Path, info: ExportInfo, fmt: str) -> Path:
    """Write the metadata of the export at ``path`` beside it (:func:`sidecar_path`); returns the sidecar's path."""
    target = sidecar_path(path)
    _replace(target, json.dumps(info.to_dict(fmt), ensure_ascii=False, indent=1).encode("utf-8"))
    return target


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
