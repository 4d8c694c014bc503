"""Regions layer: events or fatalities per admin-1 region as a choropleth, and a region's details.

Pure functions: an events frame (already filtered to the view's window and
filters) and the shipped Natural Earth admin-1 polygons (``data/admin1_sahel.geojson``)
in, a table or a folium ``FeatureGroup`` out. Events are placed in regions by
their coordinates (point in polygon), not by their ``admin1`` text, whose
spelling and vintage vary between sources (Mali's regions of 2016 and 2023).
An event on a border between two regions counts for one of them; events
outside every shipped region (Algeria, Chad, the sea) are counted apart.

Areas are computed in an equal-area projection (Africa Albers Equal Area Conic),
so "per 10,000 km²" compares a small Burkinabè province with a Saharan region.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd
import shapely

from geo.layers import GroupLegend
from geo.popups import tooltip

if TYPE_CHECKING:
    import geopandas as gpd

EQUAL_AREA_CRS = "ESRI:102022"  # Africa Albers Equal Area Conic
AREA_UNIT_KM2 = 10_000.0
MEASURES = ("events", "fatalities")
SCALES = ("region", "area")  # per region, or per 10,000 km²
SCALE_LABELS = {"region": "per region", "area": "per 10,000 km²"}
REGIONS = "Regions"
# ColorBrewer YlOrRd, 5 classes; a region with none of the measure is outlined only
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
EMPTY_STYLE = {"color": "#6b6b6b", "weight": 0.6, "fillColor": "#ffffff", "fillOpacity": 0.0}
TOP = 5


def region_id(iso_a2: str, name: str) -> str:
    """A stable, URL- and CSS-safe id for a region, e.g. ``ml-kayes``, ``bf-bale``."""
    from geo.place import normalise

    return f"{iso_a2.lower()}-{re.sub(r'[^a-z0-9]+', '-', normalise(name)).strip('-')}"


@lru_cache(maxsize=1)
def shipped_regions() -> gpd.GeoDataFrame:
    """The shipped admin-1 regions: ``region_id``, ``name``, ``country``, ``iso_a2``, ``area_km2``, ``geometry``."""
    from geo.io.boundaries import admin1_regions

    return prepare_regions(admin1_regions())


def prepare_regions(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Regions (``iso_a2``, ``admin`` (country), ``name``, polygons in WGS 84) with ids and equal-area areas."""
    out = frame.to_crs("EPSG:4326").reset_index(drop=True)
    out = out.assign(region_id=[region_id(cc, name) for cc, name in zip(out["iso_a2"], out["name"], strict=True)],
                     country=out["admin"], area_km2=out.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6)
    return out[["region_id", "name", "country", "iso_a2", "area_km2", "geometry"]]


def assign_regions(events: pd.DataFrame, regions: gpd.GeoDataFrame) -> np.ndarray:
    """The position in ``regions`` of the region holding each event (-1: in none). Vectorised.

    Each region tests only the events inside its bounding box, on its prepared
    polygon, without building point geometries. A point on the border of two
    regions goes to the first of them.
    """
    out = np.full(len(events), -1, dtype=np.int64)
    if len(events) == 0:
        return out
    x = events["longitude"].to_numpy(dtype=float)
    y = events["latitude"].to_numpy(dtype=float)
    polygons = regions.geometry.to_numpy()
    shapely.prepare(polygons)
    for position, (polygon, (x0, y0, x1, y1)) in enumerate(zip(polygons, shapely.bounds(polygons), strict=True)):
        candidates = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1) & (out < 0))
        if candidates.size:
            out[candidates[shapely.intersects_xy(polygon, x[candidates], y[candidates])]] = position
    return out


