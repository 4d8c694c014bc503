"""Load test of the team server (issue 12): browser sessions through nginx, ingest throughput, 100k renders.

1. Map under load: S headless-Chromium sessions at once open the map through nginx (deploy/stack.sh,
   PostgreSQL with --events synthetic events) and move the timeline (the window's end back three steps,
   then wait for the map to redraw). With 1 replica and with 2 replicas, and the bare-map baseline
   (bench/baseline_app.py: one marker, no data) served by one Streamlit process under the same load.
   Reported: p50/p95 of "map ready" and of "timeline moved", failures, peak RSS of each replica.
2. Concurrent ingest: three `python -m geo import` of different 10k-row files at once, on PostgreSQL and
   on SQLite: wall time and events per second.
3. 100k events: time to a rendered map (cold, then the median of three warm loads) from one app on
   PostgreSQL and one on SQLite.

    python bench/load.py [--sessions 8] [--events 10000] [--rounds 1] [--big 100000] [--only load ingest big]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the project root on the path (bench/ itself is not needed: the scripts import each other as bench.*)
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.synth import write  # noqa: E402
from tests.browser import CHROMIUM_ARGS, LOCAL_PREFIXES, MAP_IFRAME, WINDOW_PICKER  # noqa: E402

LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")
DRAWN = "path.cm-attack, path.cm-cell"
# counts the script runs that finish from now on (Streamlit marks its app element running / notRunning)
RUNS_SEEN = """() => {
    window.cmRunsDone = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.getAttribute("data-test-script-state") === "notRunning") window.cmRunsDone += 1;
    }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def session(browser, url: str, timeline: bool) -> tuple[float | None, float | None, str | None]:  # noqa: ANN001
    """One browser: open the map (until a marker or cell is drawn), then move the window's end back three steps
    (until the script run this starts has finished and the map is drawn). Returns the two times, or the failure."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
    page = await context.new_page()
    phase = "open"
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=120_000)
        marker = DRAWN if timeline else "path.cm-attack"
        await page.frame_locator(MAP_IFRAME).locator(marker).first.wait_for(timeout=120_000)
        ready = time.perf_counter() - start
        moved = None
        if timeline:
            phase = "timeline"
            thumb = page.get_by_role("slider", name="Date window — end")
            await page.locator(WINDOW_PICKER).get_by_role("button").click()  # the slider is in the window picker
            await thumb.wait_for(timeout=120_000)
            await page.evaluate(RUNS_SEEN)
            start = time.perf_counter()
            await thumb.focus()
            for _ in range(3):
                await thumb.press("ArrowLeft")
            await page.wait_for_function("window.cmRunsDone > 0", timeout=120_000)  # the rerun has finished
            await page.frame_locator(MAP_IFRAME).locator(DRAWN).first.wait_for(timeout=120_000)
            moved = time.perf_counter() - start
        return ready, moved, None
    except Exception as exc:  # noqa: BLE001 - a failed session is counted, whatever failed
        return None, None, f"{phase}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        await context.close()


async def load(url: str, sessions: int, timeline: bool) -> list[tuple[float | None, float | None, str | None]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await session(browser, url, timeline)  # warm the server's caches: the load is on warm replicas
        results = await asyncio.gather(*[session(browser, url, timeline) for _ in range(sessions)])
        await browser.close()
    return list(results)


def summary(results: list[tuple[float | None, float | None, str | None]]) -> dict:
    ready = [r for r, _, e in results if e is None]
    moved = [m for _, m, e in results if e is None and m is not None]
    return {"sessions": len(results), "map_p50": p(ready, 0.5), "map_p95": p(ready, 0.95),
            "timeline_p50": p(moved, 0.5), "timeline_p95": p(moved, 0.95),
            "failures": sum(e is not None for *_, e in results), "errors": sorted({e for *_, e in results if e})}


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stack(run: Path, replicas: int, port: int, db: str) -> str:
    out = subprocess.run([str(ROOT / "deploy" / "stack.sh"), "start", str(run), "--replicas", str(replicas),
                          "--port", str(port), "--db", db], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHON": sys.executable})
    return out.stdout.strip().splitlines()[-1]


def serve(app: str, port: int, db: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env={**os.environ,
                            "CONFLICTMAP_DB": db}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import urllib.request

    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def fill(url: str, csv: Path) -> None:
    subprocess.run([sys.executable, "-m", "geo", "--db", url, "db", "upgrade"], cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "geo", "--db", url, "import", str(csv)], cwd=ROOT, check=True,
                   capture_output=True)


def fresh_pg(pg_dir: Path, port: int, name: str) -> str:
    import sqlalchemy as sa

    base = subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "url", str(pg_dir), str(port)], capture_output=True,
                          text=True, check=True).stdout.strip()
    admin = sa.create_engine(sa.engine.make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def ingest_throughput(url: str, files: list[Path]) -> dict:
    subprocess.run([sys.executable, "-m", "geo", "--db", url, "db", "upgrade"], cwd=ROOT, check=True,
                   capture_output=True)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "geo", "--db", url, "import", str(f)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outs = [pr.communicate() for pr in procs]
    wall = time.perf_counter() - start
    from geo.storage import Store

    store = Store(url)
    count = store.count()
    store.dispose()
    return {"seconds": wall, "failures": sum(pr.returncode != 0 for pr in procs), "events": count,
            "events_per_s": count / wall, "errors": [e[-200:] for (_, e), pr in zip(outs, procs, strict=True)
                                                     if pr.returncode]}


def map_loads(url: str, *, timeline: bool = False) -> tuple[list[float], float | None]:
    """Seconds until the map is drawn in headless Chromium (offline): a cold load, then three warm ones in new
    contexts; with ``timeline``, also the seconds to move the window's end three days back in the last one (the
    rerun finished and the map drawn again), else None."""
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    moved = None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for attempt in range(4):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.frame_locator(MAP_IFRAME).locator(DRAWN).first.wait_for(timeout=300_000)
            times.append(time.perf_counter() - start)
            if timeline and attempt == 3:
                thumb = page.get_by_role("slider", name="Date window — end")
                page.locator(WINDOW_PICKER).get_by_role("button").click()  # the slider is in the window picker
                thumb.wait_for(timeout=300_000)
                page.evaluate(RUNS_SEEN)
                start = time.perf_counter()
                thumb.focus()
                for _ in range(3):
                    thumb.press("ArrowLeft")
                page.wait_for_function("window.cmRunsDone > 0", timeout=300_000)
                page.frame_locator(MAP_IFRAME).locator(DRAWN).first.wait_for(timeout=300_000)
                moved = time.perf_counter() - start
            context.close()
        browser.close()
    return times, moved


def render_times(url: str, port: int, db: str) -> dict:
    proc = serve("app.py", port, db)
    try:
        times, _ = map_loads(url)
        return {"cold": times[0], "warm": statistics.median(times[1:]), "peak_mib": peak_mib(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=1, help="repeat the map load, each configuration in turn")
    ap.add_argument("--only", nargs="+", default=["load", "ingest", "big"], choices=["load", "ingest", "big"])
    ap.add_argument("--port", type=int, default=18600)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="conflictmap-load-"))
    work.chmod(0o755)
    pg_dir, pg_port = work / "pg", args.port + 900
    subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "start", str(pg_dir), str(pg_port)], check=True,
                   capture_output=True)
    report: dict = {"sessions": args.sessions, "events": args.events}
    try:
        csv = write(args.events, work / "events.csv")
        url = fresh_pg(pg_dir, pg_port, "load")
        fill(url, csv)
        if "load" in args.only:
            samples: dict[str, list] = {"replicas_1": [], "replicas_2": [], "baseline": []}
            peaks: dict[str, list] = {k: [] for k in samples}
            for _ in range(args.rounds):  # configurations interleaved, so a busy minute on the machine hits each
                for replicas in (1, 2):
                    run = work / f"stack{replicas}"
                    front = stack(run, replicas, args.port, url)
                    try:
                        samples[f"replicas_{replicas}"] += asyncio.run(load(front, args.sessions, timeline=True))
                        peaks[f"replicas_{replicas}"].append([round(peak_mib(int((run / f"replica-{i}.pid")
                                                                                 .read_text())))
                                                              for i in range(1, replicas + 1)])
                    finally:
                        subprocess.run([str(ROOT / "deploy" / "stack.sh"), "stop", str(run)], check=True)
                base = serve("bench/baseline_app.py", args.port + 50, url)
                try:
                    samples["baseline"] += asyncio.run(load(f"http://127.0.0.1:{args.port + 50}/", args.sessions,
                                                            timeline=False))
                    peaks["baseline"].append([round(peak_mib(base.pid))])
                finally:
                    base.terminate()
                    base.wait(30)
            for key, results in samples.items():
                report[key] = {**summary(results), "peak_mib": peaks[key]}
                print(json.dumps({key: report[key]}), flush=True)

        if "ingest" in args.only:
            files = [write(10_000, work / f"part{i}.csv") for i in range(3)]
            for i, f in enumerate(files):  # three different files: distinct event ids
                f.write_text(re.sub(r"^([A-Z]{3})S", rf"\1P{i}S", f.read_text(), flags=re.MULTILINE))
            report["ingest_postgresql"] = ingest_throughput(fresh_pg(pg_dir, pg_port, "ingest"), files)
            report["ingest_sqlite"] = ingest_throughput(str(work / "ingest.sqlite"), files)
            print(json.dumps({k: report[k] for k in ("ingest_postgresql", "ingest_sqlite")}), flush=True)

        if "big" in args.only:
            big = write(args.big, work / "big.csv")
            pg_big = fresh_pg(pg_dir, pg_port, "big")
            fill(pg_big, big)
            lite = str(work / "big.sqlite")
            fill(lite, big)
            report["big_postgresql"] = render_times(f"http://127.0.0.1:{args.port + 60}/", args.port + 60, pg_big)
            report["big_sqlite"] = render_times(f"http://127.0.0.1:{args.port + 61}/", args.port + 61, lite)
            print(json.dumps({k: report[k] for k in ("big_postgresql", "big_sqlite")}), flush=True)
    finally:
        subprocess.run([str(ROOT / "deploy" / "postgres.sh"), "stop", str(pg_dir)], check=False)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
