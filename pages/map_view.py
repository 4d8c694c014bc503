"""Map page: attacks, territorial control, abductions and regions, driven by the sidebar timeline."""
from __future__ import annotations

from datetime import date

import streamlit as st

from geo.layers import MAX_MARKERS, layers_for, map_focus
from geo.regions import MEASURES, SCALE_LABELS, SCALES, legend_title, ranked, region_counts
from geo.schema import ValidationError
from geo.tools.area_summary import drawn_bounds, summarise_area
from geo.tools.filters import view_zones
from pages.common import (
    MAP_POSITION,
    current_cases,
    current_view,
    headline_text,
    map_inputs,
    render_map,
    require_app_navigation,
    weekly_chart,
    window_events,
)
from pages.sidebar import Keys, window_label

require_app_navigation()

MAP_KEY = "main_map"  # "_framing" is added while the save form is open (the map reports its centre and zoom),
# "_drawing" while the drawing tools are on: streamlit-folium reads what to report only when a map mounts
DRAWING = "map_drawing"  # whether the drawing tools are on
DRAW_BUTTON = "map_draw_button"


def _toggle_drawing() -> None:
    st.session_state[DRAWING] = not st.session_state.get(DRAWING, False)


view = current_view()  # set by the sidebar app.py draws
# figures, marker rows and grid cells read from the database per data version and view (issue 15)
data, zones, evidence, _choices = map_inputs(view)
figures = data.headline
valid_zones = view_zones(zones, view)

st.title("Conflict Map · Sahel")
pinned = f" · data as of {view.as_of:%d %b %Y}" if view.as_of else ""
# The window and the headline figures in one block of text: metric elements would each wait for a script
# file before the map, and every element is work for the browser of each person opening the page.
st.markdown(f"**{window_label(view.start, view.end)}**{pinned} · "
            f"{headline_text(figures.events, figures.fatalities, figures.abducted, len(valid_zones))}  \n"
            "Change the date window with its button in the sidebar; the address bar keeps this view, so the URL "
            "can be shared.")

# The regions layer's measure and scale: asked for only while the layer is on
regions_on = "regions" in view.layers
measure, scale = "events", "region"
if regions_on:
    left, right = st.columns(2)
    measure = left.radio("Regions: shade by", MEASURES, key="regions_measure", horizontal=True,
                         format_func=str.capitalize)
    scale = right.radio("Count", SCALES, key="regions_scale", horizontal=True, format_func=SCALE_LABELS.get)

# Leaflet.draw is loaded only when asked for: one script fewer in the map's chain of files, and the map
# sends nothing back (no rerun) while the tools are off.
drawing = bool(st.session_state.get(DRAWING))
st.button("Stop drawing" if drawing else "Draw an area", key=DRAW_BUTTON, on_click=_toggle_drawing,
          icon=":material/close:" if drawing else ":material/draw:",
          help="Draw polygons or rectangles on the map to summarise the events inside them.")

# Only while the user is saving a view does the map report where it looks (a rerun per pan);
# streamlit-folium reads returned_objects when the map mounts, so that map has a key of its own.
framing = bool(st.session_state.get(Keys.VIEW_DIALOG))
# the layers are built and rendered once per data version and view, and shared by every session showing it
cases, today = current_cases(), date.today()  # abductions are coloured by their case's status, with days held
# the regions and inferred-control layers count every event in the view: read only while one of them is on
every_event = window_events(view) if regions_on or "inferred" in view.layers else None
state = render_map(lambda: layers_for(view.layers, data.events, valid_zones, evidence, measure=measure, scale=scale,
                                      cases=cases, today=today, cells=data.cells, every_event=every_event),
                   MAP_KEY + "_framing" * framing + "_drawing" * drawing, height=640, focus=map_focus(data),
                   center=view.center, zoom=view.zoom, draw=drawing,
                   returned_objects=(("all_drawings",) if drawing else ()) + (("center", "zoom") if framing else ()),
                   reuse=(data.events, (view, measure, scale, today) if regions_on else (view, today)))
if framing and state and state.get("center"):
    st.session_state[MAP_POSITION] = ((round(state["center"]["lat"], 4), round(state["center"]["lng"], 4)),
                                      int(state["zoom"]))
elif not framing:
    st.session_state.pop(MAP_POSITION, None)
if framing:
    position = st.session_state.get(MAP_POSITION)
    st.caption("Saving a view: pan and zoom the map to frame it. " + (
        f"The view will open centred on {position[0][0]:.2f}, {position[0][1]:.2f} at zoom {position[1]}."
        if position else "Without a position it opens fitted to its events."))
if not figures.events:
    st.info("No events match the timeline window and filters. Widen the window or clear a filter.")
elif figures.attacks > MAX_MARKERS:
    st.info(f"{figures.attacks:,} events are drawn as grid cells (circle size = number of events). Narrow the "
            f"window or filter to {MAX_MARKERS:,} or fewer to see each event and its claims.")
if regions_on and every_event is not None and not every_event.empty:
    table = ranked(region_counts(every_event, measure=measure, scale=scale))
    with st.expander(f"Regions: {legend_title(measure, scale).lower()} ({len(table)} with events)"):
        st.dataframe(table, hide_index=True, width="stretch", key="regions_table",
                     column_config={"value": st.column_config.NumberColumn(legend_title(measure, scale), format="%.3g"),
                                    "area_km2": st.column_config.NumberColumn("area (km²)", format="%.0f")})
        st.caption("Events are placed in Natural Earth admin-1 regions by their coordinates; click a region on the "
                   "map for its top actors and deadliest events.")
# Polygons drawn with the map's tools (left): every one of them, as one area (a click on a layer is no drawing)
drawings = (state or {}).get("all_drawings") if drawing else None
if drawings:
    try:
        area = summarise_area(window_events(view, drawn_bounds(drawings)), drawings, view.start, view.end)
    except ValidationError as exc:
        st.error(str(exc))
    else:
        st.subheader("Inside the drawn area")
        st.caption(f"{area.description()} · the window and filters above apply · delete the shape with the map's "
                   "bin tool to clear it")
        figures = st.columns(4)
        figures[0].metric("Events in the area", area.figures.events)
        figures[1].metric("Fatalities in the area", area.figures.fatalities)
        figures[2].metric("People abducted in the area", area.figures.abducted)
        figures[3].metric("Places attacked in the area", area.figures.places_attacked)
        actors, trend = st.columns([2, 3])
        actors.dataframe(area.actors, hide_index=True, width="stretch", key="area_actors")
        trend.altair_chart(weekly_chart(area.weekly, height=220), width="stretch", key="area_trend")
        st.download_button("CSV of the events in this area", data=lambda: area.csv_zip(view),
                           file_name="conflictmap_area_events_csv.zip", mime="application/zip",
                           key="area_csv", on_click="ignore", disabled=area.events.empty,
                           help="A zip: the events in ACLED's columns, and README.txt and metadata.json naming the "
                                "window, filters, sources and the area.")
elif drawing:
    st.caption("Draw a polygon or a rectangle with the tools on the map's left to summarise the events inside it.")
st.caption(
    "Basemap: Natural Earth 10m country borders, drawn offline. Control zones are region-level "
    "codings of the dated claims in their popups, not front lines."
)
