"""Shared fixtures: a fresh database per test, the repo root, and ../shared when present."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import pandas as pd
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new SQLite file for this test, also selected through CONFLICTMAP_DB."""
    path = tmp_path / "events.sqlite"
    monkeypatch.setenv("CONFLICTMAP_DB", str(path))
    return str(path)


@pytest.fixture(scope="session")
def frame() -> pd.DataFrame:
    """The demo events as a frame (ACLED columns plus extensions)."""
    from geo.io.demo import load_demo_events
    from geo.storage import events_frame

    return events_frame(load_demo_events())


@pytest.fixture(scope="session")
def zones() -> pd.DataFrame:
    """The demo control-zone assessments as a GeoDataFrame."""
    from geo.io.demo import load_demo_zones
    from geo.storage import zones_frame

    return zones_frame(load_demo_zones())


@pytest.fixture
def shared() -> Path:
    """The ../shared reference folder; tests using it skip on a machine without it."""
    if not SHARED.is_dir():
        pytest.skip(f"reference folder {SHARED} is absent (it exists on developer machines and in CI only)")
    return SHARED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201 - pytest hook
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


APP_TIMEOUT = 30  # seconds: geopandas imports slowly


def open_page(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Run the app in AppTest (with URL ``query`` parameters), switch to ``page``, and check it raised nothing."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.query_params.update(query or {})
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def require_browser() -> str:
    """Path to Chromium; a failure when CONFLICTMAP_REQUIRE_BROWSER=1 (CI), else a skip."""
    path = os.environ.get("CONFLICTMAP_CHROMIUM", "/usr/bin/chromium")
    if Path(path).exists():
        return path
    message = f"no Chromium at {path} (apt-get install -y chromium)"
    if os.environ.get("CONFLICTMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and CONFLICTMAP_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(message)
