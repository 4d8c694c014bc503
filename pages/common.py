"""Shared by every page: session-state keys, cached data loaders and error display."""
from __future__ import annotations

import runpy
from pathlib import Path

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo.io.boundaries import countries
from geo.schema import ValidationError
from geo.storage import Store, database_url, open_store, zones_frame

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"


class Keys:
    """Every session-state and widget key, in one place."""

    TIME_WINDOW = "time_window"
    BOUNDS = "timeline_bounds"
    PENDING_WINDOW = "pending_time_window"
    LAST_STEP = "last_play_step"
    PLAYING = "timeline_playing"
    STEP = "timeline_step"
    ACTORS = "filter_actors"
    EVENT_TYPES = "filter_event_types"
    COUNTRIES = "filter_countries"
    LAYERS = "filter_layers"
    ACTIVE_VIEW = "active_view"
    NOTICES = "url_notices"
    URL_LOADED = "url_loaded"
    VIEW_PICK = "view_pick"
    VIEW_OPEN = "view_open"
    VIEW_DELETE = "view_delete"
    VIEW_NAME = "view_name"
    VIEW_TITLE = "view_title"
    VIEW_NOTES = "view_notes"
    VIEW_PIN = "view_pin"
    VIEW_AS_OF = "view_as_of"
    VIEW_SAVE = "view_save"
    VIEW_DIALOG = "view_dialog"
    VIEW_MESSAGE = "view_message"
    SLIDE = "briefing_slide"
    PREV_SLIDE = "briefing_prev"
    NEXT_SLIDE = "briefing_next"
    BRIEFING_MAP = "briefing_map"
    HTML_DOWNLOAD = "download_html"
    PNG_DOWNLOAD = "download_png"
    BRIEF_CSV_DOWNLOAD = "briefing_csv"
    CHANGE_BEFORE = "change_before"
    CHANGE_AFTER = "change_after"
    CHANGES_TABLE = "changes_table"
    CHANGES_MAP = "changes_map"
    ZONE_PICK = "zone_pick"
    EDIT_MAP = "zone_edit_map"
    ZONE_AREA = "zone_area"
    ZONE_STATUS = "zone_status"
    ZONE_ACTOR = "zone_actor"
    ZONE_FROM = "zone_from"
    ZONE_OPEN = "zone_open"
    ZONE_TO = "zone_to"
    ZONE_SOURCE = "zone_source"
    ZONE_CLAIMANT = "zone_claimant"
    ZONE_NOTES = "zone_notes"
    ZONE_LINKED = "zone_linked"
    ZONE_NOTE = "zone_note"
    HISTORY_PICK = "history_pick"
    HISTORY_TABLE = "history_table"
    MAP = "main_map"
    EVENTS_TABLE = "events_table"
    CSV_DOWNLOAD = "download_csv"
    GEOJSON_DOWNLOAD = "download_geojson"
    GPKG_DOWNLOAD = "download_gpkg"
    REPORT_TEXT = "report_text"
    REPORT_FILES = "report_files"
    REPORT_PUBLISHED = "report_published"
    REPORT_USE_DATELINE = "report_use_dateline"
    REPORT_SOURCE = "report_source"
    REPORT_COUNTRY = "report_country"
    EXTRACT = "extract_button"
    REVIEW = "review_batch"
    REVIEW_TABLE = "review_table"
    REVIEW_MAP = "review_map"
    SAVE = "save_button"
    SAVE_ZONES = "save_zones"
    ZONES_TABLE = "zones_table"
    SAVED = "save_message"
    IMPORT_FILE = "import_file"
    IMPORT_FORMAT = "import_format"
    IMPORT_RESULT = "import_result"
    REJECTED_TABLE = "rejected_table"
    REJECTED_DOWNLOAD = "rejected_download"


@st.cache_resource(show_spinner="Opening the database…")
def get_store(url: str) -> Store:
    """The store for ``url``, created and seeded with the demo data if new."""
    return open_store(url)


@st.cache_resource(show_spinner="Loading events…")
def load_frames(url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events frame, control-zone GeoDataFrame) for ``url``; shared by every session, never modified."""
    store = get_store(url)
    return store.frame(), zones_frame(store.zones())


@st.cache_resource(show_spinner=False)
def load_countries():  # noqa: ANN201 - a GeoDataFrame
    """Country polygons for the offline basemap."""
    return countries()


def render_map(groups: list, key: str, *, height: int = 640, draw: bool = False,
               returned_objects: tuple[str, ...] = ()) -> dict | None:
    """The offline base map with ``groups`` as changing layers, through streamlit-folium.

    Leaflet and its plugins are served from ``static/``; a missing offline file is
    an error message, not a traceback. ``draw`` adds the polygon and rectangle
    tools. Returns what streamlit-folium reports (only ``returned_objects`` rerun
    the page), or None when the map could not be drawn.
    """
    import folium
    from folium.plugins import Draw
    from streamlit_folium import st_folium

    from geo.assets import AssetUnavailable, localise
    from geo.basemap import base_map

    fmap = base_map(load_countries())
    if draw:
        Draw(export=False, draw_options={"polyline": False, "circle": False, "marker": False,
                                         "circlemarker": False}).add_to(fmap)
    try:
        localise(fmap, STATIC_DIR)
        for group in groups:
            localise(group, STATIC_DIR)
    except AssetUnavailable as exc:
        st.error(f"A map library is missing from the offline bundle: {exc}")
        return None
    return st_folium(fmap, key=key, feature_group_to_add=groups, height=height, use_container_width=True,
                     layer_control=folium.LayerControl(collapsed=False, position="topleft"),
                     returned_objects=list(returned_objects))


def require_app_navigation() -> None:
    """Make sure this page runs under app.py's ``st.navigation``.

    Streamlit treats a ``pages/`` folder as a legacy multipage app until app.py
    calls ``st.navigation``; if the first request after the server starts is a
    page URL (/events, /reports), it runs that page file on its own, without
    app.py's page config and navigation. Here the legacy mode is switched off
    and app.py runs in its place within the same script run (so nothing the
    user did is lost); app.py then runs this page again, properly. The page
    files are named after their URL paths so that the legacy mode finds them
    rather than showing "page not found". Uses Streamlit's ``PagesManager``
    flag (no public API for this as of 1.67).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
        st.stop()


def refresh_data() -> None:
    """Forget cached events after a save, so every page shows the new ones."""
    load_frames.clear()


def current_url() -> str:
    """The database URL selected by ``CONFLICTMAP_DB`` (or the default file)."""
    return database_url()


def data_or_stop() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events frame, zones frame), or an error message and a stopped page if the database is unusable."""
    url = current_url()
    try:
        return load_frames(url)
    except (sqlalchemy.exc.SQLAlchemyError, ValidationError, OSError) as exc:
        st.error(f"Could not load the events database ({url}): {exc}")
        st.stop()
