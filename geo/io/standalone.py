"""A standalone HTML map of a view: one file that opens offline, and a PNG of it."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element

from geo.assets import embedded_assets
from geo.basemap import base_map
from geo.layers import layers_for

CITATION = ("Conflict Map (offline). Events follow ACLED's columns; each figure keeps who claimed it. "
            "Basemap: Natural Earth (public domain).")


class SnapshotUnavailable(RuntimeError):
    """A PNG cannot be rendered here; the message says what is missing."""


def _inline_assets(fmap: folium.Map) -> None:
    """Replace every CDN link in the map with the file's content, inline, so the page needs no network."""
    from geo.assets import UNUSED, _elements

    assets = embedded_assets()
    scripts: dict[str, str] = {}
    styles: dict[str, str] = {}
    for element in _elements(fmap):
        for attr, bucket in (("default_js", scripts), ("default_css", styles)):
            links = getattr(element, attr, None) or []
            for name, url in links:
                if name not in UNUSED:
                    bucket.setdefault(url, assets[url])
            if links:
                setattr(element, attr, [])
    head = "".join(f"<style>{css}</style>" for css in styles.values())
    head += "".join(f"<script>{js}</script>" for js in scripts.values())
    fmap.get_root().header.add_child(Element(head), name="inline_assets", index=0)


def standalone_html(events: pd.DataFrame, zones: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, *,
                    title: str, start: date, end: date, sources: Sequence[str] = (),
                    layers: Sequence[str] = ("attacks", "control", "abductions")) -> str:
    """One HTML file: the map of ``events`` and ``zones`` with legend, title, date window and citation."""
    fmap = base_map(countries)
    for group in layers_for(layers, events, zones):
        group.add_to(fmap)
    folium.LayerControl(collapsed=False, position="topleft").add_to(fmap)
    cited = "; ".join(dict.fromkeys(s for s in sources if s))[:1500]
    box = (
        '<div class="cm-title" style="position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:1000;'
        'background:rgba(255,255,255,.95);padding:8px 16px;border-radius:6px;font:16px/1.35 sans-serif;'
        'box-shadow:0 1px 4px rgba(0,0,0,.3);text-align:center;max-width:70%">'
        f"<b style='font-size:20px'>{escape(title)}</b><br>{start:%d %b %Y} – {end:%d %b %Y} · "
        f"{len(events):,} events</div>"
        '<div class="cm-citation" style="position:fixed;bottom:4px;right:8px;z-index:1000;max-width:55%;'
        'background:rgba(255,255,255,.9);padding:4px 8px;font:11px/1.3 sans-serif;border-radius:4px">'
        f"{escape(CITATION)}{'<br>Sources: ' + escape(cited) if cited else ''}</div>"
    )
    fmap.get_root().html.add_child(Element(box))
    fmap.get_root().header.add_child(Element(f"<title>{escape(title)}</title>"))
    _inline_assets(fmap)
    return fmap.get_root().render()


def snapshot_problem(chromium: str = "/usr/bin/chromium") -> str | None:
    """Why a PNG cannot be rendered here, or None when it can."""
    if not Path(chromium).exists():
        return f"PNG export needs Chromium at {chromium} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "PNG export needs the playwright package (pip install playwright)"
    return None


def render_png(html: str, chromium: str = "/usr/bin/chromium", size: tuple[int, int] = (1600, 1000)) -> bytes:
    """A PNG of a standalone map, drawn in headless Chromium with the network blocked."""
    problem = snapshot_problem(chromium)
    if problem:
        raise SnapshotUnavailable(problem)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=args)
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.route("**/*", lambda r: r.abort() if r.request.url.startswith("http") else r.continue_())
            page.set_content(html, wait_until="load")
            page.wait_for_selector(".leaflet-container", timeout=20_000)
            page.wait_for_timeout(300)  # let Leaflet finish its first paint (a picture, not a test)
            png = page.screenshot(type="png")
            browser.close()
    except PlaywrightError as exc:
        raise SnapshotUnavailable(f"Chromium could not render the map: {exc}") from None
    return png
