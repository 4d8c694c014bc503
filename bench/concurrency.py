"""First map cold, warm and with N people opening it at once, against the bare map, with peak server RSS.

Starts two Streamlit servers, the app (``streamlit run serve.py``, as the README runs it: the
server runs the app once before it answers; on a database created and seeded before the server
starts, and with its modules byte-compiled, as a restarted server finds them) and the baseline
(bench/baseline_app.py: a bare streamlit-folium map with one marker, served offline the same
way, through bench/baseline_serve.py, which runs it once before answering). With
``--no-warm-up`` both scripts are served themselves, as before the sixth session. One headless
Chromium drives both, with every non-localhost request blocked. A map is ready when its iframe
has drawn every marker (9 for the demo data, 1 for the baseline).

- cold: the first page load after each server is ready (answers its health check), the median
  of ``--cold`` restarts of both servers; which of the two is loaded first alternates (the
  first page a browser opens is slower, whatever it is);
- warm: the median of ``--warm`` loads, each in a new browser context, baseline and app
  taking turns (which goes first alternates);
- N sessions: ``--sessions`` new contexts opening the page at the same moment, the
  median and worst of their times; ``--rounds`` rounds, baseline and app taking turns
  (which goes first alternates), so both see the same background load.

How long each server took from its start to its health check is printed too: running the
script before answering moves that time from the first visitor to the start.

Peak RSS is the largest resident set of each server process seen by a 20 ms sampler
during the whole run. The machine's load average is printed with the results.

With ``--trace``, one session of the first crowd is traced: when each websocket message
arrived, each file was asked for and received, the map's iframe was attached and the
markers were drawn. That is how the chain of files the map waited for was found
(docs/benchmarks.md, issue 11).

    python -m bench.concurrency [--sessions 8] [--cold 5] [--warm 5] [--rounds 4] [--no-warm-up] [--fresh-db]
                                [--trace]
"""
from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import Browser, async_playwright

from tests.browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME, free_port

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3


@dataclass
class Served:
    name: str
    script: Path
    markers: int
    proc: subprocess.Popen | None = None
    url: str = ""
    peak_rss: int = 0
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    crowd: list[float] = field(default_factory=list)
    crowd_worst: list[float] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)  # seconds from starting the process to its health check

    def start(self, db: Path) -> None:
        self.stop()
        port = free_port()
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "localhost", "--server.enableStaticServing", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "CONFLICTMAP_DB": str(db)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://localhost:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1):
                    self.ready.append(time.perf_counter() - started)
                    return
            except OSError:
                time.sleep(0.1)  # the server is still starting
        raise RuntimeError(f"{self.script} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


def sample_rss(servers: list[Served], stop: threading.Event) -> None:
    procs: dict[int, psutil.Process] = {}
    while not stop.is_set():
        for s in servers:
            proc = s.proc
            if proc is None:  # between two cold starts
                continue
            try:
                rss = procs.setdefault(proc.pid, psutil.Process(proc.pid)).memory_info().rss
            except psutil.Error:
                continue
            s.peak_rss = max(s.peak_rss, rss)
        stop.wait(0.02)


async def first_map(browser: Browser, served: Served, trace: list | None = None) -> float:
    """Seconds from opening the page in a new browser context until the map has drawn all its markers.

    With ``trace`` (a list), what the page received and asked for is appended to it as
    (seconds, what, detail): each websocket message ("frame", its bytes), each request sent and
    finished ("req"/"fin", the file), the map's iframe attached and the markers drawn.
    """
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
    try:
        page = await context.new_page()
        start = time.perf_counter()
        if trace is not None:
            def note(what: str, detail: object) -> None:
                trace.append((time.perf_counter() - start, what, detail))

            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: note("frame", len(payload))))
            page.on("request", lambda r: note("req", r.url.split("?")[0].rsplit("/", 1)[-1]))
            page.on("requestfinished", lambda r: note("fin", r.url.split("?")[0].rsplit("/", 1)[-1]))
        await page.goto(served.url)
        if trace is not None:
            await page.locator(MAP_IFRAME).wait_for(state="attached", timeout=180_000)
            trace.append((time.perf_counter() - start, "iframe", "attached"))
        markers = page.frame_locator(MAP_IFRAME).locator("path.cm-attack")
        await markers.nth(served.markers - 1).wait_for(timeout=180_000)
        if trace is not None:
            trace.append((time.perf_counter() - start, "ready", "markers drawn"))
        return time.perf_counter() - start
    finally:
        await context.close()


def print_trace(name: str, trace: list) -> None:
    """One session of a crowd, in order: websocket messages summed per 0.1 s, requests, milestones."""
    print(f"trace of one of the first crowd's sessions, {name} (s, event, detail):")
    frames: list = []
    for at, what, detail in sorted(trace, key=lambda t: t[0]):
        if what == "frame":
            if frames and at - frames[-1][0] < 0.1:
                frames[-1][1] += 1
                frames[-1][2] += detail
                continue
            frames.append([at, 1, detail])
            print(f"  {at:6.2f}  websocket  message(s), {detail} B")
        else:
            print(f"  {at:6.2f}  {what:9}  {detail}")


