"""Regions layer: events and fatalities per admin-1 region, hand-computed on two square regions."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import box

from geo.regions import (
    assign_regions,
    change_colour,
    class_breaks,
    details_html,
    difference_layer,
    legend,
    legend_box,
    legend_title,
    prepare_regions,
    ranked,
    region_counts,
    region_details,
    region_difference,
    region_id,
    regions_layer,
    shipped_regions,
)
from geo.storage import events_frame
from tests.factories import make_event

JNIM = "JNIM: Group for Support of Islam and Muslims"
ARMY = "Military Forces of Mali (2021-)"
ISSP = "Islamic State Sahel Province"


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    """Alpha: 1° x 1° at the equator; Beta: 2° x 1° east of it, sharing the meridian 1°E."""
    return prepare_regions(gpd.GeoDataFrame({"iso_a2": ["TL", "TL"], "admin": ["Testland", "Testland"],
                                             "name": ["Alpha", "Beta"]},
                                            geometry=[box(0, 0, 1, 1), box(1, 0, 3, 1)], crs="EPSG:4326"))


@pytest.fixture
def events() -> pd.DataFrame:
    """e1-e2 and e3 (on the shared border) in Alpha, e4-e5 in Beta, e6 outside both; e2's toll unknown."""
    frame = events_frame([
        make_event(event_id_cnty="E1", event_date="2025-06-02", longitude=0.5, latitude=0.5, fatalities=2),
        make_event(event_id_cnty="E2", event_date="2025-06-03", longitude=0.2, latitude=0.8, fatalities=0,
                   actor1=ISSP),
        make_event(event_id_cnty="E3", event_date="2025-06-04", longitude=1.0, latitude=0.5, fatalities=5,
                   location="Borderville", assoc_actor_1="Dozo"),
        make_event(event_id_cnty="E4", event_date="2025-06-05", longitude=2.0, latitude=0.5, fatalities=1),
        make_event(event_id_cnty="E5", event_date="2025-06-06", longitude=2.5, latitude=0.2, fatalities=0,
                   actor1=ISSP),
        make_event(event_id_cnty="E6", event_date="2025-06-07", longitude=5.0, latitude=5.0, fatalities=10),
    ])
    frame["fatalities"] = frame["fatalities"].astype(float)
    frame.loc[1, "fatalities"] = np.nan
    return frame


def test_areas_are_equal_area_km2(squares: gpd.GeoDataFrame) -> None:
    geod = Geod(ellps="WGS84")
    geodesic = [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in squares.geometry]
    assert geodesic[0] == pytest.approx(12_308, rel=1e-3)  # a 1° square at the equator
    assert list(squares["area_km2"]) == pytest.approx(geodesic, rel=2e-3)
    assert list(squares["region_id"]) == ["tl-alpha", "tl-beta"]
    assert region_id("BF", "Balé") == "bf-bale" and region_id("MR", "Hodh ech Chargui") == "mr-hodh-ech-chargui"


