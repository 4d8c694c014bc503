"""Map layers: pure functions from a (Geo)DataFrame to a folium ``FeatureGroup``.

They do no IO and never modify their input.  The base map (borders, legend,
optional online tiles) lives in :mod:`geo.basemap`; these layers change with the
filters and are handed to streamlit-folium as ``feature_group_to_add``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape as html_escape
from typing import TYPE_CHECKING, Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping

from geo.place import normalise
from geo.popups import event_popup, tooltip, zone_popup
from geo.vocab import IS_SAHEL, JNIM, LAYER_LABELS, LAYER_ORDER, OTHER_ARMED, STATE, actor_family

if TYPE_CHECKING:
    from geo.query import MapData

# The layer control's names for the layers (geo.vocab.LAYER_LABELS).
ATTACKS = LAYER_LABELS["attacks"]
CONTROL = LAYER_LABELS["control"]
ABDUCTIONS = LAYER_LABELS["abductions"]
INFERRED = LAYER_LABELS["inferred"]

SUB_EVENT_COLOURS: dict[str, str] = {
    "Armed clash": "#d7301f",
    "Non-state actor overtakes territory": "#7f0000",
    "Government regains territory": "#2b8cbe",
    "Attack": "#f16913",
    "Remote explosive/landmine/IED": "#6a3d9a",
    "Air/drone strike": "#1f78b4",
}
OTHER_COLOUR = "#636363"
ABDUCTION_COLOUR = "#7a0177"
# (legend label, colour) for the control layer, in legend order.
ZONE_LEGEND: tuple[tuple[str, str], ...] = (
    ("Control: JNIM", "#67000d"),
    ("Control: IS Sahel", "#3f007d"),
    ("Control: other armed group", "#a50f15"),
    ("Influence / support", "#fb6a4a"),
    ("Contested", "#fdae6b"),
    ("Blockade", "#e7298a"),
    ("Government", "#4292c6"),
)
STATUS_COLOURS = dict(ZONE_LEGEND)


def zone_label(status: str, actor: str) -> str:
    """The legend entry a zone falls under."""
    if status == "control":
        family = actor_family(actor)
        return {JNIM: "Control: JNIM", IS_SAHEL: "Control: IS Sahel"}.get(family, "Control: other armed group")
    return {"influence": "Influence / support", "contested": "Contested", "blockade": "Blockade",
            "government": "Government"}.get(status, "Contested")


def zone_colour(status: str, actor: str) -> str:
    """The fill colour for a zone's status (and, for control, its actor)."""
    return STATUS_COLOURS[zone_label(status, actor)]


def marker_radius(fatalities: float) -> float:
    """Circle radius in pixels: grows with the square root of fatalities."""
    f = 0.0 if fatalities is None or pd.isna(fatalities) else max(float(fatalities), 0.0)
    return 6.0 + 2.5 * math.sqrt(f)


class HtmlPopup(MacroElement):
    """A popup that Leaflet binds to its parent marker from an HTML string.

    ``folium.Popup`` builds its content with jQuery (``$(html)[0]``), the only reason the
    map's frame would load jQuery: one more script file in the chain the map waits for
    (docs/benchmarks.md, issue 11). The HTML comes escaped from :mod:`geo.popups`, and
    ``tojson`` keeps it inert inside the script.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}""")

    def __init__(self, html: str, max_width: int = 480) -> None:
        super().__init__()
        self._name = "HtmlPopup"
        self.html = html
        self.options = {"maxWidth": max_width}


def _points_layer(features: list[dict], name: str, class_name: str) -> folium.FeatureGroup:
    """One GeoJSON layer of circle markers: styles, tooltips and popups travel as feature properties.

    A single folium element however many points, so building and sending the
    map stays fast; popups are built in the browser only when clicked. Popup and
    tooltip HTML is escaped by :mod:`geo.popups` before it gets here.
    """
    group = folium.FeatureGroup(name=name, show=True)
    if not features:
        return group
    collection = {"type": "FeatureCollection", "features": features}
    has_popup = "popup" in features[0]["properties"]
    folium.GeoJson(
        collection,
        marker=folium.CircleMarker(radius=6, class_name=class_name),
        style_function=lambda f: f["properties"]["style"],
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=480) if has_popup else None,
        zoom_on_click=False,
    ).add_to(group)
    return group


