from __future__ import annotations

import re
from pathlib import Path

import folium
import pytest

from geo.assets import AssetUnavailable, embedded_assets, local_name, localise
from geo.basemap import base_map
from geo.io.boundaries import countries
from geo.layers import attacks_layer
from geo.storage import events_frame
from tests.factories import make_event


def test_localised_map_references_no_remote_script_or_stylesheet(tmp_path: Path) -> None:
    fmap = base_map(countries())
    attacks_layer(events_frame([make_event()])).add_to(fmap)
    localise(fmap, tmp_path)
    html = fmap.get_root().render()
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert links, "the map should still load Leaflet"
    assert all(link.startswith("/app/static/vendor/") for link in links), links
    for link in links:
        assert (tmp_path / link.removeprefix("/app/static/")).is_file()
    leaflet = next(link for link in links if link.endswith("leaflet.js"))
    assert "Leaflet 1.9" in (tmp_path / leaflet.removeprefix("/app/static/")).read_text(encoding="utf-8")


def test_leaflet_default_marker_images_are_written(tmp_path: Path) -> None:
    fmap = localise(folium.Map(tiles=None), tmp_path)
    css = next(u for _, u in fmap.default_css if u.endswith("leaflet.css"))
    folder = Path(css.removeprefix("/app/static/")).parent.name
    assert (tmp_path / "vendor" / f"{folder}marker-icon.png").read_bytes().startswith(b"\x89PNG")


def test_localise_does_not_touch_folium_classes(tmp_path: Path) -> None:
    before = list(folium.Map.default_js)
    localise(folium.Map(tiles=None), tmp_path)
    assert folium.Map.default_js == before


def test_unknown_cdn_file_is_reported(tmp_path: Path) -> None:
    fmap = folium.Map(tiles=None)
    fmap.default_js = [("mystery", "https://cdn.example.org/mystery.js")]
    with pytest.raises(AssetUnavailable, match="mystery.js"):
        localise(fmap, tmp_path)


def test_local_names_are_stable_and_keep_the_file_name() -> None:
    url = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
    assert local_name(url, "css") == local_name(url, "css")
    assert local_name(url, "css").endswith("/leaflet.css")
    assert url in embedded_assets()
