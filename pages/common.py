"""Shared by every page: the current view, cached data loaders, the map helper and error display."""
from __future__ import annotations

import json
import re
import runpy
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING, NoReturn

import folium
import pandas as pd
import sqlalchemy.exc
import streamlit as st
from branca.element import CssLink, JavascriptLink
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.db import shown
from geo.errors import readable
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


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def load_frames(url: str, version: int, drafts: bool = False,
                as_of: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events frame, control-zone frame) for ``url`` at data ``version``; shared by every session, never
    modified. Keyed on :meth:`Store.data_version`, so a save by another process (CLI, another replica) shows.
    Published items only, with drafts when ``drafts``; ``as_of``: as published then (issue 13).

    Every event in memory: only for views pinned "as of" a date, which are rebuilt from the audit
    trail; the other views are read from SQL (:func:`map_inputs`, :func:`events_inputs`)."""
    from geo.storage import PUBLISHED, WITH_DRAFTS

    store = get_store(url)
    statuses = WITH_DRAFTS if drafts else PUBLISHED
    return store.frame(statuses=statuses, as_of=as_of), store.zones_frame(statuses=statuses, as_of=as_of)


USER = "user"  # the signed-in (or local) geo.access.User, set by the shell (app.py) on every run
INCLUDE_DRAFTS = "include_drafts"  # the "Include drafts" switch, for analysts and editors


def frame_options() -> tuple[bool, int | None]:
    """(include drafts, pinned cutoff) for the data the current session sees (issue 13).

    Drafts only for a user whose role may draft and only when switched on; a view pinned "as of" a
    date shows what was published then (and no drafts)."""
    from geo.views import pinned_cutoff

    view = st.session_state.get(VIEW)
    as_of = pinned_cutoff(view) if view is not None else None
    user = st.session_state.get(USER)
    drafts = bool(st.session_state.get(INCLUDE_DRAFTS)) and user is not None and user.can("draft")
    return drafts and as_of is None, as_of


@st.cache_resource(show_spinner=False, max_entries=2)
def load_cases(url: str, version: int) -> dict:
    """The hostage cases keyed by the abduction that opened them (:func:`geo.cases.by_event`), per data version."""
    from geo.cases import by_event

    return by_event(get_store(url).cases())


def current_cases() -> dict:
    """The hostage cases of the current database, keyed by their abduction event (for the abductions layer)."""
    url = current_url()
    return load_cases(url, get_store(url).data_version())


@st.cache_resource(show_spinner=False)
def load_countries():  # noqa: ANN201 - a GeoDataFrame
    """Country polygons for the offline basemap (geopandas is imported only when they are read)."""
    from geo.io.boundaries import countries

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


def render_map(groups: list | Callable[[], list], key: str, *, height: int = 640, draw: bool = False,
               returned_objects: tuple[str, ...] = (), focus: dict | None = None,
               center: tuple[float, float] | None = None, zoom: int | None = None,
               reuse: tuple[pd.DataFrame, Hashable] | None = None) -> dict | None:
    """The offline base map with ``groups`` as changing layers, through streamlit-folium.

    Leaflet and its plugins are served from ``static/``; a missing offline file is
    an error message, not a traceback. ``draw`` adds the polygon and rectangle
    tools. ``focus`` (:func:`geo.layers.focus`) fits the map to the events and keeps
    the legend off them; ``center`` and ``zoom`` (a saved view's) move the map there
    instead. With ``reuse`` = (events frame, view), ``groups`` may be a function
    building them: their Leaflet script is rendered once per loaded data and view and
    shared by every session that shows the same (see :func:`layer_scripts`). Returns
    what streamlit-folium reports (only ``returned_objects`` rerun the page), or None
    when the map could not be drawn.
    """
    import folium
    from streamlit_folium import st_folium

    from geo.assets import AssetUnavailable, localise
    from geo.basemap import base_map

    fmap = base_map(borders_url=borders_url())
    if draw:
        from folium.plugins import Draw  # folium's plugins take 0.3 s to import: only when drawing

        Draw(export=False, draw_options={"polyline": False, "circle": False, "marker": False,
                                         "circlemarker": False}).add_to(fmap)
    try:
        localise(fmap, STATIC_DIR)
        if reuse is not None:
            layers = layer_scripts(reuse[0], (reuse[1], json.dumps(focus), center), groups, focus, center)
        else:
            layers = groups() if callable(groups) else groups
            _add_focus(layers, focus, center)
            for group in layers:
                localise(group, STATIC_DIR)
    except AssetUnavailable as exc:
        st.error(f"A map library is missing from the offline bundle: {exc}")
        return None
    return st_folium(fmap, key=key, feature_group_to_add=layers, height=height, use_container_width=True,
                     layer_control=folium.LayerControl(collapsed=False, position="topleft"),
                     returned_objects=list(returned_objects), center=center, zoom=zoom)


def headline_text(events: int, fatalities: int, abducted: int, zones: int) -> str:
    """The Map's headline figures as one line of Markdown (read back by :func:`headline_figures`)."""
    return (f"**{events:,}** events · **{fatalities:,}** fatalities (conservative) · **{abducted:,}** people "
            f"abducted · **{zones:,}** control zones shown")


def headline_figures(text: str) -> dict[str, int]:
    """The figures in a line :func:`headline_text` wrote, by name ("events", "fatalities", "abducted", "zones")."""
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\*\*([\d,]+)\*\*", text)]
    return dict(zip(("events", "fatalities", "abducted", "zones"), numbers, strict=True))


def weekly_chart(trend: pd.DataFrame, height: int = 300, title: str = "Per week"):  # noqa: ANN201 - an Altair chart
    """A line per measure of :func:`geo.tools.briefing.weekly` (events in blue, fatalities in red)."""
    import altair as alt

    return (alt.Chart(trend, title=title).mark_line(point=True, strokeWidth=3)
            .encode(x=alt.X("week:T", title=None), y=alt.Y("value:Q", title=None),
                    color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="right"),
                                    scale=alt.Scale(domain=["events", "fatalities"], range=["#2b8cbe", "#d7301f"])),
                    tooltip=[alt.Tooltip("week:T", title="week of", format="%Y-%m-%d"), "measure:N", "value:Q"])
            .properties(height=height))


