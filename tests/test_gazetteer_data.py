"""The curated Sahel gazetteer supplement, data/sahel_gazetteer.csv.

Two kinds of check:

* the file itself: exact header, unique ids, allowed values, coordinates inside the
  country they are filed under, enough rows;
* a reference check against the GeoNames country dumps in ``../shared/reference/geonames``
  (present on developer machines and in CI only; the test skips without them): every
  entry whose name or alternate name matches a GeoNames place of the right kind must lie
  within 5 km of the nearest such place.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "data" / "sahel_gazetteer.csv"
GEONAMES_DIR = ROOT.parent / "shared" / "reference" / "geonames"

HEADER = ("id,name,alternate_names,country,admin1,admin2,feature,latitude,longitude,population,"
          "admin_seat,conflict_relevance,coord_source,notes")
FEATURES = {"capital", "city", "town", "village", "camp", "base", "mine", "border_post", "airport"}
ADMIN_SEATS = {"", "capital", "admin1", "admin2", "admin3"}
MIN_ROWS = 300
MAX_KM = 5.0

# Loose bounding boxes (lat_min, lat_max, lon_min, lon_max), about 0.25 degrees outside the
# borders. Algeria is limited to its far south, the only part this gazetteer covers.
COUNTRY_BOXES = {
    "ML": (9.9, 25.3, -12.6, 4.6),
    "BF": (9.1, 15.4, -5.8, 2.7),
    "NE": (11.4, 23.8, -0.1, 16.3),
    "MR": (14.5, 27.6, -17.4, -4.5),
    "SN": (12.0, 16.9, -17.8, -11.1),
    "DZ": (18.7, 27.0, -2.0, 12.0),
    "GN": (7.0, 12.9, -15.3, -7.4),
    "CI": (4.1, 11.0, -8.8, -2.2),
}
SAHEL_BOX = (4.0, 27.6, -18.0, 16.5)
MALI_ADMIN1 = {"Kayes", "Koulikoro", "Sikasso", "Segou", "Mopti", "Timbuktu", "Gao", "Kidal", "Menaka", "Bamako"}

# GeoNames feature classes an entry may be matched against: towns and villages only against
# populated places (P); camps, bases, airports and mines also against spots and buildings (S).
REFERENCE_CLASSES = {"camp": {"P", "S"}, "base": {"P", "S"}, "airport": {"P", "S"}, "mine": {"P", "S"}}
DEFAULT_CLASSES = {"P"}

# Known problems of the GeoNames reference, documented in ../shared/README.md. Entries named
# here (by their `name` column) are checked against the point given instead of GeoNames;
# a latitude of None means only the longitude is known to be right.
REFERENCE_EXCEPTIONS: dict[str, tuple[float | None, float, str]] = {
    # Boulkessi (Mopti region, Douentza cercle) is missing from GeoNames; ACLED's location.
    "Boulkessi": (14.7953, -1.3181, "ACLED's location (GeoNames lacks Boulkessi)"),
    "Boulkessi military camp": (14.7953, -1.3181, "ACLED's location (GeoNames lacks Boulkessi)"),
    # GeoNames puts Tessit at longitude -0.30, west of the Niger; ACLED's 0.2925 is right.
    "Tessit": (None, 0.2925, "ACLED's longitude (GeoNames misplaces Tessit)"),
}


def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name ("Sévaré" -> "sevare")."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def load_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def names_of(row: dict[str, str]) -> list[str]:
    alternates = [a.strip() for a in row["alternate_names"].split(";") if a.strip()]
    return [row["name"], *alternates]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return load_rows()


# -- the file itself -------------------------------------------------------------------------

def test_header_encoding_and_size(rows: list[dict[str, str]]) -> None:
    raw = CSV_PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark, please"
    first_line = raw.decode("utf-8").splitlines()[0]
    assert first_line == HEADER
    assert len(rows) >= MIN_ROWS, f"only {len(rows)} rows"
    assert all(None not in row and all(v is not None for v in row.values()) for row in rows), \
        "a row has the wrong number of fields"


def test_ids_are_unique_and_well_formed(rows: list[dict[str, str]]) -> None:
    ids = [row["id"] for row in rows]
    assert all(re.fullmatch(r"SG\d{4}", i) for i in ids), [i for i in ids if not re.fullmatch(r"SG\d{4}", i)]
    duplicated = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicated, duplicated


def test_names_are_present_and_unique_within_a_country(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["name"].strip() == row["name"] and row["name"], f"{row['id']}: empty or padded name"
        alternates = row["alternate_names"].split(";") if row["alternate_names"] else []
        assert all(a.strip() for a in alternates), f"{row['id']} {row['name']}: empty alternate name"
    keys = Counter((row["country"], normalise(row["name"])) for row in rows)
    assert not [k for k, n in keys.items() if n > 1], [k for k, n in keys.items() if n > 1]


def test_codes_and_categories(rows: list[dict[str, str]]) -> None:
    for row in rows:
        label = f"{row['id']} {row['name']}"
        assert row["country"] in COUNTRY_BOXES, f"{label}: country {row['country']!r}"
        assert row["feature"] in FEATURES, f"{label}: feature {row['feature']!r}"
        assert row["admin_seat"] in ADMIN_SEATS, f"{label}: admin_seat {row['admin_seat']!r}"
        assert row["conflict_relevance"] in {"0", "1", "2", "3"}, f"{label}: relevance {row['conflict_relevance']!r}"
        assert row["population"] == "" or re.fullmatch(r"[1-9]\d*", row["population"]), \
            f"{label}: population {row['population']!r}"
        assert row["coord_source"].strip(), f"{label}: say where the coordinates come from"
        assert row["admin1"].strip(), f"{label}: admin1 missing"
        if row["country"] == "ML":
            assert row["admin1"] in MALI_ADMIN1, f"{label}: Mali admin1 {row['admin1']!r}"
    capitals = {row["country"] for row in rows if row["admin_seat"] == "capital"}
    assert {"ML", "BF", "NE", "MR", "SN"} <= capitals


def test_coordinates_lie_in_the_country_box(rows: list[dict[str, str]]) -> None:
    for row in rows:
        label = f"{row['id']} {row['name']} ({row['country']})"
        for column in ("latitude", "longitude"):
            assert re.fullmatch(r"-?\d{1,3}(\.\d{1,4})?", row[column]), f"{label}: {column} {row[column]!r}"
        lat, lon = float(row["latitude"]), float(row["longitude"])
        lat_min, lat_max, lon_min, lon_max = SAHEL_BOX
        assert lat_min <= lat <= lat_max and lon_min <= lon <= lon_max, f"{label}: {lat}, {lon} outside the Sahel"
        lat_min, lat_max, lon_min, lon_max = COUNTRY_BOXES[row["country"]]
        assert lat_min <= lat <= lat_max and lon_min <= lon <= lon_max, \
            f"{label}: {lat}, {lon} outside the {row['country']} box"


def test_reference_exceptions_name_real_entries(rows: list[dict[str, str]]) -> None:
    names = {row["name"] for row in rows}
    assert set(REFERENCE_EXCEPTIONS) <= names, set(REFERENCE_EXCEPTIONS) - names


# -- the reference check ----------------------------------------------------------------------

def load_geonames(country: str) -> dict[str, list[tuple[float, float, str]]] | None:
    """Normalised name -> [(lat, lon, feature class)] from GeoNames' <country>.txt, or None."""
    path = GEONAMES_DIR / f"{country}.txt"
    if not path.exists():
        return None
    places: dict[str, list[tuple[float, float, str]]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for fields in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(fields) < 8 or fields[6] not in {"P", "S"}:
                continue
            point = (float(fields[4]), float(fields[5]), fields[6])
            for name in {fields[1], fields[2], *fields[3].split(",")}:
                key = normalise(name)
                if key:
                    places.setdefault(key, []).append(point)
    return places


def reference_check(rows: list[dict[str, str]]) -> list[tuple[dict[str, str], str, float | None, str]]:
    """(row, outcome, distance km, detail) for every row; outcome is "pass", "fail" or "unchecked"."""
    references: dict[str, dict | None] = {}
    results = []
    for row in rows:
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if row["name"] in REFERENCE_EXCEPTIONS:
            ref_lat, ref_lon, why = REFERENCE_EXCEPTIONS[row["name"]]
            if ref_lat is None:  # only the longitude is known: measure the east-west offset
                distance = abs(lon - ref_lon) * 111.32 * math.cos(math.radians(lat))
            else:
                distance = km(lat, lon, ref_lat, ref_lon)
            results.append((row, "pass" if distance <= MAX_KM else "fail", distance, why))
            continue
        country = row["country"]
        if country not in references:
            references[country] = load_geonames(country)
        reference = references[country]
        if reference is None:
            results.append((row, "unchecked", None, f"no GeoNames dump for {country}"))
            continue
        classes = REFERENCE_CLASSES.get(row["feature"], DEFAULT_CLASSES)
        best: tuple[float, str] | None = None
        for name in names_of(row):
            for ref_lat, ref_lon, feature_class in reference.get(normalise(name), ()):
                if feature_class in classes:
                    distance = km(lat, lon, ref_lat, ref_lon)
                    if best is None or distance < best[0]:
                        best = (distance, name)
        if best is None:
            results.append((row, "unchecked", None, "no same-named GeoNames place"))
        else:
            outcome = "pass" if best[0] <= MAX_KM else "fail"
            results.append((row, outcome, best[0], f"the nearest GeoNames place named {best[1]!r}"))
    return results


def test_coordinates_within_5_km_of_geonames(rows: list[dict[str, str]]) -> None:
    if not GEONAMES_DIR.is_dir():
        pytest.skip(f"GeoNames reference folder {GEONAMES_DIR} is absent "
                    "(it exists on developer machines and in CI only)")
    results = reference_check(rows)
    failures = [f"{row['id']} {row['name']} ({row['country']}): {distance:.1f} km from {detail} "
                f"(limit {MAX_KM:.0f} km)"
                for row, outcome, distance, detail in results if outcome == "fail"]
    assert not failures, f"{len(failures)} entries too far from the reference:\n" + "\n".join(failures)
    checked = sum(outcome == "pass" for _, outcome, _, _ in results)
    # The check must bite: most of the gazetteer is named in GeoNames.
    assert checked >= len(rows) // 2, f"only {checked} of {len(rows)} entries matched a reference place"
