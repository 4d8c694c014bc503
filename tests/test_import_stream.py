"""Streaming import (geo.io.load): chunks, all or nothing, idempotent, killed mid-way, short errors; both backends."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.errors import ImportFailed
from geo.io.load import ImportSummary, Progress, load_export
from geo.schema import ACLED_COLUMNS
from geo.storage import ID_BATCH, Store, claims_table, imports_table, open_store
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "acled"


def acled_csv(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def synthetic(n: int, start: int = 0) -> list[dict[str, object]]:
    from bench.synth import rows

    return [{**r, "event_id_cnty": f"TSTS{start + i}"} for i, r in enumerate(rows(n))]


def load(store: Store, data: bytes, chunk_rows: int, **kwargs: object) -> ImportSummary:
    return load_export(store, io.BytesIO(data), file_name="test.csv", chunk_rows=chunk_rows, **kwargs)


def demo_store(url: str) -> Store:
    """A store holding the 10 demo events (a new SQLite file is seeded; a migrated PostgreSQL database is not)."""
    from geo.io.demo import load_demo_events

    store = open_store(url)
    if not store.count():
        store.save_events(load_demo_events())
    assert store.count() == 10
    return store


def stored(store: Store) -> dict[str, dict]:
    return {e.event_id_cnty: e.acled_row() for e in store.events()}


def test_a_duplicate_id_straddling_two_chunks_is_rejected_as_in_one_chunk(any_db: str) -> None:
    rows = synthetic(6)
    twin = {**rows[1], "fatalities": 99, "notes": "the same id again"}
    data = acled_csv([*rows[:3], twin, *rows[3:]])  # lines 2-4 | 5 (TSTS1 again) ... with chunks of 3 rows
    store = open_store(any_db, seed=False)
    chunked = load(store, data, chunk_rows=3)
    assert (chunked.rows, chunked.imported, chunked.rejected) == (7, 6, [(5, "event_id_cnty: TSTS1 appears twice "
                                                                            "in the file")])
    events = stored(store)
    assert sorted(events) == sorted(r["event_id_cnty"] for r in rows)
    assert events["TSTS1"]["fatalities"] == rows[1]["fatalities"]  # the first row of the id wins, as in one chunk
    again = load(store, data, chunk_rows=100)  # one chunk: the same result
    assert (again.imported, again.rejected) == (chunked.imported, chunked.rejected) and stored(store) == events


def test_monadic_rows_of_one_event_are_not_split_by_a_chunk_boundary(any_db: str) -> None:
    from geo.io.acled import read_file

    data = (FIXTURES / "monadic_28.csv").read_bytes()
    store = open_store(any_db, seed=False)
    summary = load(store, data, chunk_rows=1)
    assert summary.rejected == [] and summary.imported == 2
    expected = {e.event_id_cnty: e.acled_row() for e in read_file(FIXTURES / "monadic_28.csv").events}
    assert stored(store) == expected and expected["TSTM1"]["actor2"] == "Military Forces of Mali (2002-2012)"


def events_but_timestamp(store: Store) -> list:
    """The stored events, each without ``timestamp``: a UCDP row has none, so each import stamps it with the time."""
    return [replace(e, timestamp=0) for e in store.events()]


def test_reimport_replaces_by_id_and_records_each_import(any_db: str) -> None:
    data = (FIXTURES / "ucdp_ged.csv").read_bytes()  # UCDP: each event has claims (low, best, high)
    store = open_store(any_db, seed=False)
    first = load(store, data, chunk_rows=1, user="analyst@example.org")
    before = (events_but_timestamp(store), store.data_version())
    second = load(store, data, chunk_rows=1, user="analyst@example.org")
    assert first.imported == second.imported == 2 and store.count() == 2
    assert events_but_timestamp(store) == before[0] and store.data_version() == before[1] + 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(claims_table)).scalar_one() == 6  # not 12
        records = conn.execute(sa.select(imports_table).order_by(imports_table.c.id)).mappings().all()
    assert [(r["source"], r["file_name"], r["rows"], r["imported"], r["rejected"], r["user"]) for r in records] == [
        ("ucdp", "test.csv", 2, 2, 0, "analyst@example.org")] * 2
    assert records[0]["sha256"] == hashlib.sha256(data).hexdigest() and records[0]["at"] > 0


def test_rejected_rows_stream_to_the_rejects_file_and_progress_reports_the_rate(any_db: str) -> None:
    rows = synthetic(30)
    for i in (3, 14, 25):
        rows[i]["event_date"] = "not a date"
    store = open_store(any_db, seed=False)
    rejects, seen = io.StringIO(), []
    summary = load(store, acled_csv(rows), chunk_rows=10, rejects=rejects, progress=seen.append)
    assert rejects.getvalue().splitlines() == ["line,reason", *(f"{i + 2},event_date: 'not a date' is not a date"
                                                               for i in (3, 14, 25))]
    assert [p.rows for p in seen] == [10, 20, 30] and all(p.total == 30 and p.rate > 0 for p in seen)
    assert seen[0].eta is not None and seen[0].eta > 0 and "rows/s" in seen[0].text() and "left" in seen[0].text()
    assert (summary.imported, summary.rejected_count, store.count()) == (27, 3, 27)


def test_progress_text() -> None:
    assert (Progress(20_000, 1_000_000, 2.0).text()
            == "20,000 of about 1,000,000 rows · 10,000 rows/s · about 2 min left")
    assert Progress(30, 30, 1.0).text() == "30 of about 30 rows · 30 rows/s"


def test_no_statement_binds_more_than_an_id_batch(any_db: str) -> None:
    """The old importer deleted by one `IN` list of every id (a million `?`): now no statement grows with the file."""
    store = open_store(any_db, seed=False)
    load(store, acled_csv(synthetic(1500)), chunk_rows=1000)
    widest: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, ARG001
        widest.append(statement.count("?") + statement.count("%(") + statement.count("%s"))

    sa.event.listen(store.writer, "before_cursor_execute", count)
    second = load(store, acled_csv(synthetic(1500)), chunk_rows=1000)  # every id replaced: children deleted too
    sa.event.remove(store.writer, "before_cursor_execute", count)
    assert second.imported == 1500 and store.count() == 1500
    assert widest and max(widest) <= ID_BATCH


@pytest.fixture
def refusing(any_db: str) -> Store:
    """A store whose database refuses one event id (a trigger): a real failure in the middle of an import."""
    store = demo_store(any_db)
    with store.writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.event_id_cnty = "
                                 "'TSTS7' THEN RAISE EXCEPTION 'event TSTS7 refused by the test'; END IF; "
                                 "RETURN NEW; END; $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse()")
        else:
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.event_id_cnty = 'TSTS7' "
                                 "BEGIN SELECT RAISE(ABORT, 'event TSTS7 refused by the test'); END")
    return store


def test_a_failure_part_way_saves_nothing_and_says_where_in_a_short_message(refusing: Store) -> None:
    version, before = refusing.data_version(), stored(refusing)
    with pytest.raises(ImportFailed) as failed:
        load(refusing, acled_csv(synthetic(12)), chunk_rows=5)  # TSTS7 is on line 9: the second chunk, lines 7-11
    message = str(failed.value)
    assert message.startswith("test.csv: saving lines 7-11 failed: ") and "refused by the test" in message
    assert "Nothing was saved" in message and len(message) < 300
    assert not any(word in message for word in ("SELECT", "INSERT", "?", "%(", "TSTS1"))
    assert stored(refusing) == before and refusing.data_version() == version
    with refusing.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(imports_table)).scalar_one() == 0


def test_a_csv_that_breaks_part_way_saves_nothing(any_db: str) -> None:
    store = demo_store(any_db)
    data = acled_csv(synthetic(8)) + b'TSTS99,' + b"x" * 140_000 + b"\n"  # beyond the csv module's field limit
    with pytest.raises(ImportFailed) as failed:
        load(store, data, chunk_rows=3)
    assert str(failed.value).startswith(
        "test.csv: reading lines 8-10 failed: line 10: the CSV cannot be read (field larger than field limit")
    assert store.count() == 10


def cli(*args: str, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geo", "--db", url, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "CONFLICTMAP_DB": url})


def test_an_import_killed_mid_way_leaves_the_database_as_it_was(any_db: str, tmp_path: Path) -> None:
    store = demo_store(any_db)
    version, before = store.data_version(), stored(store)
    path = tmp_path / "big.csv"
    path.write_bytes(acled_csv(synthetic(30_000)))
    proc = cli("import", "--chunk-rows", "1000", str(path), url=any_db)
    first = proc.stderr.readline()  # the first chunk is written (inside the import's transaction)
    assert "1,000 of about 30,000 rows" in first and "rows/s" in first, first + proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    again = Store(any_db)
    assert stored(again) == before and again.data_version() == version
    with again.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(imports_table)).scalar_one() == 0
    done = cli("import", str(path), url=any_db)  # nothing is left locked or half-written
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert "30000 events imported" in out and again.count() == 30_010


def test_cli_prints_rows_per_second_and_streams_every_rejection(db_url: str, tmp_path: Path) -> None:
    rows = synthetic(40)
    for i in range(0, 40, 3):
        rows[i]["latitude"] = "north"
    path, rejected = tmp_path / "some_bad.csv", tmp_path / "rejected.csv"
    path.write_bytes(acled_csv(rows))
    proc = cli("import", "--chunk-rows", "10", "--rejected", str(rejected), str(path), url=db_url)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.count("rows/s") == 4 and "40 of about 40 rows" in err
    assert "26 events imported, 14 rows rejected" in out and "rows/s" in out and "... 4 more" in out
    assert len(rejected.read_text(encoding="utf-8").splitlines()) == 15


def test_cli_failure_is_one_short_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(acled_csv(synthetic(5)) + b"X," + b"x" * 140_000 + b"\n")
    proc = cli("import", str(path), url=db_url)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in err
    [line] = [x for x in err.splitlines() if x.startswith("error:")]
    assert "broken.csv: reading" in line and "Nothing was saved" in line and len(line) < 300
