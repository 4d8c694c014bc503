"""The server: ``streamlit run serve.py`` serves the app (``app.py``) once it has run the app's first page itself.

On a server that has just started (or restarted), the first person to open the map used to pay for
everything Streamlit does once per process: importing the page's modules, opening the database, reading
the default view's events, rendering its layers and compiling folium's templates. On this project's
two-core machine that made the first map after a restart about 0.3 s slower than any later one
(docs/benchmarks.md, issue 11). Here the server's startup hook (``st.App``'s lifespan) runs the app once,
as for a visitor opening ``/`` with no query string, in a session of its own whose output goes nowhere,
before the server answers its health check or any page. What that run caches (``st.cache_resource``: the
store, the timeline's choices, the default view's map data and layers) is shared by every session, so the
first visitor's run is as fast as anyone's. An error or exception the run shows is logged: a database that
cannot be read is in the server's log at startup.

The session is driven through Streamlit's ``Runtime`` (``connect_session``, ``handle_backmsg``,
``close_session``), the interface its own WebSocket handler and agent API drive sessions with; it is not
part of the ``st.*`` API, so tests/test_serve.py starts a real server and fails if the run stops happening.

Then everything loaded so far is moved out of the garbage collector's reach (``gc.freeze()``, as servers
that load before they fork do): those modules, classes and functions live as long as the server, and a
full collection no longer walks them. Walking them, a full collection during a page's run took 50-60 ms;
frozen, about 5 ms.

``streamlit run app.py`` serves the same app without this (as while editing, with
``--server.fileWatcherType auto``). bench/baseline_serve.py serves the benchmark's bare map with the same hook.
"""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from streamlit.logger import get_logger  # Streamlit's own log format and level (its demo app does the same)
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from streamlit.runtime.session_manager import SessionClient

FIRST_RUN_TIMEOUT_S = 60.0  # a startup run that takes longer is stopped, and the first visitor's run does the work

log = get_logger("conflictmap.serve")


class _Nowhere(SessionClient):
    """The client of the startup run's session: it drops the page, keeps the errors it shows, notes the run's end."""

    def __init__(self) -> None:
        self.finished = asyncio.Event()
        self.errors: list[str] = []

    def write_forward_msg(self, msg: ForwardMsg) -> None:  # called on the server's event loop
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                self.errors.append(f"{element.exception.type}: {element.exception.message}")
            elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                self.errors.append(element.alert.body)
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished.set()


async def first_run(timeout: float = FIRST_RUN_TIMEOUT_S) -> list[str]:
    """Run the served script once, as for a new visitor to ``/``; returns the errors its page showed.

    Raises TimeoutError when the run has not finished within ``timeout`` seconds (the session is closed then).
    """
    runtime = Runtime.instance()
    client = _Nowhere()
    session = runtime.connect_session(client=client, user_info={})
    try:
        rerun = BackMsg()
        rerun.rerun_script.CopyFrom(ClientState())  # no query string, no page: the default page
        runtime.handle_backmsg(session, rerun)
        await asyncio.wait_for(client.finished.wait(), timeout)
    finally:
        runtime.close_session(session)
    return client.errors


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    """Streamlit's startup hook: the served script runs once (:func:`first_run`) before the server answers any
    request, then what is loaded is frozen."""
    name, start = app.script_path.name, time.perf_counter()
    try:
        errors = await first_run()
    except TimeoutError:
        log.warning("The first run of %s did not finish in %.0f s; serving it anyway", name, FIRST_RUN_TIMEOUT_S)
    else:
        for error in errors:
            log.warning("The first run of %s showed an error: %s", name, error)
        log.info("Ran %s once in %.2f s", name, time.perf_counter() - start)
    gc.collect()  # the startup run's garbage, before the survivors are frozen
    gc.freeze()
    log.info("Froze %d objects out of the garbage collector's way", gc.get_freeze_count())
    yield


app = st.App("app.py", lifespan=lifespan)  # Streamlit finds this assignment without running the file
