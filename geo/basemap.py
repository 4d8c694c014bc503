"""The base map: an offline vector basemap of borders, a legend, and optional online tiles.

The base map does not depend on the filters, so it is built the same way on
every run and streamlit-folium keeps it mounted; the changing layers come from
:mod:`geo.layers`.
"""
from __future__ import annotations

from html import escape

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from geo.layers import ABDUCTION_COLOUR, FAMILY_COLOURS, OTHER_COLOUR, SUB_EVENT_COLOURS, ZONE_LEGEND

SAHEL_CENTER = (15.0, -7.0)
SAHEL_ZOOM = 6
FOCUS_COUNTRY = "ML"
ONLINE_TILES = "OpenStreetMap tiles (needs internet)"


class Legend(MacroElement):
    """A fixed, collapsible legend control in the map's bottom-left corner."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'cm-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


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
    return (
        '<details open style="background:rgba(255,255,255,.92);padding:6px 10px;border-radius:6px;'
        'font:12px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        "<summary style='cursor:pointer;font-weight:600'>Legend</summary>"
        '<div style="display:grid;grid-template-columns:auto auto auto;gap:0 14px">'
        f"<div><b>Attacks</b> (size = fatalities){attacks}<b>Abductions</b>{abduction}</div>"
        f"<div><b>Territorial control</b>{zones}</div>"
        f"<div><b>Inferred from events</b>{inferred}</div>"
        "</div></details>"
    )


def base_map(countries: gpd.GeoDataFrame, *, center: tuple[float, float] = SAHEL_CENTER,
             zoom: int = SAHEL_ZOOM, focus: str = FOCUS_COUNTRY) -> folium.Map:
    """A folium map with no default tiles: country borders drawn from ``countries``.

    A tile layer is offered in the layer control, off by default, for when the
    machine is online.
    """
    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True,
                      prefer_canvas=False, min_zoom=3, max_zoom=14)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.folium-map{background:#cfe3ef}.cm-legend{margin-bottom:16px}"
        ".leaflet-control-layers{font-size:14px}.cm-country-label{font:600 13px sans-serif;"
        "color:#555;text-shadow:0 0 3px #fff;white-space:nowrap}</style>"))
    borders = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"iso_a2": row.iso_a2, "name": row.name},
             "geometry": row.geometry.__geo_interface__}
            for row in countries.itertuples()
        ],
    }
    folium.GeoJson(
        borders, name="Country borders (offline)", control=False,
        style_function=lambda f: {
            "color": "#444" if f["properties"]["iso_a2"] == focus else "#888",
            "weight": 2 if f["properties"]["iso_a2"] == focus else 1,
            "fillColor": "#f4efe1" if f["properties"]["iso_a2"] == focus else "#ebe7dc",
            "fillOpacity": 1,
        },
        interactive=False,
    ).add_to(fmap)
    for row in countries.itertuples():
        point = row.geometry.representative_point()
        folium.Marker(
            (point.y, point.x), interactive=False,
            icon=folium.DivIcon(html=f'<div class="cm-country-label">{escape(row.name)}</div>',
                                icon_size=(120, 16), icon_anchor=(60, 8)),
        ).add_to(fmap)
    folium.TileLayer("OpenStreetMap", name=ONLINE_TILES, overlay=True, show=False, control=True).add_to(fmap)
    Legend(legend_html()).add_to(fmap)
    return fmap
