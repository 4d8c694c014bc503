"""Map views: what a researcher is looking at, as URL query parameters and as saved, named views.

A view is a time window, filters, the layers shown, the map extent, and for a
saved view a title, the presenter's notes and an optional "data as of" date
that pins it to the events recorded by then.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from geo.schema import TAXONOMY
from geo.vocab import DEFAULT_LAYERS, LAYERS
from geo.vocab import LAYER_LABELS as LAYER_LABELS  # re-exported: the pages read the layers' labels from here


@dataclass(frozen=True)
class View:
    """A map view; empty filters mean "all"."""

    start: date | None = None
    end: date | None = None
    layers: tuple[str, ...] = DEFAULT_LAYERS
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    center: tuple[float, float] | None = None
    zoom: int | None = None
    name: str = ""
    title: str = ""
    notes: str = ""
    as_of: date | None = None
    position: int = 0

    def to_json(self) -> str:
        """The view as JSON text (for storage)."""
        data = asdict(self)
        for key in ("start", "end", "as_of"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> View:
        """A view from :meth:`to_json` text."""
        data = json.loads(text)
        for key in ("start", "end", "as_of"):
            data[key] = date.fromisoformat(data[key]) if data.get(key) else None
        for key in ("layers", "actors", "types", "countries"):
            data[key] = tuple(data.get(key) or ())
        data["center"] = tuple(data["center"]) if data.get("center") else None
        return cls(**data)


@dataclass
class ParsedView:
    """A view read from query parameters, and a notice for every value that was ignored."""

    view: View
    notices: list[str] = field(default_factory=list)


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [part.strip() for item in value for part in item.split(",") if part.strip()]


def param_date(params: Mapping[str, Any], key: str, notices: list[str]) -> date | None:
    """The date in URL parameter ``key`` (ISO), or None when absent or not a date (with a notice saying so)."""
    raw = params.get(key)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        notices.append(f"“{key}={raw}” is not a date like 2025-07-01, so the default is used.")
        return None


def from_query(params: Mapping[str, Any], *, actors: Sequence[str] = (), countries: Sequence[str] = (),
               bounds: tuple[date, date] | None = None) -> ParsedView:
    """Read a view from URL query parameters; bad values fall back to defaults, each with a notice."""
    notices: list[str] = []
    start, end = param_date(params, "start", notices), param_date(params, "end", notices)
    if start and end and start > end:
        notices.append(f"The window {start} – {end} ends before it starts, so the whole period is shown.")
        start = end = None
    if bounds:
        lo, hi = bounds
        if start and not lo <= start <= hi or end and not lo <= end <= hi:
            notices.append(f"The window is outside the data ({lo} – {hi}), so it was clipped to the data.")
            start = min(max(start, lo), hi) if start else None
            end = min(max(end, lo), hi) if end else None
    layers = _split(params.get("layers"))
    unknown = [layer for layer in layers if layer not in LAYERS]
    if unknown:
        notices.append(f"Unknown layer(s) {', '.join(unknown)} ignored; layers are {', '.join(LAYERS)}.")
    layers = [layer for layer in layers if layer in LAYERS] or ([] if "layers" in params and not unknown
                                                                else list(DEFAULT_LAYERS))

    def known(key: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
        values = _split(params.get(key))
        bad = [v for v in values if allowed and v not in allowed]
        if bad:
            notices.append(f"Unknown {what} {', '.join(bad)} ignored.")
        return tuple(v for v in values if not allowed or v in allowed)

    view = View(start=start, end=end, layers=tuple(layers), actors=known("actors", actors, "actor(s)"),
                types=known("types", list(TAXONOMY), "event type(s)"),
                countries=known("country", countries, "country/countries"),
                name=str(params.get("view") or ""))
    return ParsedView(view, notices)


def to_query(view: View, bounds: tuple[date, date] | None = None) -> dict[str, str]:
    """The view as query parameters: only what differs from the defaults.

    A window edge equal to the data's own (``bounds``) is the default and left out,
    so opening the app plainly leaves the URL plain.
    """
    out: dict[str, str] = {}
    lo, hi = bounds if bounds else (None, None)
    if view.start and view.start != lo:
        out["start"] = view.start.isoformat()
    if view.end and view.end != hi:
        out["end"] = view.end.isoformat()
    if tuple(view.layers) != DEFAULT_LAYERS:
        out["layers"] = ",".join(view.layers)
    if view.actors:
        out["actors"] = ",".join(view.actors)
    if view.types:
        out["types"] = ",".join(view.types)
    if view.countries:
        out["country"] = ",".join(view.countries)
    if view.name:
        out["view"] = view.name
    return out


def pinned_cutoff(view: View) -> int | None:
    """The last ACLED ``timestamp`` (seconds) a view pinned "as of" a date may show, or None."""
    if view.as_of is None:
        return None
    end_of_day = datetime(view.as_of.year, view.as_of.month, view.as_of.day, 23, 59, 59, tzinfo=UTC)
    return int(end_of_day.timestamp())
