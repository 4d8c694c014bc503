"""Take docs/briefing.png: the Briefing page at 1920x1080, offline, with one saved view as its slide.

    python docs/make_briefing_screenshot.py
"""
from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from docs.make_screenshot import offline_app_page  # noqa: E402
from geo.storage import open_store  # noqa: E402
from geo.views import View  # noqa: E402
from tests.browser import MAP_IFRAME  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "briefing.sqlite"
        store = open_store(str(db))
        store.save_view(View(name="wave", title="JNIM's wave on western Mali, 1 July 2025", position=0,
                             start=date(2025, 6, 18), end=date(2025, 7, 8),
                             notes="Seven army posts hit at dawn; the army claims about 80 attackers killed, "
                                   "JNIM three barracks taken. Four foreign workers abducted near Diboli."))
        with offline_app_page(db, 1920, 1080) as (page, url):
            page.goto(f"{url}/briefing")
            page.frame_locator(MAP_IFRAME).locator("path.cm-attack").first.wait_for()
            page.wait_for_timeout(800)  # let the chart and map settle (a picture, not a test)
            page.screenshot(path=str(ROOT / "docs" / "briefing.png"))


if __name__ == "__main__":
    main()
