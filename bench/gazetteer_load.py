"""Cold start, memory and fuzzy-search speed of the default gazetteer, against a baseline, in one run.

Each cold-start figure is the median of fresh ``python -c`` processes (wall time from
launch to exit, as a user would see it; plus, measured inside the process, the
import and the build up to the first answer):

* baseline: the gazetteer as it was before the shipped GeoNames extract, i.e.
  cities500 (its regional JSON cached) + the curated supplement + the areas, built in
  every process (``build_gazetteer(shipped=None, cache=False)``);
* default, cache warm: ``default_gazetteer()`` as every process but a machine's first
  gets it, loading the built index from the cache;
* default, first run: the same with an empty index cache (the cities500 JSON still
  cached), i.e. reading the shipped extract, building the index and writing the cache.

Memory: the child's peak RSS (``ru_maxrss``) and, in separate runs, the peak Python
heap while building (``tracemalloc``).  Search: mean time of ``search()`` on misspelt
names (fuzzy) and on exact names, in-process, for both gazetteers.

    python bench/gazetteer_load.py [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.gazetteer import build_gazetteer, cache_dir, default_gazetteer  # noqa: E402

TARGET = 1.0
CHILD = """
import json, resource, sys, time, tracemalloc
trace = {trace}
t0 = time.perf_counter()
from geo.gazetteer import build_gazetteer, default_gazetteer
t1 = time.perf_counter()
if trace:
    tracemalloc.start()
g = {call}
g.search("Tombouctou")
t2 = time.perf_counter()
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps({{"import": t1 - t0, "build": t2 - t1, "places": len(g),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "heap": peak / 2**20}}))
"""
VARIANTS = {
    "baseline (cities500 + supplement + areas, built each time)":
        "build_gazetteer(shipped=None, cache=False)",
    "default, index cache warm": "default_gazetteer()",
    "default, first run (index cache empty)": "default_gazetteer()",
}
MISSPELT = ("Tombuctou", "Bamakko", "Farabugou", "Tilaberi", "Ouagadougu", "Djibou", "Qzxwvut")
EXACT = ("Tombouctou", "Bamako", "Mopti", "Menaka", "Kidal", "Djibo", "Niamey", "Dori")


def child(call: str, env: dict[str, str], trace: bool = False) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD.format(call=call, trace=trace)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return wall, json.loads(out.stdout)


def cold_starts(runs: int) -> list[tuple[str, dict]]:
    default_gazetteer()  # the warm variant's cache exists
    rows = []
    with tempfile.TemporaryDirectory() as empty:
        for label, call in VARIANTS.items():
            walls, inside = [], []
            for _ in range(runs):
                env = dict(os.environ)
                if "first run" in label:
                    fresh = Path(tempfile.mkdtemp(dir=empty))
                    for cities in cache_dir().glob("geonames-*.json"):
                        shutil.copy(cities, fresh)
                    env["CONFLICTMAP_CACHE"] = str(fresh)
                wall, measured = child(call, env)
                walls.append(wall)
                inside.append(measured)
            env = dict(os.environ)
            if "first run" in label:
                env["CONFLICTMAP_CACHE"] = str(Path(tempfile.mkdtemp(dir=empty)))
                for cities in cache_dir().glob("geonames-*.json"):
                    shutil.copy(cities, env["CONFLICTMAP_CACHE"])
            _, traced = child(call, env, trace=True)
            rows.append((label, {
                "wall": statistics.median(walls), "wall_max": max(walls),
                "import": statistics.median(m["import"] for m in inside),
                "build": statistics.median(m["build"] for m in inside),
                "places": inside[0]["places"], "rss": statistics.median(m["rss"] for m in inside),
                "heap": traced["heap"]}))
    return rows


def search_ms(gazetteer, names: tuple[str, ...], rounds: int = 20) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for name in names:
            gazetteer.search(name)
    return (time.perf_counter() - start) / (rounds * len(names)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    print(f"cold start, median of {args.runs} fresh processes (wall: launch to exit)")
    print(f"{'':58} {'wall s':>7} {'max s':>6} {'import':>7} {'build':>6} {'places':>7} {'RSS MB':>7} "
          f"{'heap MB':>8}")
    for label, r in cold_starts(args.runs):
        print(f"{label:58} {r['wall']:7.2f} {r['wall_max']:6.2f} {r['import']:7.2f} {r['build']:6.2f} "
              f"{r['places']:7,} {r['rss']:7.0f} {r['heap']:8.0f}")
    baseline = build_gazetteer(shipped=None, cache=False)
    default = default_gazetteer()
    for gazetteer in (baseline, default):  # first answers made, as in a running app
        search_ms(gazetteer, MISSPELT + EXACT, rounds=1)
    print(f"\nsearch, mean ms per query          {'baseline':>9} {'default':>8}")
    print(f"  misspelt (fuzzy): {', '.join(MISSPELT[:3])}... {search_ms(baseline, MISSPELT):7.2f} "
          f"{search_ms(default, MISSPELT):8.2f}")
    print(f"  exact: {', '.join(EXACT[:3])}...{'':17} {search_ms(baseline, EXACT):7.3f} "
          f"{search_ms(default, EXACT):8.3f}")
    print(f"  names indexed{'':25} {len(baseline._index):9,} {len(default._index):8,}")
    print(f"\ntarget: default cold start (cache warm) < {TARGET:.0f} s wall")


if __name__ == "__main__":
    main()
