"""Time from opening the page to the first map with its markers drawn, in headless Chromium.

Runs the app and a baseline (a bare streamlit-folium map with one marker,
bench/baseline_app.py) in the same run, each on its own Streamlit server with
every non-localhost request blocked, and prints cold (first load after the
server starts) and warm (median of the next loads) times.

With ``--breakdown`` it also says where a warm load spends its time and bytes:
when the page's milestones are reached (the websocket opens, the map's iframe is
attached, Leaflet's container exists, every marker is drawn), how many bytes the
page receives over the websocket (Streamlit's messages: widgets, the map's script and
layers) and over HTTP, and the browser's own work from Chromium's performance
counters (script, layout, style, all tasks), for the app and the baseline.

    python -m bench.first_map [--runs 5] [--breakdown]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME, free_port

ROOT = Path(__file__).resolve().parent.parent

TARGET_S = 3.0


def serve(script: Path, db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "localhost", "--server.enableStaticServing", "true"],
        cwd=ROOT, env={**os.environ, "CONFLICTMAP_DB": str(db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{script} did not start")


def time_loads(url: str, expected_markers: int, runs: int, chromium: str) -> list[float]:
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            frame = page.frame_locator(MAP_IFRAME)
            frame.locator("path.cm-attack").nth(expected_markers - 1).wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return times


COUNTERS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")


def breakdown(url: str, expected_markers: int, runs: int, chromium: str) -> dict[str, float]:
    """Median over ``runs`` warm loads of milestone times (s), bytes received and Chromium's work counters (s)."""
    rows: list[dict[str, float]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(runs + 1):  # the first load warms the server's caches
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            row: dict[str, float] = {"ws kB": 0.0, "http kB": 0.0}
            start = time.perf_counter()

            def on_ws(ws, row=row, start=start) -> None:  # noqa: ANN001 - playwright's WebSocket
                row.setdefault("websocket open", time.perf_counter() - start)
                ws.on("framereceived", lambda payload: row.__setitem__("ws kB", row["ws kB"] + len(payload) / 1000))

            def on_response(response, row=row) -> None:  # noqa: ANN001 - playwright's Response
                length = response.headers.get("content-length")
                if length:
                    row["http kB"] += int(length) / 1000

            page.on("websocket", on_ws)
            page.on("response", on_response)
            page.goto(url)
            page.locator(MAP_IFRAME).wait_for(state="attached", timeout=60_000)
            row["iframe attached"] = time.perf_counter() - start
            frame = page.frame_locator(MAP_IFRAME)
            frame.locator(".leaflet-container").wait_for(state="attached", timeout=60_000)
            row["leaflet container"] = time.perf_counter() - start
            frame.locator("path.cm-attack").nth(expected_markers - 1).wait_for(timeout=60_000)
            row["markers drawn"] = time.perf_counter() - start
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            for name in COUNTERS:
                row[f"{name} s"] = metrics.get(name, 0.0)
            rows.append(row)
            context.close()
        browser.close()
    return {key: statistics.median(r.get(key, float("nan")) for r in rows[1:]) for key in rows[-1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--breakdown", action="store_true", help="also where a warm load spends its time and bytes")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    results = {}
    details = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, script, markers in (("baseline (bare map)", ROOT / "bench" / "baseline_app.py", 1),
                                      ("conflict map", ROOT / "app.py", 9)):
            proc, url = serve(script, Path(tmp) / f"{markers}.sqlite")
            try:
                times = time_loads(url, markers, args.runs + 1, args.chromium)
                if args.breakdown:
                    details[name] = breakdown(url, markers, args.runs, args.chromium)
            finally:
                proc.terminate()
                proc.wait()
            results[name] = times
    print(f"{'':22}{'cold s':>8}{'warm median s':>15}{'warm max s':>12}")
    for name, times in results.items():
        print(f"{name:22}{times[0]:8.2f}{statistics.median(times[1:]):15.2f}{max(times[1:]):12.2f}")
    app = results["conflict map"]
    base = results["baseline (bare map)"]
    print(f"app minus baseline (warm median): {statistics.median(app[1:]) - statistics.median(base[1:]):+.2f} s")
    if details:
        print(f"\nwarm load breakdown (median of {args.runs}): {'':8}" + "".join(f"{n:>22}" for n in details))
        for key in details["conflict map"]:
            print(f"{key:48}" + "".join(f"{d[key]:22.2f}" for d in details.values()))
    verdict = "meets" if max(app) <= TARGET_S else "MISSES"
    print(f"target: first map within {TARGET_S:.0f} s of opening the page -> {verdict} (worst {max(app):.2f} s)")


if __name__ == "__main__":
    main()
