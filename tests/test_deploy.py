"""The team server: deploy/stack.sh starts PostgreSQL, two app replicas and nginx; saves show across replicas.

Browsers pick their replica with nginx's sticky cookie (``cm_replica``), each response names the replica
that served it (``X-Replica``). Also: an import by another process shows in a running app on SQLite.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from geo.io.export import to_csv
from geo.storage import Store
from tests.conftest import ROOT, free_port, map_figures, open_page, require_browser, require_postgres
from tests.factories import make_event

STACK = ROOT / "deploy" / "stack.sh"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def test_an_import_by_another_process_shows_on_the_next_run(db_url: str, tmp_path: Path) -> None:
    at = open_page()
    assert map_figures(at)["events"] == 10
    csv_file = tmp_path / "new.csv"
    csv_file.write_text(to_csv([make_event(event_id_cnty="CLI1", event_date=date(2025, 6, 20))]), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "geo", "import", str(csv_file)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    at.run()  # a reload: the cached events are keyed on the data version, which the import raised
    assert map_figures(at)["events"] == 11


@dataclass
class Stack:
    run: Path
    url: str
    replicas: dict[str, int]  # replica address -> pid

    def route_key(self, replica: str) -> str:
        """A cm_replica cookie value nginx sends to ``replica`` (found by asking nginx, not by guessing its hash)."""
        for n in range(200):
            key = f"k{n}"
            request = urllib.request.Request(self.url + "_stcore/health", headers={"Cookie": f"cm_replica={key}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.headers["X-Replica"] == replica:
                    return key
        raise AssertionError(f"no cookie routes to {replica}")


def stack_port() -> int:
    """A port P with P (nginx), P+1, P+2 (replicas) and P+1000 (PostgreSQL) free, as deploy/stack.sh uses them."""
    import socket

    while True:
        port = free_port()
        if port + 1000 > 65535:
            continue
        try:
            for p in (port + 1, port + 2, port + 1000):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", p))
        except OSError:
            continue
        return port


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    require_postgres()
    if not Path("/usr/sbin/nginx").exists():
        message = "no nginx (apt-get install -y nginx)"
        if os.environ.get("CONFLICTMAP_REQUIRE_POSTGRES") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    run = Path(tempfile.mkdtemp(prefix="conflictmap-stack-"))
    run.chmod(0o755)  # PostgreSQL runs as user postgres when the tests run as root
    port = stack_port()
    started = subprocess.run([str(STACK), "start", str(run), "--replicas", "2", "--port", str(port), "--demo"],
                             capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHON": sys.executable})
    if started.returncode:
        subprocess.run([str(STACK), "stop", str(run)], check=False)
        pytest.fail(f"deploy/stack.sh start failed: {started.stderr}", pytrace=False)
    pids = {f"127.0.0.1:{port + i}": int((run / f"replica-{i}.pid").read_text()) for i in (1, 2)}
    yield Stack(run=run, url=started.stdout.strip().splitlines()[-1], replicas=pids)
    subprocess.run([str(STACK), "stop", str(run)], check=True, timeout=120)
    for pid in pids.values():  # stopped cleanly: no replica left behind
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not (run / "nginx" / "nginx.pid").exists() and not (run / "pg" / "postmaster.pid").exists()
    shutil.rmtree(run, ignore_errors=True)


def test_a_save_through_one_replica_shows_through_the_other(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    a, b = sorted(stack.replicas)
    report = (ROOT / "data" / "reports" / "2025-09-05_kayes_nioro_blockade_en.txt").read_text(encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_browser(), args=CHROMIUM_ARGS)
        try:
            pages = {}
            for replica in (a, b):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_cookies([{"name": "cm_replica", "value": stack.route_key(replica), "url": stack.url}])
                pages[replica] = context.new_page()
                served = pages[replica].goto(stack.url)
                assert served.headers["x-replica"] == replica
            viewer = pages[b]
            viewer.locator(MAP_IFRAME).wait_for()
            attacks = viewer.frame_locator(MAP_IFRAME).locator("path.cm-attack")
            expect(attacks).to_have_count(9)  # replica B has the demo events cached

            editor = pages[a]
            editor.goto(stack.url + "reports")
            editor.get_by_label("Report text").fill(report)
            editor.get_by_role("button", name="Extract events").click()
            editor.get_by_role("button", name="Save 2 event(s)").click()
            expect(editor.get_by_text("Saved 2 event(s)")).to_be_visible()
            editor.goto(stack.url + "review")  # saved as drafts: published from the Review page (issue 13)
            for _ in range(2):
                editor.get_by_role("button", name="Publish", exact=True).first.click()
                expect(editor.get_by_text("Published event")).to_be_visible()

            assert viewer.reload().headers["x-replica"] == b
            viewer.locator(MAP_IFRAME).wait_for()
            expect(viewer.frame_locator(MAP_IFRAME).locator("path.cm-attack")).to_have_count(11)
        finally:
            browser.close()


def test_a_replica_killed_during_an_import_leaves_all_or_nothing_and_the_other_serves(stack: Stack,
                                                                                     tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from bench.synth import write

    a, b = sorted(stack.replicas)
    store = Store(stack_db(stack))
    before = store.count()
    big = write(50_000, tmp_path / "big.csv")  # three chunks: killed after the first is written
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=require_browser(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "cm_replica", "value": stack.route_key(a), "url": stack.url}])
            page = context.new_page()
            page.goto(stack.url + "import")
            page.locator('input[type="file"]').set_input_files(str(big))
            page.get_by_role("button", name="Import").click()
            expect(page.get_by_text("20,000 of about 50,000 rows")).to_be_visible(timeout=120_000)  # mid-import
            os.kill(stack.replicas[a], signal.SIGKILL)

            other = browser.new_context().new_page()
            served = other.goto(stack.url)
            assert served.headers["x-replica"].split(", ")[-1] == b  # after A, if its cookie hashed there
            other.locator(MAP_IFRAME).wait_for()
            expect(other.frame_locator(MAP_IFRAME).locator(".leaflet-control-layers")).to_be_visible()
            # the killed replica's browsers are sent to the one left (nginx names each replica it tried)
            assert page.reload().headers["x-replica"].split(", ")[-1] == b
        finally:
            browser.close()
    assert store.count() in (before, before + 50_000)
    with store.engine.connect() as conn:
        orphans = conn.exec_driver_sql("SELECT count(*) FROM claims c LEFT JOIN events e USING (event_id_cnty) "
                                       "WHERE e.event_id_cnty IS NULL").scalar_one()
    assert orphans == 0


def stack_db(stack: Stack) -> str:
    """The URL of the PostgreSQL database stack.sh started (on its port + 1000)."""
    out = subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "url", str(stack.run / "pg"),
                          str(int(stack.url.rsplit(":", 1)[1].strip("/")) + 1000)], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()
