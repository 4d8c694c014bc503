from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from geo import storage
from geo.io.demo import load_demo_events
from geo.storage import Store, database_url, events_frame, open_store
from tests.conftest import ROOT
from tests.factories import make_event


def demo_store(url: str) -> Store:
    """A store on ``url`` holding the demo events and zones (on PostgreSQL too, where a new database is not seeded)."""
    from geo.io.demo import load_demo_zones

    store = open_store(url, seed=False)
    if store.count() == 0:
        store.save(events=load_demo_events(), zones=load_demo_zones())
    return store


def test_new_file_is_created_and_seeded_with_demo_events(db_url: str) -> None:
    assert not Path(db_url).exists()
    store = open_store()  # through CONFLICTMAP_DB
    assert Path(db_url).exists()
    events = store.events()
    assert len(events) == len(load_demo_events()) == 10
    by_id = {e.event_id_cnty: e for e in events}
    assert by_id["MLICM0008"].abduction is not None
    assert by_id["MLICM0008"].abduction.nationalities == ("IN", "IN", "IN", "CN")
    assert {c.claimant for c in by_id["MLICM0001"].claims} == {"JNIM", "Military Forces of Mali (2021-)"}
    assert len(store.zones()) == 28


def test_existing_database_is_not_reseeded(db_url: str) -> None:
    store = open_store(db_url, seed=False)
    assert store.count() == 0
    store.save_events([make_event()])
    assert open_store(db_url).count() == 1