def region_counts(events: pd.DataFrame, regions: gpd.GeoDataFrame | None = None, measure: str = "events",
                  scale: str = "region", where: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Every region with its ``events`` and ``fatalities`` and the ``value`` shown: the ``measure`` per region,
    or per 10,000 km² (``scale="area"``). Regions without events are listed with 0. Missing fatalities count 0.

    ``where`` is :func:`assign_regions` of ``events`` when already known (a caller may keep it per data version).
    """
    regions = shipped_regions() if regions is None else regions
    return _counts(events, regions, _where(events, regions, where), measure, scale)


def _where(events: pd.DataFrame, regions: gpd.GeoDataFrame, where: np.ndarray | None) -> np.ndarray:
    if where is None:
        return assign_regions(events, regions)
    if len(where) != len(events):
        raise ValueError(f"where has {len(where)} entries for {len(events)} events")
    return np.asarray(where)


def _fatalities(events: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()


def _counts(events: pd.DataFrame, regions: gpd.GeoDataFrame, where: np.ndarray, measure: str,
            scale: str) -> gpd.GeoDataFrame:
    if measure not in MEASURES or scale not in SCALES:
        raise ValueError(f"measure must be one of {MEASURES} and scale one of {SCALES}")
    inside = where >= 0
    n = len(regions)
    out = regions.copy()
    out["events"] = np.bincount(where[inside], minlength=n)[:n].astype(int)
    out["fatalities"] = np.bincount(where[inside], weights=_fatalities(events)[inside], minlength=n)[:n].astype(int)
    out["value"] = out[measure].astype(float)
    if scale == "area":
        out["value"] = out["value"] / out["area_km2"] * AREA_UNIT_KM2
    return out


def ranked(counts: gpd.GeoDataFrame) -> pd.DataFrame:
    """The regions of :func:`region_counts` with any events, highest ``value`` first (then most events, then name):
    columns region, country, events, fatalities, value, area_km2."""
    shown = counts[counts["events"] > 0].drop(columns="geometry")
    shown = shown.sort_values(["value", "events", "name"], ascending=[False, False, True])
    return pd.DataFrame(shown[["name", "country", "events", "fatalities", "value", "area_km2"]]).rename(
        columns={"name": "region"}).reset_index(drop=True)


def class_breaks(values: pd.Series | np.ndarray, classes: int = len(PALETTE), *, integer: bool = False) -> list[float]:
    """Upper bounds of the colour classes over the positive values: their quantiles, rounded down to whole
    numbers with ``integer``, else to two significant digits; distinct, the last one the maximum."""
    positive = np.asarray(values, dtype=float)
    positive = positive[positive > 0]
    if positive.size == 0:
        return []
    top = float(positive.max())
    quantiles = np.quantile(positive, np.linspace(0, 1, classes + 1)[1:-1])
    rounded = {float(np.floor(q)) if integer else _round_sig(float(q)) for q in quantiles}
    return sorted(b for b in rounded if 0 < b < top) + [top]


def _round_sig(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant digits (0.01234 -> 0.012, 1264 -> 1300)."""
    return float(f"{value:.{digits}g}")


def colour_for(value: float, breaks: list[float]) -> str | None:
    """The palette colour of ``value`` (None for 0: outlined only)."""
    if value <= 0 or not breaks:
        return None
    index = min(int(np.searchsorted(breaks, value, side="left")), len(breaks) - 1)
    # spread the classes over the palette's whole range when there are fewer than its colours
    return PALETTE[round(index * (len(PALETTE) - 1) / max(len(breaks) - 1, 1))]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def legend_title(measure: str = "events", scale: str = "region") -> str:
    """The legend's title, e.g. "Events per region", "Fatalities per 10,000 km²"."""
    return f"{measure.capitalize()} {SCALE_LABELS[scale]}"


def legend(counts: gpd.GeoDataFrame, scale: str = "region") -> list[tuple[str, str]]:
    """(label, colour) per colour class of :func:`region_counts`, lowest first, e.g. ``[("1", ...), ("2–3", ...),
    ("4–5", ...)]`` per region or ``[("up to 0.12", ...), ("0.12–0.5", ...)]`` per 10,000 km²; regions with none
    are outlined only."""
    integer = scale == "region"
    breaks = class_breaks(counts["value"], integer=integer)
    out, low = [], None
    for upper in breaks:
        if low is None:
            text = _number(upper) if integer and upper == 1 else f"up to {_number(upper)}"
        elif integer and upper == low + 1:
            text = _number(upper)
        else:
            text = f"{_number(low + 1 if integer else low)}–{_number(upper)}"
        out.append((text, colour_for(upper, breaks)))
        low = upper
    return out


def _n_events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"


def _tooltip_text(row: dict, measure: str, scale: str) -> str:
    text = f"{row['name']} ({row['country']}): {_n_events(row['events'])}, {row['fatalities']} fatalities"
    if scale == "area":
        text += f"; {_number(row['value'])} {measure} per 10,000 km² ({_number(row['area_km2'])} km²)"
    return text


def regions_layer(events: pd.DataFrame, regions: gpd.GeoDataFrame | None = None, measure: str = "events",
                  scale: str = "region", name: str = REGIONS, details: bool = True,
                  tolerance: float = 0.02, where: np.ndarray | None = None) -> folium.FeatureGroup:
    """A choropleth of ``measure`` (events or fatalities) per admin-1 region, per region or per 10,000 km².

    Each region's tooltip gives its count; with ``details`` a click opens its top
    actors and deadliest events (as :func:`region_details` gives them). The layer's
    name says what is shaded and how many events fall outside every region. Each
    polygon has the CSS classes ``cm-region cm-region-<region_id>``; outlines are
    simplified to ``tolerance`` degrees for the browser (the counts use the shipped
    polygons). ``where``: as for :func:`region_counts`.
    """
    regions = shipped_regions() if regions is None else regions
    where = _where(events, regions, where)
    counts = _counts(events, regions, where, measure, scale)
    breaks = class_breaks(counts["value"], integer=scale == "region")
    popups = _popups(events, counts, where) if details else {}
    features = []
    for row, geometry in zip(counts.drop(columns="geometry").to_dict("records"),
                             _outlines(counts.geometry, tolerance), strict=True):
        colour = colour_for(row["value"], breaks)
        style = dict(EMPTY_STYLE) if colour is None else {"color": "#6b6b6b", "weight": 0.6, "fillColor": colour,
                                                          "fillOpacity": 0.7}
        style["className"] = f"cm-region cm-region-{row['region_id']}"
        props = {"region_id": row["region_id"], "name": row["name"], "country": row["country"],
                 "events": row["events"], "fatalities": row["fatalities"], "value": round(float(row["value"]), 3),
                 "style": style, "tooltip": tooltip(_tooltip_text(row, measure, scale))}
        if details:
            props["popup"] = popups.get(row["region_id"],
                                        f"<b>{html.escape(row['name'])}</b>: no events in the window")
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geometry), "properties": props})
    outside = int((where < 0).sum())
    label = f"{name}: {measure} {SCALE_LABELS[scale]}" + (f" ({_n_events(outside)} outside them)" if outside else "")
    group = folium.FeatureGroup(name=label, show=True)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: f["properties"]["style"],
        highlight_function=lambda f: {"weight": 2.5, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420) if details else None,
        zoom_on_click=False,
    ).add_to(group)
    legend_html = legend_box(counts, measure, scale)
    GroupLegend(legend_html, "cm-regions-legend").add_to(group)
    return group


