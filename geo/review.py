"""Reviewing extracted events before they are saved: table rows, edits, highlighting, candidates."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from html import escape
from itertools import pairwise
from typing import Any

from geo.extract.places import PlaceMention
from geo.gazetteer import Place
from geo.popups import claims_line
from geo.schema import Event, ValidationError, validate_event

EDITABLE = ("event_date", "sub_event_type", "actor1", "actor2", "location", "latitude", "longitude",
            "geo_precision", "fatalities")
REVIEW_COLUMNS = ("save", "event_id_cnty", *EDITABLE, "claims")


def claims_text(event: Event) -> str:
    """The event's claims in one line (see :func:`geo.popups.claims_line`)."""
    return claims_line([asdict(c) for c in event.claims])


def review_rows(events: Sequence[Event]) -> list[dict[str, Any]]:
    """One editable row per extracted event, ticked for saving; an undated event has an empty ``event_date``."""
    return [{"save": True, "event_id_cnty": e.event_id_cnty, **{k: getattr(e, k) for k in EDITABLE},
             "claims": claims_text(e)} for e in events]


def _cell(row: Mapping[str, Any], name: str) -> Any:
    value = row.get(name)
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ == "NaTType":  # an empty date cell from the editor
        return None
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp from the editor
        value = value.to_pydatetime().date()
    return value


def apply_review(events: Sequence[Event], rows: Sequence[Mapping[str, Any]]) -> list[Event]:
    """The events ticked for saving, with the reviewer's edits, validated.

    Raises :class:`ValidationError` naming the row (1-based) and the field, e.g.
    ``row 2.latitude``; a ticked event still without a date fails on ``row N.event_date``
    (events are validated strictly here: nothing undated is saved).
    """
    by_id = {e.event_id_cnty: e for e in events}
    out = []
    for number, row in enumerate(rows, 1):
        if not _cell(row, "save"):
            continue
        event = by_id.get(str(_cell(row, "event_id_cnty")))
        if event is None:
            raise ValidationError(f"row {number}.event_id_cnty", "does not match an extracted event")
        data = event.to_dict()
        data["abduction"] = data.get("abduction")
        for name in EDITABLE:
            value = _cell(row, name)
            data[name] = "" if value is None and name in ("actor2",) else value
        if data["sub_event_type"] != event.sub_event_type:
            data["event_type"] = _event_type_of(data["sub_event_type"], number)
            data["disorder_type"] = ""
        if data["actor2"] == "":
            data["inter2"] = ""
        data["year"] = None
        data["interaction"] = ""
        try:
            out.append(validate_event(data))
        except ValidationError as exc:
            raise ValidationError(f"row {number}.{exc.field}", exc.message) from None
    return out


def _event_type_of(sub: Any, number: int) -> str:
    from geo.schema import TAXONOMY

    for event_type, subs in TAXONOMY.items():
        if sub in subs:
            return event_type
    raise ValidationError(f"row {number}.sub_event_type", f"{sub!r} is not an ACLED sub-event type")


def relocate(event: Event, place: Place) -> Event:
    """``event`` moved to ``place`` (a candidate the reviewer chose)."""
    return replace(event, location=place.name, latitude=place.latitude, longitude=place.longitude,
                   geo_precision=place.geo_precision, admin1=place.admin1 or event.admin1,
                   admin2=place.admin2 or event.admin2)


def events_at(events: Sequence[Event], mention: PlaceMention) -> list[str]:
    """Ids of the events whose location evidence is ``mention``."""
    return [e.event_id_cnty for e in events
            if any(p.field == "location" and p.start == mention.start for p in e.provenance)]


def highlight(text: str, places: Sequence[PlaceMention], events: Sequence[Event]) -> str:
    """The report as escaped HTML: places marked (unresolved ones in orange), event sentences underlined."""
    sentences = sorted({(p.start, p.end) for e in events for p in e.provenance
                        if p.field == "event" and p.start is not None and p.end is not None})
    marks: list[tuple[int, int, str, str]] = []
    for m in places:
        if any(o is not m and o.start <= m.start and m.end <= o.end for o in places):
            continue  # "Tillabéri" inside "région de Tillabéri": one mark for the whole phrase
        kind = "cm-place" if m.resolved else "cm-unresolved"
        title = f"{m.place.name} ({m.place.country})" if m.place else "not in the gazetteer"
        marks.append((m.start, m.end, kind, title))
    bounds = sorted({0, len(text), *[b for s in sentences for b in s], *[b for m in marks for b in m[:2]]})
    out = []
    for start, end in pairwise(bounds):
        chunk = escape(text[start:end])
        mark = next((m for m in marks if m[0] <= start and end <= m[1]), None)
        if mark:
            colour = "#c6efce" if mark[2] == "cm-place" else "#ffd59e"
            chunk = (f'<mark class="{mark[2]}" title="{escape(mark[3])}" '
                     f'style="background:{colour};padding:0 2px">{chunk}</mark>')
        if any(s <= start and end <= e for s, e in sentences):
            chunk = f'<u class="cm-event" style="text-decoration-color:#d7301f">{chunk}</u>'
        out.append(chunk)
    return "<div class='cm-report' style='white-space:pre-wrap;line-height:1.6'>" + "".join(out) + "</div>"
