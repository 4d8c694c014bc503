"""Summary inside a drawn area, hand-computed on four events and a 1° square."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import box, mapping

from geo.schema import ValidationError
from geo.storage import events_frame
from geo.tools.area_summary import drawn_polygon, events_inside, summarise_area
from tests.factories import make_event

JNIM = "JNIM: Group for Support of Islam and Muslims"
ARMY = "Military Forces of Mali (2021-)"
ISSP = "Islamic State Sahel Province"
SQUARE = {"type": "Feature", "properties": {}, "geometry": mapping(box(-1, 14, 0, 15))}  # as Leaflet.draw gives it


@pytest.fixture
def events() -> pd.DataFrame:
    """A and B inside the square, C on its east edge, D outside; B's notes look like a formula."""
    return events_frame([
        make_event(event_id_cnty="A", event_date="2025-06-02", longitude=-0.5, latitude=14.5, fatalities=3),
        make_event(event_id_cnty="B", event_date="2025-06-03", longitude=-0.9, latitude=14.1, fatalities=2,
                   actor1=ISSP, notes="=1+1", claims=[]),
        make_event(event_id_cnty="C", event_date="2025-06-10", longitude=0.0, latitude=14.5, fatalities=1,
                   claims=[]),
        make_event(event_id_cnty="D", event_date="2025-06-10", longitude=2.0, latitude=16.0, fatalities=10),
    ])


def test_summary_counts_the_events_inside_by_hand(events: pd.DataFrame) -> None:
    summary = summarise_area(events, SQUARE, date(2025, 6, 1), date(2025, 6, 15))
    assert list(summary.events["event_id_cnty"]) == ["A", "B", "C"]  # C lies on the edge: inside
    assert (summary.figures.events, summary.figures.fatalities) == (3, 6)
    assert summary.figures.fatalities_claimed_high == 80 + 0 + 2 + 1  # A's army claim of about 80; B, C as coded
    assert summary.figures.places_attacked == 1  # every test event is at "Kayes"
    assert summary.actors.to_dict("records") == [
        {"actor": ARMY, "events": 3, "fatalities": 6},
        {"actor": JNIM, "events": 2, "fatalities": 4},
        {"actor": ISSP, "events": 1, "fatalities": 2},
    ]
    week = summary.weekly.pivot(index="week", columns="measure", values="value")
    assert week.to_dict("index") == {pd.Timestamp("2025-05-26"): {"events": 0, "fatalities": 0},
                                     pd.Timestamp("2025-06-02"): {"events": 2, "fatalities": 5},
                                     pd.Timestamp("2025-06-09"): {"events": 1, "fatalities": 1}}


def test_area_is_equal_area_km2(events: pd.DataFrame) -> None:
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(box(-1, 14, 0, 15))[0]) / 1e6
    summary = summarise_area(events, SQUARE)
    assert summary.area_km2 == pytest.approx(geodesic, rel=2e-3)
    assert summary.description() == (f"drawn polygon of {summary.area_km2:,.0f} km² (longitude -1 to 0, "
                                      "latitude 14 to 15)")


def test_csv_has_only_the_events_inside_neutralised_with_the_area_named(events: pd.DataFrame) -> None:
    from geo.views import View

    summary = summarise_area(events, SQUARE)
    rows = list(csv.DictReader(io.StringIO(summary.csv())))
    assert [r["event_id_cnty"] for r in rows] == ["A", "B", "C"]
    assert rows[1]["notes"] == "'=1+1"
    archive = zipfile.ZipFile(io.BytesIO(summary.csv_zip(View(start=date(2025, 6, 1), end=date(2025, 6, 15)))))
    readme = archive.read("README.txt").decode("utf-8")
    assert "Window: 2025-06-01 to 2025-06-15" in readme and "Events: 3" in readme
    assert "Area: drawn polygon of" in readme
    meta = json.loads(archive.read("metadata.json"))
    assert meta["area"]["geometry"]["type"] == "Polygon"


def test_drawings_in_every_shape_streamlit_folium_gives() -> None:
    marker = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.5, 14.5]}}
    other = {"type": "Feature", "geometry": mapping(box(1.5, 15.5, 2.5, 16.5))}
    assert drawn_polygon(SQUARE)["type"] == "Polygon"
    assert drawn_polygon({"type": "FeatureCollection", "features": [marker, SQUARE]}) == drawn_polygon(SQUARE)
    assert drawn_polygon([SQUARE, other])["type"] == "MultiPolygon"  # all_drawings: one area


def test_two_polygons_hold_the_events_of_both(events: pd.DataFrame) -> None:
    other = {"type": "Feature", "geometry": mapping(box(1.5, 15.5, 2.5, 16.5))}
    assert list(events_inside(events, drawn_polygon([SQUARE, other]))["event_id_cnty"]) == ["A", "B", "C", "D"]


@pytest.mark.parametrize(("drawing", "message"), [
    (None, "draw a polygon"),
    ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 14], [1, 15]]}}, "draw a polygon"),
    ({"type": "Polygon", "coordinates": [[[-1, 14], [0, 15], [0, 14], [-1, 15], [-1, 14]]]}, "not a valid polygon"),
    ({"type": "Polygon", "coordinates": [[[100000, 1500000], [200000, 1500000], [200000, 1600000],
                                          [100000, 1500000]]]}, "looks projected"),
])
def test_a_bad_drawing_is_refused_with_a_reason(events: pd.DataFrame, drawing: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        summarise_area(events, drawing)


def test_empty_area_and_empty_frame(events: pd.DataFrame) -> None:
    far = {"type": "Polygon", "coordinates": [[[10, 20], [11, 20], [11, 21], [10, 20]]]}
    summary = summarise_area(events, far)
    assert summary.events.empty and summary.figures.events == 0 and summary.actors.empty
    assert summary.weekly.empty
    assert summary.csv().count("\n") == 1  # the header only
    assert summarise_area(events.iloc[0:0], SQUARE, date(2025, 6, 2), date(2025, 6, 8)).weekly["value"].sum() == 0


def test_drawn_bounds_is_the_box_of_every_polygon_drawn() -> None:
    from geo.tools.area_summary import drawn_bounds

    square = {"type": "Polygon", "coordinates": [[[-12, 14], [-11, 14], [-11, 15], [-12, 15], [-12, 14]]]}
    other = {"type": "Feature", "geometry": {"type": "Polygon",
                                             "coordinates": [[[-5, 10], [-4, 10], [-4, 11], [-5, 10]]]}}
    assert drawn_bounds([{"type": "Feature", "geometry": square}, other]) == (-12.0, 10.0, -4.0, 15.0)
    with pytest.raises(ValidationError):
        drawn_bounds([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}])
