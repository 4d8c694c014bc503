"""Scale benchmark: import, filter, map build and browser render at 1k, 10k and 100k events.

Uses bench/synth.py's synthetic ACLED-layout events. For each size it measures,
in one run:
- import time (read + validate + save) and the importer's peak memory;
- bulk load of the events frame, and filter time (a one-year window plus an actor);
- map-layer build time and payload (the JavaScript streamlit-folium sends), for
  our layers and for naive per-marker folium (skipped above --naive-max events);
- time to a rendered map in headless Chromium (every non-localhost request
  blocked): cold (first load after the server starts) and warm (median of the next three),
  with the server's peak memory.

    python bench/scale.py [--sizes 1000 10000 100000] [--naive-max 10000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.first_map import serve  # noqa: E402
from bench.synth import write  # noqa: E402
from tests.test_browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME  # noqa: E402

IMPORT_CODE = """
import json, resource, sys, time
from pathlib import Path
from geo.io.acled import read_file
from geo.storage import open_store
t = time.perf_counter()
result = read_file(Path(sys.argv[1]))
open_store(sys.argv[2]).save_events(result.events)
print(json.dumps({"seconds": time.perf_counter() - t, "events": len(result.events),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


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


def browser_times(url: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(4):  # cold, then three warm loads
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.frame_locator(MAP_IFRAME).locator("path.cm-attack, path.cm-cell").first.wait_for(timeout=120_000)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return times


def server_peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--naive-max", type=int, default=10000)
    args = ap.parse_args()
    from geo.storage import Store
    from geo.tools.filters import filter_events

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            csv_path = write(n, Path(tmp) / f"synth{n}.csv")
            db = Path(tmp) / f"db{n}.sqlite"
            imported = json.loads(subprocess.run([sys.executable, "-c", IMPORT_CODE, str(csv_path), str(db)],
                                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout)
            start = time.perf_counter()
            frame = Store(str(db)).frame()
            load_s = time.perf_counter() - start
            start = time.perf_counter()
            selected = filter_events(frame, date(2019, 1, 1), date(2019, 12, 31),
                                     actors=["JNIM: Group for Support of Islam and Muslims"])
            filter_s = time.perf_counter() - start
            ours_s, ours_bytes = build_payload(frame, naive=False)
            naive = build_payload(frame, naive=True) if n <= args.naive_max else (float("nan"), 0)
            proc, url = serve(ROOT / "app.py", db)
            try:
                cold, *warm_runs = browser_times(url)
                warm = sorted(warm_runs)[1]
                peak = server_peak_mib(proc.pid)
            finally:
                proc.terminate()
                proc.wait()
            rows.append((n, imported["seconds"], imported["peak_mib"], load_s, filter_s, len(selected), ours_s,
                         ours_bytes, naive[0], naive[1], cold, warm, peak))
            print(f"done {n:,}", file=sys.stderr)
    print("| events | import s | import peak MiB | load s | filter s (hits) | map build s | payload kB | "
          "naive build s | naive payload kB | browser cold s | browser warm s | server peak MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        naive_s = "skipped" if r[9] == 0 else f"{r[8]:.2f}"
        naive_kb = "skipped" if r[9] == 0 else f"{r[9] / 1024:,.0f}"
        print(f"| {r[0]:,} | {r[1]:.1f} | {r[2]:.0f} | {r[3]:.2f} | {r[4]:.3f} ({r[5]:,}) | {r[6]:.2f} | "
              f"{r[7] / 1024:,.0f} | {naive_s} | {naive_kb} | {r[10]:.2f} | {r[11]:.2f} | {r[12]:.0f} |")
    small, large = rows[0], rows[-1]
    print(f"warm map at {large[0]:,} vs {small[0]:,}: {large[11] / small[11]:.2f}x (target <= 2.5x); "
          f"import of {large[0]:,}: {large[1]:.1f} s (target < 30 s)")


if __name__ == "__main__":
    os.environ.setdefault("CONFLICTMAP_OFFLINE", "1")
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
