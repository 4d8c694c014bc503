"""Take docs/briefing.png: the Briefing page at 1920x1080, offline, with two saved views.

    python docs/make_briefing_screenshot.py
"""
from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.first_map import serve  # noqa: E402
from geo.storage import open_store  # noqa: E402
from geo.views import View  # noqa: E402
from tests.test_browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "briefing.sqlite"
        store = open_store(str(db))
        store.save_view(View(name="wave", title="JNIM's wave on western Mali, 1 July 2025", position=0,
                             start=date(2025, 6, 18), end=date(2025, 7, 8),
                             notes="Seven army posts hit at dawn; the army claims about 80 attackers killed, "
                                   "JNIM three barracks taken. Four foreign workers abducted near Diboli."))
        proc, url = serve(ROOT / "app.py", db)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
                page.goto(f"{url}/briefing")
                page.frame_locator(MAP_IFRAME).locator("path.cm-attack").first.wait_for()
                page.wait_for_timeout(800)  # let the chart and map settle (a picture, not a test)
                page.screenshot(path=str(ROOT / "docs" / "briefing.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
