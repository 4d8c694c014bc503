from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from geo.io.export import ExportInfo, neutralise_cell, to_csv, to_geojson, to_geojson_text
from geo.schema import ACLED_COLUMNS, Event
from tests.factories import make_event


@pytest.mark.parametrize(("cell", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+33 1 2", "'+33 1 2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("Kayes", "Kayes"),
    (-11.445, -11.445),
    (0, 0),
])
def test_neutralise_cell(cell, expected) -> None:  # noqa: ANN001 - mixed types
    assert neutralise_cell(cell) == expected


def test_csv_has_acled_columns_in_order_and_neutralised_text() -> None:
    event = make_event(notes="=cmd|' /C calc'!A0", actor2="@evil", inter2="State forces")
    rows = list(csv.reader(io.StringIO(to_csv([event]))))
    assert rows[0] == list(ACLED_COLUMNS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["notes"].startswith("'=")
    assert row["actor2"] == "'@evil"
    assert row["longitude"] == "-11.445"  # numbers are not touched
    assert row["event_date"] == "2025-07-01"
    assert len(rows) == 2


def test_geojson_carries_claims_and_point() -> None:
    event = make_event()
    collection = to_geojson([event])
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-11.445, 14.447]}
    assert feature["properties"]["claims"][0]["value"] == 80
    assert json.loads(to_geojson_text([event]))["features"][0]["id"] == "MLITEST0001"


def test_frame_csv_matches_event_csv() -> None:
    from geo.io.export import frame_to_csv
    from geo.storage import events_frame

    events = [make_event(notes="=1+1", actor2="@x", inter2="State forces"), make_event(event_id_cnty="B")]
    assert frame_to_csv(events_frame(events)) == to_csv(events)


def test_geopackage_bytes() -> None:
    from geo.io.export import geopackage_bytes

    assert geopackage_bytes([make_event()])[:16] == b"SQLite format 3\x00"


# --- export metadata and the GDAL formats (GeoPackage, KML, zipped Shapefile, zipped CSV) ---

def _events() -> list[Event]:
    """Two events: a clash at Kayes with a claim, and an abduction at Diboli with formula-like, HTML-like notes."""
    return [
        make_event(source="Reuters; RFI"),
        make_event(event_id_cnty="MLITEST0002", event_date="2025-06-20", location="Diboli", latitude=14.6,
                   longitude=-12.1, sub_event_type="Abduction/forced disappearance",
                   event_type="Violence against civilians", actor2="Civilians (India)", inter2="Civilians",
                   notes="=HYPERLINK(1) <script>alert(1)</script> " + "é" * 300, fatalities=0, source="RFI",
                   claims=[], abduction={"count": 4, "nationalities": ["IN", "IN", "IN", "CN"], "status": "held"}),
    ]


def _info() -> ExportInfo:
    from datetime import date

    from geo.io.export import export_info
    from geo.views import View

    view = View(start=date(2025, 6, 1), end=date(2025, 7, 8), actors=("JNIM: Group for Support of Islam and Muslims",),
                countries=("Mali",))
    return export_info(_events(), view)


def test_export_info_names_window_filters_and_sources() -> None:
    from geo.storage import events_frame

    info = _info()
    assert info.window_text() == "2025-06-01 to 2025-07-08"
    assert info.filters_text() == ("actors: JNIM: Group for Support of Islam and Muslims; event types: all; "
                                   "countries: Mali")
    assert info.sources == ("Reuters", "RFI", "Test report")  # event sources split on ';' and the claims' sources
    assert (str(info.first), str(info.last), info.events) == ("2025-06-20", "2025-07-01", 2)
    text = info.text("KML")
    assert "Window: 2025-06-01 to 2025-07-08" in text and "Sources: Reuters; RFI; Test report" in text
    # the same from the events frame the pages hold
    from geo.io.export import export_info

    same = export_info(events_frame(_events()), created=info.created)
    assert (same.sources, same.first, same.last, same.window_text()) == (info.sources, info.first, info.last,
                                                                         "all dates")


def test_geojson_names_its_window_in_metadata() -> None:
    data = to_geojson(_events(), _info())
    assert data["metadata"]["window"] == {"start": "2025-06-01", "end": "2025-07-08",
                                          "text": "2025-06-01 to 2025-07-08"}
    assert data["metadata"]["filters"]["countries"] == ["Mali"]
    assert data["metadata"]["format"] == "GeoJSON" and len(data["features"]) == 2


def test_geopackage_reads_back_with_rows_points_and_layer_metadata(tmp_path: Path) -> None:
    import pyogrio

    from geo.io.export import geopackage_bytes

    path = tmp_path / "events.gpkg"
    path.write_bytes(geopackage_bytes(_events(), _info()))
    frame = pyogrio.read_dataframe(path)
    assert list(frame["event_id_cnty"]) == ["MLITEST0001", "MLITEST0002"]
    assert (frame.geometry.x.round(3).tolist(), frame.geometry.y.round(3).tolist()) == ([-11.445, -12.1],
                                                                                        [14.447, 14.6])
    assert json.loads(frame.loc[1, "abduction"])["count"] == 4
    meta = pyogrio.read_info(path)["layer_metadata"]
    assert meta["window"] == "2025-06-01 to 2025-07-08" and meta["sources"] == "Reuters; RFI; Test report"
    assert "countries: Mali" in meta["filters"] and "Window: 2025-06-01 to 2025-07-08" in meta["DESCRIPTION"]
    assert json.loads(meta["conflictmap_export"])["events"] == 2


