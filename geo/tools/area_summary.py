"""Summary inside a drawn area: the events in a polygon, their figures, actors, weekly trend and CSV.

The area comes as the map's drawing tools give it (GeoJSON: a geometry, a
Feature, a FeatureCollection or a list of features, e.g. streamlit-folium's
``last_active_drawing`` or ``all_drawings``); several polygons count as one area.
It is checked like a drawn control zone (:func:`geo.schema.validate_geometry`).
An event on the area's edge is inside.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from geo.schema import ValidationError, validate_geometry
from geo.tools.briefing import Headline, headline, weekly
from geo.tools.trends import actor_totals

if TYPE_CHECKING:
    from geo.io.export import ExportInfo
    from geo.views import View

POLYGONS = ("Polygon", "MultiPolygon")


def drawn_polygon(drawing: Any, name: str = "area") -> dict[str, Any]:
    """The polygon(s) of a drawing as one GeoJSON geometry; other shapes (markers, lines) are left out.

    Raises :class:`ValidationError` when no polygon is drawn or it is not a valid one.
    """
    geometries = [g for g in _geometries(drawing) if g.get("type") in POLYGONS]
    if not geometries:
        raise ValidationError(name, "draw a polygon or a rectangle on the map first")
    checked = [shape(validate_geometry(g, name)) for g in geometries]
    union = checked[0] if len(checked) == 1 else shapely.union_all(checked)
    return dict(mapping(union))


def drawn_bounds(drawing: Any) -> tuple[float, float, float, float]:
    """The drawn area's bounding box (west, south, east, north): the events to read before testing each one.

    Raises :class:`ValidationError` as :func:`drawn_polygon` does.
    """
    west, south, east, north = shape(drawn_polygon(drawing)).bounds
    return float(west), float(south), float(east), float(north)


def _geometries(drawing: Any) -> list[Mapping[str, Any]]:
    if isinstance(drawing, Mapping):
        kind = drawing.get("type")
        if kind == "FeatureCollection":
            return _geometries(drawing.get("features") or [])
        if kind == "Feature":
            return _geometries(drawing.get("geometry"))
        if kind == "GeometryCollection":
            return _geometries(drawing.get("geometries") or [])
        return [drawing] if kind else []
    if isinstance(drawing, Sequence) and not isinstance(drawing, str | bytes):
        return [g for item in drawing for g in _geometries(item)]
    return []


def events_inside(events: pd.DataFrame, polygon: Mapping[str, Any]) -> pd.DataFrame:
    """The events whose point lies inside ``polygon`` (GeoJSON) or on its edge. Vectorised."""
    if events.empty:
        return events
    area = shape(polygon)
    shapely.prepare(area)
    inside = shapely.intersects_xy(area, events["longitude"].to_numpy(dtype=float),
                                   events["latitude"].to_numpy(dtype=float))
    return events[np.asarray(inside, dtype=bool)]


def area_km2(polygon: Mapping[str, Any]) -> float:
    """The polygon's area in km², computed in an equal-area projection (Africa Albers Equal Area Conic)."""
    import geopandas as gpd

    from geo.regions import EQUAL_AREA_CRS

    return float(gpd.GeoSeries([shape(polygon)], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.iloc[0] / 1e6)


@dataclass(frozen=True)
class AreaSummary:
    """What a drawn area holds for the window and filters the events were selected with."""

    polygon: dict[str, Any]  # GeoJSON
    area_km2: float
    events: pd.DataFrame  # the events inside, as given (ACLED columns and extensions)
    figures: Headline  # events, fatalities (and the highest claimed), people abducted, places attacked
    actors: pd.DataFrame  # actor, events, fatalities: most events first
    weekly: pd.DataFrame  # week, measure (events / fatalities), value: every week of the window

    def description(self) -> str:
        """The area in words, e.g. "drawn polygon of 12,308 km² (longitude 0 to 1, latitude 0 to 1)"."""
        west, south, east, north = shape(self.polygon).bounds
        return (f"drawn polygon of {self.area_km2:,.0f} km² (longitude {west:g} to {east:g}, "
                f"latitude {south:g} to {north:g})")

    def csv(self) -> str:
        """The events inside as ACLED-layout CSV (formula-like cells neutralised)."""
        from geo.io.export import frame_to_csv

        return frame_to_csv(self.events)

    def export_info(self, view: View | None = None) -> ExportInfo:
        """The export metadata of these events under ``view``, naming the area."""
        from geo.io.export import export_info

        return replace(export_info(self.events, view), area=self.description(), area_geometry=self.polygon)

    def csv_zip(self, view: View | None = None) -> bytes:
        """The CSV zipped with README.txt and metadata.json naming the window, filters, sources and the area."""
        from geo.io.export import csv_zip_bytes

        return csv_zip_bytes(self.csv(), self.export_info(view))


def summarise_area(events: pd.DataFrame, drawing: Any, start: date | None = None,
                   end: date | None = None) -> AreaSummary:
    """The summary of ``events`` (already filtered to the window and filters) inside the drawn area.

    ``start``/``end`` (the window) give the weekly trend every week of the window;
    without them it spans the events inside. Raises :class:`ValidationError` for a
    drawing with no valid polygon.
    """
    polygon = drawn_polygon(drawing)
    inside = events_inside(events, polygon)
    if start is None or end is None:
        dates = pd.to_datetime(inside["event_date"])
        start, end = (None, None) if inside.empty else (dates.min().date(), dates.max().date())
    return AreaSummary(polygon=polygon, area_km2=area_km2(polygon), events=inside, figures=headline(inside),
                       actors=actor_totals(inside), weekly=weekly(inside, start, end))
