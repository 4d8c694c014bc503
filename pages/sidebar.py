"""The sidebar shared by the Map and Events pages: timeline window, play/step, filters, layers and saved views.

Before the page runs, app.py calls :func:`prepare`, which makes what the widgets will show the one
``View`` in session state (``pages.common.VIEW``); the pages read that view. After the page, it
calls :func:`draw` for the widgets themselves, in a place kept at the top of the sidebar. Streamlit forgets the
widgets' own state on pages that do not draw them, so each widget starts from the view
when it comes back. The view is mirrored into the URL's query parameters (start, end,
layers, actors, types, country, view), so a copied URL reopens the same view.
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import access, services
from geo.errors import readable
from geo.schema import TAXONOMY, ValidationError
from geo.tools.filters import step_window
from geo.views import DEFAULT_LAYERS, LAYER_LABELS, LAYERS, View, from_query, to_query
from pages.common import INCLUDE_DRAFTS, MAP_POSITION, USER, VIEW, current_url, get_store

if TYPE_CHECKING:
    from geo.query import Choices

PLAY_INTERVAL_S = 1.5
LABEL_LAYERS = {label: layer for layer, label in LAYER_LABELS.items()}


class Keys:
    """The sidebar's widget and state keys (the view itself is ``pages.common.VIEW``)."""

    TIME_WINDOW = "time_window"
    WINDOW_PICKER = "time_window_picker"
    BOUNDS = "timeline_bounds"
    PENDING_WINDOW = "pending_time_window"
    LAST_STEP = "last_play_step"
    PLAYING = "timeline_playing"
    PLAY = "timeline_play"
    STEP = "timeline_step"
    ACTORS = "filter_actors"
    EVENT_TYPES = "filter_event_types"
    COUNTRIES = "filter_countries"
    LAYERS = "filter_layers"
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
    VIEW_ERROR = "view_error"


# -- who is using the app (issue 13) -------------------------------------------------------------------------
SIGN_OUT = "sign_out"


def auth_configured() -> bool:
    """Whether sign-in is on: an ``[auth]`` section in ``.streamlit/secrets.toml`` (Streamlit's OIDC settings)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError is one)
        return False


def resolve_user() -> access.User | None:
    """The user of this session, kept in session state for the pages: the local user without sign-in; with it,
    the signed-in user and the role the store keeps for them (a viewer when none), or None when not signed in."""
    if not auth_configured():
        user: access.User | None = access.local_user()
    elif not st.user.get("is_logged_in"):
        user = None
    else:
        email = st.user.get("email")
        if not email:
            st.error("Your sign-in provider did not send an email address, which roles are kept by. Ask the "
                     "administrator to request the 'email' scope, then sign in again.")
            st.button("Sign out", key=SIGN_OUT, on_click=st.logout)
            st.stop()
        try:
            user = services.user_for(get_store(current_url()), email, st.user.get("name"))
        except (ValidationError, sqlalchemy.exc.SQLAlchemyError) as exc:
            st.error(f"Could not read your role: {exc}")
            st.stop()
    if user is None:
        st.session_state.pop(USER, None)
    else:
        st.session_state[USER] = user
    return user


def current_user() -> access.User:
    """The user the shell resolved for this run (a viewer with no name if it did not)."""
    return st.session_state.get(USER) or access.User("unknown", role=access.Role.VIEWER)


def user_box(user: access.User) -> None:
    """Who is signed in (or that the app runs in local mode), with sign out and the "Include drafts" switch in
    a popover: the browser draws a popover's widgets only when it is opened, so they do not hold up the map."""
    label = "Local mode · every role" if user.local else f"Signed in as {user.name} · {user.role.label}"
    with st.popover(label, width="stretch", icon=":material/person:"):
        if user.local:
            st.caption(f"**Local mode**: sign-in is off, so you ({user.email}) have every role. Turn sign-in on "
                       "with an `[auth]` section in `.streamlit/secrets.toml` (see the README).")
        else:
            st.caption(f"Signed in as **{user.name}** ({user.email}) · {user.role.label}")
            st.button("Sign out", key=SIGN_OUT, on_click=st.logout)
        if user.can("draft"):
            st.toggle("Include drafts", key=INCLUDE_DRAFTS,
                      help="Show events and zones that wait for review, dashed and labelled DRAFT. Pinned views "
                           "always show what was published on their date.")


