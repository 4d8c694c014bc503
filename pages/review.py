"""Review page (editors): the drafts waiting for review, each with its source text and evidence, to publish, edit and
publish, or retract with a reason. Every decision is in the audit trail."""
from __future__ import annotations

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import services
from geo.audit import history_rows
from geo.errors import readable
from geo.schema import TAXONOMY, Event, ValidationError, validate_event
from geo.storage import EditConflict, when_text
from pages.common import current_url, get_store, refresh_data, require_app_navigation, stop_page
from pages.sidebar import current_user

require_app_navigation()

MESSAGE = "review_message"  # the last decision's outcome, shown once after the rerun
SHOWN = 30  # drafts shown at a time, oldest first
SUB_EVENTS = [s for subs in TAXONOMY.values() for s in subs]

st.title("Review")
user = current_user()
if not user.can("review"):  # the shell shows this page to editors only; a crafted request gets no further
    st.error(f"Reviewing drafts needs an editor; you are signed in as a {user.role.label}.")
    stop_page()
st.caption("Drafts saved from reports (Reports page, `python -m geo ingest`) and zones drawn by analysts wait here. "
           "Publish what the evidence supports, correct and publish, or retract with a reason. Published items "
           "appear on every map, export and briefing; retracted ones leave them but stay in the audit trail.")

if message := st.session_state.pop(MESSAGE, None):
    (st.error if message[0] == "error" else st.success)(message[1])

store = get_store(current_url())
try:
    queue = services.review_queue(store)
except sqlalchemy.exc.SQLAlchemyError as exc:
    st.error(f"Could not read the drafts: {readable(exc)}")
    stop_page()
if not queue:
    st.success("No drafts wait for review.")
    stop_page()
st.write(f"{len(queue)} draft(s) wait for review" + (f"; the {SHOWN} oldest are shown." if len(queue) > SHOWN
                                                      else "."))


def decide(kind: str, object_id: str, action: str, version: int, reason: str = "",
           edited: Event | None = None) -> None:
    """Publish, retract or edit-and-publish one draft, as the signed-in editor, refusing a stale version."""
    try:
        if action == "publish":
            services.publish(store, kind, [object_id], user=user, expected={object_id: version})
        elif action == "retract":  # the reason as typed now (a callback's args were fixed when the page was drawn)
            reason = st.session_state.get(f"reason_{object_id}", "")
            services.retract(store, kind, [object_id], user=user, reason=reason, expected={object_id: version})
        else:
            services.edit_and_publish(store, edited, user=user, opened_version=version, reason=reason)
    except EditConflict as exc:
        st.session_state[MESSAGE] = ("error", f"Not saved: {exc}")
    except ValidationError as exc:
        st.session_state[MESSAGE] = ("error", f"Not saved: {exc}")
    except sqlalchemy.exc.SQLAlchemyError as exc:
        st.session_state[MESSAGE] = ("error", f"Not saved: the database refused it ({readable(exc)})")
    else:
        refresh_data()
        done = {"publish": "Published", "retract": "Retracted", "edit": "Corrected and published"}[action]
        st.session_state[MESSAGE] = ("success", f"{done} {kind} {object_id}.")


def evidence(event: Event) -> None:
    """The claims with the sentences they come from, the notes and where each field was read."""
    if event.claims:
        st.dataframe(pd.DataFrame([{"claimant": c.claimant, "metric": c.metric, "value": c.value,
                                    "qualifier": c.qualifier, "source text": c.statement or "", "source": c.source}
                                   for c in event.claims]), hide_index=True, width="stretch",
                     key=f"claims_{event.event_id_cnty}")
    if event.notes:
        st.markdown(f"**Notes (from the report):** {event.notes}")
    if event.provenance:
        st.caption("Read from: " + "; ".join(sorted({f"{p.field} in {p.report}" + (
            f" (characters {p.start}–{p.end})" if p.start is not None else "") for p in event.provenance}))[:1500])


