"""Map layers: pure functions from a (Geo)DataFrame to a folium ``FeatureGroup``.

They do no IO and never modify their input.  The base map (borders, legend,
optional online tiles) lives in :mod:`geo.basemap`; these layers change with the
filters and are handed to streamlit-folium as ``feature_group_to_add``.
"""
from __future__ import annotations

import math

import folium
import pandas as pd
from shapely.geometry import mapping

from geo.popups import event_popup, tooltip, zone_popup

ATTACKS = "Attacks"
CONTROL = "Territorial control"
ABDUCTIONS = "Abductions"

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
STATUS_COLOURS: dict[str, str] = {
    "JNIM control": "#67000d",
    "IS Sahel control": "#3f007d",
    "Jihadist control": "#a50f15",
    "JNIM influence": "#fb6a4a",
    "Contested": "#fdae6b",
    "Government": "#4292c6",
}


def marker_radius(fatalities: float) -> float:
    """Circle radius in pixels: grows with the square root of fatalities."""
    f = 0.0 if fatalities is None or pd.isna(fatalities) else max(float(fatalities), 0.0)
    return 6.0 + 2.5 * math.sqrt(f)


def _popup(html: str) -> folium.Popup:
    return folium.Popup(html, max_width=480)


def attacks_layer(events: pd.DataFrame, name: str = ATTACKS) -> folium.FeatureGroup:
    """Circle markers coloured by sub-event type and sized by fatalities."""
    group = folium.FeatureGroup(name=name, show=True)
    for _, row in events.sort_values("fatalities", ascending=False).iterrows():
        colour = SUB_EVENT_COLOURS.get(row["sub_event_type"], OTHER_COLOUR)
        folium.CircleMarker(
            location=(float(row["latitude"]), float(row["longitude"])),
            radius=marker_radius(row["fatalities"]),
            color="#222222", weight=1, fill=True, fill_color=colour, fill_opacity=0.8,
            popup=_popup(event_popup(row)),
            tooltip=tooltip(f"{row['location']}: {row['sub_event_type']} ({row['fatalities']} killed)"),
            class_name="cm-attack",
        ).add_to(group)
    return group


ABDUCTION_ICON = (
    '<svg width="26" height="26" viewBox="0 0 26 26" role="img" aria-label="abduction">'
    f'<rect x="5" y="5" width="16" height="16" transform="rotate(45 13 13)" fill="{ABDUCTION_COLOUR}" '
    'stroke="white" stroke-width="2"/><text x="13" y="17.5" font-size="12" text-anchor="middle" '
    'fill="white" font-family="sans-serif" font-weight="bold">{count}</text></svg>'
)


def abductions_layer(events: pd.DataFrame, name: str = ABDUCTIONS) -> folium.FeatureGroup:
    """A purple diamond per abduction, labelled with the number taken."""
    group = folium.FeatureGroup(name=name, show=True)
    for _, row in events.iterrows():
        abduction = row.get("abduction") or {}
        count = abduction.get("count")
        label = "?" if count is None else str(int(count))
        folium.Marker(
            location=(float(row["latitude"]), float(row["longitude"])),
            icon=folium.DivIcon(html=ABDUCTION_ICON.replace("{count}", label), icon_size=(26, 26),
                                icon_anchor=(13, 13), class_name="cm-abduction"),
            popup=_popup(event_popup(row)),
            tooltip=tooltip(f"{row['location']}: {label} abducted"),
        ).add_to(group)
    return group


def zone_style(status: str) -> dict[str, object]:
    """Leaflet path style for a control status."""
    colour = STATUS_COLOURS.get(status, OTHER_COLOUR)
    return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.35}


def control_layer(zones: pd.DataFrame, name: str = CONTROL) -> folium.FeatureGroup:
    """Control-zone polygons coloured by status, each with its dated, sourced assessment."""
    group = folium.FeatureGroup(name=name, show=True)
    for _, row in zones.iterrows():
        style = zone_style(row["status"])
        feature = {"type": "Feature", "geometry": mapping(row.geometry), "properties": {}}
        layer = folium.GeoJson(feature, style_function=lambda _f, s=style: s,
                               highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.5},
                               tooltip=tooltip(f"{row['area']}: {row['status']}"))
        _popup(zone_popup(row)).add_to(layer)
        layer.add_to(group)
    return group


MAX_MARKERS = 1500  # above this many events a layer is drawn as grid cells, not one marker each


def grid_cells(events: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    """Events binned into square cells of ``cell_deg`` degrees: count, fatalities, main sub-event type, centre."""
    keys = pd.DataFrame({
        "row": (events["latitude"] // cell_deg).astype(int),
        "col": (events["longitude"] // cell_deg).astype(int),
        "fatalities": events["fatalities"].astype(int),
        "sub_event_type": events["sub_event_type"],
    })
    cells = keys.groupby(["row", "col"]).agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"))
    main = (keys.groupby(["row", "col"])["sub_event_type"]
            .agg(lambda s: s.value_counts().index[0]).rename("main_type"))
    cells = cells.join(main).reset_index()
    cells["latitude"] = (cells["row"] + 0.5) * cell_deg
    cells["longitude"] = (cells["col"] + 0.5) * cell_deg
    return cells


def density_layer(events: pd.DataFrame, name: str = ATTACKS, cell_deg: float = 0.25,
                  max_cells: int = 2500) -> folium.FeatureGroup:
    """Events aggregated on a grid: one circle per cell, sized by events, coloured by the main sub-event type.

    The cell grows until there are at most ``max_cells`` cells, so a 100,000-event
    selection stays a few thousand map elements.
    """
    cells = grid_cells(events, cell_deg)
    while len(cells) > max_cells:
        cell_deg *= 2
        cells = grid_cells(events, cell_deg)
    group = folium.FeatureGroup(name=f"{name} (grid of {cell_deg:g}°)", show=True)
    for cell in cells.itertuples():
        colour = SUB_EVENT_COLOURS.get(cell.main_type, OTHER_COLOUR)
        text = (f"{cell.events} events, {cell.fatalities} fatalities in this {cell_deg:g}° cell; "
                f"mostly {cell.main_type}")
        folium.CircleMarker(
            location=(cell.latitude, cell.longitude), radius=4 + 2.2 * math.sqrt(cell.events),
            color="#222222", weight=0.5, fill=True, fill_color=colour, fill_opacity=0.65,
            tooltip=tooltip(text), class_name="cm-cell",
        ).add_to(group)
    return group


def events_layer(events: pd.DataFrame, name: str = ATTACKS) -> folium.FeatureGroup:
    """Individual markers for a small selection, grid cells for a large one."""
    if len(events) > MAX_MARKERS:
        return density_layer(events, name)
    return attacks_layer(events, name)
