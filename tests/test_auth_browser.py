"""Sign-in and roles in a real browser (issue 13): Streamlit's OIDC sign-in against a local provider
(``oidc-provider-mock``), and the same review workflow in local mode (no ``[auth]``: one user, every role).

With sign-in on: a visitor sees only the sign-in page; a viewer cannot reach ingest, import, zone drawing,
publishing or view deletion, in the UI or through the services; an analyst's ingest is a draft; an editor
publishes it from the Review page; a viewer then sees it on the map; the audit trail names both users.
Every non-localhost request is blocked and fails the test; the server logs are printed on failure.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from geo import services
from geo.access import PermissionDenied
from geo.storage import open_store
from geo.views import View
from tests.browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME, Process, offline
from tests.conftest import ROOT, free_port, require_browser
from tests.factories import make_event

pytest.importorskip("playwright.sync_api", reason="pip install playwright")
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

EDITOR, ANALYST, VIEWER = "edith@example.org", "amadou@example.org", "vera@example.org"
LOCAL_NAME = "laptop-analyst"  # the local user's name in local mode ($CONFLICTMAP_USER)
REPORT = ROOT / "data" / "reports" / "2025-09-05_kayes_nioro_blockade_en.txt"


def require_oidc_mock() -> None:
    """oidc-provider-mock importable; a failure when CONFLICTMAP_REQUIRE_BROWSER=1 (CI), else a skip."""
    try:
        import oidc_provider_mock  # noqa: F401
    except ImportError:
        message = "oidc-provider-mock is not installed (pip install -r requirements-dev.txt)"
        if os.environ.get("CONFLICTMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and CONFLICTMAP_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(message)


@dataclass
class App:
    """A running app (with its provider when sign-in is on), its database and how to act as each role."""

    mode: str  # "oidc" or "local"
    url: str
    db: str
    processes: list[Process]

    def who(self, email: str) -> str:
        """Who the audit trail names for ``email``'s actions (the local user in local mode)."""
        return email if self.mode == "oidc" else LOCAL_NAME

    def logs(self) -> str:
        return "\n".join(f"--- {p.log_path.name} ---\n{p.output()}" for p in self.processes)


def cli(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "--db", db, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, check=True)


