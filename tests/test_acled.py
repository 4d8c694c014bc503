"""Import of ACLED and UCDP exports: layouts, taxonomy, dates, bad rows, idempotence, round trip."""
from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from geo.io.acled import (
    ExportReader,
    ImportFormatError,
    ImportReadError,
    parse_acled_date,
    read_file,
    read_text,
)
from geo.io.export import to_csv
from geo.storage import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "acled"


@pytest.mark.parametrize(("text", "expected"), [
    ("2020-12-31", date(2020, 12, 31)), ("31 December 2020", date(2020, 12, 31)),
    ("9-May-20", date(2020, 5, 9)), (" 1 March 2019 ", date(2019, 3, 1)),
])
def test_dates(text: str, expected: date) -> None:
    assert parse_acled_date(text) == expected


@pytest.mark.parametrize(("name", "fmt", "ids"), [
    ("current_31.csv", "acled", ["TST1", "TST2"]),
    ("old_taxonomy_30.csv", "acled", ["TSTO1", "TSTO2", "TSTO3", "TSTO4"]),
    ("monadic_28.csv", "acled-monadic", ["TSTM1", "TSTM2"]),
    ("dyadic_floats.csv", "acled", ["TSTF1"]),
    ("ucdp_ged.csv", "ucdp", ["MLIUCDP900001", "MLIUCDP900002"]),
])
def test_each_layout_imports(name: str, fmt: str, ids: list[str]) -> None:
    result = read_file(FIXTURES / name)
    assert result.format == fmt and result.rejected == []
    assert [e.event_id_cnty for e in result.events] == ids


def test_monadic_rows_merge_into_one_event_with_actor2() -> None:
    [clash, looting] = read_file(FIXTURES / "monadic_28.csv").events
    assert clash.actor1 == "JNIM: Group for Support of Islam and Muslims"
    assert clash.actor2 == "Military Forces of Mali (2002-2012)" and clash.assoc_actor_2 == "Wagner Group"
    assert clash.inter2 == "State forces" and clash.fatalities == 5  # counted once, not per actor row
    assert looting.actor2 == ""


