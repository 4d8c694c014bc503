"""The base map: an offline vector basemap of borders, a legend, and optional online tiles.

The base map does not depend on the filters, so it is built the same way on
every run and streamlit-folium keeps it mounted; the changing layers come from
:mod:`geo.layers`.
"""
from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import xyzservices
from branca.element import MacroElement
from jinja2 import Template

from geo.layers import (
    ABDUCTION_COLOUR,
    CASE_COLOURS,
    CASE_LEGEND,
    FAMILY_COLOURS,
    OTHER_COLOUR,
    SUB_EVENT_COLOURS,
    ZONE_LEGEND,
)

if TYPE_CHECKING:
    import geopandas as gpd

SAHEL_CENTER = (15.0, -7.0)
SAHEL_ZOOM = 6
FOCUS_COUNTRY = "ML"
ONLINE_TILES = "OpenStreetMap tiles (needs internet)"


BORDERS_VERSION = 2  # bump when borders_geojson's output changes: the file name changes with it
FOLD_BELOW = (760, 520)  # a map narrower or lower than this (px) opens with its legend folded into a button


class Legend(MacroElement):
    """A legend control that folds into a button on small maps and keeps clear of the densest events.

    It starts folded when the map is smaller than ``FOLD_BELOW``. ``window.cmFocus``
    (called by :class:`geo.layers.Focus` with the layers) fits the map to the events
    and moves the legend to the corner (bottom left, bottom right, top right) that hides
    none of the busiest cells, or the fewest events; when every corner hides some, it
    folds into its button. It moves again after every pan or zoom, and when unfolded.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'cm-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
            var details = legend.getContainer().querySelector('details');
            var size = map.getSize();
            if (size.x < {{ this.fold[0] }} || size.y < {{ this.fold[1] }}) { details.open = false; }
            var dense = [], lastFit = null;
            function covered() {  // how many of the densest events the legend hides where it is now
                var box = legend.getContainer().getBoundingClientRect();
                var origin = map.getContainer().getBoundingClientRect();
                var pad = 30, left = box.left - origin.left - pad, right = box.right - origin.left + pad;
                var top = box.top - origin.top - pad, bottom = box.bottom - origin.top + pad;
                var hidden = 0;
                dense.forEach(function (cell) {
                    var p = map.latLngToContainerPoint([cell[0], cell[1]]);
                    if (p.x > left && p.x < right && p.y > top && p.y < bottom) { hidden += cell[2]; }
                });
                var popup = map._popup && map.hasLayer(map._popup) && map._popup.getElement();
                if (popup) {  // never over an open popup (its close button must stay clickable)
                    var r = popup.getBoundingClientRect();
                    if (r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom) {
                        hidden += 1e6;
                    }
                }
                return hidden;
            }
            function laidOut() {  // Leaflet's stylesheet arrives after the map is built
                var corner = legend.getContainer().parentElement;
                return corner && getComputedStyle(corner).position === 'absolute' && map.getSize().x > 0;
            }
            function place(mayFold) {  // the corner hiding the fewest events; folded if every corner hides some
                if (!dense || !laidOut()) { return false; }
                var corners = ['bottomleft', 'bottomright', 'topright'], best = null, fewest = Infinity;
                for (var i = 0; i < corners.length; i++) {
                    if (legend.getPosition() !== corners[i]) { legend.setPosition(corners[i]); }
                    var hidden = covered();
                    if (hidden === 0) { return true; }
                    if (hidden < fewest) { fewest = hidden; best = corners[i]; }
                }
                legend.setPosition(best);
                if ((mayFold || fewest >= 1e6) && details.open) { folding = true; details.open = false; place(false); }
                return true;
            }
            // The map follows the events until the user moves it: a resize (the frame getting its final
            // size) fits it again, and the legend keeps clear of the densest cell after every move.
            var following = false, fitting = false, wanted = null, fitted = null;
            function fit() {  // once per bounds and map size: the load calls it five or six times, each a layout
                if (!wanted || !wanted.bounds) { return; }
                map.invalidateSize({pan: false});
                var size = map.getSize(), key = JSON.stringify([wanted.bounds, wanted.maxZoom, size.x, size.y]);
                if (key === fitted) { return; }
                fitting = true;
                map.fitBounds(wanted.bounds, {maxZoom: wanted.maxZoom, padding: [40, 40], animate: false});
                fitting = false;
                fitted = key;
            }
            // While the map follows the events it may fold the legend; once the user unfolds it, it stays open.
            var userOpened = false, folding = false;
            function settle() {
                if (following) { fit(); }
                place(following && !userOpened);
            }
            function stop() { following = false; fitted = null; }
            map.on('movestart', function () { if (!fitting) { stop(); } });
            map.on('popupopen', function () { stop(); place(false); });
            map.on('popupclose', function () { place(false); });
            ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
                map.getContainer().addEventListener(name, stop, {passive: true});
            });
            map.on('moveend', function () { place(false); });
            // the frame gets its final size after the layers arrive, and the legend its style after Leaflet's
            // stylesheet: fit and place again then (only then: a legend moved to another corner keeps its size)
            if (window.ResizeObserver) {
                var sizes = {};
                var observer = new ResizeObserver(function (entries) {
                    var changed = entries.some(function (entry) {
                        var box = entry.contentRect, id = entry.target === map.getContainer() ? 'map' : 'legend';
                        var size = Math.round(box.width) + 'x' + Math.round(box.height);
                        var was = sizes[id];
                        sizes[id] = size;
                        return was !== size;
                    });
                    if (!changed) { return; }
                    map.invalidateSize({pan: false});
                    settle();
                });
                observer.observe(map.getContainer());
                observer.observe(legend.getContainer());
            }
            details.addEventListener('toggle', function () {
                if (folding) { folding = false; } else if (details.open) { userOpened = true; }
                place(false);
            });
            window.cmFocus = function (focus) {
                var key = JSON.stringify(focus.bounds);
                wanted = focus;
                if (focus.bounds && key !== lastFit) {
                    lastFit = key;
                    following = true;
                    fit();
                }
                dense = focus.dense || [];
                settle();
                requestAnimationFrame(settle);
            };
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, fold: tuple[int, int] = FOLD_BELOW) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.fold = fold


class Borders(MacroElement):
    """Country borders and names drawn from GeoJSON, under every layer, on a canvas of their own.

    With ``url`` the map fetches the GeoJSON (a file the app serves, cached by the
    browser and written once), so it is not re-sent with every session's map; without
    it the GeoJSON is inlined (a standalone HTML file).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
            var pane = map.createPane('cmBorders');
            pane.style.zIndex = 350;
            pane.style.pointerEvents = 'none';
            function draw(data) {
                L.geoJson(data, {pane: 'cmBorders', interactive: false, renderer: L.canvas({pane: 'cmBorders'}),
                                 style: function (f) { return f.properties.style; }}).addTo(map);
                data.features.forEach(function (f) {
                    var label = document.createElement('div');
                    label.className = 'cm-country-label';
                    label.textContent = f.properties.name;
                    L.marker(f.properties.label, {interactive: false, keyboard: false, pane: 'cmBorders',
                        icon: L.divIcon({html: label, className: '', iconSize: [120, 16], iconAnchor: [60, 8]})
                    }).addTo(map);
                });
            }
            {% if this.url %}
            fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(draw);
            {% else %}
            draw({{ this.data|tojson }});
            {% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict | None = None, url: str | None = None) -> None:
        super().__init__()
        self._name = "Borders"
        self.data = data
        self.url = url


