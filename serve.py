"""The server: ``streamlit run serve.py`` serves the app (``app.py``) once the first map's modules are loaded.

Streamlit imports a page's modules when its first visitor arrives, so on a server that has just
started (or restarted) the first person to open the map waited for them: 0.3-0.4 s of SQLAlchemy,
shapely and the app's own modules on this project's two-core machine (docs/benchmarks.md, issue 11).
Here they are imported by the server's startup hook (``st.App``'s lifespan, Streamlit's public ASGI
entry point), before the server answers its health check or any page; it starts that much later.
Only modules are loaded: the first visitor still opens the database and reads the events.

Then everything loaded so far is moved out of the garbage collector's reach (``gc.freeze()``, as servers
that load before they fork do): those modules, classes and functions live as long as the server, and a
full collection no longer walks them. Walking them, a full collection during a page's run took 50-60 ms;
now it takes about 5 ms.

``streamlit run app.py`` serves the same app without this (as while editing, with
``--server.fileWatcherType auto``).
"""
from __future__ import annotations

import gc
import importlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from streamlit.logger import get_logger  # Streamlit's own log format and level (its demo app does the same)

# What the Map (the page at /) imports on its first run; tests/test_serve.py checks that nothing of the app's
# is left for that run to import. Not streamlit_folium itself: a component is registered with the server only
# when declared (imported) during a script run; folium's plugins, most of its import, are loaded here.
FIRST_MAP_MODULES = ("folium.plugins", "pages.common", "pages.sidebar", "geo.assets", "geo.layers", "geo.regions",
                     "geo.tools.area_summary", "geo.tools.filters", "geo.tools.zones", "geo.query", "geo.basemap",
                     "geo.cases", "geo.io.boundaries", "sqlalchemy.dialects.sqlite")

log = get_logger("conflictmap.serve")


def warm_up() -> float:
    """Import :data:`FIRST_MAP_MODULES`, then freeze what is loaded out of the collector's way; returns the seconds
    it took."""
    start = time.perf_counter()
    for name in FIRST_MAP_MODULES:
        importlib.import_module(name)
    gc.freeze()
    return time.perf_counter() - start


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    """Streamlit's startup hook: the modules are loaded before the server answers any request."""
    log.info("Loaded the map's modules in %.2f s", warm_up())
    yield


app = st.App("app.py", lifespan=lifespan)
