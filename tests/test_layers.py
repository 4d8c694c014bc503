from __future__ import annotations

import re

import folium
import pandas as pd
import pytest

from geo.basemap import base_map
from geo.io.boundaries import countries
from geo.layers import (
    ABDUCTIONS,
    ATTACKS,
    CONTROL,
    SUB_EVENT_COLOURS,
    abductions_layer,
    attacks_layer,
    control_layer,
    layers_for,
    marker_radius,
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


def test_control_layer_colours_by_status(zones: pd.DataFrame) -> None:
    before = zones.copy()
    group = control_layer(zones)
    html = render(group)
    assert group.layer_name == CONTROL
    assert html.count("L.geoJson(") == len(zones)
    for status, actor in set(zip(zones["status"], zones["actor"], strict=True)):
        assert zone_colour(status, actor) in html
    assert "Assessment valid 2025-07-01" in html
    pd.testing.assert_frame_equal(pd.DataFrame(zones.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))


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
    assert [g.layer_name for g in groups] == [LAYER_LABELS[name] for name in LAYER_ORDER]
    assert [g.layer_name for g in layers_for(("abductions", "attacks"), frame, zones)] == [ATTACKS, ABDUCTIONS]
