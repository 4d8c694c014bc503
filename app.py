"""Conflict Map: page config and navigation only; the pages live in pages/."""
import streamlit as st

st.set_page_config(page_title="Conflict Map · Sahel", page_icon=":material/map:", layout="wide")
st.navigation([
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
    st.Page("pages/events.py", title="Events", icon=":material/table:", url_path="events"),
]).run()
