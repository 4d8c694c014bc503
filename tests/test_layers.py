from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import folium
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from geo.basemap import base_map, borders_name, write_borders
from geo.io.boundaries import countries
from geo.layers import (
    ABDUCTIONS,
    ATTACKS,
    CONTROL,
    MAX_FIT_ZOOM,
    SUB_EVENT_COLOURS,
    Focus,
    GroupLegend,
    abductions_layer,
    attacks_layer,
    control_layer,
    focus,
    layers_for,
    marker_radius,
    swatch_html,
    zone_colour,
    zone_label,
)
from geo.storage import events_frame
from geo.tools.filters import split_layers
from geo.vocab import LAYER_LABELS, LAYER_ORDER, LAYERS
from tests.factories import make_event

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def features(group: folium.FeatureGroup) -> list[dict]:
    """The GeoJSON features a points layer carries."""
    return [f for child in group._children.values() if isinstance(child, folium.GeoJson)
            for f in child.data["features"]]


def render(group: folium.FeatureGroup) -> str:
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return fmap.get_root().render()


def test_attacks_layer_draws_each_attack_coloured_and_sized(frame: pd.DataFrame) -> None:
    attacks, _ = split_layers(frame)
    before = attacks.copy()
    group = attacks_layer(attacks)
    html = render(group)
    assert group.layer_name == ATTACKS
    assert len(features(group)) == 9 and "cm-attack" in html
    assert SUB_EVENT_COLOURS["Armed clash"] in html
    radii = [f["properties"]["style"]["radius"] for f in features(group)]
    assert radii == sorted(radii, reverse=True)  # biggest first, so small ones stay clickable on top
    assert "Boulkessi" in html and "soldiers killed" in html
    # claims side by side with their sources
    assert "Claimed by" in html and "barracks seized" in html and "attackers killed" in html
    pd.testing.assert_frame_equal(attacks, before)


def test_marker_radius_grows_with_fatalities() -> None:
    assert marker_radius(0) < marker_radius(10) < marker_radius(100)
    assert marker_radius(float("nan")) == marker_radius(0)


def test_abductions_layer_shows_nationalities_and_status(frame: pd.DataFrame) -> None:
    _, abductions = split_layers(frame)
    html = render(abductions_layer(abductions))
    assert html.count("L.marker(") == 1
    assert "cm-abduction" in html
    assert "3 India, 1 China" in html and "held" in html
    # Leaflet binds the popup from its HTML, with no jQuery ($(...)), which the map's frame no longer loads
    assert html.count(".bindPopup(") == 1 and "$(`" not in html


def test_control_layer_colours_by_status(zones: pd.DataFrame) -> None:
    before = zones.copy()
    group = control_layer(zones)
    html = render(group)
    assert group.layer_name == CONTROL
    assert html.count("L.geoJson(") == 1  # one layer for every zone, one feature each
    drawn = features(group)
    assert len(drawn) == len(zones)
    for status, actor in set(zip(zones["status"], zones["actor"], strict=True)):
        assert zone_colour(status, actor) in html
    assert "Assessment valid 2025-07-01" in html
    kayes = [f for f in drawn if "cm-area-kayes-region" in f["properties"]["style"]["className"]]
    assert kayes and "Kayes region" in kayes[0]["properties"]["popup"]
    # outlines are simplified: fewer vertices than the stored polygons, same areas within a few per cent
    stored = sum(len(g.exterior.coords) for geom in zones.geometry for g in getattr(geom, "geoms", [geom]))
    sent = sum(len(ring) for f in drawn for ring in _rings(f["geometry"]))
    assert sent < stored
    assert shape(drawn[0]["geometry"]).area == pytest.approx(zones.geometry.iloc[0].area, rel=0.05)
    pd.testing.assert_frame_equal(pd.DataFrame(zones.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))


def _rings(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][:1]
    return [polygon[0] for polygon in geometry["coordinates"]]


def test_focus_fits_the_events_and_lists_where_they_are_densest(frame: pd.DataFrame) -> None:
    where = focus(frame)
    (south, west), (north, east) = where["bounds"]
    assert south == round(frame["latitude"].min(), 4) and east == round(frame["longitude"].max(), 4)
    assert where["maxZoom"] == MAX_FIT_ZOOM
    # busiest first: Diboli, where the abduction and an attack of the July wave both happened
    lat, lon, count = where["dense"][0]
    assert count == 2 and abs(lat - 14.45) < 0.1 and abs(lon + 12.15) < 0.1
    assert sum(cell[2] for cell in where["dense"]) == len(frame)
    assert focus(frame.head(0)) is None


