"""Import page: load ACLED or UCDP GED exports into the database, with progress, all or nothing."""
from __future__ import annotations

import io

import pandas as pd
import sqlalchemy.exc
import streamlit as st

from geo import services
from geo.errors import ImportFailed, readable
from geo.io.acled import ImportFormatError
from geo.io.load import Progress
from pages.common import current_url, get_store, refresh_data, require_app_navigation
from pages.sidebar import current_user

require_app_navigation()

RESULT = "import_result"  # the last import's summary, shown until the next one

st.title("Import")
st.caption("ACLED exports (current or older layouts, monadic or dyadic, pre-2019 taxonomy) and UCDP GED CSV files. "
           "Rows that fail validation are listed with their line and reason; the rest are imported. Importing a "
           "file again replaces its events rather than adding duplicates. A file is saved whole or not at all. "
           "Files larger than the upload limit (200 MB) import from the command line: "
           "`python -m geo import FILE`.")

with st.form("import_form"):
    upload = st.file_uploader("Export file (.csv)", type=["csv"], key="import_file")
    fmt = st.selectbox("Format", ["auto", "acled", "ucdp"], key="import_format")
    submitted = st.form_submit_button("Import", type="primary")

if submitted:
    if upload is None:
        st.error("Choose a CSV export to import.")
    else:
        bar = st.progress(0.0, text=f"Reading {upload.name}…")

        def show(progress: Progress) -> None:
            bar.progress(progress.fraction, text=f"{upload.name}: {progress.text()}")

        rejects = io.StringIO()
        try:
            result = services.import_file(get_store(current_url()), upload, fmt, show, name=upload.name,
                                          rejects=rejects, user=current_user())  # issue 13: role checked
        except ImportFormatError as exc:
            bar.empty()
            st.error(f"{upload.name}: {exc}")
        except ImportFailed as exc:
            bar.empty()
            st.error(str(exc))
        except sqlalchemy.exc.SQLAlchemyError as exc:  # the database could not be opened
            bar.empty()
            st.error(f"{upload.name}: nothing was saved: {readable(exc)}")
        else:
            bar.progress(1.0, text=f"{upload.name}: {result.rows:,} rows in {result.seconds:.1f} s · "
                                   f"{result.rate:,.0f} rows/s")
            refresh_data()
            st.session_state[RESULT] = {
                "name": upload.name, "format": result.format, "rows": result.rows, "imported": result.imported,
                "seconds": result.seconds, "rate": result.rate, "rejected": result.rejected,
                "rejected_count": result.rejected_count, "rejection_csv": rejects.getvalue()}

summary = st.session_state.get(RESULT)
if summary:
    st.success(f"{summary['name']} ({summary['format']}): {summary['rows']:,} rows read, "
               f"{summary['imported']:,} events imported, {summary['rejected_count']:,} rows rejected, "
               f"in {summary['seconds']:.1f} s ({summary['rate']:,.0f} rows/s).")
    if summary["rejected_count"]:
        if summary["rejected_count"] > len(summary["rejected"]):
            st.caption(f"The first {len(summary['rejected']):,} of {summary['rejected_count']:,} rejected rows; "
                       "the download has them all.")
        st.dataframe(pd.DataFrame(summary["rejected"], columns=["line", "reason"]), hide_index=True,
                     width="stretch", key="rejected_table")
        st.download_button("Download the rejected rows (CSV)", data=summary["rejection_csv"],
                           file_name="rejected_rows.csv", mime="text/csv", key="rejected_download")
