"""Hostage cases: open cases oldest first, each with its timeline, and the CSV of every case."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import vocab
from geo.cases import cases_csv
from geo.errors import readable
from geo.vocab import STATUS_LABELS
from pages.common import current_url, get_store, require_app_navigation, stop_page

require_app_navigation()

st.title("Hostage cases")
st.caption("People taken in an abduction and what became of them, each status with the report it comes from. "
           "News of a release, a death or a proof of life is linked to a case by a person, from the Reports page.")

try:
    cases = get_store(current_url()).cases()
except sqlalchemy.exc.SQLAlchemyError as exc:
    st.error(f"Could not read the cases: {readable(exc)}")
    stop_page()

today = date.today()
open_cases = [c for c in cases if c.is_open]
st.metric("Open cases", len(open_cases), help="Cases whose latest news is not a release, a death or an escape.")
st.download_button("Download every case (CSV, one row per case)", cases_csv(cases, today),
                   file_name="hostage_cases.csv", mime="text/csv", key="cases_csv", on_click="ignore")
if not cases:
    st.info("No cases yet: an abduction saved from a report or an import opens one.")
for case in open_cases + [c for c in cases if not c.is_open]:
    people = f"{case.victims} people" if case.victims else "people (number unknown)"
    who = ", ".join(vocab.country_name(c) for c in dict.fromkeys(case.nationalities)) or "nationality not stated"
    held = case.days_held(today)
    title = (f"{case.location} · {case.taken.isoformat() if case.taken else 'date unknown'} · {people} ({who}) · "
             f"{STATUS_LABELS.get(case.status, case.status)}" + (f" · {held} days" if held is not None else ""))
    with st.expander(title, expanded=case.is_open):
        st.write(f"Taken by {case.by} ({case.attribution})" if case.by else "Taken by a group no report names")
        timeline = [{"date": case.taken, "status": "taken", "source": case.event_id_cnty, "evidence": ""}]
        timeline += [{"date": c.when, "status": STATUS_LABELS.get(c.status, c.status), "source": c.source,
                      "evidence": c.evidence} for c in sorted(case.history, key=lambda c: c.when or date.min)]
        st.dataframe(pd.DataFrame(timeline), hide_index=True, width="stretch", key=f"timeline_{case.case_id}")
