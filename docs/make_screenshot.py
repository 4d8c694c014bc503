"""Take docs/screenshot.png of the map page, offline, in headless Chromium.

    python docs/make_screenshot.py   # needs: apt-get install -y chromium; pip install playwright
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.first_map import serve  # noqa: E402
from tests.test_browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = serve(ROOT / "app.py", Path(tmp) / "shot.sqlite")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
                page.goto(url)
                frame = page.frame_locator(MAP_IFRAME)
                frame.locator("path.cm-attack").nth(8).wait_for()
                frame.locator("path.cm-attack").first.click()
                frame.locator(".leaflet-popup-content").wait_for()
                page.mouse.move(5, 5)  # drop the hover tooltip
                page.wait_for_timeout(600)  # let the popup finish fading in (a picture, not a test)
                page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
