"""Areas as gazetteer entries: countries, admin-1 regions, border areas and tri-borders.

Border areas are computed from the Natural Earth country polygons: the strip
where two countries meet, widened to a band, or the zone around the point
where three meet (the Mali-Senegal-Mauritania corner, Liptako-Gourma).  Every
area carries a representative point and its geometry, with ACLED
``geo_precision`` 3.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

from shapely.affinity import scale
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union

from geo import vocab
from geo.place import Place, normalise
from geo.vocab import COUNTRY_WORDS  # also read from here by geo.extract

BORDER_WORDS = re.compile(r"\b(border|borders|borderland|frontier|frontiers|frontiere|frontieres|confins)\b")
TRI_WORDS = re.compile(r"\b(tri border|triborder|three borders|trois frontieres|tri frontier|three countries)\b")
LIPTAKO = re.compile(r"\bliptako\b|\bgourma\b.*\bliptako\b")
BORDER_BAND_DEG = 0.25   # half-width of a border area (about 25-28 km)
TRI_RADIUS_DEG = 1.0     # radius of a tri-border area (about 100-110 km)
REGION_WORDS = ("{} region", "region of {}", "region de {}", "province of {}", "province du {}", "{} province")
WITH = re.compile(r"\b(with|avec|along|near|le long de)\b")


@lru_cache(maxsize=1)
def _country_shapes() -> dict[str, BaseGeometry]:
    from geo.io.boundaries import countries

    frame = countries()
    return {row.iso_a2: row.geometry for row in frame.itertuples() if row.iso_a2 in vocab.COUNTRIES}


def _area_place(name: str, geometry: BaseGeometry, country: str, feature: str, alternates: Sequence[str] = (),
                admin1: str = "", source: str = "Natural Earth 10m (public domain)") -> Place:
    point = geometry.representative_point()
    return Place(name=name, latitude=round(point.y, 4), longitude=round(point.x, 4), country=country,
                 admin1=admin1, feature=feature, source=source, alternate_names=tuple(alternates),
                 geo_precision=3, geometry=geometry)


def places_buffer(places: list[list]) -> BaseGeometry:
    """The union of circles (``[name, latitude, longitude, radius_km]``) around named places."""
    circles = []
    for _name, lat, lon, radius_km in places:
        # a degree of longitude shrinks with latitude: scale the circle into an ellipse in degrees
        circle = Point(lon, lat).buffer(radius_km / 111.32, 32)
        circles.append(scale(circle, xfact=1 / math.cos(math.radians(lat)), yfact=1.0, origin=(lon, lat)))
    return unary_union(circles)


def country_areas() -> list[Place]:
    """Each Sahel-area country as an area, under its English and French names."""
    shapes = _country_shapes()
    return [_area_place(vocab.COUNTRIES[cc].name, shape, cc, "country", vocab.COUNTRIES[cc].names + (cc,))
            for cc, shape in shapes.items()]


def admin1_areas() -> list[Place]:
    """Admin-1 regions, indexed only as "X region", "région de X" and the like."""
    from geo.io.boundaries import admin1_regions

    out = []
    for row in admin1_regions().itertuples():
        names = [pattern.format(row.name) for pattern in REGION_WORDS]
        out.append(_area_place(f"{row.name} region", row.geometry, row.iso_a2, "admin1", names, admin1=row.name))
    return out


def area_places() -> list[Place]:
    """Countries and admin-1 regions for the gazetteer index."""
    return country_areas() + admin1_areas()


def countries_in(text: str) -> list[str]:
    """ISO2 codes of the countries a phrase names, in order of first mention."""
    key = f" {normalise(text)} "
    found: list[tuple[int, str]] = []
    for cc, words in COUNTRY_WORDS.items():
        positions = [key.find(f" {w} ") for w in words if f" {w} " in key]
        if positions:
            found.append((min(positions), cc))
    # "Niger" inside "Nigeria" cannot match (word boundaries); "Guinea" inside "Guinea-Bissau" can:
    codes = [cc for _, cc in sorted(found)]
    if "GW" in codes and "GN" in codes and " guinea bissau " in key and key.count(" guinea") == 1:
        codes.remove("GN")
    return codes


@lru_cache(maxsize=64)
def border_area(codes: tuple[str, ...]) -> Place | None:
    """The border area shared by two countries, or the tri-border area of three; None if they don't meet."""
    shapes = _country_shapes()
    if len(set(codes)) != len(codes) or not 2 <= len(codes) <= 3 or any(c not in shapes for c in codes):
        return None
    meet = unary_union([shapes[codes[0]].buffer(0.02)])
    for cc in codes[1:]:
        meet = meet.intersection(shapes[cc].buffer(0.02))
    if meet.is_empty:
        return None
    names = [vocab.display_name(c) for c in codes]
    if len(codes) == 2:
        geometry = meet.buffer(BORDER_BAND_DEG)
        name = f"{names[0]}–{names[1]} border"
        alternates = (f"{names[1]}–{names[0]} border", f"border between {names[0]} and {names[1]}")
        feature = "border"
    else:
        geometry = meet.centroid.buffer(TRI_RADIUS_DEG)
        name = f"{'–'.join(names)} tri-border area"
        alternates = ("Liptako-Gourma",) if set(codes) == {"ML", "BF", "NE"} else ()
        feature = "tri_border"
    # the tri-point itself, or the point of the shared border nearest its middle
    point = meet.centroid if len(codes) == 3 else nearest_points(meet, meet.centroid)[0]
    return Place(name=name, latitude=round(point.y, 4), longitude=round(point.x, 4), country=codes[0],
                 feature=feature, source="computed from Natural Earth 10m country polygons",
                 alternate_names=alternates, geo_precision=3, geometry=geometry)


def parse_border(query: str, country_codes: Sequence[str] = ()) -> Place | None:
    """A border or tri-border area named by a phrase, else None.

    Handles "Mali–Senegal border", "the border with Mauritania" (the other side
    comes from the country hint; without one the phrase is not resolved), "border areas with Senegal and
    Mauritania" (with the hint: a tri-border), "frontière avec le Niger",
    "tri-border area" and "Liptako-Gourma".
    """
    key = normalise(query)
    if LIPTAKO.search(key):
        return border_area(("ML", "BF", "NE"))
    if not BORDER_WORDS.search(key) and not TRI_WORDS.search(key):
        return None
    named = countries_in(key)
    home = [c.upper() for c in country_codes]  # no hint: "the border with X" has no known other side
    if TRI_WORDS.search(key) and not named:
        return border_area(("ML", "BF", "NE"))
    codes = list(dict.fromkeys(named))
    # "the border with X (and Y)": the other side is the report's country
    if len(codes) < 3 and (len(codes) < 2 or TRI_WORDS.search(key) or WITH.search(key)):
        for cc in home:
            if cc not in codes:
                codes.insert(0, cc)
                break
    codes = codes[:3]
    if len(codes) == 3:
        return border_area(tuple(codes)) or _best_pair(codes)
    if len(codes) == 2:
        return border_area(tuple(codes))
    return None


def _best_pair(codes: Sequence[str]) -> Place | None:
    for pair in combinations(codes, 2):
        area = border_area(tuple(pair))
        if area is not None:
            return area
    return None
