"""Two periods compared: their windows (shared filters), headline figures and their change, and the URL.

A comparison is two date windows, A (before) and B (after), under one set of
filters (actors, event types, countries), with the regions' measure and scale.
It is written into URL query parameters (``a_start``, ``a_end``, ``b_start``,
``b_end``, ``measure``, ``scale``, and the filters as a view writes them:
``actors``, ``types``, ``country``), so a copied URL reopens the comparison.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from geo.regions import MEASURES, SCALES
from geo.tools.briefing import Headline, previous_window
from geo.tools.filters import filter_events
from geo.views import View, param_date

DEFAULT_DAYS = 28  # the default windows: the data's last four weeks (B) against the four before (A)


@dataclass(frozen=True)
class Comparison:
    """Two windows under the same filters; ``a`` comes first in the figures' change (B - A)."""

    a_start: date
    a_end: date
    b_start: date
    b_end: date
    measure: str = "events"
    scale: str = "region"
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    @property
    def a(self) -> tuple[date, date]:
        return self.a_start, self.a_end

    @property
    def b(self) -> tuple[date, date]:
        return self.b_start, self.b_end

    def events(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The events of window A and of window B, under the comparison's filters."""
        def window(start: date, end: date) -> pd.DataFrame:
            return filter_events(frame, start, end, actors=self.actors, event_types=self.types,
                                 countries=self.countries)

        return window(*self.a), window(*self.b)

    def views(self) -> tuple[View, View]:
        """Windows A and B as views under the comparison's filters (to ask the database, :mod:`geo.query`)."""
        def view(start: date, end: date) -> View:
            return View(start=start, end=end, actors=tuple(self.actors), types=tuple(self.types),
                        countries=tuple(self.countries))

        return view(*self.a), view(*self.b)


def default_comparison(lo: date, hi: date, days: int = DEFAULT_DAYS) -> Comparison:
    """B: the last ``days`` days up to ``hi`` (not before ``lo``); A: as many days just before B."""
    b_start = max(hi - timedelta(days=days - 1), lo)
    a_start, a_end = previous_window(b_start, hi)
    return Comparison(a_start, a_end, b_start, hi)


@dataclass
class ParsedComparison:
    """A comparison read from query parameters, and a notice for every value that was ignored."""

    comparison: Comparison
    notices: list[str]


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return [part.strip() for item in values for part in item.split(",") if part.strip()]


def from_query(params: Mapping[str, Any], default: Comparison, *, actors: Sequence[str] = (),
               types: Sequence[str] = (), countries: Sequence[str] = ()) -> ParsedComparison:
    """The comparison the URL describes; what it leaves out or gets wrong comes from ``default``, with a notice.

    ``actors``, ``types``, ``countries``: the known values (others are ignored with a notice; none: any).
    """
    notices: list[str] = []
    windows = {}
    for period in ("a", "b"):
        start = param_date(params, f"{period}_start", notices) or getattr(default, f"{period}_start")
        end = param_date(params, f"{period}_end", notices) or getattr(default, f"{period}_end")
        if start > end:
            notices.append(f"Period {period.upper()} ({start} – {end}) ends before it starts, so the default is used.")
            start, end = getattr(default, f"{period}_start"), getattr(default, f"{period}_end")
        windows[f"{period}_start"], windows[f"{period}_end"] = start, end
    choices = {}
    for key, allowed in (("measure", MEASURES), ("scale", SCALES)):
        value = params.get(key) or getattr(default, key)
        if value not in allowed:
            notices.append(f"“{key}={value}” is not one of {', '.join(allowed)}, so {getattr(default, key)} is used.")
            value = getattr(default, key)
        choices[key] = value
    filters = {}
    for key, field_name, known, what in (("actors", "actors", actors, "actor(s)"), ("types", "types", types,
                                                                                      "event type(s)"),
                                         ("country", "countries", countries, "country/countries")):
        if key not in params:
            filters[field_name] = getattr(default, field_name)
            continue
        values = _split(params.get(key))
        bad = [v for v in values if known and v not in known]
        if bad:
            notices.append(f"Unknown {what} {', '.join(bad)} ignored.")
        filters[field_name] = tuple(v for v in values if not known or v in known)
    return ParsedComparison(Comparison(**windows, **choices, **filters), notices)


def to_query(comparison: Comparison) -> dict[str, str]:
    """The comparison as query parameters: both windows always, the choices and filters when set."""
    out = {key: getattr(comparison, key).isoformat() for key in ("a_start", "a_end", "b_start", "b_end")}
    out.update(measure=comparison.measure, scale=comparison.scale)
    for key, field_name in (("actors", "actors"), ("types", "types"), ("country", "countries")):
        if getattr(comparison, field_name):
            out[key] = ",".join(getattr(comparison, field_name))
    return out


FIGURES = (("events", "Events"), ("fatalities", "Fatalities"),
           ("fatalities_claimed_high", "Fatalities (highest claim)"), ("abducted", "People abducted"),
           ("places_attacked", "Places attacked"))


def figures_table(a: Headline, b: Headline, labels: tuple[str, str] = ("A", "B")) -> pd.DataFrame:
    """The headline figures of both windows and their change: columns figure, A, B, change, change_pct
    (None when A is 0)."""
    rows = []
    for key, label in FIGURES:
        before, after = getattr(a, key), getattr(b, key)
        rows.append({"figure": label, labels[0]: before, labels[1]: after, "change": after - before,
                     "change_pct": round((after - before) / before * 100, 1) if before else None})
    return pd.DataFrame(rows)