def legend_html() -> str:
    """The legend's HTML: attack colours, marker size, abduction symbol, control statuses."""
    def swatch(colour: str, label: str, shape: str = "circle") -> str:
        radius = "50%" if shape == "circle" else "2px"
        return (f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:{radius};'
                f'background:{colour};border:1px solid #222;margin-right:6px"></span>{escape(label)}</div>')

    attacks = "".join(swatch(c, s) for s, c in SUB_EVENT_COLOURS.items()) + swatch(OTHER_COLOUR, "Other")
    zones = "".join(swatch(c, s, "square") for s, c in ZONE_LEGEND)
    inferred = "".join(swatch(c, s, "square") for s, c in FAMILY_COLOURS.items()) + (
        '<div style="max-width:170px;font-size:11px;color:#444">Not an assessment: cells show the armed actor '
        "whose events weigh most in the window (territory taken or retaken ×5, clashes ×2).</div>")
    abduction = (f'<div><span style="display:inline-block;width:11px;height:11px;background:{ABDUCTION_COLOUR};'
                 'transform:rotate(45deg);margin:0 7px 0 2px"></span>Abduction (number taken)</div>')
    # issue 14: abductions are coloured by their hostage case's status, in a column of their own
    abduction += "".join(f'<div><span style="display:inline-block;width:9px;height:9px;background:{CASE_COLOURS[s]};'
                         f'transform:rotate(45deg);margin:0 8px 0 3px"></span>{escape(label)}</div>'
                         for s, label in CASE_LEGEND)
    return (
        '<details open style="background:rgba(255,255,255,.92);padding:6px 10px;border-radius:6px;'
        'font:12px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        "<summary style='cursor:pointer;font-weight:600'>Legend</summary>"
        '<div style="display:grid;grid-template-columns:auto auto auto auto;gap:0 14px">'
        f"<div><b>Attacks</b> (size = fatalities){attacks}</div>"
        f"<div><b>Abductions</b>{abduction}</div>"
        f"<div><b>Territorial control</b>{zones}</div>"
        f"<div><b>Inferred from events</b>{inferred}</div>"
        "</div></details>"
    )


