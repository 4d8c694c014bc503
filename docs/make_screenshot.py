"""Take docs/screenshot.png of the map page, offline, in headless Chromium.

    python docs/make_screenshot.py   # needs: apt-get install -y chromium; pip install playwright
"""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.first_map import serve  # noqa: E402
from tests.browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME  # noqa: E402


@contextmanager
def offline_app_page(db: Path, width: int, height: int) -> Iterator[tuple[Page, str]]:
    """The app served on ``db`` and a headless Chromium tab that may reach nothing but localhost."""
    proc, url = serve(ROOT / "app.py", db)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
            yield page, url
            browser.close()
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, offline_app_page(Path(tmp) / "shot.sqlite", 1400, 1000) as (page, url):
        page.goto(url)
        frame = page.frame_locator(MAP_IFRAME)
        frame.locator("path.cm-attack").nth(8).wait_for()
        frame.locator("path.cm-attack").first.click()
        frame.locator(".leaflet-popup-content").wait_for()
        page.mouse.move(5, 5)  # drop the hover tooltip
        page.wait_for_timeout(600)  # let the popup finish fading in (a picture, not a test)
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))


if __name__ == "__main__":
    main()
