from __future__ import annotations

import csv
import io
import json

import pytest

from geo.io.export import neutralise_cell, to_csv, to_geojson, to_geojson_text
from geo.schema import ACLED_COLUMNS
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
