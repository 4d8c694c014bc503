from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, read_places_csv
from geo.io.geonames import GeoNamesFormatError, build_local_index, read_geonames

FIXTURE = Path(__file__).parent / "fixtures" / "geonames_small.txt"


def test_reads_kept_feature_codes_only() -> None:
    rows = list(read_geonames(FIXTURE))
    assert [r["name"] for r in rows] == ["Kayes", "Testville", "Camp Testbase", "Ouagatest"]  # no river
    kayes = rows[0]
    assert kayes["admin_seat"] == "admin1" and kayes["alternate_names"] == "Kaye"
    assert rows[2]["feature"] == "base"
    assert rows[3]["feature"] == "town"  # a PPL of 20,000 people


def test_country_filter() -> None:
    assert {r["country"] for r in read_geonames(FIXTURE, ["BF"])} == {"BF"}


def test_build_local_index_then_search(tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    assert build_local_index([FIXTURE], out, ["ML"]) == 3
    places = read_places_csv(out)
    gazetteer = Gazetteer(places)
    assert gazetteer.search("testbase camp")[0].place.name == "Camp Testbase"
    assert gazetteer.lookup("TESTVILLE")[0].latitude == 15.0


def test_malformed_dump_names_the_line_and_keeps_the_old_index(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(FIXTURE.read_text(encoding="utf-8") + "oops\tnot enough columns\n", encoding="utf-8")
    out = tmp_path / "index.csv"
    build_local_index([FIXTURE], out)
    before = out.read_text(encoding="utf-8")
    with pytest.raises(GeoNamesFormatError, match=r"bad\.txt:6"):
        build_local_index([bad], out)
    assert out.read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob("*.tmp"))


def test_index_has_supplement_columns(tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    build_local_index([FIXTURE], out)
    with out.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    from geo.gazetteer import SUPPLEMENT_COLUMNS
    assert tuple(header) == SUPPLEMENT_COLUMNS
