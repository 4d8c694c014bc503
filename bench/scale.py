"""Scale benchmark: import, filter, map build and browser render at 1k, 10k and 100k events (or 1M).

Uses bench/synth.py's synthetic ACLED-layout events. For each size it measures,
in one run:
- import time and the importer's peak memory: ``python -m geo import`` run as a user would, in a
  subprocess (its peak RSS from the kernel's accounting), on SQLite and, with ``--backends sqlite
  postgresql``, on PostgreSQL + PostGIS (a throwaway cluster started by deploy/postgres.sh, or
  ``--pg-url``), each size into a new database, against the 1k figures of the same run;
- what the Map page reads from SQL (geo.query.map_data) for the whole range and for a year with one actor;
- map-layer build time and payload (the JavaScript streamlit-folium sends), for
  our layers and for naive per-marker folium (skipped above --naive-max events);
- time to a rendered map in headless Chromium (every non-localhost request
  blocked): cold (first load after the server starts), warm (median of the next three)
  and the timeline moved three days, with the server's peak memory; against the 1k
  figures of the same run (issue 15's targets at 1M: within 3x, server under 1.5 GiB).

    python bench/scale.py [--sizes 1000 10000 100000] [--naive-max 10000]
    python bench/scale.py --import-only --sizes 1000 100000 1000000 --backends sqlite postgresql
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.first_map import free_port, serve  # noqa: E402
from bench.load import map_loads  # noqa: E402
from bench.synth import write  # noqa: E402

IMPORT_TARGET = (300.0, 2048.0)  # issue 15: a 1M-row import exits 0 in under 5 minutes and 2 GiB


def run_import(csv_path: Path, url: str) -> dict[str, float]:
    """``python -m geo import`` on ``url`` (already at the newest revision): wall seconds and peak RSS in MiB."""
    env = {**os.environ, "CONFLICTMAP_DB": url}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "geo", "import", str(csv_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the largest of every child so far
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"import of {csv_path} into {url} exited {proc.returncode}: {out}")
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "events": int(out.split(" events imported")[0]
                                                                                   .rsplit(" ", 1)[1])}


class Postgres:
    """A throwaway PostgreSQL + PostGIS cluster (deploy/postgres.sh), or a server given by URL; a database per run."""

    def __init__(self, url: str | None) -> None:
        self.base = None
        if url is None:
            self.base = Path(tempfile.mkdtemp(prefix="scale-pg-"))
            self.base.chmod(0o755)  # the server runs as user postgres when this runs as root
            started = subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "start", str(self.base / "data"),
                                      str(free_port())], capture_output=True, text=True, check=True)
            url = started.stdout.strip().splitlines()[-1]
        self.url = url

    def database(self, name: str) -> str:
        import sqlalchemy as sa

        from geo import db

        admin = sa.create_engine(sa.engine.make_url(self.url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        url = sa.engine.make_url(self.url).set(database=name).render_as_string(hide_password=False)
        db.upgrade(url)
        return url

    def stop(self) -> None:
        if self.base is not None:
            subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "stop", str(self.base / "data")], check=False)
            shutil.rmtree(self.base, ignore_errors=True)


def import_table(results: list[tuple[str, int, dict[str, float]]]) -> list[str]:
    """Markdown rows: backend, events, import s, rows/s, peak MiB, and time and memory against 1k on that backend."""
    lines = ["| backend | events | import s | rows/s | import peak MiB | time vs smallest | peak vs smallest |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    smallest: dict[str, dict[str, float]] = {}
    for backend, n, r in results:
        base = smallest.setdefault(backend, r)
        lines.append(f"| {backend} | {n:,} | {r['seconds']:.1f} | {n / r['seconds']:,.0f} | {r['peak_mib']:.0f} | "
                     f"{r['seconds'] / base['seconds']:.1f}x | {r['peak_mib'] / base['peak_mib']:.2f}x |")
    for backend, n, r in results:
        if n >= 1_000_000:
            ok = r["seconds"] < IMPORT_TARGET[0] and r["peak_mib"] < IMPORT_TARGET[1]
            lines.append(f"\n{backend}, {n:,} rows: {r['seconds']:.0f} s, {r['peak_mib']:.0f} MiB peak "
                         f"(target < {IMPORT_TARGET[0]:.0f} s and < {IMPORT_TARGET[1]:.0f} MiB): "
                         f"{'met' if ok else 'NOT met'}")
    return lines


def build_payload(frame, naive: bool) -> tuple[float, int]:  # noqa: ANN001 - DataFrame
    import folium
    from streamlit_folium import _get_feature_group_string

    from geo.layers import events_layer
    from geo.popups import event_popup
    from geo.tools.filters import split_layers

    attacks, _ = split_layers(frame)
    start = time.perf_counter()
    if naive:  # the classic folium way: one CircleMarker and one Popup object per event
        group = folium.FeatureGroup(name="naive")
        for _, row in attacks.iterrows():
            folium.CircleMarker((row["latitude"], row["longitude"]), radius=6,
                                popup=folium.Popup(event_popup(row))).add_to(group)
    else:
        group = events_layer(attacks)
    script = _get_feature_group_string(group, folium.Map(tiles=None))
    return time.perf_counter() - start, len(script.encode())


def server_peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--naive-max", type=int, default=10000)
    ap.add_argument("--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"],
                    help="where to import, and whose map to measure")
    ap.add_argument("--pg-url", default=None, help="a PostgreSQL server to create the databases on (default: a "
                                                   "throwaway cluster started by deploy/postgres.sh)")
    ap.add_argument("--import-only", action="store_true", help="only the import half: no map, no browser")
    args = ap.parse_args()
    imports: list[tuple[str, int, dict[str, float]]] = []
    rows = []
    pg = Postgres(args.pg_url) if "postgresql" in args.backends else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.sizes:
                csv_path = write(n, Path(tmp) / f"synth{n}.csv")
                db = Path(tmp) / f"db{n}.sqlite"
                for backend in args.backends:
                    url = str(db) if backend == "sqlite" else pg.database(f"scale_{n}")
                    if backend == "sqlite":
                        from geo import db as schema

                        schema.upgrade(url)  # as PostgreSQL's: the schema is made before the clock starts
                    imports.append((backend, n, run_import(csv_path, url)))
                    print(f"imported {n:,} on {backend}: {imports[-1][2]}", file=sys.stderr)
                    if not args.import_only:
                        rows.append((backend, *map_half(n, url, imports[-1][2], args.naive_max)))
                csv_path.unlink()
                print(f"done {n:,}", file=sys.stderr)
    finally:
        if pg is not None:
            pg.stop()
    print("\n".join(import_table(imports)))
    if rows:
        print_map_half(rows)


def map_half(n: int, db: Path | str, imported: dict[str, float], naive_max: int) -> tuple:
    """The map of the database ``db`` (a SQLite file or a URL) holding ``n`` events: what the Map page reads from
    SQL (whole range, and a year with one actor), the layers' build and payload, and the page in a real browser
    with the server's peak memory."""
    import folium
    from streamlit_folium import _get_feature_group_string

    from geo import query
    from geo.layers import MAX_MARKERS, layers_for
    from geo.storage import Store
    from geo.views import View

    store = Store(str(db))
    first, last = query.date_bounds(store)
    start = time.perf_counter()
    data = query.map_data(store, View(start=first, end=last), max_markers=MAX_MARKERS)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    year = query.map_data(store, View(start=date(2019, 1, 1), end=date(2019, 12, 31),
                                      actors=("JNIM: Group for Support of Islam and Muslims",)),
                          max_markers=MAX_MARKERS)
    filter_s = time.perf_counter() - start
    start = time.perf_counter()
    groups = layers_for(("attacks", "abductions"), data.events, data.events.iloc[0:0], {}, cells=data.cells)
    payload = sum(len(_get_feature_group_string(g, folium.Map(tiles=None)).encode()) for g in groups)
    ours_s = time.perf_counter() - start
    naive = build_payload(store.frame(), naive=True) if n <= naive_max else (float("nan"), 0)
    store.dispose()
    proc, url = serve(ROOT / "app.py", db)
    try:
        (cold, *warm_runs), moved = map_loads(url, timeline=True)
        warm = sorted(warm_runs)[1]
        peak = server_peak_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
    return (n, imported["seconds"], imported["peak_mib"], load_s, filter_s, year.headline.events, ours_s, payload,
            naive[0], naive[1], cold, warm, peak, moved)


