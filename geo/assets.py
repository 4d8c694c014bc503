"""Serve Leaflet and plugin assets from the app instead of CDNs.

folium points its ``<script>``/``<link>`` tags at CDNs.  The ``folium-offline``
package embeds the same files keyed by their CDN URL; :func:`localise` writes
the ones a map needs into a static folder and points the map's elements at
the local copies, so the map renders with no internet.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import branca.element
import folium


class AssetUnavailable(LookupError):
    """A map element needs a CDN file that no installed package provides offline."""


@lru_cache(maxsize=1)
def embedded_assets() -> dict[str, str]:
    """CDN URL -> file content, as embedded by ``folium-offline``."""
    from offlinefolium.elements import _res  # the package's table, keyed by CDN URL

    return dict(_res)


def local_name(url: str, kind: str) -> str:
    """A stable relative path for a CDN URL: ``<digest>/<file name>`` (``kind`` is ``js`` or ``css``).

    The file keeps its own name because Leaflet finds its marker images next to
    a stylesheet whose name ends in ``leaflet.css``.
    """
    base = re.sub(r"[^A-Za-z0-9._@-]+", "_", url.rstrip("/").rsplit("/", 1)[-1])[-60:] or "asset"
    if not base.endswith(f".{kind}"):
        base += f".{kind}"
    return f"{hashlib.sha1(url.encode()).hexdigest()[:10]}/{base}"


# Leaflet's stylesheet embeds its default marker as a data URI, but Leaflet 1.9 asks
# for "<folder of leaflet.css, no trailing slash>marker-icon.png" (Leaflet issue 4968),
# so the images are written beside that folder under exactly that name.
_DEFAULT_ICON = re.compile(r"\.leaflet-default-icon-path\s*\{[^}]*url\(data:image/png;base64,([A-Za-z0-9+/=]+)\)")
_TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def _write(target: Path, data: bytes) -> None:
    if target.exists() and target.stat().st_size == len(data):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def materialise(url: str, kind: str, static_dir: Path) -> str:
    """Write the embedded copy of ``url`` into ``static_dir/vendor`` and return its file name."""
    name = local_name(url, kind)
    target = static_dir / "vendor" / name
    if target.is_file() and target.stat().st_size > 0:
        return name  # written before: the name pins the CDN URL, and with it the version
    try:
        content = embedded_assets()[url]
    except KeyError:
        raise AssetUnavailable(f"no offline copy of {url}") from None
    _write(target, content.encode("utf-8"))
    icon = _DEFAULT_ICON.search(content) if target.name == "leaflet.css" else None
    if icon:
        folder = target.parent
        _write(folder.parent / f"{folder.name}marker-icon.png", base64.b64decode(icon.group(1)))
        _write(folder.parent / f"{folder.name}marker-shadow.png", _TRANSPARENT_PNG)
    return name


def _elements(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in list(element._children.values()):
        yield from _elements(child)


# Links folium adds that our maps do not use. jQuery included: only folium.Popup needs it, and our markers'
# popups are geo.layers.HtmlPopup (Leaflet's own bindPopup).
UNUSED = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
          "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def localise(fmap: folium.Map, static_dir: Path, url_prefix: str = "/app/static") -> folium.Map:
    """Point every JS/CSS link of ``fmap`` at local copies served from ``url_prefix/vendor``.

    Links our maps do not need (Bootstrap, Font Awesome, awesome-markers) are dropped.
    The change is made on the element instances, never on folium's classes.
    """
    prefix = url_prefix.rstrip("/")
    for element in _elements(fmap):
        for attr, kind in (("default_js", "js"), ("default_css", "css")):
            links = getattr(element, attr, None)
            if not links:
                continue
            setattr(element, attr, [
                (name, f"{prefix}/vendor/{materialise(url, kind, static_dir)}")
                for name, url in links if name not in UNUSED
            ])
    return fmap