def _style(colour: str, radius: float, weight: float = 1.0, opacity: float = 0.8) -> dict[str, object]:
    return {"radius": round(radius, 1), "color": "#222222", "weight": weight, "fillColor": colour,
            "fillOpacity": opacity, "fill": True}


DRAFT_LABEL = "DRAFT, not reviewed · "  # issue 13: drafts (shown only when switched on) are dashed and labelled
DRAFT_STYLE = {"dashArray": "4 3", "weight": 2.5}


def _draft(row: Mapping[str, Any]) -> bool:
    return row.get("review_status") == "draft"


def attacks_layer(events: pd.DataFrame, name: str = ATTACKS) -> folium.FeatureGroup:
    """Circle markers coloured by sub-event type and sized by fatalities, with popups of the claims."""
    features = []
    for _, row in events.sort_values("fatalities", ascending=False).iterrows():
        colour = SUB_EVENT_COLOURS.get(row["sub_event_type"], OTHER_COLOUR)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
            "properties": {
                "style": {**_style(colour, marker_radius(row["fatalities"])), **(DRAFT_STYLE if _draft(row) else {})},
                "tooltip": tooltip(f"{DRAFT_LABEL if _draft(row) else ''}{row['location']}: {row['sub_event_type']} "
                                   f"({row['fatalities']} killed)"),
                "popup": event_popup(row),
            },
        })
    return _points_layer(features, name, "cm-attack")


ABDUCTION_ICON = (
    '<svg width="26" height="26" viewBox="0 0 26 26" role="img" aria-label="abduction">'
    f'<rect x="5" y="5" width="16" height="16" transform="rotate(45 13 13)" fill="{ABDUCTION_COLOUR}" '
    'stroke="white" stroke-width="2"/><text x="13" y="17.5" font-size="12" text-anchor="middle" '
    'fill="white" font-family="sans-serif" font-weight="bold">{count}</text></svg>'
)


MAX_ICONS = 300  # above this many abductions, purple dots in one GeoJSON layer instead of labelled icons


# A hostage case's current status -> the colour of its abduction's marker (held: the abduction purple).
CASE_COLOURS: dict[str, str] = {"held": ABDUCTION_COLOUR, "proof_of_life": "#c51b8a", "ransom": "#f768a1",
                                "released": "#1a9850", "escaped": "#66bd63", "killed": "#252525"}
CASE_LEGEND: tuple[tuple[str, str], ...] = (("held", "held"), ("proof_of_life", "proof of life"),
                                            ("ransom", "ransom reported"), ("released", "released"),
                                            ("escaped", "escaped"), ("killed", "killed"))


def _case_of(row: pd.Series, cases: Mapping[str, Any] | None, today: date | None) -> tuple[str, str, str]:
    """(status for the CSS class, marker colour, words for the tooltip) of an abduction's hostage case."""
    from geo.cases import fate

    case = (cases or {}).get(row["event_id_cnty"])
    if case is None:
        return "none", ABDUCTION_COLOUR, ""
    return case.status, CASE_COLOURS.get(case.status, ABDUCTION_COLOUR), f" · {fate(case, today or date.today())}"


