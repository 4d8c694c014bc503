"""Conflict Map: page config and navigation only; the pages live in pages/."""
from pathlib import Path

import streamlit as st

ICON = Path(__file__).parent / "static" / "favicon.png"

st.set_page_config(page_title="Conflict Map · Sahel", page_icon=str(ICON), layout="wide")
st.navigation([
    st.Page("pages/map_view.py", title="Map", icon=":material/map:", default=True),  # served at /
    st.Page("pages/events.py", title="Events", icon=":material/table:", url_path="events"),
    st.Page("pages/briefing.py", title="Briefing", icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/control.py", title="Control", icon=":material/layers:", url_path="control"),
    st.Page("pages/reports.py", title="Reports", icon=":material/article:", url_path="reports"),
    st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import"),
]).run()
