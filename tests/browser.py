"""Shared by the real-browser tests and benchmarks: Chromium's flags, the offline rule, a server process with
its log, and an offline tab that prints the server's log when a test fails."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pages.sidebar import Keys
from tests.conftest import ROOT, free_port, require_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Route

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
WINDOW_PICKER = f".st-key-{Keys.WINDOW_PICKER}"  # the sidebar's date window: a popover holding the slider
LOCAL_PREFIXES = ("http://localhost:", "http://127.0.0.1:", "ws://localhost:", "ws://127.0.0.1:", "data:", "blob:")


class Process:
    """A background server process whose output goes to a log file, waited for on a health URL."""

    def __init__(self, args: list[str], log_path: Path, health: str, env: dict[str, str] | None = None) -> None:
        self.log_path, self.health = log_path, health
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.log_path.name}: exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.health, timeout=1) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # polling the health URL while the server boots (serve.py's server takes connections while it
                # runs the app once, and answers them after)
                time.sleep(0.1)
        raise RuntimeError(f"{self.log_path.name}: not healthy after {timeout} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Server(Process):
    """``streamlit run serve.py`` (the app as the README runs it) on a free port, with a database of its own
    (``tmp/browser.sqlite``)."""

    def __init__(self, tmp: Path, args: list[str] = (), env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.db = tmp / "browser.sqlite"
        super().__init__([sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.headless", "true",
                          "--server.port", str(self.port), "--server.address", "localhost",
                          "--browser.gatherUsageStats", "false", *args],
                         tmp / "streamlit.log", f"{self.url}/_stcore/health", {"CONFLICTMAP_DB": str(self.db),
                                                                               **(env or {})})


def offline(blocked: list[str]) -> Callable[[Route], None]:
    """A route handler letting localhost through and aborting (and noting in ``blocked``) everything else."""
    def route(r: Route) -> None:
        if r.request.url.startswith(LOCAL_PREFIXES):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    return route


@contextmanager
def offline_tab(log: Callable[[], str], *, width: int = 1400, height: int = 1000, timeout_ms: int = 30_000,
                failed: Callable[[], bool] = lambda: False) -> Iterator[tuple[Browser, Page]]:
    """Chromium and a tab with every non-localhost request blocked (the test fails if one was made).

    The server's ``log`` is printed when the body raises or, for a pytest fixture (whose test's
    failure does not reach it), when ``failed()`` says the test failed.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=require_browser(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            context.route("**/*", offline(blocked))
            tab = context.new_page()
            tab.set_default_timeout(timeout_ms)
            yield browser, tab
            if failed():
                print(f"\n--- server log ---\n{log()}\n--- blocked requests: {blocked}")
            browser.close()
    except (AssertionError, PlaywrightError):
        print(f"\n--- server log ---\n{log()}\n--- blocked requests: {blocked}")
        raise
    assert not blocked, f"the page tried to reach the internet: {blocked}"


def call_failed(node: object) -> bool:
    """Whether the test of this pytest item failed in its call phase (conftest keeps the report on the item)."""
    report = getattr(node, "rep_call", None)
    return report is not None and report.failed


def window_end(page: Page) -> Locator:
    """The date window's end thumb, with the sidebar's window picker opened if it is closed."""
    from playwright.sync_api import expect

    thumb = page.get_by_role("slider", name="Date window — end")
    if not thumb.count():
        page.locator(WINDOW_PICKER).get_by_role("button").click()  # (a hidden copy sizes the button)
    expect(thumb).to_be_visible()
    return thumb