def borders_geojson(countries: gpd.GeoDataFrame, focus: str = FOCUS_COUNTRY) -> dict:
    """The countries as a GeoJSON FeatureCollection: each with its name, a label point and its style."""
    def style(iso: str) -> dict[str, object]:
        mine = iso == focus
        return {"color": "#444" if mine else "#888", "weight": 2 if mine else 1,
                "fillColor": "#f4efe1" if mine else "#ebe7dc", "fillOpacity": 1}

    features = []
    for row in countries.itertuples():
        point = row.geometry.representative_point()
        features.append({"type": "Feature", "geometry": row.geometry.__geo_interface__,
                         "properties": {"iso_a2": row.iso_a2, "name": row.name, "style": style(row.iso_a2),
                                        "label": [round(point.y, 3), round(point.x, 3)]}})
    return {"type": "FeatureCollection", "features": features}


def write_borders(countries: gpd.GeoDataFrame, target: Path, focus: str = FOCUS_COUNTRY) -> Path:
    """Write :func:`borders_geojson` to ``target`` (compact JSON, replaced atomically); returns ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(borders_geojson(countries, focus), separators=(",", ":"), ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(target)
    return target


def borders_name(focus: str = FOCUS_COUNTRY) -> str:
    """A file name for the borders GeoJSON that changes whenever its content would.

    Derived from the Natural Earth file, the clipping box, the focus country and
    ``BORDERS_VERSION``, so a server can tell without reading the shapefile that the
    file it wrote earlier is still right.
    """
    from geo.io.boundaries import SAHEL_BBOX, natural_earth_countries_path

    source = Path(natural_earth_countries_path())
    key = f"{source.name}:{source.stat().st_size}:{SAHEL_BBOX}:{focus}:{BORDERS_VERSION}"
    return f"borders-{hashlib.sha1(key.encode()).hexdigest()[:10]}.json"


def base_map(countries: gpd.GeoDataFrame | None = None, *, borders_url: str | None = None,
             center: tuple[float, float] = SAHEL_CENTER, zoom: int = SAHEL_ZOOM, focus: str = FOCUS_COUNTRY,
             fold: tuple[int, int] = FOLD_BELOW) -> folium.Map:
    """A folium map with no default tiles: country borders, a legend, and online tiles offered but off.

    The borders come from ``borders_url`` (fetched by the browser, see :func:`write_borders`)
    or, without it, are inlined from ``countries``. The tile layer is offered in the
    layer control, off by default, for when the machine is online.
    """
    if borders_url is None and countries is None:
        raise ValueError("base_map needs the countries or the URL of their borders")
    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True,
                      prefer_canvas=False, min_zoom=3, max_zoom=14)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.folium-map{background:#cfe3ef}.cm-legend{margin-bottom:16px}"
        ".cm-legend summary{font-size:13px}.leaflet-control-layers{font-size:14px}"
        ".cm-country-label{font:600 13px sans-serif;color:#555;text-shadow:0 0 3px #fff;white-space:nowrap;"
        "text-align:center}</style>"))
    (Borders(url=borders_url) if borders_url else Borders(data=borders_geojson(countries, focus))).add_to(fmap)
    # the provider itself, not its name: looking a name up walks xyzservices' whole catalogue on every run
    folium.TileLayer(xyzservices.providers.OpenStreetMap.Mapnik, name=ONLINE_TILES, overlay=True, show=False,
                     control=True).add_to(fmap)
    Legend(legend_html(), fold).add_to(fmap)
    return fmap