def legend_box(counts: gpd.GeoDataFrame, measure: str = "events", scale: str = "region") -> str:
    """The regions layer's own legend (HTML): its title, a swatch per colour class, and "none" outlined."""
    from geo.layers import LEGEND_BOX, swatch_html

    rows = "".join(swatch_html(colour, label) for label, colour in legend(counts, scale))
    return (f'<div style="{LEGEND_BOX}"><b>{html.escape(legend_title(measure, scale))}</b>{rows}'
            f"{swatch_html(None, 'none')}</div>")


def _outlines(geometry: gpd.GeoSeries, tolerance: float) -> np.ndarray:
    """Outlines for the browser: simplified to ``tolerance`` degrees, on a 0.001° grid (short coordinates)."""
    return shapely.set_precision(geometry.simplify(tolerance, preserve_topology=True).to_numpy(), 0.001)


@dataclass(frozen=True)
class RegionDetails:
    """What a click on a region shows: its totals, its top actors and its deadliest events."""

    region_id: str
    name: str
    country: str
    events: int
    fatalities: int
    top_actors: pd.DataFrame  # actor, events, fatalities; most events first
    deadliest: pd.DataFrame  # the events' ACLED columns, most fatalities first


def _top_per_group(group: np.ndarray, top: int) -> np.ndarray:
    """Of rows sorted by ``group``, a mask of the first ``top`` of each group."""
    if group.size == 0:
        return np.zeros(0, dtype=bool)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    rank = np.arange(group.size) - np.repeat(starts, np.diff(np.r_[starts, group.size]))
    return rank < top


