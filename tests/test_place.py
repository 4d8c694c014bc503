"""Places, name normalisation and distance, apart from the gazetteer's index and rapidfuzz."""
from __future__ import annotations

import subprocess
import sys

import pytest
from geopy.distance import geodesic

from geo import gazetteer, place
from tests.conftest import ROOT


def test_the_gazetteer_re_exports_the_same_objects() -> None:
    assert gazetteer.Place is place.Place
    assert gazetteer.normalise is place.normalise
    assert gazetteer.haversine_km is place.haversine_km


def test_areas_layers_and_dedup_load_without_the_gazetteer_or_rapidfuzz() -> None:
    """No import cycle between areas and the gazetteer, and no fuzzy matcher just to normalise a name."""
    code = ("import sys; import geo.areas, geo.layers, geo.tools.dedup, geo.vocab; "
            "print(sorted(m for m in ('rapidfuzz', 'geo.gazetteer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("a", "b"), [
    ((12.65, -8.0), (16.77, -3.01)),     # Bamako - Timbuktu
    ((14.45, -11.44), (14.455, -12.199)),  # Kayes - Diboli
    ((0.0, 0.0), (0.0, 0.0)),
])
def test_haversine_agrees_with_geopy_within_half_a_percent(a: tuple, b: tuple) -> None:
    expected = geodesic(a, b).km
    assert place.haversine_km(*a, *b) == pytest.approx(expected, rel=0.005, abs=1e-9)


def test_places_compare_without_their_geometry() -> None:
    point = place.Place("Kayes", 14.45, -11.44, "ML")
    assert point == place.Place("Kayes", 14.45, -11.44, "ML", geometry=object())
    assert point.names() == ("Kayes",)
    assert place.Place("Tombouctou", 16.77, -3.01, "ML", alternate_names=("Timbuktu",)).names() == (
        "Tombouctou", "Timbuktu")


@pytest.mark.parametrize(("geonames", "report"), [
    ("I-n-Afarak", "In-Afarak"),       # Tamasheq "in" (place of), split by GeoNames
    ("Ti-n-Zaouatene", "Tin Zaouatene"),
])
def test_tamasheq_names_normalise_as_reports_write_them(geonames: str, report: str) -> None:
    assert place.normalise(geonames) == place.normalise(report)