for index, item in enumerate(queue[:SHOWN]):
    state, saved = item.state, item.saved
    who = f"saved by {saved.user} at {when_text(saved.at)}" if saved else f"saved by {state.saved_by or 'unknown'}"
    was = " · **was published**: a new report changed it" if saved and saved.before and saved.before.get(
        "review_status") == "published" else ""
    with st.container(border=True, key=f"draft_{index}"):
        if item.kind == "event":
            e = item.item
            object_id = e.event_id_cnty
            st.markdown(f"**{e.sub_event_type}** at **{e.location}** ({e.admin1}, {e.country}), {e.event_date} · "
                        f"{e.actor1}{' vs ' + e.actor2 if e.actor2 else ''} · {e.fatalities} killed · "
                        f"event `{object_id}`, version {state.version}, {who}{was}")
            st.caption(f"Source: {e.source}")
            evidence(e)
        else:
            z = item.item
            object_id = z.zone_id
            st.markdown(f"**Zone** {z.area}: {z.status} ({z.actor or 'no actor'}) from {z.valid_from} · zone "
                        f"`{object_id}`, version {state.version}, {who}")
            st.caption(f"Source: {z.source}{' · claimed by ' + z.claimant if z.claimant else ''}")
            if z.evidence:
                st.markdown(f"**Evidence:** {z.evidence}")
            if z.notes:
                st.markdown(f"**Notes:** {z.notes}")
        left, middle = st.columns(2)
        left.button("Publish", key=f"publish_{object_id}", type="primary", on_click=decide,
                    args=(item.kind, object_id, "publish", state.version))
        middle.text_input("Reason to retract (kept in the audit trail)", key=f"reason_{object_id}",
                          placeholder="e.g. no second source; a duplicate of …")
        middle.button("Retract", key=f"retract_{object_id}", on_click=decide,
                      args=(item.kind, object_id, "retract", state.version))
        if item.kind == "event":
            with st.expander("Edit and publish"):
                with st.form(f"edit_{object_id}"):
                    c1, c2, c3 = st.columns(3)
                    day = c1.date_input("Date", value=e.event_date, key=f"edit_date_{object_id}")
                    sub = c2.selectbox("Sub-event type", SUB_EVENTS, key=f"edit_sub_{object_id}",
                                       index=SUB_EVENTS.index(e.sub_event_type) if e.sub_event_type in SUB_EVENTS
                                       else 0)
                    deaths = c3.number_input("Fatalities", min_value=0, step=1, value=int(e.fatalities),
                                             key=f"edit_fatalities_{object_id}")
                    c4, c5, c6 = st.columns(3)
                    location = c4.text_input("Location", value=e.location, key=f"edit_location_{object_id}")
                    lat = c5.number_input("Latitude", value=float(e.latitude), format="%.4f",
                                          key=f"edit_lat_{object_id}")
                    lon = c6.number_input("Longitude", value=float(e.longitude), format="%.4f",
                                          key=f"edit_lon_{object_id}")
                    actor1 = st.text_input("Actor 1", value=e.actor1, key=f"edit_actor1_{object_id}")
                    why = st.text_input("What was corrected (kept in the audit trail)", key=f"edit_why_{object_id}")
                    if st.form_submit_button("Save and publish", type="primary"):
                        event_type = next(t for t, subs in TAXONOMY.items() if sub in subs)
                        try:
                            edited = validate_event({
                                **e.to_dict(), "event_date": day, "event_type": event_type, "sub_event_type": sub,
                                "fatalities": int(deaths), "location": location, "latitude": lat, "longitude": lon,
                                "actor1": actor1, "year": None, "disorder_type": "", "interaction": ""})
                        except ValidationError as exc:
                            st.error(f"Not saved: {exc}")
                        else:
                            decide("event", object_id, "edit", state.version, why, edited)
                            st.rerun()
        history = services.history(store, item.kind, object_id)
        if history:
            with st.expander(f"History ({len(history)})"):
                st.dataframe(pd.DataFrame(history_rows(history)), hide_index=True, width="stretch",
                             key=f"history_{object_id}")