def test_counts_per_region_by_hand(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    assert list(assign_regions(events, squares)) == [0, 0, 0, 1, 1, -1]  # the border point goes to the first
    counts = region_counts(events, squares)
    assert list(counts["events"]) == [3, 2] and list(counts["fatalities"]) == [7, 1]  # NaN counts 0
    assert list(counts["value"]) == [3.0, 2.0]
    deaths = region_counts(events, squares, measure="fatalities")
    assert list(deaths["value"]) == [7.0, 1.0]


def test_counts_per_10000_km2(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    dense = region_counts(events, squares, scale="area")
    alpha, beta = squares["area_km2"]
    assert list(dense["value"]) == pytest.approx([3 / alpha * 10_000, 2 / beta * 10_000])
    assert dense["value"].iloc[0] == pytest.approx(2.437, abs=0.005)  # 3 events on ~12,308 km²
    assert dense["value"].iloc[1] == pytest.approx(0.812, abs=0.005)  # 2 events on ~24,617 km²


def test_bad_measure_or_scale_or_where(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="measure"):
        region_counts(events, squares, measure="abductions")
    with pytest.raises(ValueError, match="scale"):
        region_counts(events, squares, scale="km")
    with pytest.raises(ValueError, match="6 events"):
        region_counts(events, squares, where=np.array([0, 1]))
    precomputed = assign_regions(events, squares)
    assert list(region_counts(events, squares, where=precomputed)["events"]) == [3, 2]


def test_empty_selection(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    empty = events.iloc[0:0]
    counts = region_counts(empty, squares)
    assert list(counts["events"]) == [0, 0] and legend(counts) == []
    props = _properties(regions_layer(empty, squares))
    assert props["Alpha"]["tooltip"] == "Alpha (Testland): 0 events, 0 fatalities"
    assert props["Alpha"]["popup"] == "<b>Alpha</b>: no events in the window"
    assert props["Alpha"]["style"]["fillOpacity"] == 0.0


def _properties(group) -> dict[str, dict]:  # noqa: ANN001 - a folium FeatureGroup
    """Each region's feature properties in the layer, by name; and the layer renders."""
    import folium

    m = folium.Map(tiles=None)
    group.add_to(m)
    assert "cm-region" in m.get_root().render()
    [geojson] = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    return {f["properties"]["name"]: f["properties"] for f in geojson.data["features"]}


def test_layer_tooltips_classes_and_name(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    group = regions_layer(events, squares)
    assert group.layer_name == "Regions: events per region (1 event outside them)"
    props = _properties(group)
    assert props["Alpha"]["tooltip"] == "Alpha (Testland): 3 events, 7 fatalities"
    assert props["Beta"]["tooltip"] == "Beta (Testland): 2 events, 1 fatalities"
    assert props["Alpha"]["style"]["className"] == "cm-region cm-region-tl-alpha"
    assert (props["Alpha"]["events"], props["Alpha"]["value"]) == (3, 3.0)
    area = _properties(regions_layer(events, squares, measure="fatalities", scale="area"))
    # 7 / 12,308 km² and 1 / 24,617 km², per 10,000 km²
    assert area["Alpha"]["tooltip"] == ("Alpha (Testland): 3 events, 7 fatalities; 5.7 fatalities per 10,000 km² "
                                        "(12,308 km²)")
    assert area["Beta"]["value"] == pytest.approx(0.406, abs=0.001)


def test_layer_colours_the_busier_region_darker(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    props = _properties(regions_layer(events, squares, details=False))
    assert props["Alpha"]["style"]["fillColor"] == "#bd0026" and props["Beta"]["style"]["fillColor"] == "#ffffb2"
    assert "popup" not in props["Alpha"]


def test_popup_lists_top_actors_and_deadliest_events(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    popup = _properties(regions_layer(events, squares))["Alpha"]["popup"]
    # Alpha: the army in e1-e3 (7 killed), JNIM in e1 and e3 (7), Dozo in e3 (5), ISSP in e2 (0)
    assert popup.startswith("<div class=\"cm-region-details\"><b>Alpha</b> (Testland): 3 events, 7 fatalities")
    assert (f"<li>{ARMY}: 3 events, 7 fatalities</li><li>{JNIM}: 2 events, 7 fatalities</li>"
            "<li>Dozo: 1 event, 5 fatalities</li></ol>") in popup
    assert ("<li>2025-06-04 Borderville: Armed clash, 5 killed</li><li>2025-06-02 Kayes: Armed clash, 2 killed</li>"
            "<li>2025-06-03 Kayes: Armed clash, 0 killed</li>") in popup


def test_region_details(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    alpha = region_details(events, "tl-alpha", squares)
    assert (alpha.name, alpha.country, alpha.events, alpha.fatalities) == ("Alpha", "Testland", 3, 7)
    assert list(alpha.top_actors["actor"]) == [ARMY, JNIM, "Dozo", ISSP]
    assert list(alpha.top_actors["events"]) == [3, 2, 1, 1]
    assert list(alpha.deadliest["event_id_cnty"]) == ["E3", "E1", "E2"]  # 5, 2, unknown (0)
    assert details_html(alpha) == _properties(regions_layer(events, squares))["Alpha"]["popup"]  # what a click shows
    beta = region_details(events, "tl-beta", squares, top=1)
    assert list(beta.deadliest["event_id_cnty"]) == ["E4"] and len(beta.top_actors) == 1
    with pytest.raises(KeyError):
        region_details(events, "tl-gamma", squares)


def test_class_breaks_and_legend() -> None:
    values = pd.Series([0, 1, 1, 1, 2, 5])
    # quantiles of 1, 1, 1, 2, 5 at 20-80 %: 1, 1, 1.4, 2.6, rounded down; then the maximum
    assert class_breaks(values, integer=True) == [1.0, 2.0, 5.0]
    assert legend(pd.DataFrame({"value": values})) == [("1", "#ffffb2"), ("2", "#fd8d3c"), ("3–5", "#bd0026")]
    # 0.123 and 2.5: quantiles 0.598, 1.07, 1.55, 2.02 to two significant digits
    assert [label for label, _ in legend(pd.DataFrame({"value": [0.0, 0.123, 2.5]}), scale="area")] == [
        "up to 0.6", "0.6–1.1", "1.1–1.5", "1.5–2", "2–2.5"]
    assert legend_title("fatalities", "area") == "Fatalities per 10,000 km²"


def test_shipped_regions_and_the_demo_events(frame: pd.DataFrame) -> None:
    regions = shipped_regions()
    assert len(regions) == 89 and regions["region_id"].is_unique
    mali = regions[regions["iso_a2"] == "ML"]["area_km2"].sum()
    assert mali == pytest.approx(1_240_000, rel=0.02)  # Mali: about 1.24 million km²
    counts = region_counts(frame).set_index("region_id")
    # the July wave: Kayes, Diboli (attack and abduction), Sandaré, Nioro du Sahel; Hodh el Gharbi across the border
    assert counts.loc["ml-kayes", "events"] == 5 and counts.loc["ml-kayes", "fatalities"] == 47
    assert counts["events"].sum() == len(frame)


def test_ranked_regions_and_the_layer_legend(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    counts = region_counts(events, squares, measure="fatalities")
    # Alpha: e1 2 + e2 unknown + e3 5 = 7; Beta: e4 1 + e5 0 = 1
    assert ranked(counts)[["region", "events", "fatalities", "value"]].values.tolist() == [
        ["Alpha", 3, 7, 7.0], ["Beta", 2, 1, 1.0]]
    box_html = legend_box(counts, "fatalities")
    assert "<b>Fatalities per region</b>" in box_html and ">none</div>" in box_html
    assert box_html.index("#ffffb2") < box_html.index("#bd0026")  # lowest class first
    assert ranked(region_counts(events.iloc[0:0], squares)).empty


def test_difference_between_two_periods_by_hand(events: pd.DataFrame, squares: gpd.GeoDataFrame) -> None:
    before, after = events.iloc[[0, 1, 3]], events.iloc[[2, 4, 5]]  # A: e1, e2 (Alpha), e4 (Beta); B: e3, e5, e6
    diff = region_difference(before, after, squares).set_index("name")
    assert diff.loc["Alpha", ["before", "after", "change"]].tolist() == [2, 1, -1]
    assert diff.loc["Beta", ["before", "after", "change"]].tolist() == [1, 1, 0]
    fatalities = region_difference(before, after, squares, measure="fatalities").set_index("name")
    assert fatalities.loc["Alpha", ["before", "after", "change"]].tolist() == [2, 5, 3]  # e2's unknown toll: 0
    assert fatalities.loc["Beta", ["before", "after", "change"]].tolist() == [1, 0, -1]
    group = difference_layer(fatalities.reset_index(), "fatalities", labels=("June", "July"))
    assert group.layer_name == "Change by region: fatalities per region, June → July"
    props = {p["region_id"]: p for p in _properties(group).values()}
    assert props["tl-alpha"]["tooltip"] == "Alpha (Testland): June 2, July 5 fatalities per region (+3)"
    assert props["tl-beta"]["tooltip"] == "Beta (Testland): June 1, July 0 fatalities per region (−1)"
    assert props["tl-alpha"]["style"]["fillColor"] == "#b2182b"  # the largest rise: darkest red
    assert props["tl-beta"]["style"]["fillColor"] == "#d1e5f0"  # a third of it, fewer: lightest blue


def test_change_colours() -> None:
    assert change_colour(9, 9, True) == "#b2182b" and change_colour(-9, 9, True) == "#2166ac"
    assert change_colour(4, 9, True) == "#ef8a62" and change_colour(-1, 9, True) == "#d1e5f0"
    assert change_colour(0, 9, True) == "#f7f7f7" and change_colour(0, 9, False) is None