def test_focus_travels_with_the_layers_as_a_call_to_the_base_map(frame: pd.DataFrame) -> None:
    group = attacks_layer(frame)
    Focus(focus(frame)).add_to(group)
    html = render(group)
    assert "window.cmFocus(" in html and '"maxZoom": 9' in html


def test_html_in_reports_is_escaped_in_popups_and_tooltips() -> None:
    event = make_event(notes=XSS, location=XSS, source=XSS, claims=[
        {"claimant": XSS, "claimant_type": "armed group", "metric": XSS, "value": 1}])
    frame = events_frame([event])
    html = render(attacks_layer(frame)) + render(abductions_layer(frame.assign(abduction=[{"count": 1}])))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_base_map_has_borders_legend_and_switchable_tiles() -> None:
    fmap = base_map(countries())
    html = fmap.get_root().render()
    assert "Mali" in html and "Senegal" in html and "Mauritania" in html
    assert "cm-legend" in html and "Territorial control" in html
    assert "window.cmFocus = " in html and "details.open = false" in html  # folds on small maps
    tiles = re.findall(r"L\.tileLayer\(", html)
    assert len(tiles) == 1  # offered in the layer control, off by default
    assert "tile.openstreetmap.org" in html
    assert ABDUCTIONS in html


def synthetic(n: int) -> pd.DataFrame:
    from bench.synth import rows
    from geo.io.acled import acled_record
    from geo.schema import validate_event

    return events_frame([validate_event(acled_record({k: str(v) for k, v in r.items()})) for r in rows(n)])


def test_large_selections_are_drawn_as_a_bounded_grid() -> None:
    from geo.layers import MAX_MARKERS, density_layer, events_layer, grid_cells

    frame = synthetic(5000)
    before = frame.copy()
    layer = events_layer(frame)
    html = render(layer)
    assert "cm-cell" in html and "cm-attack" not in html
    cells = grid_cells(frame, 0.25)
    assert cells["events"].sum() == 5000 and cells["fatalities"].sum() == frame["fatalities"].sum()
    assert 0 < len(features(density_layer(frame, max_cells=300))) <= 300
    pd.testing.assert_frame_equal(frame, before)
    small = frame.head(MAX_MARKERS)
    assert len(features(events_layer(small))) == MAX_MARKERS and "cm-attack" in render(events_layer(small))


def test_many_abductions_become_one_layer_of_dots(frame: pd.DataFrame) -> None:
    from geo.layers import MAX_ICONS

    _, abductions = split_layers(frame)
    many = pd.concat([abductions] * (MAX_ICONS + 1), ignore_index=True)
    group = abductions_layer(many)
    assert len(features(group)) == len(many) and "cm-abduction-dot" in render(group)


@pytest.mark.parametrize(("status", "actor", "label"), [
    ("control", "JNIM", "Control: JNIM"),
    ("control", "Katiba Macina (JNIM from 2017)", "Control: JNIM"),
    ("control", "Islamic State (Greater Sahara)", "Control: IS Sahel"),
    ("control", "JNIM; IS Sahel", "Control: JNIM"),
    ("control", "ISWAP; Boko Haram; Military Forces of Niger", "Control: other armed group"),
    ("control", "Ansar Dine; MNLA", "Control: other armed group"),
    ("influence", "JNIM", "Influence / support"),
    ("government", "Military Forces of Mali", "Government"),
])
def test_zone_label_reads_the_actor_family(status: str, actor: str, label: str) -> None:
    assert zone_label(status, actor) == label


def test_layers_are_drawn_bottom_to_top_under_their_labels(frame: pd.DataFrame, zones: pd.DataFrame) -> None:
    groups = layers_for(LAYERS, frame, zones)
    assert [g.layer_name.split(":")[0] for g in groups] == [LAYER_LABELS[name] for name in LAYER_ORDER]
    assert groups[0].layer_name == "Regions: events per region"  # the regions layer says what it shades
    assert [g.layer_name for g in layers_for(("abductions", "attacks"), frame, zones)] == [ATTACKS, ABDUCTIONS]


