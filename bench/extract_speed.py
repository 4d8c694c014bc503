"""Extraction throughput (reports per second, one core) against a naive baseline, in one run.

Reports: data/reports/*, plus ../shared/seeds/* when present. The baseline only
splits sentences and looks capitalised words up in the gazetteer (the floor any
extractor pays); the pipeline adds dates, actors, figures, claims, events and
control statements.

    python bench/extract_speed.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.extract.pipeline import extract  # noqa: E402
from geo.extract.text import decode_report, sentences  # noqa: E402
from geo.gazetteer import default_gazetteer  # noqa: E402

TARGET = 50.0


def reports() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "data" / "reports").iterdir())
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        paths += sorted(seeds.iterdir())
    return [(p.name, decode_report(p.read_bytes(), p.name)) for p in paths]


def baseline(text: str) -> int:
    gazetteer = default_gazetteer()
    found = 0
    for sentence in sentences(text):
        for word in re.findall(r"[A-ZÀ-Ý][\w'-]+", sentence.text):
            found += bool(gazetteer.lookup(word))
    return found


def rate(func, docs: list[tuple[str, str]], seconds: float) -> float:  # noqa: ANN001
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for name, text in docs:
            func(name, text)
            done += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    docs = reports()
    default_gazetteer()  # built once, as in a running app
    mean_chars = sum(len(t) for _, t in docs) / len(docs)
    print(f"{len(docs)} reports, mean {mean_chars:,.0f} characters")
    base = rate(lambda _n, t: baseline(t), docs, args.seconds)
    ours = rate(lambda n, t: extract(t, source=n, report=n), docs, args.seconds)
    print(f"baseline (sentences + gazetteer lookups): {base:8.1f} reports/s")
    print(f"extraction pipeline:                      {ours:8.1f} reports/s "
          f"(target >= {TARGET:.0f}: {'meets' if ours >= TARGET else 'MISSES'})")


if __name__ == "__main__":
    main()
