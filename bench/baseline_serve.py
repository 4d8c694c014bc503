"""The bare map served as the app is (serve.py): its modules are loaded by the server's startup hook."""
from __future__ import annotations

import gc
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    for name in ("folium", "folium.plugins", "geo.assets"):  # not streamlit_folium: see serve.py
        importlib.import_module(name)
    gc.freeze()  # as serve.py does
    yield


app = st.App("baseline_app.py", lifespan=lifespan)
