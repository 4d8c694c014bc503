"""Map page: attacks, territorial control and abductions, driven by the sidebar timeline."""
from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.assets import AssetUnavailable, localise
from geo.basemap import base_map
from geo.layers import MAX_MARKERS, layers_for
from geo.tools.filters import split_layers, view_events, view_zones
from pages import sidebar
from pages.common import STATIC_DIR, Keys, data_or_stop, load_countries


frame, zones = data_or_stop()
view = sidebar.render(frame)
sidebar.show_notices()
selected = view_events(frame, view)
attacks, abductions = split_layers(selected)
valid_zones = view_zones(zones, view)

st.title("Conflict Map · Sahel")
pinned = f" · data as of {view.as_of:%d %b %Y}" if view.as_of else ""
st.markdown(f"**{view.start:%d %b %Y} – {view.end:%d %b %Y}**{pinned} · move the timeline in the sidebar; "
            "the address bar keeps this view, so the URL can be shared")
cols = st.columns(4)
cols[0].metric("Events", len(selected))
cols[1].metric("Fatalities (conservative)", int(selected["fatalities"].sum()))
cols[2].metric("People abducted", int(sum((a or {}).get("count") or 0 for a in abductions["abduction"])))
cols[3].metric("Control zones shown", len(valid_zones))

groups = layers_for(view.layers, selected, valid_zones)
fmap = base_map(load_countries())
try:
    localise(fmap, STATIC_DIR)
    for group in groups:
        localise(group, STATIC_DIR)  # type: ignore[arg-type]
except AssetUnavailable as exc:
    st.error(f"A map library is missing from the offline bundle: {exc}")
    st.stop()

st_folium(
    fmap,
    key=Keys.MAP,
    feature_group_to_add=groups,
    layer_control=folium.LayerControl(collapsed=False, position="topleft"),
    returned_objects=[],
    height=640,
    use_container_width=True,
)
if selected.empty:
    st.info("No events match the timeline window and filters. Widen the window or clear a filter.")
elif len(attacks) > MAX_MARKERS:
    st.info(f"{len(attacks):,} events are drawn as grid cells (circle size = number of events). Narrow the "
            f"window or filter to {MAX_MARKERS:,} or fewer to see each event and its claims.")
st.caption(
    "Basemap: Natural Earth 10m country borders, drawn offline. Control zones are region-level "
    "codings of the dated claims in their popups, not front lines."
)
