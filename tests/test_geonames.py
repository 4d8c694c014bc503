from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from geo.gazetteer import (
    SHIPPED_COLUMNS,
    Gazetteer,
    Place,
    read_index,
    read_places_csv,
    read_shipped,
)
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


# -- the shipped extract's layout, from a dump with every kind of row ----------------------------

DUMP = Path(__file__).parent / "fixtures" / "geonames_dump.txt"


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Place]:
    out = tmp_path_factory.mktemp("extract") / "extract.tsv.gz"
    assert build_local_index([DUMP], out) == 11
    return {p.name: p for p in read_shipped(out)}


def test_extract_keeps_places_districts_and_sites_not_terrain(extract: dict[str, Place]) -> None:
    assert {name: p.feature for name, p in extract.items()} == {
        "Testbank Cercle": "admin2", "Commune de Testkan": "admin3", "Testagou": "village", "Testata": "locality",
        "Camp Testmil": "base", "Testport Airport": "airport", "Testor Gold Mine": "mine",
        "Testbera": "refugee_camp", "Poste de Testfront": "border_post", "Testville": "town", "Testbobo": "town",
    }  # no ADM1 rows, river, hill, nomad camp (S.CMP) or destroyed village (PPLW)
    assert extract["Testbank Cercle"].geo_precision == 2 and extract["Testagou"].geo_precision == 1
    assert extract["Testville"].admin_seat == "admin2" and extract["Testville"].population == 25000
    assert extract["Testbobo"].feature == "town"  # a PPL of 12,000 people


def test_extract_names_regions_and_districts_from_the_dump(extract: dict[str, Place]) -> None:
    village = extract["Testagou"]
    assert (village.admin1, village.admin2) == ("Mopti", "Testbank")  # "Mopti Region", "Testbank Cercle"
    assert extract["Testbobo"].admin1 == "Hauts-Bassins"  # GeoNames' English "High-Basins Region"
    assert extract["Testata"].admin2 == ""  # no admin-2 code in the dump


def test_extract_keeps_latin_alternates_once(extract: dict[str, Place]) -> None:
    # "Testagou" (the name) and "Tèstagou" (the same once accents go) are dropped, as are Arabic script
    # and a bare number
    assert extract["Testagou"].alternate_names == ("Test-Agou", "Testaguu")
    assert "geonameid 8880004" in extract["Testagou"].source and "CC-BY" in extract["Testagou"].source


def test_extract_is_reproducible_and_commented(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    build_local_index([DUMP], first)
    build_local_index([DUMP], second)
    assert first.read_bytes() == second.read_bytes()
    with gzip.open(first, "rt", encoding="utf-8") as f:
        head = [next(f) for _ in range(3)]
    assert "GeoNames (geonames.org)" in head[0] and "CC-BY 4.0" in head[0]
    assert tuple(head[2].rstrip("\n").split("\t")) == SHIPPED_COLUMNS


def test_index_formats_follow_the_suffix(tmp_path: Path) -> None:
    csv_index, tsv_index = tmp_path / "index.csv", tmp_path / "index.tsv"
    build_local_index([DUMP], csv_index)
    build_local_index([DUMP], tsv_index)
    assert read_index(csv_index)[2].admin2 == read_index(tsv_index)[2].admin2 == "Testbank"
    assert [p.name for p in read_index(csv_index)] == [p.name for p in read_index(tsv_index)]


def test_cli_build_without_files_writes_the_shipped_extract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import geo.gazetteer
    import geo.io.geonames
    from geo.cli import main

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "ML.txt").write_text(DUMP.read_text(encoding="utf-8"), encoding="utf-8")
    (dumps / "notes.txt").write_text("not a dump\n", encoding="utf-8")  # only XX.txt files are read
    shipped = tmp_path / "data" / "geonames_sahel.tsv.gz"
    monkeypatch.setattr(geo.io.geonames, "DEFAULT_DUMP_DIR", dumps)
    monkeypatch.setattr(geo.gazetteer, "SHIPPED", shipped)
    assert main(["gazetteer", "build"]) == 0
    assert "indexed 11 places from 1 file(s)" in capsys.readouterr().err
    # a folder given on the command line: its country dumps, into the named file
    out = tmp_path / "folder.tsv.gz"
    assert main(["gazetteer", "build", "--out", str(out), str(dumps)]) == 0
    assert len(read_shipped(out)) == 11
    monkeypatch.setattr(geo.io.geonames, "DEFAULT_DUMP_DIR", tmp_path / "absent")
    assert main(["gazetteer", "build"]) == 1
    assert "no GeoNames dumps" in capsys.readouterr().err


def test_shipped_extract_is_built_from_the_reference_dumps(shared: Path, tmp_path: Path) -> None:
    from geo.gazetteer import SHIPPED
    from geo.io.geonames import SAHEL_DUMPS, dump_files

    files = dump_files([shared / "reference" / "geonames"])
    assert {f.stem for f in files} >= set(SAHEL_DUMPS)
    out = tmp_path / SHIPPED.name
    build_local_index([shared / "reference" / "geonames" / f"{cc}.txt" for cc in SAHEL_DUMPS], out, SAHEL_DUMPS)
    stale = "data/geonames_sahel.tsv.gz is stale: python -m geo gazetteer build"
    assert out.read_bytes() == SHIPPED.read_bytes(), stale