def sign_in_page() -> None:
    """The only page a visitor who is not signed in sees."""
    st.title("Conflict Map · Sahel")
    st.write("Sign in to see the map. Your role (viewer, analyst or editor) decides what you can change.")
    st.button("Sign in", key="sign_in", type="primary", on_click=st.login)


def window_label(start: date, end: date) -> str:
    """The date window as the sidebar's picker shows it, e.g. "01 Jun 2025 – 30 Jun 2025"."""
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def padded_bounds(bounds: tuple[date, date] | None) -> tuple[date, date]:
    """The slider's range: the first and last event dates with a week either side (the last 30 days without
    events, so the empty slider still works)."""
    if bounds is None:
        today = date.today()
        return today - timedelta(days=30), today
    return bounds[0] - timedelta(days=7), bounds[1] + timedelta(days=7)


def timeline_bounds(frame: pd.DataFrame) -> tuple[date, date]:
    """:func:`padded_bounds` of an events frame's dates."""
    return padded_bounds(None if frame.empty else (frame["event_date"].min().date(),
                                                   frame["event_date"].max().date()))


def _step_days(lo: date, hi: date) -> int:
    return max(1, round((hi - lo).days / 12))


def _next_window(lo: date, hi: date) -> tuple[date, date]:
    start, end = st.session_state.get(Keys.TIME_WINDOW, (lo, hi))
    if (start, end) == (lo, hi):  # stepping the whole range would go nowhere: narrow it first
        end = lo + timedelta(days=2 * _step_days(lo, hi))
    return step_window(start, end, lo, hi, _step_days(lo, hi))


def _step(lo: date, hi: date) -> None:
    st.session_state[Keys.TIME_WINDOW] = _next_window(lo, hi)
    st.session_state[Keys.LAST_STEP] = time.monotonic()


def _toggle_play() -> None:
    st.session_state[Keys.PLAYING] = not st.session_state.get(Keys.PLAYING, False)


def _ticker(lo: date, hi: date) -> None:
    playing = st.session_state.get(Keys.PLAYING, False)

    @st.fragment(run_every=PLAY_INTERVAL_S if playing else None)
    def tick() -> None:
        if not st.session_state.get(Keys.PLAYING):
            return
        last = st.session_state.get(Keys.LAST_STEP, 0.0)
        if time.monotonic() - last < PLAY_INTERVAL_S * 0.9:
            return  # this run was caused by the previous step
        st.session_state[Keys.PENDING_WINDOW] = _next_window(lo, hi)
        st.session_state[Keys.LAST_STEP] = time.monotonic()
        st.rerun()

    tick()


def _widget_values(view: View, lo: date, hi: date) -> dict[str, object]:
    """What the sidebar's widgets show for ``view`` (its window clipped to the data's range)."""
    start = min(max(view.start or lo, lo), hi)
    end = min(max(view.end or hi, start), hi)
    return {Keys.TIME_WINDOW: (start, end), Keys.ACTORS: list(view.actors), Keys.EVENT_TYPES: list(view.types),
            Keys.COUNTRIES: list(view.countries), Keys.LAYERS: [LAYER_LABELS[layer] for layer in view.layers]}


def apply_view(view: View, lo: date, hi: date) -> None:
    """Make ``view`` the current view and put its window, filters and layers into the widgets (before drawing)."""
    st.session_state.update(_widget_values(view, lo, hi))
    st.session_state[VIEW] = view


def _restore_widgets(lo: date, hi: date) -> None:
    """Widgets Streamlit forgot while another page was shown start again from the current view."""
    for key, value in _widget_values(st.session_state.get(VIEW) or View(), lo, hi).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _saved_views() -> list[View]:
    try:
        return get_store(current_url()).views()
    except sqlalchemy.exc.SQLAlchemyError:
        return []


def _load_from_url(choices: Choices, lo: date, hi: date) -> None:
    """Once per session: the view the URL describes, with a notice for every value it had to ignore."""
    params = st.query_params.to_dict()
    parsed = from_query(params, actors=list(choices.actors), countries=list(choices.countries), bounds=(lo, hi))
    view = parsed.view
    if view.name:
        saved = {v.name: v for v in _saved_views()}
        if view.name in saved:
            view = saved[view.name]
        else:
            parsed.notices.append(f"There is no saved view called “{view.name}”; showing the URL's settings.")
            view = replace(view, name="")
    apply_view(view, lo, hi)
    st.session_state[Keys.NOTICES] = parsed.notices
    st.session_state[Keys.URL_LOADED] = True


