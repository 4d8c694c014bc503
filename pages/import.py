"""Import page: load ACLED or UCDP GED exports into the database."""
from __future__ import annotations

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import services
from geo.errors import readable
from geo.io.acled import ImportFormatError
from pages.common import current_url, get_store, refresh_data, require_app_navigation

require_app_navigation()

RESULT = "import_result"  # the last import's summary, shown until the next one

st.title("Import")
st.caption("ACLED exports (current or older layouts, monadic or dyadic, pre-2019 taxonomy) and UCDP GED CSV files. "
           "Rows that fail validation are listed with their line and reason; the rest are imported. Importing a "
           "file again replaces its events rather than adding duplicates.")

with st.form("import_form"):
    upload = st.file_uploader("Export file (.csv)", type=["csv"], key="import_file")
    fmt = st.selectbox("Format", ["auto", "acled", "ucdp"], key="import_format")
    submitted = st.form_submit_button("Import", type="primary")

if submitted:
    if upload is None:
        st.error("Choose a CSV export to import.")
    else:
        bar = st.progress(0.0, text=f"Reading {upload.name}…")
        data = upload.getvalue()
        approx_rows = max(1, data.count(b"\n"))
        try:
            result = services.import_file(
                get_store(current_url()), data, fmt,
                progress=lambda n: bar.progress(min(n / approx_rows, 1.0) * 0.9, text=f"Read {n:,} rows…"))
        except ImportFormatError as exc:
            bar.empty()
            st.error(f"{upload.name}: {exc}")
        except sqlalchemy.exc.SQLAlchemyError as exc:
            bar.empty()
            st.error(f"{upload.name}: nothing was saved: {readable(exc)}")
        else:
            bar.progress(1.0, text="Done")
            refresh_data()
            st.session_state[RESULT] = {
                "name": upload.name, "format": result.format, "rows": result.rows,
                "imported": len(result.events), "rejected": result.rejected,
                "rejection_csv": result.rejection_csv()}

summary = st.session_state.get(RESULT)
if summary:
    st.success(f"{summary['name']} ({summary['format']}): {summary['rows']:,} rows read, "
               f"{summary['imported']:,} events imported, {len(summary['rejected']):,} rows rejected.")
    if summary["rejected"]:
        st.dataframe(pd.DataFrame(summary["rejected"], columns=["line", "reason"]), hide_index=True,
                     width="stretch", key="rejected_table")
        st.download_button("Download the rejected rows (CSV)", data=summary["rejection_csv"],
                           file_name="rejected_rows.csv", mime="text/csv", key="rejected_download")
