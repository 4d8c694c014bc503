"""Events page: the filtered events as a sortable table, with CSV, GeoJSON, GeoPackage, KML and Shapefile export,
and the actors' weekly trends."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import services
from geo.audit import history_rows
from geo.io.export import (
    csv_zip_bytes,
    export_info,
    frame_to_csv,
    geopackage_bytes,
    kml_bytes,
    shapefile_zip_bytes,
    to_geojson_text,
)
from geo.popups import claims_line
from geo.schema import ACLED_COLUMNS, Event
from geo.tools.trends import actor_trend_chart, actor_weekly
from geo.views import pinned_cutoff
from pages.common import (
    current_url,
    current_view,
    events_inputs,
    get_store,
    require_app_navigation,
    window_events,
    window_ids,
)
from pages.sidebar import current_user

require_app_navigation()

view = current_view()  # set by the sidebar app.py draws
# the count, the first rows and the actors' weekly groups, read from the database per data version and view
count, total, selected, groups = events_inputs(view)

st.title("Events")
events_tab, history_tab = st.tabs(["Events", "History"])
user = current_user()

with events_tab:
    shown_rows = f" The table shows the first {len(selected):,} by date; the downloads hold all {count:,}." if (
        len(selected) < count) else ""
    st.write(f"{count:,} of {total:,} events match the timeline window and filters.{shown_rows}")

    table = selected[list(ACLED_COLUMNS)].copy()
    table.insert(7, "claims", [claims_line(claims) for claims in selected["claims"]])
    st.dataframe(
        table, key="events_table", hide_index=True, width="stretch",
        column_config={"event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD"),
                       "notes": st.column_config.TextColumn("notes", width="large")},
    )


    def stored_events() -> list[Event]:
        """Every event the view shows with its claims, abductions and provenance, from the store (as published
        then, for a view pinned to a date): read when a download is asked for, not for the table."""
        ids = window_ids(view)
        cutoff = pinned_cutoff(view)
        if cutoff is not None:
            return get_store(current_url()).events_as_of(cutoff, ids)
        return get_store(current_url()).events(ids=ids, statuses=None)


    def csv_download() -> bytes:
        every = window_events(view)
        return csv_zip_bytes(frame_to_csv(every), export_info(every, view))


    def _with_info(write):  # noqa: ANN001, ANN202 - an export function of (events, info)
        every = stored_events()
        return write(every, export_info(every, view))


    info = export_info(selected, view)  # the window and filters, for the caption
    st.subheader("Download these events")
    st.caption(f"Window: {info.window_text()}. Filters: {info.filters_text()}. Every file names its window, "
               "filters and sources: the CSV and the Shapefile in a README.txt inside their zip, the GeoJSON in its "
               "`metadata`, the GeoPackage in its layer metadata, the KML in its document's description.")
    downloads = st.columns(5)
    downloads[0].download_button(
        "CSV (ACLED columns)", data=csv_download,
        file_name="conflictmap_events_csv.zip", mime="application/zip", key="download_csv", width="stretch",
        on_click="ignore",
        help="A zip: the CSV in ACLED's 31 columns and order (cells that Excel would run as formulas are neutralised), "
             "README.txt and metadata.json naming the window, filters and sources.",
    )
    downloads[1].download_button(
        "GeoJSON (with claims)", file_name="conflictmap_events.geojson",
        data=lambda: _with_info(to_geojson_text),
        mime="application/geo+json", key="download_geojson", width="stretch", on_click="ignore",
    )
    downloads[2].download_button(
        "GeoPackage", file_name="conflictmap_events.gpkg", data=lambda: _with_info(geopackage_bytes),
        mime="application/geopackage+sqlite3", key="download_gpkg", width="stretch", on_click="ignore",
    )
    downloads[3].download_button(
        "KML (Google Earth)", file_name="conflictmap_events.kml", data=lambda: _with_info(kml_bytes),
        mime="application/vnd.google-earth.kml+xml", key="download_kml", width="stretch", on_click="ignore",
        help="One placemark per event with the claims in its balloon, dated for Google Earth's time slider.",
    )
    downloads[4].download_button(
        "Shapefile (zip)", file_name="conflictmap_events_shp.zip",
        data=lambda: _with_info(shapefile_zip_bytes),
        mime="application/zip", key="download_shp", width="stretch", on_click="ignore",
        help="Field names are cut to 10 characters and text to 254 bytes by the format; README.txt lists the names.",
    )

    st.subheader("Actor trends")
    trend = actor_weekly(groups, view.actors, view.start, view.end)
    if trend.empty:
        st.info("No events in the window, so no trend to show.")
    else:
        following = ("the actors selected in the sidebar" if view.actors else
                     f"the {trend['actor'].nunique()} actors named in most events (civilians aside); select "
                     "actors in the sidebar to follow others")
        st.caption(f"Events and fatalities per week (weeks start on Monday) for {following}. An event counts for every "
                   "actor it names, so the panels do not add up to the total.")
        st.altair_chart(actor_trend_chart(trend), key="actor_trends")

with history_tab:
    # issue 13: who saved, reviewed or retracted each event, and what changed, from the audit trail
    st.caption("Every change to an event: who saved it (a report, an import's events are listed as one import), "
               "who reviewed it, and what changed, oldest first.")
    choices = {f"{r.event_date:%Y-%m-%d} · {r.location} · {r.sub_event_type} ({r.event_id_cnty})": r.event_id_cnty
               for r in selected.itertuples()}
    picked = st.selectbox("Event", list(choices), key="event_history_pick", index=None,
                          placeholder="Choose an event in the window")
    if picked:
        entries = services.history(get_store(current_url()), "event", choices[picked])
        if entries:
            st.dataframe(pd.DataFrame(history_rows(entries)), hide_index=True, width="stretch",
                         key="event_history_table")
        else:
            st.info("No recorded change: this event came with the demo data or an import (see `python -m geo "
                    "audit --kind bulk`).")