@pytest.mark.parametrize(("event_id", "event_type", "sub"), [
    ("TSTO1", "Battles", "Armed clash"),
    ("TSTO2", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("TSTO3", "Explosions/Remote violence", "Air/drone strike"),
    ("TSTO4", "Protests", "Peaceful protest"),
])
def test_old_taxonomy_is_mapped_and_remembered(event_id: str, event_type: str, sub: str) -> None:
    events = {e.event_id_cnty: e for e in read_file(FIXTURES / "old_taxonomy_30.csv").events}
    event = events[event_id]
    assert (event.event_type, event.sub_event_type) == (event_type, sub)
    assert "pre-2019 type:" in event.tags
    assert event.inter1 in ("Political militia", "Rebel group", "External/Other forces", "Protesters")


def test_floats_become_whole_numbers() -> None:
    [event] = read_file(FIXTURES / "dyadic_floats.csv").events
    assert (event.fatalities, event.geo_precision, event.timestamp, event.inter2) == (4, 1, 1589234730, "Civilians")


def test_ucdp_best_low_high() -> None:
    clash = read_file(FIXTURES / "ucdp_ged.csv").events[0]
    assert clash.fatalities == 15
    assert [(c.metric, c.value) for c in clash.claims] == [
        ("people killed (low estimate)", 12), ("people killed (best estimate)", 15),
        ("people killed (high estimate)", 20)]
    assert clash.geo_precision == 1 and clash.time_precision == 1
    regional = read_file(FIXTURES / "ucdp_ged.csv").events[1]
    assert regional.geo_precision == 3 and regional.time_precision == 2


def test_bad_rows_are_rejected_with_line_and_reason_and_good_rows_import() -> None:
    result = read_file(FIXTURES / "bad_rows.csv")
    assert [e.event_id_cnty for e in result.events] == ["GOOD1"]
    reasons = dict(result.rejected)
    assert "event_date" in reasons[2] and "not a date" in reasons[2]
    assert "latitude" in reasons[3]
    assert "location" in reasons[4]
    assert "fatalities" in reasons[5] and "'many' is not a number" in reasons[5]
    assert result.rejection_csv().splitlines()[0] == "line,reason"


@pytest.mark.parametrize("data", [b"name,age\nA,3\n", b"\x00\x01\x02", b""])
def test_files_that_are_not_exports(data: bytes) -> None:
    with pytest.raises(ImportFormatError):
        read_text(data)


def test_reimport_adds_no_duplicates(db_url: str) -> None:
    store = open_store(db_url, seed=False)
    for _ in range(2):
        store.save_events(read_file(FIXTURES / "current_31.csv").events)
    assert store.count() == 2


def test_round_trip_import_export_import_is_identical(tmp_path: Path) -> None:
    first = read_file(FIXTURES / "current_31.csv").events + read_file(FIXTURES / "old_taxonomy_30.csv").events
    exported = tmp_path / "export.csv"
    exported.write_text(to_csv(first), encoding="utf-8")
    assert "'-Synthetic abduction" in exported.read_text(encoding="utf-8")  # neutralised for Excel
    second = read_file(exported).events
    assert [e.acled_row() for e in second] == [e.acled_row() for e in first]


def test_geopackage_export(tmp_path: Path) -> None:
    import geopandas as gpd

    from geo.io.export import to_geopackage

    events = read_file(FIXTURES / "current_31.csv").events
    to_geopackage(events, tmp_path / "events.gpkg")
    frame = gpd.read_file(tmp_path / "events.gpkg")
    assert list(frame["event_id_cnty"]) == ["TST1", "TST2"] and frame.crs.to_epsg() == 4326
    assert frame.geometry[0].x == pytest.approx(-1.3181)


def test_real_monadic_export_gives_3314_events(shared: Path) -> None:
    result = read_file(shared / "data" / "acled" / "mali_2017_2020_monadic.csv")
    assert result.rows == 6214 and len(result.events) == 3314 and result.rejected == []
    assert sum(e.fatalities for e in result.events) == 7422


@pytest.mark.parametrize(("name", "count"), [("sahel_2020-05_dyadic.csv", 106),
                                             ("mali_2017_2019_old_taxonomy.csv", 1339)])
def test_real_exports_import_without_rejections(shared: Path, name: str, count: int) -> None:
    result = read_file(shared / "data" / "acled" / name)
    assert len(result.events) == count and result.rejected == []


@pytest.mark.parametrize("name", ["current_31.csv", "old_taxonomy_30.csv", "monadic_28.csv", "bad_rows.csv",
                                  "ucdp_ged.csv"])
@pytest.mark.parametrize("size", [1, 2, 1000])
def test_chunks_of_any_size_read_what_the_whole_file_reads(name: str, size: int) -> None:
    data = (FIXTURES / name).read_bytes()
    reader = ExportReader(io.BytesIO(data))
    chunks = list(reader.chunks(size))
    whole = read_text(data)
    assert [e for c in chunks for e in c.events] == whole.events
    assert [r for c in chunks for r in c.rejected] == whole.rejected
    assert sum(c.rows for c in chunks) == whole.rows == reader.approx_rows
    assert [(c.first_line, c.last_line) for c in chunks][0][0] == 2 and chunks[-1].last_line == whole.rows + 1
    assert reader.sha256 == hashlib.sha256(data).hexdigest() and reader.format == whole.format


def test_an_id_repeated_in_a_later_chunk_is_rejected() -> None:
    lines = (FIXTURES / "current_31.csv").read_text(encoding="utf-8").splitlines()
    data = "\n".join([*lines, lines[1]]).encode("utf-8")  # TST1 again on line 4
    [first, second] = ExportReader(io.BytesIO(data)).chunks(2)
    assert [e.event_id_cnty for e in first.events] == ["TST1", "TST2"] and second.events == []
    assert second.rejected == [(4, "event_id_cnty: TST1 appears twice in the file")]


def test_latin1_export_and_a_csv_that_breaks() -> None:
    data = (FIXTURES / "current_31.csv").read_text(encoding="utf-8").replace("Mopti", "Ségou").encode("latin-1")
    reader = ExportReader(io.BytesIO(data))
    assert reader.encoding == "latin-1" and "Ségou" in {e.admin1 for c in reader.chunks() for e in c.events}
    broken = (FIXTURES / "current_31.csv").read_bytes() + b"TST9," + b"x" * 140_000 + b"\n"
    with pytest.raises(ImportReadError, match=r"^line 4: the CSV cannot be read \(field larger than field limit"):
        list(ExportReader(io.BytesIO(broken)).chunks())
