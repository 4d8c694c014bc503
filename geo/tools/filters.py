"""Filters for the map and the events table, and the timeline's stepping."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from geo.schema import ABDUCTION_SUB_EVENT

if TYPE_CHECKING:
    from geo.views import View


def filter_events(frame: pd.DataFrame, start: date | None = None, end: date | None = None, *,
                  actors: Sequence[str] = (), event_types: Sequence[str] = (),
                  countries: Sequence[str] = ()) -> pd.DataFrame:
    """Events within ``[start, end]`` whose actor, event type and country are selected.

    An empty selection means "all".  An actor matches as actor1, actor2 or an
    associated actor.  Vectorised; the input frame is not modified.
    """
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame["event_date"] >= pd.Timestamp(start)
    if end is not None:
        mask &= frame["event_date"] <= pd.Timestamp(end)
    if actors:
        wanted = list(actors)
        pattern = r"(?:^|;\s*)(?:" + "|".join(re.escape(a) for a in wanted) + r")\s*(?:;|$)"
        mask &= (frame["actor1"].isin(wanted) | frame["actor2"].isin(wanted)
                 | frame["assoc_actor_1"].str.contains(pattern, regex=True, na=False)
                 | frame["assoc_actor_2"].str.contains(pattern, regex=True, na=False))
    if event_types:
        mask &= frame["event_type"].isin(event_types)
    if countries:
        mask &= frame["country"].isin(countries)
    return frame[mask]


def actor_options(frame: pd.DataFrame) -> list[str]:
    """Sorted distinct actors named anywhere in the frame (actor1, actor2, associated actors)."""
    assoc = pd.concat([frame["assoc_actor_1"], frame["assoc_actor_2"]]).str.split(";").explode().str.strip()
    names = pd.concat([frame["actor1"], frame["actor2"], assoc]).dropna()
    return sorted(n for n in names.unique() if n)


def split_layers(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(attacks and other events, abductions) - abductions get their own layer."""
    is_abduction = frame["sub_event_type"].eq(ABDUCTION_SUB_EVENT)
    return frame[~is_abduction], frame[is_abduction]


def zones_at(zones: pd.DataFrame, day: date) -> pd.DataFrame:
    """The assessment valid on ``day`` for each area (the latest to start, where several are)."""
    ts = pd.Timestamp(day)
    valid = zones[(zones["valid_from"] <= ts) & (zones["valid_to"].isna() | (zones["valid_to"] >= ts))]
    return valid.sort_values("valid_from").drop_duplicates("area", keep="last").sort_values("area")


def step_window(start: date, end: date, lo: date, hi: date, step_days: int) -> tuple[date, date]:
    """Move the window ``[start, end]`` forward by ``step_days``, keeping its width.

    When the window's end passes ``hi`` it wraps back to begin at ``lo``.
    """
    width = end - start
    new_start = start + timedelta(days=step_days)
    if new_start + width > hi:
        new_start = lo
    return new_start, min(new_start + width, hi)


def view_events(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The events a view shows: its window and filters, and for a pinned view only events recorded by then."""
    from geo.views import pinned_cutoff

    selected = filter_events(frame, view.start, view.end, actors=view.actors, event_types=view.types,
                             countries=view.countries)
    cutoff = pinned_cutoff(view)
    if cutoff is not None:
        selected = selected[selected["timestamp"].astype("int64") <= cutoff]
    return selected


def view_zones(zones: pd.DataFrame, view: View) -> pd.DataFrame:
    """The control assessments a view shows: those valid at its window's end (none if the layer is off)."""
    if "control" not in view.layers or view.end is None:
        return zones.iloc[0:0]
    return zones_at(zones, view.end)
