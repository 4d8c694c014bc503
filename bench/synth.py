"""Synthetic ACLED-layout CSV for benchmarks: N invented events scattered over the Sahel.

    python bench/synth.py 100000 /tmp/synthetic.csv
"""
from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.schema import ACLED_COLUMNS, TAXONOMY  # noqa: E402

ACTORS = [("JNIM: Group for Support of Islam and Muslims", "Rebel group"), ("Islamic State (Sahel)", "Rebel group"),
          ("Military Forces of Mali (2021-)", "State forces"), ("Dozo Communal Militia (Mali)", "Identity militia"),
          ("Military Forces of Burkina Faso (2022-)", "State forces"), ("Civilians (Mali)", "Civilians")]
COUNTRIES = [("Mali", 466, "MLI", (10.5, 20.0, -12.0, 4.0)), ("Burkina Faso", 854, "BFA", (9.5, 15.0, -5.5, 2.0)),
             ("Niger", 562, "NER", (11.8, 20.0, 0.5, 15.0))]
SUBS = [(t, s) for t in ("Battles", "Violence against civilians", "Explosions/Remote violence")
        for s in TAXONOMY[t] if s not in ("Chemical weapon", "Sexual violence")]


def rows(n: int, seed: int = 7):  # noqa: ANN201 - generator of dicts
    rng = random.Random(seed)
    start = date(2012, 1, 1)
    for i in range(n):
        country, iso, iso3, (lat0, lat1, lon0, lon1) = rng.choice(COUNTRIES)
        event_type, sub = rng.choice(SUBS)
        (a1, i1), (a2, i2) = rng.sample(ACTORS, 2)
        day = start + timedelta(days=rng.randrange(0, 5000))
        yield {
            "event_id_cnty": f"{iso3}S{i}", "event_date": day.isoformat(), "year": day.year,
            "time_precision": rng.choice((1, 1, 1, 2, 3)), "disorder_type": "Political violence",
            "event_type": event_type, "sub_event_type": sub, "actor1": a1, "assoc_actor_1": "", "inter1": i1,
            "actor2": a2, "assoc_actor_2": "", "inter2": i2, "interaction": "", "civilian_targeting": "",
            "iso": iso, "region": "Western Africa", "country": country, "admin1": "Synthetic", "admin2": "",
            "admin3": "", "location": f"Place {i % 997}", "latitude": round(rng.uniform(lat0, lat1), 4),
            "longitude": round(rng.uniform(lon0, lon1), 4), "geo_precision": rng.choice((1, 1, 2, 3)),
            "source": "Synthetic", "source_scale": "Other", "notes": f"Synthetic event {i} for benchmarks.",
            "fatalities": rng.choice((0, 0, 0, 1, 2, 3, 5, 10, 25)), "tags": "", "timestamp": 1700000000,
        }


def write(n: int, path: Path) -> Path:
    """Write ``n`` synthetic events as an ACLED CSV."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows(n))
    return path


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))
