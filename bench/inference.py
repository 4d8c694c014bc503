"""Time the inferred-zones grid and zone evidence at 1k, 10k and 100k synthetic events.

    python bench/inference.py
"""
from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.synth import write  # noqa: E402
from geo.io.acled import read_file  # noqa: E402
from geo.io.demo import load_demo_zones  # noqa: E402
from geo.storage import events_frame, zones_frame  # noqa: E402
from geo.tools.filters import zones_at  # noqa: E402
from geo.tools.zones import infer_zones, zone_evidence  # noqa: E402


def main() -> None:
    zones = zones_at(zones_frame(load_demo_zones()), date(2025, 7, 8))
    print("| events | infer s | cells | evidence s | peak MiB (infer) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 10_000, 100_000):
            frame = events_frame(read_file(write(n, Path(tmp) / f"s{n}.csv")).events)
            tracemalloc.start()
            start = time.perf_counter()
            cells = infer_zones(frame)
            infer_s = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            start = time.perf_counter()
            zone_evidence(zones, frame)
            evidence_s = time.perf_counter() - start
            print(f"| {n:,} | {infer_s:.2f} | {len(cells):,} | {evidence_s:.2f} | {peak / 2**20:.0f} |")


if __name__ == "__main__":
    main()
