"""Regions layer against the events layer: build time for N synthetic events (default 100,000).

    python bench/regions.py [N]

Prints the best of five builds, wall clock and CPU time of this process (the CPU
figure holds when other work shares the machine), for: the events layer (grid
above 1,500 events), the regions layer (events per region, with the click-through
popups), the same per 10,000 km², the regions layer given its region of each
event (``where=``, as a page may keep it per data version), and the Compare page's
change-by-region layer between the two halves of the events.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench.synth import rows  # noqa: E402
from geo.layers import events_layer  # noqa: E402
from geo.regions import (  # noqa: E402
    assign_regions,
    difference_layer,
    region_difference,
    regions_layer,
    shipped_regions,
)


def best_of(build: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """(wall seconds, CPU seconds), each the best of ``runs``."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        build()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    frame = pd.DataFrame(list(rows(n)))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["fatalities"] = frame["fatalities"].astype(int)
    regions = shipped_regions()
    where = assign_regions(frame, regions)
    print(f"{n:,} events, {len(regions)} regions, {int((where < 0).sum()):,} events outside them")
    for label, build in (
            ("events layer", lambda: events_layer(frame)),
            ("regions layer, events per region", lambda: regions_layer(frame, regions)),
            ("regions layer, fatalities per 10,000 km²",
             lambda: regions_layer(frame, regions, measure="fatalities", scale="area")),
            ("regions layer without popups", lambda: regions_layer(frame, regions, details=False)),
            ("regions layer given where=", lambda: regions_layer(frame, regions, where=where)),
            ("assign_regions", lambda: assign_regions(frame, regions)),
            ("change by region, two halves (Compare page)",
             lambda: difference_layer(region_difference(frame.iloc[: n // 2], frame.iloc[n // 2:], regions)))):
        wall, cpu = best_of(build)
        print(f"  {label:<46} {wall:6.3f} s wall  {cpu:6.3f} s CPU")


if __name__ == "__main__":
    main()
