"""The demo data in data/: valid, sourced, and placed where GeoNames puts the places."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from geo.gazetteer import haversine_km
from geo.io.demo import load_demo_events, load_demo_zones
from tests.conftest import ROOT

# Places GeoNames is missing or wrong about (see ../shared/README.md): ACLED's coordinates.
KNOWN_GAPS = {"Boulkessi": (14.7953, -1.3181)}



def test_demo_events_match_the_seed_facts() -> None:
    events = {e.location: e for e in load_demo_events() if e.sub_event_type != "Abduction/forced disappearance"}
    wave = [e for e in events.values() if str(e.event_date) == "2025-07-01"]
    assert sum(e.fatalities for e in wave) == 80  # the army's ~80, counted once across the wave
    abduction = next(e for e in load_demo_events() if e.abduction)
    assert abduction.abduction.count == 4 and sorted(abduction.abduction.nationalities) == ["CN", "IN", "IN", "IN"]
    assert events["Boulkessi"].fatalities == 30
    assert str(events["Timbuktu"].event_date).startswith("2025-06")
    assert all(e.source and e.notes for e in load_demo_events())


def test_every_data_file_has_a_readme_line() -> None:
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "data").rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name


def test_control_zones_are_dated_and_sourced() -> None:
    zones = load_demo_zones()
    assert {z.status for z in zones} == {"control", "influence", "contested", "government", "blockade"}
    assert all(z.source for z in zones)
    assert min(z.valid_from for z in zones).year == 2012 and max(z.valid_from for z in zones).year == 2025
    countries = {z.zone_id[:2] for z in zones}
    assert {"ML", "BF", "NE"} <= countries
    kidal = sorted((z.valid_from, z.status) for z in zones if z.area == "Kidal region")
    assert kidal[-1] == (date(2023, 11, 14), "government")  # the army retook Kidal in November 2023


def _geonames(shared: Path) -> dict[str, list[tuple[float, float]]]:
    places: dict[str, list[tuple[float, float]]] = {}
    with (shared / "reference" / "geonames" / "ML.txt").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row[6] == "P":
                for name in {row[1], row[2], *row[3].split(",")}:
                    places.setdefault(name.lower(), []).append((float(row[4]), float(row[5])))
    return places


def test_demo_coordinates_within_5_km_of_geonames(shared: Path) -> None:
    places = _geonames(shared)
    checked = 0
    for event in load_demo_events():
        name = event.location
        if name in KNOWN_GAPS:
            ref = [KNOWN_GAPS[name]]
        else:
            ref = places.get(name.lower())
        assert ref, f"{name} is not in GeoNames ML.txt; add it to KNOWN_GAPS with a source"
        nearest = min(haversine_km(event.latitude, event.longitude, lat, lon) for lat, lon in ref)
        assert nearest <= 5, f"{name} is {nearest:.1f} km from GeoNames"
        checked += 1
    assert checked == 10