def _add_focus(groups: list, focus: dict | None, center: tuple[float, float] | None) -> None:
    from geo.layers import Focus

    if groups and (focus or center):
        Focus({**(focus or {}), **({"bounds": None} if center else {})}).add_to(groups[0])


class RenderedLayer(folium.FeatureGroup, JSCSSMixin):
    """A layer whose Leaflet script was rendered earlier, for the same place among the map's layers.

    streamlit-folium turns each layer of ``feature_group_to_add`` into script with its
    own ``generate_leaflet_string`` after naming it ``feature_group_<index>``; this layer
    gives back the script that produced for the original layer (and its scripts and
    stylesheets), so an unchanged layer is neither built nor rendered again.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}")

    def __init__(self, name: str, show: bool, script: str, js: list, css: list) -> None:
        super().__init__(name=name, show=show)
        self.script = script
        self.default_js = js
        self.default_css = css

    def render(self, **kwargs) -> None:  # noqa: ANN003, ARG002 - branca's signature
        """Add the scripts and stylesheets only: the script already adds the layer to the map.

        Not through ``MacroElement.render``, which puts the script in the figure as an element of its
        own, compiling the whole script (tens of kB of GeoJSON) as a Jinja template on every run.
        """
        header = self.get_root().header
        for name, url in self.default_js:
            header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            header.add_child(CssLink(url), name=name)


def render_layer(group: folium.FeatureGroup, index: int) -> RenderedLayer:
    """``group`` as streamlit-folium would send it as the ``index``-th layer, kept as a :class:`RenderedLayer`."""
    from streamlit_folium import generate_leaflet_string

    from geo.assets import localise

    host = folium.Map(tiles=None)
    localise(group, STATIC_DIR)
    group._id = f"feature_group_{index}"  # the name streamlit-folium gives the index-th layer
    group.add_to(host)
    group.render()
    script = generate_leaflet_string(group, base_id=f"feature_group_{index}")
    script = dedent(script.replace(f"{host._name.lower()}_{host._id}", "map_div"))
    js, css = {}, {}
    for element in _elements(group):
        js.update(dict(getattr(element, "default_js", []) or []))
        css.update(dict(getattr(element, "default_css", []) or []))
    return RenderedLayer(group.layer_name, group.show, script, list(js.items()), list(css.items()))


def _elements(element: object) -> Iterator:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


_RENDERED: dict[int, tuple[weakref.ref, dict]] = {}  # id(events frame) -> (that frame, {key: rendered layers})
_RENDERED_PER_FRAME = 128


def layer_scripts(frame: pd.DataFrame, key: Hashable, groups: list | Callable[[], list], focus: dict | None,
                  center: tuple[float, float] | None) -> list[RenderedLayer]:
    """The layers for ``key`` (a view and its focus) as :class:`RenderedLayer`, rendered once per loaded data.

    Every session showing the same view of the same data shares them; they are
    forgotten with the frame when the data changes. A fresh copy is returned each time
    (streamlit-folium attaches the layers it is given to its map).
    """
    entry = _RENDERED.get(id(frame))
    if entry is None or entry[0]() is not frame:
        frame_id = id(frame)
        entry = (weakref.ref(frame, lambda _ref: _RENDERED.pop(frame_id, None)), {})
        _RENDERED[frame_id] = entry
    cached = entry[1]
    if key not in cached:
        built = groups() if callable(groups) else groups
        _add_focus(built, focus, center)
        if len(cached) >= _RENDERED_PER_FRAME:
            cached.clear()
        cached[key] = [render_layer(group, index) for index, group in enumerate(built)]
    return [RenderedLayer(r.layer_name, r.show, r.script, r.default_js, r.default_css) for r in cached[key]]


_IN_SHELL: ContextVar[bool] = ContextVar("conflictmap_in_shell", default=False)


class PageStopped(Exception):  # noqa: N818 - a control-flow signal, like Streamlit's StopException
    """Raised by :func:`stop_page`: the page has said all it will say this run."""


def stop_page() -> NoReturn:
    """End the page here (after an error or a final message), but not the shell: unlike ``st.stop()``, the
    sidebar app.py draws after the page is still drawn."""
    raise PageStopped


def run_page(page: StreamlitPage) -> None:
    """Run the page ``st.navigation`` chose, marked as run by the shell (for :func:`require_app_navigation`);
    a page that stops with :func:`stop_page` returns here."""
    token = _IN_SHELL.set(True)
    try:
        page.run()
    except PageStopped:
        pass
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
    """Forget cached events after a save, so every page shows the new ones (the data version changes too)."""
    load_frames.clear()
    load_map_data.clear()
    load_choices.clear()
    load_events_table.clear()
    load_briefing.clear()
    load_period.clear()


def current_url() -> str:
    """The database URL selected by ``CONFLICTMAP_DB`` (or the default file)."""
    return database_url()


# -- what the Map and the sidebar read: asked of the database per view, not every event in memory (issue 15) --
def _statuses(drafts: bool) -> tuple[str, ...]:
    from geo.storage import PUBLISHED, WITH_DRAFTS

    return WITH_DRAFTS if drafts else PUBLISHED


@st.cache_resource(show_spinner=False, max_entries=4)
def load_choices(url: str, version: int, drafts: bool = False):  # noqa: ANN201 - geo.query.Choices
    """The sidebar's timeline ends, actors and countries at data ``version`` (SQL; shared by every session)."""
    from geo import query

    return query.choices(get_store(url), statuses=_statuses(drafts))


