"""Serve Leaflet and plugin assets from the app instead of CDNs.

folium points its ``<script>``/``<link>`` tags at CDNs.  The ``folium-offline``
package embeds the same files keyed by their CDN URL; :func:`localise` writes
the ones a map needs into a static folder and points the map's elements at
the local copies, so the map renders with no internet.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

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
    """A stable, filesystem-safe file name for a CDN URL (``kind`` is ``js`` or ``css``)."""
    tail = re.sub(r"[^A-Za-z0-9._@-]+", "_", url.split("://", 1)[-1])[-80:]
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    if not tail.endswith(f".{kind}"):
        tail += f".{kind}"
    return f"{digest}-{tail}"


def materialise(url: str, kind: str, static_dir: Path) -> str:
    """Write the embedded copy of ``url`` into ``static_dir/vendor`` and return its file name."""
    try:
        content = embedded_assets()[url]
    except KeyError:
        raise AssetUnavailable(f"no offline copy of {url}") from None
    name = local_name(url, kind)
    target = static_dir / "vendor" / name
    data = content.encode("utf-8")
    if not target.exists() or target.stat().st_size != len(data):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return name


def _elements(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in list(element._children.values()):
        yield from _elements(child)


# Map elements that folium gives a CDN list but our maps do not use.
UNUSED = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
          "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def localise(fmap: folium.Map, static_dir: Path, url_prefix: str = "/app/static") -> folium.Map:
    """Point every JS/CSS link of ``fmap`` at local copies served from ``url_prefix/vendor``.

    Links our maps do not need (jQuery, Bootstrap, Font Awesome) are dropped.
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


def localise_groups(groups: list[folium.FeatureGroup], static_dir: Path, url_prefix: str = "/app/static") -> None:
    """Apply :func:`localise` to dynamically added feature groups as well."""
    for group in groups:
        localise(group, static_dir, url_prefix)  # type: ignore[arg-type]
