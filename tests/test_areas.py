from __future__ import annotations

import pytest

from geo import vocab
from geo.areas import border_area, countries_in, country_areas, parse_border
from geo.geocoder import GazetteerGeocoder
from geo.place import haversine_km


@pytest.mark.parametrize(("text", "codes"), [
    ("near the borders with Senegal and Mauritania", ["SN", "MR"]),
    ("frontière entre le Mali et le Niger", ["ML", "NE"]),
    ("Burkinabe and Malian troops", ["BF", "ML"]),
    ("Nigeria", ["NG"]),
    ("Guinea-Bissau", ["GW"]),
    ("Kayes", []),
])
def test_countries_in(text: str, codes: list[str]) -> None:
    assert countries_in(text) == codes


def test_the_border_with_a_country_needs_the_other_side_from_the_report() -> None:
    assert parse_border("the border with Mauritania") is None  # no default country


@pytest.mark.parametrize(("query", "hint", "name", "near", "km"), [
    ("Mali–Senegal border", (), "Mali–Senegal border", (14.0, -12.0), 150),
    ("Senegal-Mali border", (), "Senegal–Mali border", (14.0, -12.0), 150),
    ("the border with Mauritania", ("ML",), "Mali–Mauritania border", None, 0),
    ("the border with Mauritania", ("SN",), "Senegal–Mauritania border", (16.0, -14.5), 250),
    ("border areas with Senegal and Mauritania", ("ML",), "Mali–Senegal–Mauritania tri-border area",
     (14.75, -12.2), 30),
    ("near the border with Niger", ("ML",), "Mali–Niger border", None, 0),
    ("Liptako-Gourma", (), "Mali–Burkina Faso–Niger tri-border area", (14.9, 0.2), 40),
    ("the tri-border area", (), "Mali–Burkina Faso–Niger tri-border area", (14.9, 0.2), 40),
    ("zone des trois frontières", (), "Mali–Burkina Faso–Niger tri-border area", (14.9, 0.2), 40),
    ("frontière avec le Burkina Faso", ("ML",), "Mali–Burkina Faso border", None, 0),
])
def test_border_areas(query: str, hint: tuple, name: str, near: tuple | None, km: float) -> None:
    area = parse_border(query, hint)
    assert area is not None and area.name == name
    assert area.geo_precision == 3 and area.geometry is not None
    assert area.geometry.contains(area.geometry.representative_point())
    if near:
        assert haversine_km(area.latitude, area.longitude, *near) <= km


def test_border_point_lies_on_both_countries_edges() -> None:
    area = border_area(("ML", "SN"))
    assert area is not None
    from shapely.geometry import Point
    assert area.geometry.contains(Point(area.longitude, area.latitude))


@pytest.mark.parametrize("codes", [("ML", "NG"), ("ML", "ML"), ("ML",), ("XX", "ML")])
def test_no_border_between_countries_that_do_not_meet(codes: tuple) -> None:
    assert border_area(codes) is None


def test_non_border_text_is_not_an_area() -> None:
    assert parse_border("Kayes") is None


@pytest.mark.parametrize(("query", "feature", "country"), [
    ("Mali", "country", "ML"),
    ("Sénégal", "country", "SN"),
    ("Mauritanie", "country", "MR"),
    ("Gao region", "admin1", "ML"),
    ("région de Mopti", "admin1", "ML"),
])
def test_countries_and_regions_geocode_as_areas(query: str, feature: str, country: str) -> None:
    location = GazetteerGeocoder().geocode(query)
    assert location is not None
    assert location.raw["feature"] == feature and location.raw["country"] == country
    assert location.raw["geo_precision"] == 3


def test_country_areas_are_named_as_the_vocabulary_shows_them() -> None:
    areas = {a.country: a for a in country_areas()}
    assert set(areas) == set(vocab.COUNTRIES)  # every country of the region has its polygon
    for code, area in areas.items():
        assert area.name == vocab.display_name(code) and area.feature == "country" and area.geo_precision == 3
        assert set(vocab.COUNTRIES[code].names) <= set(area.alternate_names)
    assert areas["CI"].name == "Côte d'Ivoire" and "ivory coast" in areas["CI"].alternate_names
