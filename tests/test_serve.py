"""serve.py: before the server answers, its startup hook has run the app once; the server serves the app."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from geo.storage import open_store
from tests.browser import Server
from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path


def started(tmp_path: Path, env: dict[str, str] | None = None) -> str:
    """Start ``streamlit run serve.py`` on a database of its own, wait for its health check; its log so far."""
    server = Server(tmp_path, env=env)
    try:
        server.wait_healthy(timeout=120)
        return server.output()
    finally:
        server.stop()


def test_the_server_has_run_the_map_once_when_it_first_answers(tmp_path: Path) -> None:
    """The first visitor finds the map's work done: the database created and seeded, the run logged, and what was
    loaded frozen out of the garbage collector's way. If Streamlit's Runtime changes, this fails."""
    log = started(tmp_path)
    assert re.search(r"Ran app\.py once in \d+\.\d\d s", log), log
    frozen = re.search(r"Froze (\d+) objects", log)
    assert frozen and int(frozen[1]) > 10_000, log
    assert "showed an error" not in log, log
    store = open_store(str(tmp_path / "browser.sqlite"), seed=False)  # the page's first run created it
    try:
        assert not store.is_new() and store.count() > 0
    finally:
        store.engine.dispose()


def test_an_error_the_first_run_shows_is_in_the_log_and_the_server_still_answers(tmp_path: Path) -> None:
    """A database that cannot be opened (here a folder) is reported when the server starts, not first to a visitor."""
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    log = started(tmp_path, env={"CONFLICTMAP_DB": str(folder)})
    assert re.search(r"The first run of app\.py showed an error: Could not load the events database", log), log
    assert "Ran app.py once" in log, log


@pytest.mark.parametrize("launcher", ["serve.py", "bench/baseline_serve.py"])
def test_the_launcher_is_an_app_for_streamlit_run(launcher: str) -> None:
    """``streamlit run serve.py`` finds its st.App (Streamlit looks for it without running the file); so does the
    benchmark's bare map."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / launcher)
    assert found.is_asgi_app and found.app_name == "app"
