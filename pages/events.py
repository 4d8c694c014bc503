"""Events page: the filtered events as a sortable table, with CSV, GeoJSON and GeoPackage export."""
from __future__ import annotations

import streamlit as st

from geo.io.export import frame_to_csv, geopackage_bytes, to_geojson_text
from geo.popups import claims_line
from geo.schema import ACLED_COLUMNS
from geo.tools.filters import view_events
from pages.common import current_url, current_view, data_or_stop, get_store, require_app_navigation

require_app_navigation()

frame, _zones = data_or_stop()
view = current_view()  # set by the sidebar app.py draws
selected = view_events(frame, view)

st.title("Events")
st.write(f"{len(selected)} of {len(frame)} events match the timeline window and filters.")

table = selected[list(ACLED_COLUMNS)].copy()
table.insert(7, "claims", [claims_line(claims) for claims in selected["claims"]])
st.dataframe(
    table, key="events_table", hide_index=True, width="stretch",
    column_config={"event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD"),
                   "notes": st.column_config.TextColumn("notes", width="large")},
)
left, middle, right = st.columns(3)
left.download_button(
    "Download CSV (ACLED columns)", data=lambda: frame_to_csv(selected), file_name="conflictmap_events.csv",
    mime="text/csv", key="download_csv", width="stretch",
    help="ACLED's 31 columns in ACLED order; cells that Excel would run as formulas are neutralised.",
)
middle.download_button(
    "Download GeoJSON (with claims)", file_name="conflictmap_events.geojson",
    data=lambda: to_geojson_text(get_store(current_url()).events(ids=list(selected["event_id_cnty"]))),
    mime="application/geo+json", key="download_geojson", width="stretch",
)
right.download_button(
    "Download GeoPackage", file_name="conflictmap_events.gpkg",
    data=lambda: geopackage_bytes(get_store(current_url()).events(ids=list(selected["event_id_cnty"]))),
    mime="application/geopackage+sqlite3", key="download_gpkg", width="stretch",
)