def _open_view(lo: date, hi: date) -> None:
    name = st.session_state.get(Keys.VIEW_PICK)
    view = next((v for v in _saved_views() if v.name == name), None)
    if view is not None:
        apply_view(view, lo, hi)


def _save_view() -> None:
    pinned = st.session_state.get(Keys.VIEW_PIN)
    view = current_view()
    if position := st.session_state.get(MAP_POSITION):  # where the Map looks while the save form is open
        view = replace(view, center=position[0], zoom=position[1])
    try:
        view = services.save_view(get_store(current_url()), view, user=current_user(),
                                  name=st.session_state.get(Keys.VIEW_NAME),
                                  title=st.session_state.get(Keys.VIEW_TITLE),
                                  notes=st.session_state.get(Keys.VIEW_NOTES),
                                  as_of=st.session_state.get(Keys.VIEW_AS_OF) if pinned else None)
    except (ValidationError, sqlalchemy.exc.SQLAlchemyError) as exc:
        st.session_state[Keys.VIEW_ERROR] = f"The view was not saved: {readable(exc)}"
        return
    st.session_state[VIEW] = view
    st.session_state[Keys.VIEW_DIALOG] = False  # fold the form away again
    # a toast, shown as the rerun starts: the sidebar is drawn after the page (app.py), so a message in the
    # popover would wait for the whole page, and the map, first
    st.toast(f"Saved the view “{view.name}”.", icon=":material/bookmark_added:")


def _delete_view() -> None:
    name = st.session_state.get(Keys.VIEW_PICK)
    if name:
        try:
            services.delete_view(get_store(current_url()), name, user=current_user())
        except (ValidationError, sqlalchemy.exc.SQLAlchemyError) as exc:
            st.session_state[Keys.VIEW_ERROR] = f"The view was not deleted: {readable(exc)}"
            return
        st.toast(f"Deleted the view “{name}”.", icon=":material/delete:")


def current_view() -> View:
    """The view the widgets show now, keeping the saved view's name, title and notes if one is open."""
    start, end = st.session_state[Keys.TIME_WINDOW]
    labels = st.session_state.get(Keys.LAYERS, [LAYER_LABELS[layer] for layer in DEFAULT_LAYERS])
    layers = tuple(LABEL_LAYERS[label] for label in labels)
    view = View(start=start, end=end, layers=tuple(layer for layer in LAYERS if layer in layers),
                actors=tuple(st.session_state.get(Keys.ACTORS, ())),
                types=tuple(st.session_state.get(Keys.EVENT_TYPES, ())),
                countries=tuple(st.session_state.get(Keys.COUNTRIES, ())))
    shown: View | None = st.session_state.get(VIEW)
    if shown is not None and shown.name:
        view = replace(view, name=shown.name, title=shown.title, notes=shown.notes, as_of=shown.as_of,
                       position=shown.position, center=shown.center, zoom=shown.zoom)
    return view


def show_notices() -> None:
    """Tell the user which URL values were ignored, once."""
    for notice in st.session_state.pop(Keys.NOTICES, []):
        st.warning(notice, icon=":material/link_off:")


def prepare(choices: Choices) -> View:
    """The view the sidebar's widgets will show, made the current one and mirrored into the URL, before any is drawn.

    ``choices`` (:func:`geo.query.choices`): the timeline's ends, actors and countries, read from SQL. Widget
    values are in session state when a run starts, so the page can run on this view before :func:`draw` draws
    the widgets (app.py draws them after the page, so the map is the first thing the browser builds).
    """
    lo, hi = padded_bounds(choices.bounds)
    if not st.session_state.get(Keys.URL_LOADED):
        _load_from_url(choices, lo, hi)
    _restore_widgets(lo, hi)
    pending = st.session_state.pop(Keys.PENDING_WINDOW, None)
    if pending is not None:
        st.session_state[Keys.TIME_WINDOW] = pending
    window = st.session_state.get(Keys.TIME_WINDOW)
    old_bounds = st.session_state.get(Keys.BOUNDS)
    # a window that spanned all the data keeps spanning it when new events widen the range
    if window is None or window == old_bounds or not (lo <= window[0] <= window[1] <= hi):
        st.session_state[Keys.TIME_WINDOW] = (lo, hi) if window is None or window == old_bounds else (
            min(max(window[0], lo), hi), min(max(window[1], lo), hi))
    st.session_state[Keys.BOUNDS] = (lo, hi)
    view = current_view()
    st.session_state[VIEW] = view
    sync_query_params(to_query(view, (lo, hi)))
    return view


