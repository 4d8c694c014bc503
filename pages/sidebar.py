"""The sidebar every page shares: timeline window, play/step, and filters."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from geo.schema import TAXONOMY
from geo.tools.filters import actor_options, filter_events, step_window, zones_in_window
from pages.common import Keys

PLAY_INTERVAL_S = 1.5


@dataclass(frozen=True)
class Filters:
    """What the user selected in the sidebar."""

    start: date
    end: date
    actors: tuple[str, ...]
    event_types: tuple[str, ...]
    countries: tuple[str, ...]

    def events(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The events these filters select."""
        return filter_events(frame, self.start, self.end, actors=self.actors,
                             event_types=self.event_types, countries=self.countries)

    def zones(self, zones: pd.DataFrame) -> pd.DataFrame:
        """The control assessments valid in the timeline window."""
        return zones_in_window(zones, self.start, self.end)


def timeline_bounds(frame: pd.DataFrame) -> tuple[date, date]:
    """The slider's range: the events' dates with a week either side."""
    if frame.empty:
        today = date.today()
        return today - timedelta(days=30), today
    lo = frame["event_date"].min().date() - timedelta(days=7)
    hi = frame["event_date"].max().date() + timedelta(days=7)
    return lo, hi


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


def render(frame: pd.DataFrame) -> Filters:
    """Draw the shared sidebar and return the selected filters."""
    lo, hi = timeline_bounds(frame)
    pending = st.session_state.pop(Keys.PENDING_WINDOW, None)
    if pending is not None:
        st.session_state[Keys.TIME_WINDOW] = pending
    window = st.session_state.get(Keys.TIME_WINDOW)
    old_bounds = st.session_state.get(Keys.BOUNDS)
    # a window that spanned all the data keeps spanning it when new events widen the range
    if window is None or window == old_bounds or not (lo <= window[0] <= window[1] <= hi):
        st.session_state[Keys.TIME_WINDOW] = (lo, hi)
    st.session_state[Keys.BOUNDS] = (lo, hi)
    with st.sidebar:
        st.header("Timeline")
        start, end = st.slider("Date window", min_value=lo, max_value=hi, step=timedelta(days=1),
                               format="YYYY-MM-DD", key=Keys.TIME_WINDOW,
                               help="Every layer shows what falls in this window.")
        left, right = st.columns(2)
        left.button("Step ▶", key=Keys.STEP, on_click=_step, args=(lo, hi), width="stretch",
                    help="Move the window forward")
        right.toggle("Play", key=Keys.PLAYING, help="Step through time automatically")
        _ticker(lo, hi)
        st.header("Filters")
        actors = st.multiselect("Actor", actor_options(frame), key=Keys.ACTORS, placeholder="All actors")
        types = st.multiselect("Event type", list(TAXONOMY), key=Keys.EVENT_TYPES, placeholder="All types")
        countries = st.multiselect("Country", sorted(frame["country"].dropna().unique()), key=Keys.COUNTRIES,
                                   placeholder="All countries")
    return Filters(start=start, end=end, actors=tuple(actors), event_types=tuple(types),
                   countries=tuple(countries))