@st.cache_resource(show_spinner=False, max_entries=4)
def load_zones(url: str, version: int, drafts: bool = False, as_of: int | None = None) -> pd.DataFrame:
    """The control-zone assessments at data ``version`` (published, with drafts, or as published at ``as_of``)."""
    return get_store(url).zones_frame(statuses=_statuses(drafts), as_of=as_of)


MAP_DATA_ENTRIES = 64  # views whose map data a server keeps (each a few hundred kB: rows up to the marker limit)


@st.cache_resource(show_spinner="Counting events…", max_entries=MAP_DATA_ENTRIES)
def load_map_data(url: str, version: int, view: View, drafts: bool = False):  # noqa: ANN201 - geo.query.MapData
    """What the map draws for ``view`` at data ``version``: figures, marker rows and grid cells, read from SQL
    (:func:`geo.query.map_data`) once per data version and view and shared by every session showing it; a
    save bumps the version, so the next run reads again."""
    from geo import query
    from geo.layers import MAX_MARKERS

    return query.map_data(get_store(url), view, max_markers=MAX_MARKERS, statuses=_statuses(drafts))


@st.cache_resource(show_spinner=False, max_entries=MAP_DATA_ENTRIES)
def load_zone_evidence(url: str, version: int, view: View, drafts: bool = False) -> dict:
    """Each control zone's deadliest events in the view, found in SQL (:func:`geo.query.zone_evidence`)."""
    from geo import query
    from geo.tools.filters import view_zones

    zones = view_zones(load_zones(url, version, drafts), view)
    return query.zone_evidence(get_store(url), view, zones, statuses=_statuses(drafts))


