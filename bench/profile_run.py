"""Where one script run of the Map page spends its time: cProfile of a new session's first run, caches warm.

Runs app.py in Streamlit's AppTest (the same script runner a server uses, without
the browser): one run to fill the caches (imports, database, events), then
``--sessions`` new sessions, each profiled from the first line of app.py to its
last (the profiler is switched on in the script thread). Prints the wall time of
each profiled run and the functions with the most cumulative time.

    python -m bench.profile_run [--sessions 5] [--top 40] [--page PATH]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=5)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--page", default=None, help="switch to this page file (e.g. pages/briefing.py)")
    args = ap.parse_args()
    os.environ.setdefault("CONFLICTMAP_DB", str(Path(tempfile.mkdtemp()) / "profile.sqlite"))
    profile = cProfile.Profile()
    walls: list[float] = []
    active = {"on": False}
    run_script = script_runner.exec_func_with_error_handling

    def profiled(func, ctx):  # noqa: ANN001, ANN202 - streamlit's own signature
        if not active["on"]:
            return run_script(func, ctx)
        start = time.perf_counter()
        profile.enable()
        try:
            return run_script(func, ctx)
        finally:
            profile.disable()
            walls.append(time.perf_counter() - start)

    script_runner.exec_func_with_error_handling = profiled

    def session() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if args.page:
            at.switch_page(args.page).run()
        return at

    start = time.perf_counter()
    session()
    print(f"first run (imports, database, caches): {time.perf_counter() - start:.2f} s")
    active["on"] = True
    for _ in range(args.sessions):
        session()
    print(f"profiled script runs: median {statistics.median(walls) * 1000:.0f} ms, "
          f"all {[round(w * 1000) for w in walls]} ms (profiler overhead included)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
