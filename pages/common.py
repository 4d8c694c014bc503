"""Shared by every page: the current view, cached data loaders, the map helper and error display."""
from __future__ import annotations

import runpy
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo.io.boundaries import countries
from geo.schema import ValidationError
from geo.storage import Store, database_url, open_store
from geo.views import View

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"


VIEW = "view"  # the one View every page reads; the shell (app.py) puts it in session state
MAP_POSITION = "map_position"  # ((lat, lon), zoom) the Map reports while a view is being saved


def current_view() -> View:
    """The view the user is looking at: window, filters, layers and, for a saved view, its name and notes."""
    return st.session_state[VIEW]


@st.cache_resource(show_spinner="Opening the database…")
def get_store(url: str) -> Store:
    """The store for ``url``, created and seeded with the demo data if new."""
    return open_store(url)


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def load_frames(url: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events frame, control-zone GeoDataFrame) for ``url`` at data ``version``; shared by every session, never
    modified. Keyed on :meth:`Store.data_version`, so a save by another process (CLI, another replica) shows."""
    store = get_store(url)
    return store.frame(), store.zones_frame()


@st.cache_resource(show_spinner=False)
def load_countries():  # noqa: ANN201 - a GeoDataFrame
    """Country polygons for the offline basemap."""
    return countries()


@st.cache_resource(show_spinner=False)
def borders_url() -> str:
    """The URL of the basemap's borders GeoJSON, written into ``static/vendor`` once per version of the borders.

    Every session's map fetches it (and the browser caches it) instead of receiving
    the borders inside the map's script.
    """
    from geo.basemap import borders_name, write_borders

    name = borders_name()
    target = STATIC_DIR / "vendor" / name
    if not target.is_file():
        write_borders(load_countries(), target)
    return f"/app/static/vendor/{name}"


def render_map(groups: list, key: str, *, height: int = 640, draw: bool = False,
               returned_objects: tuple[str, ...] = (), focus: dict | None = None,
               center: tuple[float, float] | None = None, zoom: int | None = None) -> dict | None:
    """The offline base map with ``groups`` as changing layers, through streamlit-folium.

    Leaflet and its plugins are served from ``static/``; a missing offline file is
    an error message, not a traceback. ``draw`` adds the polygon and rectangle
    tools. ``focus`` (:func:`geo.layers.focus`) fits the map to the events and keeps
    the legend off them; ``center`` and ``zoom`` (a saved view's) move the map there
    instead. Returns what streamlit-folium reports (only ``returned_objects`` rerun
    the page), or None when the map could not be drawn.
    """
    import folium
    from folium.plugins import Draw
    from streamlit_folium import st_folium

    from geo.assets import AssetUnavailable, localise
    from geo.basemap import base_map
    from geo.layers import Focus

    fmap = base_map(borders_url=borders_url())
    if groups and (focus or center):
        Focus({**(focus or {}), **({"bounds": None} if center else {})}).add_to(groups[0])
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
                     returned_objects=list(returned_objects), center=center, zoom=zoom)


_IN_SHELL: ContextVar[bool] = ContextVar("conflictmap_in_shell", default=False)


def run_page(page: StreamlitPage) -> None:
    """Run the page ``st.navigation`` chose, marked as run by the shell (for :func:`require_app_navigation`)."""
    token = _IN_SHELL.set(True)
    try:
        page.run()
    finally:
        _IN_SHELL.reset(token)


def require_app_navigation() -> None:
    """Run this page inside the app shell (app.py), also on the first request after the server starts.

    Until a script has called ``st.navigation``, Streamlit treats a ``pages/`` folder
    as a legacy multipage app: when the first URL a fresh server is asked for is a
    page (/events, /reports), Streamlit runs that page file on its own, without
    app.py's page config, navigation and sidebar, and lists every file in pages/ as
    a page (upstream: the review of https://github.com/streamlit/streamlit/pull/10276,
    which kept the legacy mode for apps with a pages/ folder, saw direct URLs fall
    back to it). AppTest starts every run in that mode. A page the shell did not
    start runs the shell in its place, within the same script run, and stops; the
    shell calls ``st.navigation``, which by Streamlit's documented behaviour switches
    the pages/ folder off, and runs this page again through :func:`run_page`.
    Public API only; tests/test_browser.py deep-links every page URL on a fresh server.
    """
    if not _IN_SHELL.get():
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
        return load_frames(url, get_store(url).data_version())  # one row read per run: reloads only after a save
    except (sqlalchemy.exc.SQLAlchemyError, ValidationError, OSError) as exc:
        st.error(f"Could not load the events database ({url}): {exc}")
        st.stop()