MAP_TARGETS = (3.0, 1536.0)  # issue 15 at 1M: map ready and timeline moved within 3x the 1k time; server < 1.5 GiB


def print_map_half(rows: list[tuple]) -> None:
    print("| backend | events | import s | import peak MiB | map data s (whole range) | map data s (a year, one actor: "
          "hits) | layers build s | payload kB | naive build s | naive payload kB | browser cold s | browser warm s | "
          "timeline moved s | server peak MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for backend, *r in rows:
        naive_s = "skipped" if r[9] == 0 else f"{r[8]:.2f}"
        naive_kb = "skipped" if r[9] == 0 else f"{r[9] / 1024:,.0f}"
        print(f"| {backend} | {r[0]:,} | {r[1]:.1f} | {r[2]:.0f} | {r[3]:.2f} | {r[4]:.2f} ({r[5]:,}) | {r[6]:.2f} | "
              f"{r[7] / 1024:,.0f} | {naive_s} | {naive_kb} | {r[10]:.2f} | {r[11]:.2f} | {r[13]:.2f} | {r[12]:.0f} |")
    for backend in dict.fromkeys(b for b, *_ in rows):
        mine = [r for b, *r in rows if b == backend]
        small, large = mine[0], mine[-1]
        for label, i in (("cold map", 10), ("warm map", 11), ("timeline moved", 13)):
            ratio = large[i] / small[i]
            print(f"{backend}: {label} at {large[0]:,} vs {small[0]:,}: {ratio:.2f}x (target <= {MAP_TARGETS[0]:g}x): "
                  f"{'met' if ratio <= MAP_TARGETS[0] else 'NOT met'}")
        print(f"{backend}: server peak at {large[0]:,}: {large[12]:.0f} MiB (target < {MAP_TARGETS[1]:.0f}): "
              f"{'met' if large[12] < MAP_TARGETS[1] else 'NOT met'}")


if __name__ == "__main__":
    os.environ.setdefault("CONFLICTMAP_OFFLINE", "1")
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
