"""Briefing figures: headline numbers for a window, their change, and a weekly trend."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from geo.tools.filters import split_layers


@dataclass(frozen=True)
class Headline:
    """Headline figures for one window."""

    events: int
    fatalities: int
    fatalities_claimed_high: int
    abducted: int
    places_attacked: int


def claimed_high(events: pd.DataFrame) -> int:
    """The highest fatality total the claims support.

    A claim repeated on several events (a wave's total on each of its attacks) is
    counted once; events without a killing claim add their coded fatalities.
    """
    distinct: dict[tuple, int] = {}
    unclaimed = 0
    for fatalities, claims in zip(events["fatalities"], events["claims"], strict=True):
        killed = [c for c in claims if c.get("value") is not None and str(c.get("metric", "")).endswith("killed")]
        if not killed:
            unclaimed += int(fatalities)
        for c in killed:
            distinct[(c.get("claimant"), c.get("metric"), c.get("source"), c.get("qualifier"))] = int(c["value"])
    return max(unclaimed + sum(distinct.values()), int(events["fatalities"].sum()))


def people_abducted(events: pd.DataFrame) -> int:
    """How many people the abductions among ``events`` took (an abduction of unknown size counts 0)."""
    return sum(int((a or {}).get("count") or 0) for a in split_layers(events)[1]["abduction"])


def headline(events: pd.DataFrame) -> Headline:
    """Events, conservative fatalities with the highest claimed total, people abducted, places attacked."""
    attacks, _ = split_layers(events)
    return Headline(events=len(events), fatalities=int(events["fatalities"].sum()),
                    fatalities_claimed_high=claimed_high(events), abducted=people_abducted(events),
                    places_attacked=int(attacks["location"].nunique()))


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of equal length just before ``[start, end]``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def weekly(events: pd.DataFrame, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Events and fatalities per week (weeks starting Monday), long format for a chart.

    With ``start`` and ``end``, every week of that window is listed, weeks without events as 0,
    so a quiet week shows as a dip rather than being left out.
    """
    if events.empty and (start is None or end is None):
        return pd.DataFrame(columns=["week", "measure", "value"])
    dates = pd.to_datetime(events["event_date"])
    week = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    table = pd.DataFrame({"week": week, "fatalities": events["fatalities"].astype(int)})
    grouped = table.groupby("week").agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"))
    return weekly_table(grouped.reset_index(), start, end)


def weekly_table(counts: pd.DataFrame, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """:func:`weekly`'s long table from weekly counts (columns week, events, fatalities; e.g. from SQL,
    :func:`geo.query.weekly`), every week of ``start``-``end`` listed when given."""
    if counts.empty and (start is None or end is None):
        return pd.DataFrame(columns=["week", "measure", "value"])
    grouped = counts.set_index("week")[["events", "fatalities"]]
    if start is not None and end is not None:
        first = pd.Timestamp(start - timedelta(days=start.weekday()))
        grouped = grouped.reindex(pd.date_range(first, pd.Timestamp(end), freq="7D"), fill_value=0)
        grouped.index.name = "week"
    return grouped.reset_index().melt(id_vars="week", var_name="measure", value_name="value")