@pytest.fixture(scope="module", params=["oidc", "local"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    require_browser()
    mode = request.param
    tmp = tmp_path_factory.mktemp(f"auth-{mode}")
    db = str(tmp / "auth.sqlite")
    port = free_port()
    url = f"http://localhost:{port}"
    processes: list[Process] = []
    args = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "localhost", "--browser.gatherUsageStats", "false"]
    env = {"CONFLICTMAP_DB": db}
    try:
        if mode == "oidc":
            require_oidc_mock()
            provider_port = free_port()
            provider = f"http://localhost:{provider_port}"
            processes.append(Process([sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port)],
                                     tmp / "provider.log", f"{provider}/.well-known/openid-configuration"))
            processes[-1].wait_healthy()
            for email, name in ((EDITOR, "Edith"), (ANALYST, "Amadou"), (VIEWER, "Vera")):
                put = urllib.request.Request(f"{provider}/users/{email}", method="PUT",
                                             data=json.dumps({"email": email, "name": name}).encode(),
                                             headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(put, timeout=10) as resp:
                    assert resp.status in (200, 204)
            secrets = tmp / "secrets.toml"
            secrets.write_text(f'[auth]\nredirect_uri = "{url}/oauth2callback"\ncookie_secret = "test-cookie-secret"\n'
                               f'client_id = "conflictmap"\nclient_secret = "any-secret"\n'
                               f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
            args += ["--secrets.files", str(secrets)]
            # roles are kept in the database: the editor and the analyst are listed, the viewer is not
            cli("users", "add", EDITOR, "--role", "editor", db=db)
            cli("users", "add", ANALYST, "--role", "analyst", db=db)
        else:
            env["CONFLICTMAP_USER"] = LOCAL_NAME
        processes.append(Process(args, tmp / "streamlit.log", f"{url}/_stcore/health", env))
        processes[-1].wait_healthy()
        yield App(mode, url, db, processes)
    finally:
        for process in reversed(processes):
            process.stop()


@contextmanager
def browser_for(app: App) -> Iterator[Browser]:
    """Chromium for one test; the server logs are printed when the test fails."""
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=require_browser(), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    except (AssertionError, PlaywrightError):
        print(f"\n{app.logs()}")
        raise


@contextmanager
def session(browser: Browser, app: App, email: str) -> Iterator[Page]:
    """A tab of its own (its own cookies) signed in as ``email`` (in local mode: the local user), offline."""
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    def offline(route: Route) -> None:
        if route.request.url.startswith(LOCAL_PREFIXES):
            route.continue_()
            return
        if not route.request.frame.url.startswith(app.url):  # the mock provider's own form loads a CDN stylesheet
            route.abort()
            return
        blocked.append(route.request.url)
        route.abort()

    context.route("**/*", offline)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(app.url)
    if app.mode == "oidc":
        tab.get_by_role("button", name="Sign in").click()
        tab.locator('input[name="sub"]').fill(email)  # the provider's authorize form
        tab.get_by_role("button", name="Authorize").click()
        expect(tab.get_by_text("Signed in as")).to_be_visible()
    else:
        expect(tab.get_by_text("Local mode")).to_be_visible()
    yield tab
    context.close()
    assert not blocked, f"the page tried to reach the internet: {blocked}"


def nav(tab: Page) -> list[str]:
    links = tab.locator('[data-testid="stSidebarNav"] a')
    expect(links.first).to_be_visible()
    return [t.strip().splitlines()[-1] for t in links.all_inner_texts()]


def attacks_on_map(tab: Page, app: App) -> object:
    tab.goto(app.url)
    tab.locator(MAP_IFRAME).wait_for()
    return tab.frame_locator(MAP_IFRAME).locator("path.cm-attack")


# local mode has no sign-in (the app opens on the map, as the other tests show) and its one user has every role:
# these two run with sign-in only
@pytest.mark.parametrize("app", ["oidc"], indirect=True)
def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in_page(app: App) -> None:
    blocked: list[str] = []
    with browser_for(app) as browser:
        context = browser.new_context()
        context.route("**/*", offline(blocked))
        tab = context.new_page()
        for path in ("", "/events", "/import", "/review"):
            tab.goto(f"{app.url}{path}")
            expect(tab.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
            expect(tab.locator(MAP_IFRAME)).to_have_count(0)
            expect(tab.get_by_role("heading", name="Events")).to_have_count(0)
        context.close()
    assert not blocked, f"the page tried to reach the internet: {blocked}"


@pytest.mark.parametrize("app", ["oidc"], indirect=True)
def test_a_viewer_cannot_reach_ingest_import_zone_drawing_publishing_or_view_deletion(app: App) -> None:
    store = open_store(app.db)
    services.save_view(store, View(), name="week 27", user=services.user_for(store, EDITOR))
    with browser_for(app) as browser, session(browser, app, VIEWER) as tab:
        tab.get_by_role("button", name="Signed in as Vera · viewer").click()  # the account popover
        expect(tab.get_by_text("Signed in as Vera (vera@example.org) · viewer")).to_be_visible()
        expect(tab.get_by_role("button", name="Sign out")).to_be_visible()
        expect(tab.get_by_text("Include drafts")).to_have_count(0)
        tab.keyboard.press("Escape")
        assert nav(tab) == ["Map", "Events", "Briefing", "Compare", "Control", "Cases"]
        for path in ("import", "reports", "review"):  # not among the viewer's pages: the map opens instead
            tab.goto(f"{app.url}/{path}")
            expect(tab.get_by_role("heading", name="Conflict Map · Sahel")).to_be_visible()
            expect(tab.get_by_role("heading", name={"import": "Import", "reports": "Reports",
                                                    "review": "Review"}[path], exact=True)).to_have_count(0)
        tab.goto(app.url)  # (Streamlit's "page not found" notice is modal)
        tab.get_by_role("button", name="Saved views").click()
        expect(tab.get_by_text("Saved view", exact=True)).to_be_visible()
        expect(tab.get_by_role("button", name="Delete")).to_have_count(0)
        expect(tab.get_by_text("Save the current view…")).to_have_count(0)
        tab.goto(f"{app.url}/control")
        tab.get_by_role("tab", name="Draw or edit").click()
        expect(tab.get_by_text("drawing and editing zones needs an analyst")).to_be_visible()
        expect(tab.get_by_role("button", name="Save assessment")).to_have_count(0)
    # a crafted request ends in the same services, which check the role again
    viewer = services.user_for(store, VIEWER)
    zone = store.zones()[0]
    for attempt in (lambda: services.ingest(store, [make_event(event_id_cnty="X1")], user=viewer),
                    lambda: services.import_file(store, b"", user=viewer),
                    lambda: services.save_zone(store, {}, zone_id=zone.zone_id, user=viewer),
                    lambda: services.publish(store, "event", ["MLICM0001"], user=viewer),
                    lambda: services.delete_view(store, "week 27", user=viewer)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert [v.name for v in store.views()] == ["week 27"]


def test_an_analysts_ingest_is_a_draft_an_editor_publishes_it_and_a_viewer_sees_it(app: App) -> None:
    with browser_for(app) as browser:
        with session(browser, app, ANALYST) as tab:
            if app.mode == "oidc":
                assert nav(tab) == ["Map", "Events", "Briefing", "Compare", "Control", "Reports", "Cases", "Import"]
            tab.goto(f"{app.url}/reports")
            tab.get_by_label("Report text").fill(REPORT.read_text(encoding="utf-8"))
            tab.get_by_role("button", name="Extract events").click()
            expect(tab.get_by_text("pasted text: 2 event(s)")).to_be_visible()
            tab.get_by_role("button", name="Save 2 event(s) as drafts").click()
            expect(tab.get_by_text("Saved 2 event(s) as drafts")).to_be_visible()
            expect(attacks_on_map(tab, app)).to_have_count(9)  # drafts are not on the published map
        store = open_store(app.db)
        drafts = [i for i in services.review_queue(store) if i.kind == "event"]
        assert [i.saved.user for i in drafts] == [app.who(ANALYST)] * 2
        with session(browser, app, EDITOR) as tab:
            tab.goto(f"{app.url}/review")
            expect(tab.get_by_text("4 draft(s) wait for review.")).to_be_visible()  # 2 events, 2 control claims
            expect(tab.get_by_text("JNIM announces a blockade").first).to_be_visible()  # the source text
            # publish all four (the queue's order among items saved together is not fixed); each click's rerun
            # must finish before the next: the queue shrinks by one
            for left in ("3 draft(s) wait for review.", "2 draft(s) wait for review.", "1 draft(s) wait for review.",
                         "No drafts wait for review."):
                # no element left over from the previous run (a stale button would act on its old item)
                expect(tab.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state",
                                                                               "notRunning")
                tab.get_by_role("button", name="Publish", exact=True).first.click()
                expect(tab.get_by_text(left)).to_be_visible()
        with session(browser, app, VIEWER) as tab:
            expect(attacks_on_map(tab, app)).to_have_count(11)
            tab.frame_locator(MAP_IFRAME).locator("path.cm-attack").last.click()
            expect(tab.frame_locator(MAP_IFRAME).locator(".leaflet-popup-content")).to_contain_text("Other")
    trail = subprocess.run([sys.executable, "-m", "geo", "--db", app.db, "audit", "--kind", "event"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=True).stdout
    users = {line.split("\t")[1] for line in trail.splitlines() if line and not line.startswith("\t")}
    assert users == {app.who(ANALYST), app.who(EDITOR)}
    assert trail.count("\tingest\tevent ") == 2 and trail.count("\tpublish\tevent ") == 2