@contextmanager
def database_or_stop(url: str) -> Iterator[None]:
    """Run the body; when the database at ``url`` cannot be read, an error message naming it, and the page stops."""
    try:
        yield
    except (sqlalchemy.exc.SQLAlchemyError, ValidationError, OSError) as exc:
        st.error(f"Could not load the events database ({shown(url)}): {readable(exc)}")
        stop_page()


def _options(view: View, drafts: bool | None) -> tuple[bool, int | None]:
    """(drafts, pinned cutoff) for ``view``: its own pin; drafts as the session's switch says unless given."""
    from geo.views import pinned_cutoff

    as_of = pinned_cutoff(view)
    if drafts is None:
        drafts = frame_options()[0]
    return drafts and as_of is None, as_of


def map_inputs(view: View, drafts: bool | None = None):  # noqa: ANN201 - (MapData, zones, zone evidence, Choices)
    """The map data, control zones, zone evidence and sidebar choices for ``view``.

    From SQL per (data version, view); a view pinned "as of" a date is rebuilt from the audit
    trail in memory instead (:func:`geo.query.frame_map_data`). ``drafts``: include drafts (default:
    the session's "Include drafts" switch). Stops the page with a message when the database cannot be read.
    """
    from geo import query
    from geo.layers import MAX_MARKERS
    from geo.tools.filters import view_events, view_zones
    from geo.tools.zones import zone_evidence

    url = current_url()
    with database_or_stop(url):
        version = get_store(url).data_version()
        drafts, as_of = _options(view, drafts)
        if as_of is not None:
            frame, zones = load_frames(url, version, drafts, as_of)
            data = query.frame_map_data(frame, view, max_markers=MAX_MARKERS)
            shown_zones = view_zones(zones, view)
            return data, zones, zone_evidence(shown_zones, view_events(frame, view)), query.frame_choices(frame)
        return (load_map_data(url, version, view, drafts), load_zones(url, version, drafts),
                load_zone_evidence(url, version, view, drafts), load_choices(url, version, drafts))


def window_events(view: View, bbox: tuple[float, float, float, float] | None = None, *,
                  drafts: bool | None = None) -> pd.DataFrame:
    """Every event ``view`` shows (inside ``bbox``, west/south/east/north, when given), as a frame.

    Read from SQL by window and box, then filtered by actor, type and country; a pinned
    view's from the events as published on its date. For the layers that need each event
    (regions, inferred control) and for a drawn area: the map itself reads :func:`map_inputs`.
    """
    from geo.tools.filters import view_events

    url = current_url()
    store = get_store(url)
    drafts, as_of = _options(view, drafts)
    if as_of is not None:
        frame = load_frames(url, store.data_version(), drafts, as_of)[0]
        if bbox is not None:
            west, south, east, north = bbox
            frame = frame[frame["latitude"].between(south, north) & frame["longitude"].between(west, east)]
    else:
        frame = store.frame(start=view.start, end=view.end, bbox=bbox, statuses=_statuses(drafts))
    return view_events(frame, view)


