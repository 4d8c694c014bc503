"""Baseline for bench/first_map.py: a bare streamlit-folium map with one marker, served offline."""
from pathlib import Path

import folium
from streamlit_folium import st_folium

from geo.assets import localise

STATIC = Path(__file__).resolve().parent / "static"
fmap = folium.Map(location=(15.0, -7.0), zoom_start=6, tiles=None)
folium.CircleMarker((14.447, -11.445), radius=8, class_name="cm-attack").add_to(fmap)
st_folium(localise(fmap, STATIC), key="baseline", returned_objects=[], height=640, use_container_width=True)