def draw(choices: Choices) -> None:
    """The timeline, play/step, filters and saved views, where the caller is, for the window :func:`prepare` set."""
    lo, hi = st.session_state[Keys.BOUNDS]
    # The slider sits in a popover labelled with the window (a dashboard's time picker): a slider drawn with the
    # page held the map back by 0.25-0.35 s per load, while the browser fetched and ran its dozen script files
    # (docs/benchmarks.md, issue 11). The key keeps the popover open while its label follows the slider.
    with st.popover(window_label(*st.session_state[Keys.TIME_WINDOW]), key=Keys.WINDOW_PICKER, width="stretch",
                    icon=":material/date_range:", help="The date window: every layer shows what falls in it."):
        st.slider("Date window", min_value=lo, max_value=hi, step=timedelta(days=1), format="YYYY-MM-DD",
                  key=Keys.TIME_WINDOW, help="Every layer shows what falls in this window.")
    left, right = st.columns(2)
    left.button("Step ▶", key=Keys.STEP, on_click=_step, args=(lo, hi), width="stretch",
                help="Move the window forward")
    # a button, not a toggle: a toggle's script file would be fetched before the map's (see app.py)
    playing = st.session_state.get(Keys.PLAYING, False)
    right.button("Pause" if playing else "Play", key=Keys.PLAY, on_click=_toggle_play, width="stretch",
                 icon=":material/pause:" if playing else ":material/play_arrow:",
                 help="Step through time automatically")
    _ticker(lo, hi)
    # Filters and saved views open in popovers: the browser draws their widgets only when asked for,
    # which keeps the first map close to a bare map's load time (docs/benchmarks.md, issue 11).
    # (a constant label: a popover whose label changes is a new element, and would close on every choice)
    with st.popover("Filters", width="stretch", icon=":material/filter_alt:",
                    help="Actor, event type, country and the layers shown"):
        st.multiselect("Actor", choices.actors, key=Keys.ACTORS, placeholder="All actors")
        st.multiselect("Event type", list(TAXONOMY), key=Keys.EVENT_TYPES, placeholder="All types")
        st.multiselect("Country", choices.countries, key=Keys.COUNTRIES,
                       placeholder="All countries")
        st.multiselect("Layers", list(LAYER_LABELS.values()), key=Keys.LAYERS)
    _views_panel(lo, hi)


def sync_query_params(wanted: dict[str, str]) -> None:
    """Make the URL's query parameters ``wanted``, touching only those that differ."""
    current = st.query_params.to_dict()
    for key in [k for k in current if k not in wanted]:
        del st.query_params[key]
    for key, value in wanted.items():
        if current.get(key) != value:
            st.query_params[key] = value


def _views_panel(lo: date, hi: date) -> None:
    with st.popover("Saved views", width="stretch", icon=":material/bookmarks:"):
        if error := st.session_state.pop(Keys.VIEW_ERROR, None):  # a success is a toast
            st.error(error)
        names = [v.name for v in _saved_views()]
        st.selectbox("Saved view", names, key=Keys.VIEW_PICK, index=None, placeholder="Choose a view")
        user = current_user()
        left, right = st.columns(2)
        left.button("Open", key=Keys.VIEW_OPEN, on_click=_open_view, args=(lo, hi), width="stretch",
                    disabled=not names)
        if user.can("manage_views"):  # issue 13: an editor may delete views
            right.button("Delete", key=Keys.VIEW_DELETE, on_click=_delete_view, width="stretch", disabled=not names)
        # the naming form is only drawn when asked for, so the sidebar stays light
        if user.can("save_view") and st.toggle("Save the current view…", key=Keys.VIEW_DIALOG,
                     help="On the Map, pan and zoom to frame the view: its centre and zoom are saved with it."):
            st.text_input("Name", key=Keys.VIEW_NAME, placeholder="e.g. week-27")
            st.text_input("Title", key=Keys.VIEW_TITLE, placeholder="Shown on the briefing slide")
            st.text_area("Presenter's notes", key=Keys.VIEW_NOTES, height=80)
            st.checkbox("Pin to the data as of", key=Keys.VIEW_PIN,
                        help="The view then ignores events recorded after this date.")
            st.date_input("As of", value=date.today(), key=Keys.VIEW_AS_OF, label_visibility="collapsed")
            st.button("Save view", key=Keys.VIEW_SAVE, on_click=_save_view, type="primary",
                      width="stretch")