def window_ids(view: View) -> list[str]:
    """The ids of every event ``view`` shows: asked of the database (the session's drafts switch applies), or, for a
    view pinned "as of" a date, taken from its date's events (:func:`window_events`)."""
    from geo import query

    drafts, as_of = _options(view, None)
    if as_of is not None:
        return list(window_events(view)["event_id_cnty"])
    return query.event_ids(get_store(current_url()), view, statuses=_statuses(drafts))


@st.cache_resource(show_spinner=False, max_entries=MAP_DATA_ENTRIES)
def load_briefing(url: str, version: int, view: View):  # noqa: ANN201 - a tuple
    """A briefing slide's figures from SQL, once per data version and slide: (headline, the previous window's
    headline, weekly counts, the actors' weekly groups). Published events only."""
    from dataclasses import replace

    from geo import query
    from geo.tools.briefing import previous_window

    store = get_store(url)
    before_start, before_end = previous_window(view.start, view.end)
    before = replace(view, start=before_start, end=before_end)
    return (query.briefing_headline(store, view), query.briefing_headline(store, before), query.weekly(store, view),
            query.actor_groups(store, view))


@st.cache_resource(show_spinner=False, max_entries=MAP_DATA_ENTRIES)
def load_period(url: str, version: int, view: View):  # noqa: ANN201 - (briefing Headline, positions frame)
    """A period's headline figures and its events' positions (for counts per region), from SQL once per data
    version and view: the Compare page's two windows. Published events only."""
    from geo import query

    store = get_store(url)
    return query.briefing_headline(store, view), query.positions(store, view)


TABLE_ROWS = 5_000  # the Events page's table shows at most this many of the view's events (downloads hold all)


@st.cache_resource(show_spinner="Reading events…", max_entries=MAP_DATA_ENTRIES)
def load_events_table(url: str, version: int, view: View, drafts: bool = False):  # noqa: ANN201 - a tuple
    """(events in the view, events stored, the view's first :data:`TABLE_ROWS` events by date, the view's events
    grouped by week and actors for the trends), from SQL once per data version and view."""
    from geo import query

    store, statuses = get_store(url), _statuses(drafts)
    rows = store.frame(ids=query.event_ids(store, view, statuses=statuses, limit=TABLE_ROWS), statuses=statuses)
    return (query.headline(store, view, statuses=statuses).events, store.count(statuses=statuses), rows,
            query.actor_groups(store, view, statuses=statuses))


def events_inputs(view: View):  # noqa: ANN201 - (count, total, table rows, trend groups)
    """The Events page's figures, table rows and actor groups for ``view`` (a pinned view's from its date's
    events, in memory). Stops the page with a message when the database cannot be read."""
    from geo.tools.filters import view_events

    url = current_url()
    with database_or_stop(url):
        version = get_store(url).data_version()
        drafts, as_of = frame_options()
        if as_of is not None:
            frame = load_frames(url, version, drafts, as_of)[0]
            selected = view_events(frame, view)
            return len(selected), len(frame), selected.head(TABLE_ROWS), selected
        return load_events_table(url, version, view, drafts)


def zones_or_stop() -> pd.DataFrame:
    """The control-zone assessments the session sees (with drafts when switched on; a pinned view's as published
    then), without reading any event; or an error message and a stopped page."""
    url = current_url()
    with database_or_stop(url):
        return load_zones(url, get_store(url).data_version(), *frame_options())


def choices_or_stop():  # noqa: ANN201 - geo.query.Choices
    """The sidebar's choices for the current database, or an error message and a stopped page."""
    url = current_url()
    with database_or_stop(url):
        return load_choices(url, get_store(url).data_version(), frame_options()[0])
