from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from geo import storage
from geo.io.demo import load_demo_events
from geo.storage import Store, database_url, events_frame, open_store
from tests.conftest import ROOT
from tests.factories import make_event


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


def test_round_trip_keeps_extensions(db_url: str) -> None:
    store = open_store(db_url, seed=False)
    event = make_event(abduction={"count": 2, "nationalities": ["CN"], "status": "released"},
                       provenance=[{"field": "fatalities", "report": "r1.txt", "start": 10, "end": 42}])
    store.save_events([event])
    [back] = store.events()
    assert back == event


def test_replace_by_id_does_not_duplicate_children(db_url: str) -> None:
    store = open_store(db_url, seed=False)
    store.save_events([make_event()])
    store.save_events([make_event(fatalities=5)])
    [back] = store.events()
    assert back.fatalities == 5 and len(back.claims) == 1


def test_failed_write_loses_nothing_already_saved(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_url)
    before = store.events()

    def broken_insert(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT INTO claims", {}, Exception("disk full"))

    monkeypatch.setattr(storage.claims_table, "insert", broken_insert)
    with pytest.raises(sa.exc.OperationalError):
        # replaces MLICM0001 - the delete of the old rows must roll back too
        store.save_events([make_event(event_id_cnty="MLICM0001"), make_event(event_id_cnty="NEW1")])
    assert store.events() == before


def test_killed_process_mid_write_loses_nothing(db_url: str) -> None:
    store = open_store(db_url)
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
    assert Store(db_url).events() == before


def test_events_frame_has_acled_columns_and_extensions(db_url: str) -> None:
    frame = events_frame(open_store(db_url).events())
    assert list(frame.columns[:31]) == list(storage.ACLED_COLUMNS)
    assert {"claims", "abduction", "provenance"} <= set(frame.columns)
    assert frame["fatalities"].sum() == 110


def test_unwritable_location_raises_a_database_error(tmp_path: Path) -> None:
    with pytest.raises(sa.exc.OperationalError):
        open_store(str(tmp_path / "missing-dir" / "x.sqlite"))


def test_events_and_zones_are_saved_in_one_transaction(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.io.demo import load_demo_zones

    store = open_store(db_url, seed=False)
    zone = load_demo_zones()[0]

    def broken_insert(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT INTO control_zones", {}, Exception("disk full"))

    monkeypatch.setattr(storage.zones_table, "insert", broken_insert)
    with pytest.raises(sa.exc.OperationalError):
        store.save(events=[make_event()], zones=[zone])
    assert store.count() == 0 and store.zones() == []
