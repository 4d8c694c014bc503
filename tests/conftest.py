"""Shared fixtures: a fresh database per test, the repo root, and ../shared when present."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
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


def map_figures(at: AppTest) -> dict[str, int]:
    """The Map's headline figures (events, fatalities, abducted, zones) from the line of text that shows them."""
    from pages.common import headline_figures

    lines = [m.value for m in at.markdown if "control zones shown" in m.value]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return headline_figures(lines[0])


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


# -- a server's first map in a fresh interpreter (what a restarted server imports and does) ---------------------
FIRST_MAP = ("from streamlit.testing.v1 import AppTest\n"
             "at = AppTest.from_file('app.py', default_timeout=60).run()\n"
             "assert not at.exception, at.exception\n")


def run_python(code: str, env: dict[str, str]) -> str:
    """Run ``code`` in a fresh interpreter in the repo with ``env`` added; the last line it printed."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def restarted_server(tmp_path: Path) -> dict[str, str]:
    """The environment of a server restarted on a database of its own: a first interpreter has drawn the map once
    (creating and seeding the database, writing the borders file), as the server did before it stopped."""
    env = {"CONFLICTMAP_DB": str(tmp_path / "restarted.sqlite")}
    run_python(FIRST_MAP, env)
    return env


def require_browser() -> str:
    """Path to Chromium; a failure when CONFLICTMAP_REQUIRE_BROWSER=1 (CI), else a skip."""
    path = os.environ.get("CONFLICTMAP_CHROMIUM", "/usr/bin/chromium")
    if Path(path).exists():
        return path
    message = f"no Chromium at {path} (apt-get install -y chromium)"
    if os.environ.get("CONFLICTMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and CONFLICTMAP_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(message)


# -- PostgreSQL --------------------------------------------------------------------------------------------
PG_SCRIPT = ROOT / "deploy" / "postgres.sh"  # starts a cluster in a data directory of its own (docs/deploy.md)
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS = Path("/usr/share/postgresql/15/extension/postgis.control")


def require_postgres() -> None:
    """PostgreSQL 15 with PostGIS 3 present; a failure when CONFLICTMAP_REQUIRE_POSTGRES=1 (CI), else a skip."""
    if (PG_BIN / "pg_ctl").exists() and POSTGIS.exists():
        return
    message = f"no PostgreSQL 15 with PostGIS at {PG_BIN} (apt-get install -y postgresql-15 postgresql-15-postgis-3)"
    if os.environ.get("CONFLICTMAP_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " and CONFLICTMAP_REQUIRE_POSTGRES=1", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A temporary PostgreSQL cluster for the test session; its database ``conflictmap``, at the newest
    revision, is the template of each test's database. Yields that database's URL."""
    import shutil
    import subprocess
    import tempfile

    require_postgres()
    base = Path(tempfile.mkdtemp(prefix="conflictmap-pg-"))
    base.chmod(0o755)  # the server runs as user postgres when the tests run as root
    data = base / "data"
    env = {**os.environ, "PG_FSYNC": "off"}  # a throwaway cluster
    started = subprocess.run([str(PG_SCRIPT), "start", str(data), str(free_port())], capture_output=True, text=True,
                             env=env, check=False)
    if started.returncode:
        pytest.fail(f"deploy/postgres.sh start failed: {started.stderr}", pytrace=False)
    url = started.stdout.strip().splitlines()[-1]
    try:
        from geo import db

        db.upgrade(url)
        yield url
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", str(data)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def pg_database(server_url: str, name: str, *, migrated: bool = True) -> str:
    """A new database on the session's cluster (at the newest revision, or empty with PostGIS only)."""
    import sqlalchemy as sa

    admin = sa.create_engine(sa.engine.make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    template = sa.engine.make_url(server_url).database if migrated else "template1"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    admin.dispose()
    url = sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    if not migrated:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        engine.dispose()
    return url


_pg_count = iter(range(10**9))


@pytest.fixture
def pg_url(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new PostgreSQL database at the newest revision for this test, also selected through CONFLICTMAP_DB."""
    url = pg_database(pg_server, f"test_{next(_pg_count)}")
    monkeypatch.setenv("CONFLICTMAP_DB", url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new database on each backend (a SQLite file; a PostgreSQL database at the newest revision).

    Also selected through CONFLICTMAP_DB. Open it with ``open_store(any_db, seed=False)``.
    """
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    path = str(tmp_path / "events.sqlite")
    monkeypatch.setenv("CONFLICTMAP_DB", path)
    return path
