"""Territorial control page: what changed between two dates, drawing and editing assessments, and their history."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import sqlalchemy.exc
import streamlit as st
from shapely.geometry import mapping

from geo import services
from geo.audit import history_rows
from geo.errors import readable
from geo.layers import changes_layer, control_layer
from geo.schema import CONTROL_STATUSES, ValidationError
from geo.storage import ZoneConflict
from geo.tools.zones import changes
from pages.common import current_url, get_store, refresh_data, render_map, require_app_navigation, zones_or_stop
from pages.sidebar import current_user

require_app_navigation()

NEW = "New zone (draw it on the map)"

zones = zones_or_stop()  # the assessments only: this page needs no event
user = current_user()
st.title("Territorial control")
st.caption("Dated assessments of who controls, influences, contests or blockades an area, each with its source. "
           "Every saved edit is kept in the zone's history.")


changes_tab, edit_tab, history_tab = st.tabs(["Changes", "Draw or edit", "History"])

with changes_tab:
    first = zones["valid_from"].min().date() if len(zones) else date(2012, 1, 1)
    left, right = st.columns(2)
    before = left.date_input("Before", value=date(2023, 1, 1), min_value=first, key="change_before")
    after = right.date_input("After", value=date.today(), min_value=first, key="change_after")
    changed = changes(zones, before, after)
    st.write(f"{len(changed)} area(s) changed between {before:%d %b %Y} and {after:%d %b %Y}.")
    if len(changed):
        st.dataframe(pd.DataFrame(changed.drop(columns="geometry")), hide_index=True, width="stretch",
                     key="changes_table")
    render_map([changes_layer(changed)], "changes_map", height=520)

def draft_label(row: object) -> str:
    return " · DRAFT" if getattr(row, "review_status", "published") == "draft" else ""


def edit_zones() -> None:
    """The Draw or edit tab (a function, so a role that may not draw returns early and the History tab still shows)."""
    # issue 13: an editor edits any zone (published); an analyst draws new zones and edits drafts (drafts)
    editable = zones if user.can("edit_zone") else zones[zones.get("review_status", pd.Series(
        "published", index=zones.index)).eq("draft")]
    labels = {f"{r.area} · {r.status} · from {r.valid_from:%Y-%m-%d} ({r.zone_id}){draft_label(r)}": r.zone_id
              for r in editable.sort_values(["area", "valid_from"]).itertuples()}
    if not user.can("draft"):
        st.info(f"You are signed in as a {user.role.label}: drawing and editing zones needs an analyst (drafts) "
                "or an editor.")
        return
    if not user.can("edit_zone"):
        st.caption("As an analyst you can draw new zones and edit drafts (switch on “Include drafts” to list "
                   "yours); they are saved as drafts for an editor to publish.")
    picked = st.selectbox("Assessment", [NEW, *labels], key="zone_pick")
    current = None if picked == NEW else zones[zones["zone_id"] == labels[picked]].iloc[0]
    shown = zones.iloc[0:0] if current is None else zones[zones["zone_id"] == current.zone_id]
    result = render_map([control_layer(shown)], "zone_edit_map", height=520, draw=True,
                        returned_objects=("last_active_drawing",))
    drawing = (result or {}).get("last_active_drawing")
    if drawing:
        st.success("Using the shape you drew.")
    suffix = "new" if current is None else current.zone_id  # fresh widgets for each assessment picked
    opened = f"zone_opened_{suffix}"  # the version this edit started from, for the save to check
    if current is not None and opened not in st.session_state:
        stored = get_store(current_url()).zone_version(current.zone_id)
        st.session_state[opened] = stored.version if stored is not None else None
    with st.form("zone_form"):
        area = st.text_input("Area", value="" if current is None else current.area, key=f"zone_area_{suffix}")
        c1, c2 = st.columns(2)
        status = c1.selectbox("Status", CONTROL_STATUSES, key=f"zone_status_{suffix}",
                              index=0 if current is None else CONTROL_STATUSES.index(current.status))
        actor = c2.text_input("Actor", value="" if current is None else current.actor,
                              key=f"zone_actor_{suffix}")
        c3, c4, c5 = st.columns(3)
        valid_from = c3.date_input("Valid from", key=f"zone_from_{suffix}",
                                   value=date.today() if current is None else current.valid_from.date())
        open_ended = c4.checkbox("Still valid", key=f"zone_open_{suffix}",
                                 value=current is None or pd.isna(current.valid_to))
        valid_to = c5.date_input("Valid to", key=f"zone_to_{suffix}",
                                 value=date.today() if current is None or pd.isna(current.valid_to)
                                 else current.valid_to.date())
        source = st.text_input("Source of the claim", value="" if current is None else current.source,
                               key=f"zone_source_{suffix}")
        claimant = st.text_input("Claimed by", value="" if current is None else current.claimant,
                                 key=f"zone_claimant_{suffix}")
        notes = st.text_area("Notes", value="" if current is None else current.notes, key=f"zone_notes_{suffix}")
        linked = st.text_input("Linked event ids (comma-separated)", key=f"zone_linked_{suffix}",
                               value="" if current is None else ", ".join(current.linked_events))
        note = st.text_input("What changed (kept in the history)", key=f"zone_note_{suffix}")
        submitted = st.form_submit_button("Save assessment", type="primary")
    if submitted:
        if drawing:
            geometry, kind = drawing.get("geometry"), "drawn"
        elif current is not None:
            geometry, kind = mapping(current.geometry), current.kind
        else:
            geometry, kind = None, "drawn"
        if geometry is None:
            st.error("Draw the zone on the map first (polygon or rectangle tool).")
        else:
            try:
                zone = services.save_zone(get_store(current_url()), user=user, fields={
                    "area": area, "status": status, "actor": actor, "valid_from": valid_from,
                    "valid_to": None if open_ended else valid_to, "geometry": geometry, "source": source,
                    "claimant": claimant, "notes": notes, "linked_events": linked, "kind": kind},
                    zone_id=None if current is None else current.zone_id, note=note,
                    opened_version=st.session_state.get(opened))
            except ZoneConflict as exc:
                st.session_state.pop(opened, None)  # pick the zone again to edit the newer version
                st.error(f"Not saved: {exc}")
            except ValidationError as exc:
                st.error(f"Not saved: {exc}")
            except sqlalchemy.exc.SQLAlchemyError as exc:
                st.error(f"Not saved: the database refused it ({readable(exc)})")
            else:
                st.session_state.pop(opened, None)
                refresh_data()
                saved_as = "published" if user.can("edit_zone") else "a draft for review"
                st.success(f"Saved “{zone.area}” ({zone.status}), {saved_as}.")

with edit_tab:
    edit_zones()

with history_tab:
    names = {f"{r.area} · from {r.valid_from:%Y-%m-%d} ({r.zone_id})": r.zone_id for r in zones.itertuples()}
    chosen = st.selectbox("Assessment", list(names), key="history_pick", index=None,
                          placeholder="Choose an assessment")
    if chosen:
        store = get_store(current_url())
        versions = store.zone_history(names[chosen])
        authors = store.zone_authors(names[chosen])
        st.dataframe(pd.DataFrame([{
            "version": v, "saved": datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "by": authors.get(v) or "", "note": n, "status": z.status, "actor": z.actor, "valid from": z.valid_from,
            "valid to": z.valid_to, "source": z.source} for v, t, n, z in versions]), hide_index=True,
            width="stretch", key="history_table")
        trail = history_rows(services.history(store, "zone", names[chosen]))
        if trail:
            st.caption("Audit trail: who changed what, and why (reviews included)")
            st.dataframe(pd.DataFrame(trail), hide_index=True, width="stretch", key="zone_audit_table")