@pytest.mark.parametrize(("value", "expected"), [
    ("/tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
])
def test_database_url(value: str, expected: str) -> None:
    assert database_url(value) == expected


def test_round_trip_keeps_extensions(any_db: str) -> None:
    store = open_store(any_db, seed=False)
    event = make_event(abduction={"count": 2, "nationalities": ["CN"], "status": "released"},
                       provenance=[{"field": "fatalities", "report": "r1.txt", "start": 10, "end": 42}])
    store.save_events([event])
    [back] = store.events()
    assert back == event


def test_replace_by_id_does_not_duplicate_children(any_db: str) -> None:
    store = open_store(any_db, seed=False)
    store.save_events([make_event()])
    store.save_events([make_event(fatalities=5)])
    [back] = store.events()
    assert back.fatalities == 5 and len(back.claims) == 1


def test_failed_write_loses_nothing_already_saved(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = demo_store(any_db)
    before = store.events()

    def broken_insert(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT INTO claims", {}, Exception("disk full"))

    monkeypatch.setattr(storage.claims_table, "insert", broken_insert)
    with pytest.raises(sa.exc.OperationalError):
        # replaces MLICM0001 - the delete of the old rows must roll back too
        store.save_events([make_event(event_id_cnty="MLICM0001"), make_event(event_id_cnty="NEW1")])
    assert store.events() == before


def test_killed_process_mid_write_loses_nothing(any_db: str) -> None:
    store = demo_store(any_db)
    before = store.events()
    script = (
        "import os, sqlalchemy as sa\n"
        "from geo import storage\n"
        "from tests.factories import make_event\n"
        "store = storage.Store()\n"
        "with store.engine.begin() as conn:\n"
        "    conn.execute(storage.events_table.delete())\n"
        "    conn.execute(storage.events_table.insert(), [make_event(event_id_cnty='X').acled_row()])\n"
        "    os._exit(9)  # the process dies before commit\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert Store(any_db).events() == before


def test_events_frame_has_acled_columns_and_extensions(any_db: str) -> None:
    frame = events_frame(demo_store(any_db).events())
    assert list(frame.columns[:31]) == list(storage.ACLED_COLUMNS)
    assert {"claims", "abduction", "provenance"} <= set(frame.columns)
    assert frame["fatalities"].sum() == 110


def test_unwritable_location_raises_a_database_error(tmp_path: Path) -> None:
    with pytest.raises(sa.exc.OperationalError):
        open_store(str(tmp_path / "missing-dir" / "x.sqlite"))


def test_events_and_zones_are_saved_in_one_transaction(any_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.io.demo import load_demo_zones

    store = open_store(any_db, seed=False)
    zone = load_demo_zones()[0]

    def broken_insert(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT INTO zone_history", {}, Exception("disk full"))

    monkeypatch.setattr(storage.zone_history_table, "insert", broken_insert)  # the zone write's last insert
    with pytest.raises(sa.exc.OperationalError):
        store.save(events=[make_event()], zones=[zone])
    assert store.count() == 0 and store.zones() == []


def seeded(url: str, n: int = 1200) -> Store:
    """The demo events plus ``n`` events spread over 2024-2025 and the Sahel, some with an abduction or provenance."""
    store = demo_store(url)
    store.save_events([
        make_event(event_id_cnty=f"SYN{i:05d}", event_date=date(2024, 1, 1) + timedelta(days=i % 700),
                   latitude=10 + (i * 7 % 130) / 10, longitude=-12 + (i * 11 % 160) / 10, fatalities=i % 9,
                   abduction={"count": 2, "nationalities": ["CN"], "status": "held"} if i % 5 == 0 else None,
                   provenance=[{"field": "fatalities", "report": f"r{i}.txt", "start": 0, "end": 9}] if i % 3 else [])
        for i in range(n)])
    return store


def in_window(event, start: date, end: date, bbox: tuple[float, float, float, float]) -> bool:  # noqa: ANN001
    west, south, east, north = bbox
    return start <= event.event_date <= end and south <= event.latitude <= north and west <= event.longitude <= east


def test_window_and_bbox_filter_in_sql_as_python_would(any_db: str) -> None:
    store = seeded(any_db)
    everything = store.events()
    start, end, bbox = date(2024, 6, 1), date(2025, 7, 1), (-8.0, 12.5, 0.5, 20.0)
    wanted = [e for e in everything if in_window(e, start, end, bbox)]
    assert 100 < len(wanted) < len(everything) - 100
    assert store.events(start=start, end=end, bbox=bbox) == wanted
    assert store.events(start=start) == [e for e in everything if e.event_date >= start]
    assert store.events(bbox=bbox) == [e for e in everything if in_window(e, date.min, date.max, bbox)]
    frame = store.frame(start=start, end=end, bbox=bbox)
    assert list(frame["event_id_cnty"]) == [e.event_id_cnty for e in wanted]
    full = store.frame()
    expected = full[(full["event_date"] >= "2024-06-01") & (full["event_date"] <= "2025-07-01")
                    & full["latitude"].between(12.5, 20.0) & full["longitude"].between(-8.0, 0.5)]
    pd.testing.assert_frame_equal(frame, expected.reset_index(drop=True))


def test_more_ids_than_sqlite_allows_variables_are_read_in_batches(db_url: str) -> None:
    store = seeded(db_url)

    def at_most_999_variables(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI callback
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # SQLite's limit before 3.32

    sa.event.listen(store.engine, "connect", at_most_999_variables)
    store.engine.dispose()  # new connections get the limit
    everything = store.events()
    ids = [e.event_id_cnty for e in everything[::-1] if not e.event_id_cnty.endswith("7")]
    assert len(ids) > 1000
    wanted = [e for e in everything if e.event_id_cnty in set(ids)]
    asked = [*ids, "NO-SUCH-EVENT", ids[0]]  # unknown and repeated ids are fine
    assert store.events(ids=asked) == wanted  # by date and id, whatever order the ids came in
    assert any(e.abduction for e in wanted) and any(e.provenance for e in wanted) and any(e.claims for e in wanted)
    with pytest.raises(sa.exc.OperationalError, match="too many SQL variables"), store.engine.connect() as conn:
        conn.execute(sa.select(storage.events_table).where(storage.events_table.c.event_id_cnty.in_(ids)))
    frame = store.frame(ids=asked)
    assert list(frame["event_id_cnty"]) == [e.event_id_cnty for e in wanted]
    full = store.frame()
    pd.testing.assert_frame_equal(frame, full[full["event_id_cnty"].isin(ids)].reset_index(drop=True))
    window = store.events(ids=asked, start=date(2025, 1, 1), end=date(2025, 3, 31))
    assert window == [e for e in wanted if date(2025, 1, 1) <= e.event_date <= date(2025, 3, 31)]


def test_no_ids_means_no_events_and_a_bad_box_is_refused(any_db: str) -> None:
    store = demo_store(any_db)
    assert store.events(ids=[]) == [] and store.frame(ids=[]).empty
    assert list(store.frame(ids=[]).columns) == list(store.frame().columns)
    with pytest.raises(ValueError, match="south 20.0 is above north 10.0"):
        store.events(bbox=(-5, 20, 5, 10))


def test_a_box_across_the_antimeridian(any_db: str) -> None:
    store = open_store(any_db, seed=False)
    store.save_events([make_event(event_id_cnty=f"E{lon}", longitude=lon, latitude=-17) for lon in (-179.5, 0, 179.5)])
    assert [e.longitude for e in store.events(bbox=(179, -18, -179, -16))] == [-179.5, 179.5]


def test_every_write_raises_the_data_version_seen_by_another_process(any_db: str) -> None:
    from geo.views import View

    store, other = open_store(any_db, seed=False), Store(any_db)
    versions = [other.data_version()]
    store.save_events([make_event()])
    versions.append(other.data_version())
    store.save_view(View(name="v"))
    versions.append(other.data_version())
    store.delete_view("v")
    versions.append(other.data_version())
    script = ("from geo.storage import Store\nfrom tests.factories import make_event\n"
              "Store().save_events([make_event(event_id_cnty='OTHER1')])\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    versions.append(store.data_version())
    assert versions == sorted(set(versions)), versions  # each write a new, higher version
    assert {e.event_id_cnty for e in store.events()} == {make_event().event_id_cnty, "OTHER1"}


def test_second_edit_of_the_same_zone_is_refused_naming_who_saved_first(any_db: str) -> None:
    from dataclasses import replace

    from geo.io.demo import load_demo_zones

    zone = load_demo_zones()[0]
    open_store(any_db, seed=False).save_zones([zone], author="setup")
    alice, bob = Store(any_db), Store(any_db)  # two sessions open version 1 of the zone
    seen = alice.zone_version(zone.zone_id)
    assert seen.version == bob.zone_version(zone.zone_id).version == 1
    alice.save_zones([replace(zone, status="contested")], expected={zone.zone_id: seen.version}, author="alice")
    with pytest.raises(storage.ZoneConflict, match=rf"zone {zone.zone_id} was saved by alice at \d{{4}}-\d\d-\d\d "
                                                   r"\d\d:\d\d:\d\d UTC \(version 2\) after you opened version 1"):
        bob.save_zones([replace(zone, status="government")], expected={zone.zone_id: seen.version}, author="bob")
    [stored] = [z for z in Store(any_db).zones() if z.zone_id == zone.zone_id]
    assert stored.status == "contested"  # nothing overwritten
    assert [v for v, *_ in alice.zone_history(zone.zone_id)] == [1, 2]
    assert alice.zone_authors(zone.zone_id) == {1: "setup", 2: "alice"}
    bob.save_zones([replace(zone, status="government")], expected={zone.zone_id: 2}, author="bob")  # after a reload
    assert bob.zone_version(zone.zone_id).version == 3 and bob.zone_version(zone.zone_id).saved_by == "bob"
    with pytest.raises(storage.ZoneConflict, match="saved by bob"):  # a "new" zone whose id someone took
        alice.save_zones([zone], expected={zone.zone_id: 0})


def test_events_inside_a_zone_and_zones_frame(any_db: str) -> None:
    store = seeded(any_db, 600)
    zones = store.zones()
    frame = store.zones_frame()
    expected = storage.zones_frame(zones)
    assert set(frame["review_status"]) == {"published"}
    pd.testing.assert_frame_equal(frame.drop(columns=["geometry", "review_status"]), expected.drop(columns="geometry"))
    assert all(a.equals(b) for a, b in zip(frame.geometry, expected.geometry, strict=True))
    from shapely.geometry import Point, shape

    checked = 0
    for zone in zones[:12]:
        polygon = shape(zone.geometry)
        wanted = [e for e in store.events(start=date(2024, 3, 1))
                  if polygon.intersects(Point(e.longitude, e.latitude))]
        assert store.events_in_zone(zone.zone_id, start=date(2024, 3, 1)) == wanted
        checked += len(wanted)
    assert checked > 10
    assert store.events_in_zone("NO-SUCH-ZONE") == []


def test_a_busy_sqlite_database_is_waited_for_then_reported_and_not_corrupted(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    store = open_store(db_url, seed=False)
    store.save_events([make_event(event_id_cnty="FIRST")])
    blocker = sqlite3.connect(db_url, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    done: list[object] = []
    writer = threading.Thread(target=lambda: done.append(store.save_events([make_event(event_id_cnty="WAITED")])))
    writer.start()
    blocker.execute("COMMIT")  # released while the writer waits (or before it starts): it writes either way
    writer.join()
    assert done == [1]
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.2)
    impatient = Store(db_url)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(sa.exc.OperationalError, match="database is locked"):
        impatient.save_events([make_event(event_id_cnty="REFUSED")])
    blocker.execute("ROLLBACK")
    blocker.close()
    assert {e.event_id_cnty for e in Store(db_url).events()} == {"FIRST", "WAITED"}
    with sqlite3.connect(db_url) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
