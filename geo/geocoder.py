"""Geocoders with geopy's interface: the offline gazetteer, and an optional online fallback.

``GazetteerGeocoder().geocode("Tombouctou")`` returns a ``geopy.location.Location``
(or ``None``), like any geopy geocoder, so it plugs into
``geopy.extra.rate_limiter.RateLimiter`` and ``geopandas.tools.geocode``.
Its ``raw`` dict carries what a conflict researcher needs beyond the point:
country, admin-1, feature type, ACLED ``geo_precision``, source, and the ranked
candidates for an ambiguous name.
"""
from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.areas import parse_border
from geo.gazetteer import MAX_QUERY, Candidate, Gazetteer, Place, default_gazetteer, haversine_km
from geo.vocab import display_name

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
REVERSE_MAX_KM = 50.0


def clean_query(query: Any) -> str:
    """The query as one line of text; raises ``GeocoderQueryError`` for non-text or over-long input."""
    if not isinstance(query, str):
        raise GeocoderQueryError(f"query must be text, got {type(query).__name__}")
    text = " ".join(CONTROL_CHARS.sub(" ", query).split())
    if len(text) > MAX_QUERY:
        raise GeocoderQueryError(f"query is {len(text)} characters long; place names are at most {MAX_QUERY}")
    return text


def place_raw(place: Place, score: float | None = None) -> dict[str, Any]:
    """The JSON-friendly description of a place used in ``Location.raw`` and the CLI."""
    raw = {"name": place.name, "latitude": place.latitude, "longitude": place.longitude,
           "country": place.country, "admin1": place.admin1, "admin2": place.admin2,
           "feature": place.feature, "geo_precision": place.geo_precision, "source": place.source}
    if score is not None:
        raw["score"] = round(score, 1)
    return raw


def to_location(place: Place, candidates: Sequence[Candidate] = (), score: float | None = None) -> Location:
    """A geopy ``Location`` for ``place``, its raw dict listing the ranked candidates."""
    parts = [place.name]
    if place.admin1 and place.admin1 != place.name and place.feature not in ("admin1", "country"):
        parts.append(place.admin1)
    if place.feature not in ("country", "border", "tri_border"):
        parts.append(display_name(place.country))
    raw = place_raw(place, score)
    raw["candidates"] = [place_raw(c.place, c.score) for c in candidates]
    return Location(", ".join(parts), Point(place.latitude, place.longitude), raw)


class GazetteerGeocoder(Geocoder):
    """Offline geocoder over the Sahel gazetteer, with geopy's interface and exceptions.

    :param gazetteer: the index to search (default: the shared one, built on first use).
    :param country_codes: default country hint(s), e.g. a report's country.
    :param fallback: an optional callable ``(query, exactly_one=...) -> Location | None``
        tried for names the gazetteer lacks, e.g. :class:`OnlineFallback`.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, country_codes: Sequence[str] | str | None = None,
                 fallback: Callable[..., Location | None] | None = None, timeout: Any = DEFAULT_SENTINEL,
                 **kwargs: Any) -> None:
        super().__init__(timeout=timeout, **kwargs)
        self._gazetteer = gazetteer
        self.country_codes = _codes(country_codes)
        self.fallback = fallback

    @property
    def gazetteer(self) -> Gazetteer:
        """The index searched; the shared default is built on first use."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None,
                country_codes: Sequence[str] | str | None = None, context: str = "",
                limit: int = 10) -> Location | list[Location] | None:
        """The likely place for ``query`` (or, with ``exactly_one=False``, every candidate).

        Returns ``None`` when nothing matches, never an empty list.  Raises
        ``GeocoderQueryError`` for input that is not a place name (not text, too long).
        """
        text = clean_query(query)
        if not text:
            return None
        hints = _codes(country_codes) or self.country_codes
        area = parse_border(text, hints)
        if area is not None:
            return to_location(area) if exactly_one else [to_location(area)]
        candidates = self.gazetteer.search(text, country_codes=hints, context=context, limit=limit)
        if not candidates:
            if self.fallback is not None:
                return self.fallback(text, exactly_one=exactly_one)
            return None
        if exactly_one:
            return to_location(candidates[0].place, candidates, candidates[0].score)
        return [to_location(c.place, (), c.score) for c in candidates]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None,
                max_km: float = REVERSE_MAX_KM) -> Location | list[Location] | None:
        """The nearest point place within ``max_km`` of ``query`` ("lat, lon", a tuple or a geopy Point)."""
        try:
            point = Point(query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"not a point: {query!r} ({exc})") from None
        near = sorted(
            ((haversine_km(point.latitude, point.longitude, p.latitude, p.longitude), p)
             for p in self.gazetteer.places if p.geo_precision == 1),
            key=lambda pair: pair[0])
        near = [(d, p) for d, p in near[:10] if d <= max_km]
        if not near:
            return None
        if exactly_one:
            return to_location(near[0][1])
        return [to_location(p) for _, p in near]


def _codes(value: Sequence[str] | str | None) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return tuple(c.strip().upper() for c in value if c.strip())


class OnlineFallback:
    """Any geopy geocoder, rate-limited and cached on disk, used only when enabled and online.

    Off unless ``enabled`` is true; ``CONFLICTMAP_OFFLINE=1`` forces it off (tests set it).
    Answers, including misses, are cached in a JSON file so a name is asked once.
    """

    def __init__(self, geocoder: Geocoder, cache_path: Path, *, enabled: bool = False,
                 min_delay_seconds: float = 1.0, probe: tuple[str, int] = ("nominatim.openstreetmap.org", 443),
                 ) -> None:
        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self.enabled = enabled
        self.probe = probe
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                    swallow_exceptions=False)
        self._cache: dict[str, Any] | None = None

    def online(self) -> bool:
        """True if enabled, not forced offline, and the service's host answers."""
        if not self.enabled or os.environ.get("CONFLICTMAP_OFFLINE") == "1":
            return False
        try:
            with socket.create_connection(self.probe, timeout=1.5):
                return True
        except OSError:
            return False

    def _load(self) -> dict[str, Any]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.cache_path)

    def __call__(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        """Look ``query`` up in the cache, else online if possible; ``None`` when neither answers."""
        cache = self._load()
        if query in cache:
            hit = cache[query]
        elif self.online():
            try:
                found = self._geocode(query, exactly_one=True)
            except GeocoderServiceError:
                return None
            hit = None if found is None else {
                "address": found.address, "latitude": found.latitude, "longitude": found.longitude,
                "source": type(self.geocoder).__name__}
            cache[query] = hit
            self._save()
        else:
            return None
        if hit is None:
            return None
        raw = {"name": hit["address"], "latitude": hit["latitude"], "longitude": hit["longitude"],
               "geo_precision": 2, "source": f"online: {hit['source']}", "candidates": []}
        location = Location(hit["address"], Point(hit["latitude"], hit["longitude"]), raw)
        return location if exactly_one else [location]
