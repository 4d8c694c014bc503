"""Actor trends: events and fatalities per actor per week, and their chart (small multiples).

An event counts for every actor it names - as actor 1, actor 2 or an associated
actor - once per actor. So a clash between JNIM and the army counts for both, and
the panels of different actors must not be added up: that is why the chart draws
one panel per actor (small multiples) rather than stacking them.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import altair as alt

COLUMNS = ["actor", "week", "events", "fatalities"]
DEFAULT_TOP = 5
UNRANKED_INTER = ("Civilians",)  # victims, not actors whose trend an analyst follows; shown when selected


def monday(day: pd.Series) -> pd.Series:
    """The Monday that starts each date's week (midnight)."""
    day = pd.to_datetime(day)
    return (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).dt.normalize()


def actor_events(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, actor it names): ``row`` (the event's position), ``actor``, ``inter``.

    Associated actors (``;``-separated) take the ``inter`` of their side; an actor named
    twice in one event (as actor 1 and associated) is kept once. Vectorised.
    """
    position = pd.RangeIndex(len(events))
    parts = []
    for actor, assoc, inter in (("actor1", "assoc_actor_1", "inter1"), ("actor2", "assoc_actor_2", "inter2")):
        parts.append(pd.DataFrame({"row": position, "actor": events[actor].to_numpy(),
                                   "inter": events[inter].to_numpy()}))
        names = events[assoc].fillna("").astype(str).to_numpy()
        named = names != ""  # most events have no associated actor: split only the others
        listed = pd.DataFrame({"row": position[named], "actor": names[named], "inter": events[inter].to_numpy()[named]})
        listed["actor"] = listed["actor"].str.split(";")
        listed = listed.explode("actor")
        listed["actor"] = listed["actor"].str.strip()
        parts.append(listed)
    pairs = pd.concat(parts, ignore_index=True)
    pairs = pairs[pairs["actor"].notna() & pairs["actor"].astype(str).str.len().gt(0)]
    return pairs.drop_duplicates(["row", "actor"]).reset_index(drop=True)


def _weights(events: pd.DataFrame) -> np.ndarray:
    """How many events each row stands for: 1, or its ``events`` count when the rows are groups of events
    that name the same actors (:func:`geo.query.actor_groups`)."""
    if "events" in events.columns:
        return events["events"].to_numpy(dtype=int)
    return np.ones(len(events), dtype=int)


def top_actors(events: pd.DataFrame, n: int = DEFAULT_TOP) -> list[str]:
    """The ``n`` actors named in the most events (civilians left out), most first, ties by name."""
    pairs = actor_events(events)
    pairs = pairs[~pairs["inter"].isin(UNRANKED_INTER)]
    counts = (pd.DataFrame({"actor": pairs["actor"].to_numpy(), "n": _weights(events)[pairs["row"].to_numpy()]})
              .groupby("actor")["n"].sum().reset_index(name="events"))
    return counts.sort_values(["events", "actor"], ascending=[False, True])["actor"].head(n).tolist()


def actor_totals(events: pd.DataFrame) -> pd.DataFrame:
    """Events and fatalities per actor (columns actor, events, fatalities): most events first, then most
    fatalities, then by name. An event counts once for each actor it names; missing fatalities count 0."""
    pairs = actor_events(events)
    rows = pairs["row"].to_numpy()
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()
    table = pd.DataFrame({"actor": pairs["actor"].to_numpy(), "fatalities": fatalities[rows]})
    totals = table.groupby("actor").agg(events=("fatalities", "size"), fatalities=("fatalities", "sum")).reset_index()
    totals["fatalities"] = totals["fatalities"].astype(int)
    return totals.sort_values(["events", "fatalities", "actor"], ascending=[False, False, True]).reset_index(drop=True)


def actor_weekly(events: pd.DataFrame, actors: Sequence[str] = (), start: date | None = None,
                 end: date | None = None, *, top: int = DEFAULT_TOP) -> pd.DataFrame:
    """Events and fatalities per actor and week (weeks start on Monday): columns actor, week, events, fatalities.

    ``events`` are events, or groups of events naming the same actors in one week with their
    count in an ``events`` column and their summed ``fatalities`` (:func:`geo.query.actor_groups`).

    ``actors`` are the actors to follow, in that order; none means the ``top`` actors
    of ``events`` (:func:`top_actors`). Every actor gets every week - of the window
    ``start``-``end`` when given, else from the first event's week to the last's - a
    week without its events as 0, also an actor with no events at all. Missing
    fatalities count as 0. Rows are ordered by actor (as listed), then week.
    """
    wanted = list(dict.fromkeys(actors)) if actors else top_actors(events, top)
    if not wanted:
        return pd.DataFrame(columns=COLUMNS)
    dates = pd.to_datetime(events["event_date"])
    first = pd.Timestamp(start - timedelta(days=start.weekday())) if start else monday(dates).min()
    last = pd.Timestamp(end) if end else dates.max()
    if pd.isna(first) or pd.isna(last):  # no window and no events: no weeks
        return pd.DataFrame(columns=COLUMNS)
    weeks = pd.date_range(first, last, freq="7D")
    pairs = actor_events(events)
    pairs = pairs[pairs["actor"].isin(wanted)]
    rows = pairs["row"].to_numpy()
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()
    table = pd.DataFrame({"actor": pairs["actor"].to_numpy(), "week": monday(dates).to_numpy()[rows],
                          "fatalities": fatalities[rows], "events": _weights(events)[rows]})
    grouped = table.groupby(["actor", "week"]).agg(events=("events", "sum"), fatalities=("fatalities", "sum"))
    full = pd.MultiIndex.from_product([wanted, weeks], names=["actor", "week"])
    out = grouped.reindex(full, fill_value=0).reset_index()
    out["events"] = out["events"].astype(int)
    out["fatalities"] = out["fatalities"].astype(int)
    return out[COLUMNS]


def actor_trend_chart(table: pd.DataFrame, *, panel_height: int = 70, panel_width: int | None = None,
                      font_size: int | None = None) -> alt.HConcatChart:
    """Small multiples of :func:`actor_weekly`: a row per actor, events (left) and fatalities (right) per week.

    Each measure keeps one scale for every actor, so the panels compare; the actors'
    panels are not to be added up (an event can name two of them). ``panel_width``
    (pixels; default: Vega-Lite's) and ``font_size`` fit the chart to a narrow column or a wall screen.
    """
    import altair as alt

    order = list(dict.fromkeys(table["actor"]))
    data = table.assign(week_end=table["week"] + pd.Timedelta(days=6))  # each bar spans its week, Monday to Sunday

    def panel(measure: str, colour: str) -> alt.FacetChart:
        size = {"height": panel_height} | ({"width": panel_width} if panel_width else {})
        title = f"{measure} per week"
        return (alt.Chart(data, **size, title=title if panel_width else "")
                .mark_bar(color=colour, stroke="white", strokeWidth=1)
                .encode(x=alt.X("week:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)), x2="week_end:T",
                        y=alt.Y(f"{measure}:Q", title=None if panel_width else title, axis=alt.Axis(tickMinStep=1)),
                        y2=alt.datum(0),
                        tooltip=[alt.Tooltip("actor:N"), alt.Tooltip("week:T", title="week of", format="%Y-%m-%d"),
                                 alt.Tooltip("events:Q"), alt.Tooltip("fatalities:Q")])
                .facet(row=alt.Row("actor:N", sort=order, title=None,
                                   header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start",
                                                     labelOrient="top", labelLimit=panel_width or 400,
                                                     labelFontWeight="bold")),
                       spacing=6))

    chart = alt.hconcat(panel("events", "#2b8cbe"), panel("fatalities", "#d7301f"))
    if font_size:
        chart = chart.configure_axis(labelFontSize=font_size, titleFontSize=font_size).configure_header(
            labelFontSize=font_size + 1)
    return chart