def _ranked(events: pd.DataFrame, where: np.ndarray, top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every region's top actors (region, actor, events, fatalities) and deadliest events (region, row: the
    event's position in ``events``), ``top`` of each, in one pass. ``region`` is the position in the regions."""
    from geo.tools.trends import actor_events

    fatalities = _fatalities(events)
    pairs = actor_events(events)
    rows = pairs["row"].to_numpy()
    table = pd.DataFrame({"region": where[rows], "actor": pairs["actor"].to_numpy(), "fatalities": fatalities[rows]})
    actors = (table[table["region"] >= 0].groupby(["region", "actor"], sort=False)
              .agg(events=("fatalities", "size"), fatalities=("fatalities", "sum")).reset_index())
    actors["fatalities"] = actors["fatalities"].astype(int)
    actors = actors.sort_values(["region", "events", "fatalities", "actor"], ascending=[True, False, False, True])
    actors = actors[_top_per_group(actors["region"].to_numpy(), top)].reset_index(drop=True)

    inside = np.flatnonzero(where >= 0)
    days = pd.to_datetime(events["event_date"]).to_numpy().astype("datetime64[D]").astype(np.int64)[inside]
    # most fatalities first, then the latest, then the order of the frame
    order = inside[np.lexsort((inside, -days, -fatalities[inside], where[inside]))]
    keep = _top_per_group(where[order], top)
    deadliest = pd.DataFrame({"region": where[order][keep], "row": order[keep]})
    return actors, deadliest


def region_details(events: pd.DataFrame, region: str, regions: gpd.GeoDataFrame | None = None,
                   top: int = TOP, where: np.ndarray | None = None) -> RegionDetails:
    """The region ``region`` (a :func:`region_id`): its events and fatalities, its ``top`` actors (by events they
    are named in, as actor 1, 2 or associated; then fatalities) and its ``top`` deadliest events (most fatalities,
    then the latest). KeyError for an unknown id. ``where``: as for :func:`region_counts`."""
    regions = shipped_regions() if regions is None else regions
    positions = np.flatnonzero(regions["region_id"].to_numpy() == region)
    if positions.size == 0:
        raise KeyError(f"no region {region!r}")
    position = int(positions[0])
    where = _where(events, regions, where)
    inside = np.flatnonzero(where == position)
    subset = events.iloc[inside]
    actors, deadliest = _ranked(subset, where[inside], top)
    row = regions.iloc[position]
    return RegionDetails(region_id=region, name=row["name"], country=row["country"], events=int(inside.size),
                         fatalities=int(_fatalities(subset).sum()),
                         top_actors=actors.drop(columns="region"),
                         deadliest=subset.iloc[deadliest["row"].to_numpy()].reset_index(drop=True))


def _actor_item(actor: str, events: int, fatalities: int) -> str:
    return f"<li>{html.escape(str(actor))}: {_n_events(events)}, {fatalities} fatalities</li>"


def _event_item(day: object, location: object, sub_event_type: object, fatalities: object) -> str:
    killed = int(fatalities) if pd.notna(fatalities) else 0
    return (f"<li>{pd.Timestamp(day):%Y-%m-%d} {html.escape(str(location))}: {html.escape(str(sub_event_type))}, "
            f"{killed} killed</li>")


def _details_box(name: str, country: str, events: int, fatalities: int, actors: list[str], deadly: list[str]) -> str:
    return (f'<div class="cm-region-details"><b>{html.escape(name)}</b> ({html.escape(country)}): '
            f"{_n_events(events)}, {fatalities} fatalities<br><b>Top actors</b><ol>{''.join(actors)}</ol>"
            f"<b>Deadliest events</b><ol>{''.join(deadly)}</ol></div>")


def details_html(details: RegionDetails, top: int = 3) -> str:
    """A region's details as popup HTML (escaped)."""
    a, d = details.top_actors.head(top), details.deadliest.head(top)
    return _details_box(details.name, details.country, details.events, details.fatalities,
                        [_actor_item(*r) for r in zip(a["actor"], a["events"], a["fatalities"], strict=True)],
                        [_event_item(*r) for r in zip(d["event_date"], d["location"], d["sub_event_type"],
                                                      d["fatalities"], strict=True)])


def _popups(events: pd.DataFrame, counts: gpd.GeoDataFrame, where: np.ndarray, top: int = 3) -> dict[str, str]:
    """Popup HTML (as :func:`details_html`) for every region of ``counts`` that has events, ranked in one pass."""
    actors, deadliest = _ranked(events, where, top)
    actor_items: dict[int, list[str]] = {}
    for region, actor, n, killed in zip(actors["region"], actors["actor"], actors["events"], actors["fatalities"],
                                        strict=True):
        actor_items.setdefault(region, []).append(_actor_item(actor, n, killed))
    rows = deadliest["row"].to_numpy()
    event_items: dict[int, list[str]] = {}
    for region, *fields in zip(deadliest["region"], events["event_date"].to_numpy()[rows],
                               events["location"].to_numpy()[rows], events["sub_event_type"].to_numpy()[rows],
                               events["fatalities"].to_numpy()[rows], strict=True):
        event_items.setdefault(region, []).append(_event_item(*fields))
    out = {}
    for position in np.flatnonzero(counts["events"].to_numpy() > 0):
        rid, name, country = (counts[c].iat[position] for c in ("region_id", "name", "country"))
        out[rid] = _details_box(name, country, int(counts["events"].iat[position]),
                                int(counts["fatalities"].iat[position]), actor_items.get(position, []),
                                event_items.get(position, []))
    return out


# -- two periods compared -----------------------------------------------------------------------------------

# ColorBrewer RdBu (6 of 7 classes): fewer in blue, more in red, stronger for a larger share of the largest change
FEWER = ("#d1e5f0", "#67a9cf", "#2166ac")
MORE = ("#fddbc7", "#ef8a62", "#b2182b")
UNCHANGED = "#f7f7f7"


def region_difference(before: pd.DataFrame, after: pd.DataFrame, regions: gpd.GeoDataFrame | None = None,
                      measure: str = "events", scale: str = "region") -> gpd.GeoDataFrame:
    """Every region with its ``measure`` (per region or per 10,000 km²) in two periods: ``before`` and ``after``
    (the shown values), ``events_before``/``events_after``, ``fatalities_before``/``fatalities_after``, and
    ``change`` = after - before."""
    regions = shipped_regions() if regions is None else regions
    a = region_counts(before, regions, measure, scale)
    b = region_counts(after, regions, measure, scale)
    out = regions.copy()
    for name, counts in (("before", a), ("after", b)):
        out[f"events_{name}"] = counts["events"].to_numpy()
        out[f"fatalities_{name}"] = counts["fatalities"].to_numpy()
        out[name] = counts["value"].to_numpy()
    out["change"] = out["after"] - out["before"]
    return out


def change_colour(change: float, largest: float, any_events: bool) -> str | None:
    """The colour of a region's ``change`` against the ``largest`` change in absolute value: blue for fewer, red
    for more, in thirds of the largest; light grey when unchanged with events, None (outlined only) without any."""
    if change == 0 or largest <= 0:
        return UNCHANGED if any_events else None
    step = min(int(abs(change) / largest * 3 - 1e-9), 2)
    return (MORE if change > 0 else FEWER)[step]


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + _number(abs(value))


def difference_layer(difference: gpd.GeoDataFrame, measure: str = "events", scale: str = "region",
                     labels: tuple[str, str] = ("A", "B"), name: str = "Change by region",
                     tolerance: float = 0.02) -> folium.FeatureGroup:
    """A choropleth of :func:`region_difference`: each region coloured by its change from period ``labels[0]`` to
    ``labels[1]``, its tooltip giving both periods' counts and the change; with its own legend. Each polygon has
    the CSS classes ``cm-change-region cm-region-<region_id>``."""
    largest = float(difference["change"].abs().max()) if len(difference) else 0.0
    unit = f"{measure} {SCALE_LABELS[scale]}"
    features = []
    for row, geometry in zip(difference.drop(columns="geometry").to_dict("records"),
                             _outlines(difference.geometry, tolerance), strict=True):
        any_events = bool(row["events_before"] or row["events_after"])
        colour = change_colour(row["change"], largest, any_events)
        style = dict(EMPTY_STYLE) if colour is None else {"color": "#6b6b6b", "weight": 0.6, "fillColor": colour,
                                                          "fillOpacity": 0.75}
        style["className"] = f"cm-change-region cm-region-{row['region_id']}"
        text = (f"{row['name']} ({row['country']}): {labels[0]} {_number(row['before'])}, {labels[1]} "
                f"{_number(row['after'])} {unit} ({_signed(row['change'])})")
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geometry),
                         "properties": {"region_id": row["region_id"], "name": row["name"],
                                        "change": round(float(row["change"]), 3),
                                        "style": style, "tooltip": tooltip(text)}})
    group = folium.FeatureGroup(name=f"{name}: {unit}, {labels[0]} → {labels[1]}", show=True)
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   style_function=lambda f: f["properties"]["style"],
                   highlight_function=lambda f: {"weight": 2.5, "color": "#222222"},
                   tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False), zoom_on_click=False).add_to(group)
    GroupLegend(difference_legend(largest, measure, scale, labels), "cm-change-legend").add_to(group)
    return group


def difference_legend(largest: float, measure: str = "events", scale: str = "region",
                      labels: tuple[str, str] = ("A", "B")) -> str:
    """The change map's legend (HTML): more and fewer in thirds of the ``largest`` change, unchanged, none."""
    from geo.layers import LEGEND_BOX, swatch_html

    title = f"Change {labels[0]} → {labels[1]}: {measure} {SCALE_LABELS[scale]}"
    if largest <= 0:
        rows = swatch_html(UNCHANGED, "no change")
    else:
        thirds = [largest / 3 * i for i in (1, 2, 3)]
        bounds = [f"up to {_number(thirds[0])}", f"{_number(thirds[0])}–{_number(thirds[1])}",
                  f"{_number(thirds[1])}–{_number(thirds[2])}"]
        rows = "".join(swatch_html(c, f"{b} more") for c, b in reversed(list(zip(MORE, bounds, strict=True))))
        rows += swatch_html(UNCHANGED, "unchanged")
        rows += "".join(swatch_html(c, f"{b} fewer") for c, b in zip(FEWER, bounds, strict=True))
    return (f'<div style="{LEGEND_BOX}"><b>{html.escape(title)}</b>{rows}'
            f"{swatch_html(None, 'no events in either')}</div>")
