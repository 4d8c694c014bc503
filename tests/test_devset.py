"""Floors on the annotated development corpus (../shared/devset), so that a regression fails CI.

The floors sit a few points below what the pipeline reached when they were set
(docs/benchmarks.md has the figures); raise them as extraction improves.  The
scoring is the dev set's own (score.py and attribution.py), run in-process by
``bench/extract_quality.py``.
"""
from __future__ import annotations

import pytest

from bench.extract_quality import DEVSET, figures, score_set

pytestmark = pytest.mark.skipif(not DEVSET.is_dir(), reason=f"{DEVSET} is absent: the dev-corpus floors need it")

FLOORS = {
    "real": {"places": 0.87, "f1": 0.76, "attribution": 0.97},
    "seeds": {"places": 1.0, "f1": 1.0, "attribution": 1.0},
}


@pytest.mark.parametrize("which", ["seeds", "real"])
def test_extraction_stays_above_its_floors(which: str) -> None:
    got = figures(score_set(which, 0.0))
    below = {k: round(got[k], 3) for k, floor in FLOORS[which].items() if got[k] < floor}
    assert not below, f"{which}: below the floor {FLOORS[which]}: {below}"
