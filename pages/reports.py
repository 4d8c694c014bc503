"""Reports page: paste or upload reports, review the extracted events, and save them."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import services, vocab
from geo.cases import apply_update, link_candidates
from geo.errors import readable
from geo.extract.text import ReportError, read_report
from geo.layers import abductions_layer, attacks_layer
from geo.review import apply_review, events_at, highlight, relocate, review_rows
from geo.schema import TAXONOMY, ValidationError
from geo.storage import events_frame
from geo.tools.filters import split_layers
from geo.vocab import STATUS_LABELS
from pages.common import current_url, get_store, refresh_data, render_map, require_app_navigation
from pages.sidebar import current_user

require_app_navigation()


REVIEW = "review_batch"  # the extracted reports under review
REVIEW_TABLE = "review_table"
SAVED = "save_message"
SAVE = "save_button"
MAX_FILES = 50
DETECT = "Detect from the text"
COUNTRIES = {DETECT: None, **{c.name: code for code, c in vocab.COUNTRIES.items()}}
DATE_SOURCES = {"typed": "as typed above", "HTML meta": "from the HTML meta", "<time>": "from the page's <time> tag",
                "Published line": "from the report's Published line", "Updated line": "from the report's Updated line",
                "dateline": "from the dateline", "date line": "from the date line at the top",
                "": "from the report text"}
SUB_EVENTS = [s for subs in TAXONOMY.values() for s in subs]

st.title("Reports")
st.caption("Paste a report or upload .txt/.html files. Nothing is saved until you review the events and "
           "press Save; saved events are drafts until an editor publishes them (Review page).")
user = current_user()

with st.form("report_form"):
    text = st.text_area("Report text", key="report_text", height=180,
                        placeholder="Paste a news report in English or French…")
    files = st.file_uploader("Or upload reports", type=["txt", "html", "htm"], accept_multiple_files=True,
                             key="report_files")
    left, middle, right = st.columns(3)
    published = left.date_input(
        "Publication date", value=None, key="report_published", format="YYYY-MM-DD",
        help="Leave empty to take it from each report (HTML metadata, a 'Published' line, the dateline). "
             "A date typed here wins, for every report in this batch. Relative dates ('on Friday') "
             "resolve against it.")
    source = middle.text_input("Source", key="report_source", placeholder="e.g. France 24")
    country = right.selectbox("Reports are about", list(COUNTRIES), key="report_country",
                              help="'Detect from the text' finds the countries each report names; choose a "
                                   "country to override it for every report in this batch.")
    submitted = st.form_submit_button("Extract events", type="primary")

if submitted:
    inputs = [("pasted text", text.encode("utf-8"))] if text.strip() else []
    inputs += [(f.name, f.getvalue()) for f in (files or [])[:MAX_FILES]]
    if files and len(files) > MAX_FILES:
        st.warning(f"Only the first {MAX_FILES} files are read; upload the rest in another batch.")
    if not inputs:
        st.error("Paste a report or upload at least one file.")
    batch = []
    progress = st.progress(0.0, text="Extracting…") if inputs else None
    chosen = COUNTRIES.get(country)
    for number, (name, data) in enumerate(inputs, 1):
        try:
            report = read_report(data, name)
        except ReportError as exc:
            st.error(str(exc))
            continue
        result = services.extract_report(report, name, published=published, source=source.strip() or None,
                                         countries=[chosen] if chosen else None)
        batch.append({"name": name, "result": result, "events": list(result.events),
                      "source": source.strip() or name, "chosen_country": bool(chosen),
                      "published_from": "typed" if published else report.published_source})
        progress.progress(number / len(inputs), text=f"Extracted {number} of {len(inputs)}: {name}")
    st.session_state[REVIEW] = batch
    st.session_state.pop(REVIEW_TABLE, None)

if message := st.session_state.pop(SAVED, None):
    st.success(message)

batch = st.session_state.get(REVIEW) or []
for index, item in enumerate(batch):
    result, events = item["result"], item["events"]
    st.subheader(f"{item['name']}: {len(events)} event(s)")
    countries = ", ".join(vocab.display_name(c) for c in result.countries) or "none found"
    countries_note = "as chosen above" if item["chosen_country"] else "detected in the text"
    if result.published is not None:
        st.caption(f"Published {result.published.isoformat()}, {DATE_SOURCES.get(item['published_from'], '')}"
                   f" · Countries ({countries_note}): {countries}")
    else:
        st.caption(f"Publication date unknown · Countries ({countries_note}): {countries}")
        st.warning(f"{item['name']}: the report gives no publication date. Enter its publication date above and "
                   "extract again, so that relative dates (\"on Friday\", \"yesterday\") can be resolved; until "
                   "then those events have no date and cannot be saved.")
    st.markdown(highlight(result.text, result.places, events), unsafe_allow_html=True)
    doubtful = [m for m in result.places if not m.resolved or len(m.candidates) > 1]
    for m_index, mention in enumerate(doubtful):
        targets = events_at(events, mention)
        if not mention.resolved:
            st.warning(f"“{mention.text}” is not in the gazetteer: type its coordinates in the table below.")
            continue
        if not targets:
            continue
        cols = st.columns(min(len(mention.candidates), 4) + 1)
        cols[0].write(f"“{mention.text}” could be:")
        for c_index, cand in enumerate(mention.candidates[:4]):
            label = f"{cand.place.name} ({cand.place.country}, {cand.place.feature})"
            if cols[c_index + 1].button(label, key=f"cand_{index}_{m_index}_{c_index}"):
                item["events"] = [relocate(e, cand.place) if e.event_id_cnty in targets else e for e in events]
                st.session_state.pop(REVIEW_TABLE, None)
                st.rerun()

updates = [(item["name"], u) for item in batch for u in item["result"].hostages]
if updates:
    # what became of people held (issue 14): shown for the reviewer; linking them to a case comes with the case list
    st.markdown("**Hostage news in these reports**")
    st.dataframe(pd.DataFrame([{
        "report": name, "status": STATUS_LABELS[u.status], "date": u.when,
        "people": u.count, "nationalities": ", ".join(vocab.country_name(c) for c in dict.fromkeys(u.nationalities)),
        "occupation": u.occupation, "taken": u.taken_when, "taken where": u.taken_where, "held by": u.by,
        "note": "; ".join(u.notes), "evidence": u.evidence} for name, u in updates]),
        hide_index=True, width="stretch", key="hostage_updates")
    try:
        open_cases = get_store(current_url()).cases()
    except sqlalchemy.exc.SQLAlchemyError as exc:
        st.error(f"Could not read the hostage cases: {readable(exc)}")
        open_cases = []
    for u_index, (name, update) in enumerate(updates):
        proposals = link_candidates(update, open_cases)
        if not proposals:
            continue
        st.caption(f"{name}: “{update.evidence[:120]}” may be news of:")
        for p_index, proposal in enumerate(proposals[:3]):
            case = proposal.case
            label = (f"Link to the case of {case.location}, {case.taken or 'date unknown'} "
                     f"({'; '.join(proposal.reasons)})")
            if st.button(label, key=f"link_{u_index}_{p_index}", disabled=not user.can("ingest")):
                services.save_case(get_store(current_url()), apply_update(case, update, source=name), user=user)
                st.session_state[SAVED] = (f"Case of {case.location} ({case.taken}): "
                                           f"{STATUS_LABELS[update.status]} added to its history.")
                st.rerun()

all_events = [e for item in batch for e in item["events"]]
all_zones = [z for item in batch for z in item["result"].zones(item["source"])]
if batch and not all_events:
    st.info("No events found in these reports. Check the place names and dates, or add events by hand later.")
if all_events:
    dated = [e for e in all_events if e.event_date is not None]
    if dated:
        attacks, abductions = split_layers(events_frame(dated))
        render_map([attacks_layer(attacks), abductions_layer(abductions)], "review_map", height=380)
    if len(dated) < len(all_events):
        st.caption(f"{len(all_events) - len(dated)} event(s) without a date are not on the map: type their "
                   "date in the table below (or the publication date above).")
    st.markdown("**Review**: untick what is wrong, correct any cell, then save.")
    edited = st.data_editor(
        pd.DataFrame(review_rows(all_events)), key=REVIEW_TABLE, hide_index=True, width="stretch",
        disabled=["event_id_cnty", "claims"],
        column_config={
            "save": st.column_config.CheckboxColumn("save"),
            "event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD"),
            "sub_event_type": st.column_config.SelectboxColumn("sub_event_type", options=SUB_EVENTS),
            "latitude": st.column_config.NumberColumn("latitude", min_value=-90.0, max_value=90.0, format="%.4f"),
            "longitude": st.column_config.NumberColumn("longitude", min_value=-180.0, max_value=180.0,
                                                       format="%.4f"),
            "geo_precision": st.column_config.NumberColumn("geo_precision", min_value=1, max_value=3, step=1),
            "fatalities": st.column_config.NumberColumn("fatalities", min_value=0, step=1),
            "claims": st.column_config.TextColumn("claims (who said what)", width="large"),
        },
    )
    url = current_url()
    rows = edited.to_dict("records")
    problem = None
    plan = None
    try:
        # only stored events that could be the same incident are compared (services.DEDUP_WINDOW)
        plan = services.plan_ingest(get_store(url), apply_review(all_events, rows))
    except ValidationError as exc:
        problem = exc
        st.warning(f"Not ready to save: {exc}")
    except sqlalchemy.exc.SQLAlchemyError as exc:
        st.error(f"Could not read the events database ({url}): {readable(exc)}")
    if problem is not None:
        ticked = sum(1 for row in rows if row.get("save") in (True, 1))
        if st.button(f"Save {ticked} event(s)", key=SAVE, type="primary", disabled=not ticked):
            st.error(f"Nothing was saved: fix the table first ({problem}).")
    if plan is not None:
        for match in plan.matches:
            st.info(f"Will merge into stored event {match.existing}: {match.reason}.")
        save_zones = False
        if all_zones:
            st.markdown("**Territorial-control claims found**")
            st.dataframe(pd.DataFrame([{"area": z.area, "status": z.status, "actor": z.actor,
                                        "valid from": z.valid_from, "claimed by": z.source} for z in all_zones]),
                         hide_index=True, width="stretch", key="zones_table")
            save_zones = st.checkbox(f"Add these {len(all_zones)} assessment(s) to the control layer", value=True,
                                     key="save_zones")
        if st.button(f"Save {len(plan.events)} event(s) as drafts", key=SAVE, type="primary",
                     disabled=not plan.events or not user.can("ingest")):
            try:
                services.save_plan(get_store(url), replace(plan, zones=tuple(all_zones) if save_zones else ()),
                                   user=user)
            except ValidationError as exc:
                st.error(f"Nothing was saved: {exc}")
            except sqlalchemy.exc.SQLAlchemyError as exc:
                st.error(f"Nothing was saved: {readable(exc)}")
            else:
                refresh_data()
                zone_note = f" Added {len(all_zones)} control assessment(s)." if save_zones else ""
                st.session_state[SAVED] = (f"Saved {len(plan.events)} event(s) as drafts: {plan.merged} merged into "
                                           f"existing events, {plan.new} new.{zone_note} An editor publishes them "
                                           "from the Review page.")
                st.session_state.pop(REVIEW, None)
                st.session_state.pop(REVIEW_TABLE, None)
                st.rerun()
