"""The bare map served as the app is (serve.py): the server's startup hook runs it once before it answers."""
from __future__ import annotations

import streamlit as st

from serve import lifespan

app = st.App("baseline_app.py", lifespan=lifespan)