def test_a_served_base_map_fetches_its_borders_instead_of_carrying_them(tmp_path: Path) -> None:
    inline = base_map(countries()).get_root().render()
    served = base_map(borders_url="/app/static/vendor/borders.json").get_root().render()
    assert 'fetch("/app/static/vendor/borders.json")' in served
    assert "Mauritania" not in served and len(served) < len(inline) / 4
    path = write_borders(countries(), tmp_path / borders_name())
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Mali", "Senegal", "Mauritania", "Burkina Faso", "Niger"} <= names
    mali = next(f for f in data["features"] if f["properties"]["iso_a2"] == "ML")
    assert mali["properties"]["style"]["weight"] == 2
    lat, lon = mali["properties"]["label"]
    assert shape(mali["geometry"]).contains(Point(lon, lat))
    assert borders_name() == borders_name() and borders_name().startswith("borders-")


def test_the_regions_layer_follows_measure_and_scale(frame: pd.DataFrame, zones: pd.DataFrame) -> None:
    [regions] = layers_for(("regions",), frame, zones, measure="fatalities", scale="area")
    assert regions.layer_name == "Regions: fatalities per 10,000 km²"
    [legend] = [c for c in regions._children.values() if isinstance(c, GroupLegend)]  # its own, shown with it
    assert "<b>Fatalities per 10,000 km²</b>" in legend.html and legend.class_name.endswith("cm-regions-legend")


def test_a_group_legend_comes_and_goes_with_its_layer() -> None:
    group = folium.FeatureGroup(name="Test")
    legend = GroupLegend(swatch_html("#ff0000", "red <b>") + swatch_html(None, "none"), "cm-test").add_to(group)
    assert "red &lt;b&gt;" in legend.html and "background:transparent" in legend.html  # labels escaped; none outlined
    script = folium.Map(tiles=None).add_child(group).get_root().render()
    assert "group.on('add', function () { control.addTo(group._map); });" in script
    assert "group.on('remove', function () { control.remove(); });" in script
    assert '"cm-layer-legend cm-test"' in script and "\\u003cspan" in script


def test_abductions_are_coloured_by_their_cases_status_with_days_held(frame: pd.DataFrame) -> None:
    from datetime import date

    from geo.cases import StatusChange, by_event, case_from_event
    from geo.io.demo import load_demo_events
    from geo.layers import CASE_COLOURS

    [taken] = [e for e in load_demo_events() if e.sub_event_type == "Abduction/forced disappearance"]
    case = case_from_event(taken)
    _, abductions = split_layers(frame)

    def marker(cases: dict) -> folium.Marker:
        group = abductions_layer(abductions, cases=cases, today=date(2025, 7, 31))
        [m] = [c for c in group._children.values() if isinstance(c, folium.Marker)]
        [m.tooltip] = [c for c in m._children.values() if isinstance(c, folium.Tooltip)]
        return m

    held = marker(by_event([case]))
    assert "cm-case-held" in held.icon.options["class_name"] and CASE_COLOURS["held"] in held.icon.options["html"]
    assert "Diboli: 4 abducted · held for 30 days" in held.tooltip.text  # 1 to 31 July
    freed = replace(case, history=(StatusChange("released", date(2025, 7, 21), 1, "Test report"),))
    released = marker(by_event([freed]))
    assert "cm-case-released" in released.icon.options["class_name"]
    assert 'fill="#1a9850"' in released.icon.options["html"]
    assert "released after 20 days" in released.tooltip.text
    plain = marker({})  # no case: the abduction purple, no status
    assert "cm-case-none" in plain.icon.options["class_name"] and "abducted" in plain.tooltip.text
    # above MAX_ICONS abductions: dots in one GeoJSON layer, coloured and labelled the same
    [dots] = layers_for(("abductions",), pd.concat([abductions] * 301), frame.iloc[0:0],
                        cases=by_event([freed]), today=date(2025, 7, 31))
    [geojson] = [c for c in dots._children.values() if isinstance(c, folium.GeoJson)]
    first = geojson.data["features"][0]["properties"]
    assert first["style"]["fillColor"] == CASE_COLOURS["released"] and "released after 20 days" in first["tooltip"]
