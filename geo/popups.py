"""HTML for map popups and tooltips.  Every value from a report is escaped here."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd

from geo.schema import GEO_PRECISION, TIME_PRECISION
from geo.vocab import display_name


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape(str(value), quote=True)


def _figure(claim: Mapping[str, Any]) -> str:
    value = claim.get("value")
    qualifier = claim.get("qualifier") or "exact"
    number = "?" if value is None else str(value)
    prefix = "" if qualifier == "exact" else f"{qualifier} "
    return f"{_e(prefix)}{_e(number)} {_e(claim.get('metric'))}"


def claims_line(claims: Sequence[Mapping[str, Any]]) -> str:
    """The claims in one line of plain text.

    E.g. "Military Forces of Mali (2021-): about 80 attackers killed; JNIM: 3 barracks seized".
    """
    parts = []
    for c in claims:
        hedge = "" if (c.get("qualifier") or "exact") == "exact" else f"{c['qualifier']} "
        value = "?" if c.get("value") is None else c["value"]
        parts.append(f"{str(c.get('claimant', '')).split(':')[0]}: {hedge}{value} {c.get('metric', '')}")
    return "; ".join(parts)


def claims_table(claims: Sequence[Mapping[str, Any]]) -> str:
    """The claims side by side: who claimed, what figure, from which source."""
    if not claims:
        return '<p class="cm-none">No figures claimed in our sources.</p>'
    rows = "".join(
        f"<tr><td><b>{_e(c.get('claimant'))}</b><br><small>{_e(c.get('claimant_type'))}</small></td>"
        f"<td>{_figure(c)}</td><td><small>{_e(c.get('source'))}</small></td></tr>"
        for c in claims
    )
    return ('<table class="cm-claims" style="border-collapse:collapse;width:100%">'
            "<tr><th align=left>Claimed by</th><th align=left>Figure</th><th align=left>Source</th></tr>"
            f"{rows}</table>")


def nationality_list(codes: Sequence[str]) -> str:
    """'3 India, 1 China' from a list of ISO2 codes."""
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return ", ".join(f"{n} {display_name(c)}" for c, n in counts.items())


def event_popup(row: Mapping[str, Any]) -> str:
    """Popup HTML for one event: what, where, when, actors, fatalities, claims, notes, source."""
    when = pd.Timestamp(row["event_date"]).date().isoformat()
    abduction = row.get("abduction")
    abduction_html = ""
    if abduction:
        count = abduction.get("count")
        abduction_html = (
            f"<p><b>Abducted:</b> {_e('unknown number' if count is None else count)}"
            f" &middot; <b>Nationalities:</b> {_e(nationality_list(abduction.get('nationalities') or ()) or 'unknown')}"
            f" &middot; <b>Status:</b> {_e(abduction.get('status'))}</p>"
        )
    actor2 = f" vs {_e(row.get('actor2'))}" if row.get("actor2") else ""
    return (
        '<div class="cm-popup" style="min-width:320px;max-width:460px;font-size:14px">'
        f"<h4 style='margin:0 0 4px'>{_e(row.get('sub_event_type'))} &middot; {_e(row.get('location'))}</h4>"
        f"<p style='margin:0 0 6px'><b>{_e(when)}</b> "
        f"({_e(TIME_PRECISION.get(int(row.get('time_precision') or 1)))} precision)"
        f" &middot; {_e(row.get('admin1'))}, {_e(row.get('country'))}"
        f" &middot; place: {_e(GEO_PRECISION.get(int(row.get('geo_precision') or 1)))}</p>"
        f"<p style='margin:0 0 6px'>{_e(row.get('actor1'))}{actor2}</p>"
        f"<p style='margin:0 0 6px'><b>Fatalities (conservative):</b> {_e(row.get('fatalities'))}</p>"
        f"{abduction_html}{claims_table(row.get('claims') or [])}"
        f"<p style='margin:6px 0'>{_e(row.get('notes'))}</p>"
        f"<p style='margin:0'><small>Source: {_e(row.get('source'))} &middot; "
        f"{_e(row.get('event_id_cnty'))}</small></p>"
        "</div>"
    )


def zone_popup(row: Mapping[str, Any], events: Sequence[Mapping[str, Any]] = ()) -> str:
    """Popup HTML for a control-zone assessment: status, dates, claimant, source, evidence and events."""
    start = pd.Timestamp(row["valid_from"]).date().isoformat()
    end = "" if pd.isna(row.get("valid_to")) else pd.Timestamp(row["valid_to"]).date().isoformat()
    claimant = f"<p style='margin:0 0 6px'>Claimed by: {_e(row.get('claimant'))}</p>" if row.get("claimant") else ""
    excerpt = (f"<blockquote style='margin:4px 0;padding-left:8px;border-left:3px solid #999'>"
               f"{_e(row.get('evidence'))}</blockquote>") if row.get("evidence") else ""
    listed = "".join(
        f"<li>{_e(pd.Timestamp(e['event_date']).date().isoformat())} · {_e(e.get('location'))}: "
        f"{_e(e.get('sub_event_type'))} ({_e(e.get('fatalities'))} killed)"
        f"<br><small>{_e(e.get('source'))} · {_e(e.get('event_id_cnty'))}</small></li>"
        for e in events)
    evidence = (f"<p style='margin:6px 0 2px'><b>Events behind this assessment</b> ({len(events)} shown)</p>"
                f"<ul class='cm-evidence' style='margin:0;padding-left:18px'>{listed}</ul>") if events else \
        "<p class='cm-evidence-none' style='margin:6px 0 0'>No recorded events in this area and window.</p>"
    return (
        '<div class="cm-popup" style="min-width:300px;max-width:460px;font-size:14px">'
        f"<h4 style='margin:0 0 4px'>{_e(row.get('area'))}: {_e(row.get('status'))}"
        f"{' (' + _e(row.get('actor')) + ')' if row.get('actor') else ''}</h4>"
        f"<p style='margin:0 0 6px'>Assessment valid {_e(start)} &ndash; {_e(end or 'now')}</p>"
        f"{claimant}<p style='margin:0 0 6px'>{_e(row.get('notes'))}</p>{excerpt}"
        f"<p style='margin:0'><small>Source of the claim: {_e(row.get('source'))}</small></p>{evidence}</div>"
    )


def tooltip(text: Any) -> str:
    """An escaped single-line tooltip."""
    return _e(text)