def test_kml_reads_back_with_placemarks_and_a_document_description(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    import pyogrio

    from geo.io.export import kml_bytes

    path = tmp_path / "events.kml"
    path.write_bytes(kml_bytes(_events(), _info()))
    frame = pyogrio.read_dataframe(path)
    assert list(frame["event_id_cnty"]) == ["MLITEST0001", "MLITEST0002"]
    assert list(frame["Name"]) == ["Kayes, 2025-07-01: Armed clash",
                                   "Diboli, 2025-06-20: Abduction/forced disappearance"]
    assert frame.geometry.x.round(3).tolist() == [-11.445, -12.1]
    assert frame.geometry.y.round(3).tolist() == [14.447, 14.6]
    assert [str(t.date()) for t in frame["timestamp"]] == ["2025-07-01", "2025-06-20"]  # KML TimeStamp: event date
    assert list(frame["acled_timestamp"].astype(int)) == [1751500000, 1751500000]
    assert frame.loc[1, "nationalities"] == "IN, IN, IN, CN" and int(frame.loc[1, "abducted"]) == 4

    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(path).getroot()
    document = root.find("k:Document", ns)
    assert document.findtext("k:name", namespaces=ns) == "Conflict Map events, 2025-06-01 to 2025-07-08"
    description = document.findtext("k:description", namespaces=ns)
    assert "Window: 2025-06-01 to 2025-07-08" in description and "countries: Mali" in description
    assert "Sources: Reuters; RFI; Test report" in description
    balloons = [p.findtext("k:description", namespaces=ns) for p in root.iter("{http://www.opengis.net/kml/2.2}Placemark")]
    assert "about 80 attackers killed" in balloons[0]
    assert "<script>" not in balloons[1] and "&lt;script&gt;" in balloons[1]  # notes are escaped in the balloon


def test_shapefile_zip_reads_back_with_short_field_names_and_a_readme(tmp_path: Path) -> None:
    import zipfile

    import pyogrio

    from geo.io.export import shapefile_zip_bytes

    path = tmp_path / "events.zip"
    path.write_bytes(shapefile_zip_bytes(_events(), _info()))
    names = set(zipfile.ZipFile(path).namelist())
    assert names == {f"conflictmap_events.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} | {
        "README.txt", "metadata.json"}
    frame = pyogrio.read_dataframe(f"/vsizip/{path}/conflictmap_events.shp")
    assert list(frame["event_id"]) == ["MLITEST0001", "MLITEST0002"]
    assert frame.crs.to_epsg() == 4326 and frame.geometry.x.round(3).tolist() == [-11.445, -12.1]
    assert [str(d.date()) for d in frame["event_date"]] == ["2025-07-01", "2025-06-20"]  # a date field
    assert list(frame["fatalities"]) == [12, 0] and frame.loc[1, "abd_status"] == "held"
    assert len(frame.loc[1, "notes"].encode("utf-8")) <= 254 and frame.loc[1, "notes"].startswith("=HYPERLINK")
    readme = zipfile.ZipFile(path).read("README.txt").decode("utf-8")
    assert "Window: 2025-06-01 to 2025-07-08" in readme and "event_id   = event_id_cnty" in readme
    assert "Sources: Reuters; RFI; Test report" in readme
    meta = json.loads(zipfile.ZipFile(path).read("metadata.json"))
    assert meta["format"] == "ESRI Shapefile" and meta["filters"]["countries"] == ["Mali"]


def test_csv_zip_keeps_acled_csv_neutralised_beside_its_readme() -> None:
    import zipfile

    from geo.io.export import csv_zip_bytes, frame_to_csv
    from geo.storage import events_frame

    events = _events()
    archive = zipfile.ZipFile(io.BytesIO(csv_zip_bytes(frame_to_csv(events_frame(events)), _info())))
    assert archive.namelist() == ["conflictmap_events.csv", "README.txt", "metadata.json"]
    rows = list(csv.DictReader(io.StringIO(archive.read("conflictmap_events.csv").decode("utf-8"))))
    assert list(rows[0]) == list(ACLED_COLUMNS) and len(rows) == 2
    assert rows[1]["notes"].startswith("'=HYPERLINK")
    readme = archive.read("README.txt").decode("utf-8")
    assert "Window: 2025-06-01 to 2025-07-08" in readme and "Filters: actors: JNIM" in readme
    assert "Sources: Reuters; RFI; Test report" in readme
    assert json.loads(archive.read("metadata.json"))["events"] == 2


@pytest.mark.parametrize("name", ["geopackage_bytes", "kml_bytes", "shapefile_zip_bytes"])
def test_an_empty_selection_exports_an_empty_layer(name: str, tmp_path: Path) -> None:
    import pyogrio

    from geo.io import export

    data = getattr(export, name)([])
    path = tmp_path / {"geopackage_bytes": "e.gpkg", "kml_bytes": "e.kml", "shapefile_zip_bytes": "e.zip"}[name]
    path.write_bytes(data)
    target = f"/vsizip/{path}/conflictmap_events.shp" if path.suffix == ".zip" else path
    assert pyogrio.read_info(target)["features"] == 0


def test_csv_sidecar_beside_a_file(tmp_path: Path) -> None:
    from geo.io.export import write_sidecar

    target = write_sidecar(tmp_path / "out.csv", _info(), "CSV")
    assert target.name == "out.csv.metadata.json"
    assert json.loads(target.read_text(encoding="utf-8"))["window"]["start"] == "2025-06-01"
