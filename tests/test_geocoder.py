"""Contract tests every geocoder class passes (in the style of geopy's own), plus Sahel cases."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas
import pytest
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from geo.gazetteer import haversine_km
from geo.geocoder import GazetteerGeocoder, OnlineFallback

TOLERANCE_KM = 10.0


class FakeOnline:
    """Stands in for a geopy geocoder (e.g. Nominatim); counts calls, never touches the network."""

    calls = 0

    def geocode(self, query: str, exactly_one: bool = True):  # noqa: ANN201 - geopy signature
        FakeOnline.calls += 1
        if query == "Nowhere Known Online":
            return Location("Nowhere Known Online, Mali", (13.0, -7.0), {})
        return None


def offline_chain(tmp: Path) -> GazetteerGeocoder:
    return GazetteerGeocoder(fallback=OnlineFallback(FakeOnline(), tmp / "cache.json", enabled=False))


GEOCODERS: dict[str, Callable[[Path], GazetteerGeocoder]] = {
    "gazetteer": lambda _tmp: GazetteerGeocoder(),
    "gazetteer+offline-fallback": offline_chain,
}


@pytest.fixture(params=sorted(GEOCODERS))
def geocoder(request: pytest.FixtureRequest, tmp_path: Path) -> GazetteerGeocoder:
    return GEOCODERS[request.param](tmp_path)


def assert_near(location: Location | None, lat: float, lon: float, km: float = TOLERANCE_KM) -> None:
    assert location is not None, "expected a place, got None"
    distance = haversine_km(location.latitude, location.longitude, lat, lon)
    assert distance <= km, f"{location.address} is {distance:.1f} km from ({lat}, {lon})"


# -- the contract -------------------------------------------------------------

def test_known_place_within_tolerance(geocoder: GazetteerGeocoder) -> None:
    location = geocoder.geocode("Bamako")
    assert isinstance(location, Location)
    assert_near(location, 12.65, -8.0)
    assert location.raw["country"] == "ML"


def test_unknown_is_none_never_an_empty_list(geocoder: GazetteerGeocoder) -> None:
    assert geocoder.geocode("Qzxwvut Pqrsmnl") is None
    assert geocoder.geocode("Qzxwvut Pqrsmnl", exactly_one=False) is None


def test_exactly_one_false_gives_a_non_empty_list(geocoder: GazetteerGeocoder) -> None:
    locations = geocoder.geocode("Nioro", exactly_one=False)
    assert isinstance(locations, list) and locations
    assert all(isinstance(loc, Location) for loc in locations)


def test_reverse(geocoder: GazetteerGeocoder) -> None:
    assert_near(geocoder.reverse("14.45, -11.44"), 14.447, -11.445, 5)
    assert geocoder.reverse((0.0, -30.0)) is None  # mid-Atlantic
    with pytest.raises(GeocoderQueryError):
        geocoder.reverse("not a point")


def test_works_through_rate_limiter(geocoder: GazetteerGeocoder) -> None:
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert_near(geocode("Gao"), 16.27, -0.04)


def test_works_through_geopandas_geocode() -> None:
    frame = geopandas.tools.geocode(["Kayes", "Mopti", "Qzxwvut"], provider=GazetteerGeocoder)
    assert frame.crs == "EPSG:4326"
    assert haversine_km(frame.geometry[0].y, frame.geometry[0].x, 14.447, -11.445) < TOLERANCE_KM
    assert frame.geometry[2].is_empty and frame["address"].isna()[2]


# -- garbage ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "   ", "\x00\x01\x02", "\n\t"])
def test_empty_or_control_characters_are_none(geocoder: GazetteerGeocoder, query: str) -> None:
    assert geocoder.geocode(query) is None


@pytest.mark.parametrize("query", ["x" * 10_000, "Kayes " * 2000, 12345, None, ["Kayes"]])
def test_garbage_is_a_clear_geopy_error(geocoder: GazetteerGeocoder, query: object) -> None:
    with pytest.raises(GeocoderQueryError, match="query"):
        geocoder.geocode(query)  # type: ignore[arg-type]


def test_control_characters_inside_a_name_are_ignored(geocoder: GazetteerGeocoder) -> None:
    assert_near(geocoder.geocode("Ka\x00yes\x07"), 14.447, -11.445)  # "Ka yes": fuzzy back to Kayes


# -- online fallback ----------------------------------------------------------

def test_fallback_is_not_called_when_disabled(tmp_path: Path) -> None:
    FakeOnline.calls = 0
    assert offline_chain(tmp_path).geocode("Nowhere Known Online") is None
    assert FakeOnline.calls == 0


def test_fallback_is_not_called_when_forced_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_OFFLINE", "1")
    FakeOnline.calls = 0
    fallback = OnlineFallback(FakeOnline(), tmp_path / "c.json", enabled=True)
    assert GazetteerGeocoder(fallback=fallback).geocode("Nowhere Known Online") is None
    assert FakeOnline.calls == 0


def test_fallback_answers_and_caches_when_online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONFLICTMAP_OFFLINE", raising=False)
    fallback = OnlineFallback(FakeOnline(), tmp_path / "c.json", enabled=True, min_delay_seconds=0)
    monkeypatch.setattr(fallback, "online", lambda: True)  # pretend the host answers; nothing is sent
    FakeOnline.calls = 0
    geocoder = GazetteerGeocoder(fallback=fallback)
    first = geocoder.geocode("Nowhere Known Online")
    assert_near(first, 13.0, -7.0, 1)
    assert first.raw["source"] == "online: FakeOnline"
    monkeypatch.setattr(fallback, "online", lambda: False)
    again = GazetteerGeocoder(fallback=OnlineFallback(FakeOnline(), tmp_path / "c.json", enabled=True))
    assert_near(again.geocode("Nowhere Known Online"), 13.0, -7.0, 1)  # from the disk cache
    assert FakeOnline.calls == 1