def abductions_layer(events: pd.DataFrame, name: str = ABDUCTIONS, cases: Mapping[str, Any] | None = None,
                     today: date | None = None) -> folium.FeatureGroup:
    """A diamond per abduction, labelled with the number taken (dots when there are many).

    ``cases`` (:func:`geo.cases.by_event`) colour each abduction by its hostage case's
    current status (:data:`CASE_COLOURS`; purple when held or without a case), and its
    tooltip says the status and the days held to ``today`` (default: today) or to the
    release or death. The markers have the classes ``cm-abduction cm-case-<status>``.
    """
    if len(events) > MAX_ICONS:
        features = []
        for _, row in events.iterrows():
            _status, colour, words = _case_of(row, cases, today)
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
                "properties": {"style": {**_style(colour, 5, opacity=0.9), "color": "#ffffff",
                                         **(DRAFT_STYLE if _draft(row) else {})},
                               "tooltip": tooltip(f"{DRAFT_LABEL if _draft(row) else ''}{row['location']}: "
                                                  f"abduction{words}"),
                               "popup": event_popup(row)},
            })
        return _points_layer(features, name, "cm-abduction-dot")
    group = folium.FeatureGroup(name=name, show=True)
    for _, row in events.iterrows():
        abduction = row.get("abduction") or {}
        count = abduction.get("count")
        label = "?" if count is None else str(int(count))
        status, colour, words = _case_of(row, cases, today)
        icon = ABDUCTION_ICON.replace(f'fill="{ABDUCTION_COLOUR}"', f'fill="{colour}"').replace("{count}", label)
        if _draft(row):
            icon = icon.replace('stroke-width="2"', 'stroke-width="2" stroke-dasharray="3 2"')
        folium.Marker(
            location=(float(row["latitude"]), float(row["longitude"])),
            icon=folium.DivIcon(html=icon, icon_size=(26, 26), icon_anchor=(13, 13),
                                class_name=f"cm-abduction cm-case-{status}" + (" cm-draft" if _draft(row) else "")),
            tooltip=tooltip(f"{DRAFT_LABEL if _draft(row) else ''}{row['location']}: {label} abducted{words}"),
        ).add_child(HtmlPopup(event_popup(row))).add_to(group)
    return group


def zone_style(status: str, actor: str = "") -> dict[str, object]:
    """Leaflet path style for a control status; blockades are outlined with a dashed edge."""
    colour = zone_colour(status, actor)
    style: dict[str, object] = {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.35}
    if status == "blockade":
        style.update(weight=3, dashArray="6 4", fillOpacity=0.25)
    return style