async def crowd(browser: Browser, served: Served, sessions: int, trace: list | None = None) -> list[float]:
    return list(await asyncio.gather(*(first_map(browser, served, trace if i == 0 else None)
                                       for i in range(sessions))))


async def run(args: argparse.Namespace, servers: list[Served], db: Path) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for restart in range(args.cold):
            for s in servers:
                s.start(db)
            for s in servers if restart % 2 == 0 else servers[::-1]:
                s.cold.append(await first_map(browser, s))
        for turn in range(args.warm):
            for s in servers if turn % 2 == 0 else servers[::-1]:
                s.warm.append(await first_map(browser, s))
        for round_ in range(args.rounds):
            for s in servers if round_ % 2 == 0 else servers[::-1]:
                trace = [] if args.trace and round_ == 0 else None
                times = await crowd(browser, s, args.sessions, trace)
                if trace is not None:
                    print_trace(s.name, trace)
                s.crowd.extend(times)
                s.crowd_worst.append(max(times))
        await browser.close()


def compile_tree() -> None:
    for path in (ROOT / "app.py", ROOT / "serve.py", ROOT / "geo", ROOT / "pages", ROOT / "bench"):
        ok = compileall.compile_file(path, quiet=1) if path.is_file() else compileall.compile_dir(path, quiet=1)
        if not ok:
            raise RuntimeError(f"{path} does not compile")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--cold", type=int, default=5, help="restarts of both servers for the cold first map")
    ap.add_argument("--warm", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--fresh-db", action="store_true",
                    help="let the app's first session create and seed the database (the first cold start only)")
    ap.add_argument("--trace", action="store_true",
                    help="print what one session of the first crowd received and asked for, and when")
    ap.add_argument("--no-warm-up", action="store_true",
                    help="serve app.py and bench/baseline_app.py themselves, without the launchers that run them once "
                         "before the servers answer")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    # bytecode for the app's own modules, as a restarted server finds it (installed packages have theirs from pip;
    # Python writes the rest on first import unless PYTHONDONTWRITEBYTECODE is set, as it is on some machines)
    compile_tree()
    load_before = os.getloadavg()
    # each served as deployed: serve.py runs the app once before the server answers, and the bare map's launcher
    # does the same for it; --no-warm-up serves the scripts themselves (as before the sixth session)
    servers = ([Served("baseline (bare map)", ROOT / "bench" / "baseline_app.py", 1),
                Served("conflict map", ROOT / "app.py", 9)] if args.no_warm_up else
               [Served("baseline (bare map)", ROOT / "bench" / "baseline_serve.py", 1),
                Served("conflict map", ROOT / "serve.py", 9)])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        if not args.fresh_db:
            from geo.storage import open_store

            open_store(str(db)).engine.dispose()
        stop = threading.Event()
        try:
            sampler = threading.Thread(target=sample_rss, args=(servers, stop), daemon=True)
            sampler.start()
            asyncio.run(run(args, servers, db))
        finally:
            stop.set()
            for s in servers:
                s.stop()
    load_after = os.getloadavg()
    base, app = servers
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} cores")
    print(f"{'':22}{'cold s':>8}{'warm med s':>12}{f'{args.sessions} at once med s':>20}{'worst s':>9}"
          f"{'peak RSS MiB':>14}")
    for s in servers:
        print(f"{s.name:22}{statistics.median(s.cold):8.2f}{statistics.median(s.warm):12.2f}{statistics.median(s.crowd):20.2f}"
              f"{max(s.crowd):9.2f}{s.peak_rss / 2**20:14.0f}")
    ratios = {"cold": statistics.median(app.cold) / statistics.median(base.cold),
              "warm": statistics.median(app.warm) / statistics.median(base.warm),
              f"{args.sessions} sessions": statistics.median(app.crowd) / statistics.median(base.crowd)}
    print("ratio to the bare map: " + ", ".join(
        f"{k} {v:.2f}x ({'meets' if v <= TARGET_RATIO else 'MISSES'} {TARGET_RATIO}x)" for k, v in ratios.items()))
    print(f"raw: baseline cold {[round(t, 2) for t in base.cold]} app cold {[round(t, 2) for t in app.cold]}")
    print(f"start to ready (health check), median: baseline {statistics.median(base.ready):.2f} s, "
          f"app {statistics.median(app.ready):.2f} s; raw {[round(t, 2) for t in base.ready]} "
          f"{[round(t, 2) for t in app.ready]}")
    print(f"raw: baseline warm {[round(t, 2) for t in base.warm]} app warm {[round(t, 2) for t in app.warm]}")


if __name__ == "__main__":
    main()
