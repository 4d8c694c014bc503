"""Reading the audit trail: what changed between an audit row's values before and after, in words and as rows.

The rows themselves are written by :mod:`geo.storage` in each write's transaction; this module only
explains them, for ``python -m geo audit`` and the History tabs.  No Streamlit.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.storage import AuditEntry, when_text

MAX_VALUE = 80  # characters of a value shown in a change line
SKIPPED = {"version"}  # a new version every save: not a change worth a line


def _flat(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """An audit record's fields on one level: the event's or zone's own fields, then its review status."""
    if not record:
        return {}
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("event", "zone") and isinstance(value, Mapping):
            out.update(value)
        elif key not in SKIPPED:
            out[key] = value
    return out


def _short(value: Any) -> str:  # noqa: ANN401 - any JSON value
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(field, value before, value after) for every field that differs, in the record's order."""
    old, new = _flat(before), _flat(after)
    keys = list(dict.fromkeys([*new, *old]))
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def describe(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """One line per changed field ("fatalities: 12 -> 80"); a creation or deletion says so in one line."""
    if before is None and after is None:
        return []
    if before is None:
        status = (after or {}).get("review_status")
        return [f"created{f' ({status})' if status else ''}"] if "event" in (after or {}) or "zone" in (
            after or {}) else [f"{k}: {_short(v)}" for k, v in _flat(after).items()]
    if after is None:
        return ["deleted"]
    return [f"{field}: {_short(old)} -> {_short(new)}" for field, old, new in changes(before, after)]


def history_rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    """The audit entries of one event or zone as table rows: when, who, action, reason, what changed."""
    return [{"when": when_text(e.at), "who": e.user, "action": e.action, "reason": e.reason,
             "changes": "; ".join(describe(e.before, e.after))} for e in entries]