def area_slug(area: str) -> str:
    """A CSS-class-safe name for an area ("Kayes region" -> "kayes-region")."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(area)).strip("-")


ZONE_TOLERANCE = 0.01  # degrees (about 1 km): zones are region-level codings, drawn no finer than the borders


def control_layer(zones: pd.DataFrame, name: str = CONTROL,
                  evidence: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                  tolerance: float = ZONE_TOLERANCE) -> folium.FeatureGroup:
    """Control-zone polygons coloured by status, each with its dated, sourced assessment and evidence.

    ``evidence`` maps a zone id to the events behind it (listed in its popup). One
    GeoJSON layer for all zones: style (with the ``cm-area-…`` class), tooltip and popup
    travel as feature properties, and outlines are simplified to ``tolerance`` degrees.
    """
    features = []
    for _, row in zones.iterrows():
        actor = row.get("actor") or ""
        outline = shapely.set_precision(row.geometry.simplify(tolerance, preserve_topology=True), 0.001)
        features.append({
            "type": "Feature", "geometry": mapping(outline),
            "properties": {
                "style": {**zone_style(row["status"], actor), "className": f"cm-zone cm-area-{area_slug(row['area'])}",
                          **(DRAFT_STYLE if _draft(row) else {})},
                "tooltip": tooltip(f"{DRAFT_LABEL if _draft(row) else ''}{row['area']}: "
                                   f"{zone_label(row['status'], actor)}"),
                "popup": zone_popup(row, (evidence or {}).get(row["zone_id"], ())),
            },
        })
    group = folium.FeatureGroup(name=name, show=True)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f: f["properties"]["style"],
            highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.5},
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=480),
            zoom_on_click=False,
        ).add_to(group)
    return group


MAX_MARKERS = 1500  # above this many events a layer is drawn as grid cells, not one marker each


def grid_cells(events: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    """Events binned into square cells of ``cell_deg`` degrees: count, fatalities, main sub-event type, centre.

    Vectorised: a 100,000-event frame bins in well under a second.
    """
    keys = pd.DataFrame({
        "row": (events["latitude"].astype(float) // cell_deg).astype(int),
        "col": (events["longitude"].astype(float) // cell_deg).astype(int),
        "fatalities": events["fatalities"].astype(int),
        "sub_event_type": events["sub_event_type"].astype(str),
    })
    cells = keys.groupby(["row", "col"]).agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"))
    by_type = keys.groupby(["row", "col", "sub_event_type"]).size().rename("n").reset_index()
    main = (by_type.sort_values(["n", "sub_event_type"], ascending=[False, True])
            .drop_duplicates(["row", "col"]).set_index(["row", "col"])["sub_event_type"].rename("main_type"))
    cells = cells.join(main).reset_index()
    cells["latitude"] = (cells["row"] + 0.5) * cell_deg
    cells["longitude"] = (cells["col"] + 0.5) * cell_deg
    return cells


def _cell_size(events: pd.DataFrame, cell_deg: float, max_cells: int) -> float:
    """The smallest power-of-two multiple of ``cell_deg`` giving at most ``max_cells`` occupied cells."""
    lat, lon = events["latitude"].astype(float), events["longitude"].astype(float)
    while len(pd.DataFrame({"r": lat // cell_deg, "c": lon // cell_deg}).drop_duplicates()) > max_cells:
        cell_deg *= 2
    return cell_deg


def density_layer(events: pd.DataFrame, name: str = ATTACKS, cell_deg: float = 0.25,
                  max_cells: int = 1500) -> folium.FeatureGroup:
    """Events aggregated on a grid: one circle per cell, sized by events, coloured by the main sub-event type.

    The cell grows until there are at most ``max_cells`` cells, so a 100,000-event
    selection stays a few thousand map elements at most.
    """
    cell_deg = _cell_size(events, cell_deg, max_cells)
    return cells_layer(grid_cells(events, cell_deg), cell_deg, name)


def cells_layer(cells: pd.DataFrame, cell_deg: float, name: str = ATTACKS) -> folium.FeatureGroup:
    """Grid cells (:func:`grid_cells`'s table, or :func:`geo.query.grid`'s) as circles sized by their events."""
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(c.longitude), float(c.latitude)]},
        "properties": {
            "style": _style(SUB_EVENT_COLOURS.get(c.main_type, OTHER_COLOUR), 4 + 2.2 * math.sqrt(c.events),
                            weight=0.5, opacity=0.65),
            "tooltip": tooltip(f"{c.events} events, {c.fatalities} fatalities in this {cell_deg:g}° cell; "
                               f"mostly {c.main_type}"),
        },
    } for c in cells.itertuples()]
    return _points_layer(features, f"{name} (grid of {cell_deg:g}°)", "cm-cell")


def events_layer(events: pd.DataFrame, name: str = ATTACKS) -> folium.FeatureGroup:
    """Individual markers for a small selection, grid cells for a large one."""
    if len(events) > MAX_MARKERS:
        return density_layer(events, name)
    return attacks_layer(events, name)


FAMILY_COLOURS = {JNIM: "#67000d", IS_SAHEL: "#3f007d", OTHER_ARMED: "#a50f15", STATE: "#2171b5"}
CHANGE_COLOURS = {"gained by armed groups": "#cb181d", "lost by armed groups": "#2171b5",
                  "newly contested": "#fd8d3c", "changed hands": "#756bb1", "no longer assessed": "#969696"}


def _polygons_layer(features: list[dict], name: str, class_name: str, show: bool = True) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, show=show)
    if features:
        folium.GeoJson({"type": "FeatureCollection", "features": features},
                       style_function=lambda f: f["properties"]["style"],
                       tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
                       class_name=class_name).add_to(group)
    return group


def inferred_layer(cells: pd.DataFrame, name: str = INFERRED) -> folium.FeatureGroup:
    """Grid cells coloured by the armed actor most active in them, shaded by the weight of events."""
    from geo.tools.zones import intensity_opacity

    opacity = intensity_opacity(cells["weight"]) if len(cells) else []
    features = [{
        "type": "Feature", "geometry": mapping(row.geometry),
        "properties": {
            "style": {"color": FAMILY_COLOURS[row.family], "weight": 0.3, "fillColor": FAMILY_COLOURS[row.family],
                      "fillOpacity": round(float(alpha), 2)},
            "tooltip": tooltip(f"Inferred: {row.family} most active ({row.share:.0%} of the weight of "
                               f"{row.events} events in the window)"),
        },
    } for row, alpha in zip(cells.itertuples(), opacity, strict=True)]
    return _polygons_layer(features, name, "cm-inferred")


def changes_layer(changed: pd.DataFrame, name: str = "Changes") -> folium.FeatureGroup:
    """Areas whose control assessment changed between two dates, coloured by the kind of change."""
    features = [{
        "type": "Feature", "geometry": mapping(row.geometry),
        "properties": {
            "style": {"color": CHANGE_COLOURS[row.change], "weight": 2, "fillColor": CHANGE_COLOURS[row.change],
                      "fillOpacity": 0.45},
            "tooltip": tooltip(f"{row.area}: {row.change} ({row.before} → {row.after})"),
        },
    } for row in changed.itertuples()]
    return _polygons_layer(features, name, "cm-change")


def layers_for(names: Sequence[str], events: pd.DataFrame, zones: pd.DataFrame,
               evidence: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, *,
               measure: str = "events", scale: str = "region", cases: Mapping[str, Any] | None = None,
               today: date | None = None, cells: Mapping[str, tuple[pd.DataFrame, float]] | None = None,
               every_event: pd.DataFrame | None = None) -> list[folium.FeatureGroup]:
    """The named layers for these events and (already selected) zones, bottom to top.

    ``names`` are view layer names: attacks, control, abductions, inferred, regions. ``evidence``
    is :func:`geo.tools.zones.zone_evidence` of these zones and events when the caller
    has it already (the app keeps it per data version and view); else it is computed.
    The regions layer shades ``measure`` (events or fatalities) per region or, with
    ``scale="area"``, per 10,000 km² (:func:`geo.regions.regions_layer`), from all these events.
    ``cases`` (:func:`geo.cases.by_event`) colour the abductions by their hostage case's status
    and give the days held to ``today`` (:func:`abductions_layer`).
    ``cells`` ("attacks" or "abductions" -> (grid cells, cell size), :func:`geo.query.map_data`) draws
    those layers as counted in the database, ``events`` then holding only the other layers' rows;
    ``every_event`` is then the view's every event, for the regions and inferred layers.
    """
    from geo.regions import regions_layer
    from geo.tools.filters import split_layers
    from geo.tools.zones import infer_zones, zone_evidence

    attacks, abductions = split_layers(events)
    cells = cells or {}
    everything = events if every_event is None else every_event
    build = {
        "regions": lambda: regions_layer(everything, measure=measure, scale=scale),
        "inferred": lambda: inferred_layer(infer_zones(everything)),
        "control": lambda: control_layer(zones, evidence=zone_evidence(zones, everything) if evidence is None
                                         else evidence),
        "attacks": lambda: cells_layer(*cells["attacks"], ATTACKS) if "attacks" in cells else events_layer(attacks),
        "abductions": lambda: (cells_layer(*cells["abductions"], ABDUCTIONS) if "abductions" in cells
                               else density_layer(abductions, ABDUCTIONS) if len(abductions) > MAX_MARKERS
                               else abductions_layer(abductions, cases=cases, today=today)),
    }
    return [build[name]() for name in LAYER_ORDER if name in names]


class GroupLegend(MacroElement):
    """A legend for one layer: a map control shown while its ``FeatureGroup`` is on the map.

    Add it to the group; it comes and goes with the group (the layer control, or the
    app replacing the layers). ``html`` is trusted markup (escape any text in it).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group) {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var div = L.DomUtil.create('div', {{ this.class_name|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            group.on('add', function () { control.addTo(group._map); });
            group.on('remove', function () { control.remove(); });
            if (group._map) { control.addTo(group._map); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, class_name: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "GroupLegend"
        self.html = html
        self.class_name = f"cm-layer-legend {class_name}"
        self.position = position


LEGEND_BOX = ("background:rgba(255,255,255,.92);padding:6px 10px;border-radius:6px;font:12px/1.3 sans-serif;"
              "box-shadow:0 1px 4px rgba(0,0,0,.3)")


def swatch_html(colour: str | None, label: str, shape: str = "square") -> str:
    """One legend row: a coloured square (or circle; outlined only when ``colour`` is None) and its label."""
    radius = "50%" if shape == "circle" else "2px"
    fill = colour or "transparent"
    return (f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:{radius};'
            f'background:{fill};border:1px solid #555;margin-right:6px;vertical-align:-1px"></span>'
            f"{html_escape(label)}</div>")


MAX_FIT_ZOOM = 9  # fitting the map to a few nearby events stops at about 100 km across
DENSE_CELL_DEG = 0.1  # the legend keeps clear of the busiest cells of this size (about 10 km)
MAX_DENSE_CELLS = 200


def focus(events: pd.DataFrame, max_zoom: int = MAX_FIT_ZOOM) -> dict[str, object] | None:
    """Where the map should look for ``events``: their bounds, and where they are densest.

    ``dense`` lists the centres of the busiest ``DENSE_CELL_DEG`` cells (at most
    ``MAX_DENSE_CELLS``, busiest first) with their event counts: the legend goes to the
    corner that covers the fewest events. None when there are no events (the map keeps
    its default view).
    """
    if events.empty:
        return None
    lat = events["latitude"].to_numpy(dtype=float)
    lon = events["longitude"].to_numpy(dtype=float)
    cells, counts = np.unique(np.stack([lat // DENSE_CELL_DEG, lon // DENSE_CELL_DEG], axis=1), axis=0,
                              return_counts=True)
    busiest = np.argsort(-counts, kind="stable")[:MAX_DENSE_CELLS]
    dense = [[round(float(cells[i][0] + 0.5) * DENSE_CELL_DEG, 3), round(float(cells[i][1] + 0.5) * DENSE_CELL_DEG, 3),
              int(counts[i])] for i in busiest]
    south, west, north, east = (round(float(x), 4) for x in (lat.min(), lon.min(), lat.max(), lon.max()))
    return {"bounds": [[south, west], [north, east]],
            "dense": dense, "maxZoom": max_zoom}


def map_focus(data: MapData) -> dict[str, object] | None:
    """:func:`focus` for what :func:`geo.query.map_data` read: from its rows when every event is a marker, else
    from the bounds and busiest cells the database counted."""
    if not data.cells:
        return focus(data.events)
    return {"bounds": data.bounds, "dense": data.dense, "maxZoom": MAX_FIT_ZOOM} if data.bounds else None


class Focus(MacroElement):
    """Sent with the layers: fit the map to the events (when their bounds changed) and move the legend off them.

    Calls ``window.cmFocus``, which :class:`geo.basemap.Legend` defines. ``bounds`` None
    keeps the map where it is (a saved view's centre and zoom) and only moves the legend.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.cmFocus) { window.cmFocus({{ this.focus|tojson }}); }
        {% endmacro %}
    """)

    def __init__(self, focus: Mapping[str, object]) -> None:
        super().__init__()
        self._name = "Focus"
        self.focus = dict(focus)
