"""Schema versions: Alembic migrations run on open, unversioned databases adopted, upgrades logged."""
from __future__ import annotations

import logging
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from geo import db
from geo.storage import Store, metadata, open_store
from geo.views import View
from tests.conftest import ROOT
from tests.factories import make_event

OLD_DDL = (Path(__file__).parent / "fixtures" / "schema_before_versions.sql").read_text()

EVENT_ROW = (
    "INSERT INTO events VALUES ('OLD1', '2024-03-02', 2024, 1, 'Political violence', 'Battles', 'Armed clash', "
    "'JNIM', '', 'Rebel group', 'Military Forces of Mali (2021-)', '', 'State forces', 'State forces-Rebel group', "
    "'No', 466, 'Western Africa', 'Mali', 'Mopti', '', '', 'Boulkessi', 15.04, -1.41, 1, 'Old report', 'National', "
    "'An event saved before schema versions.', 7, '', 1709400000)"
)
CLAIM_ROW = ("INSERT INTO claims (event_id_cnty, claimant, claimant_type, metric, value, qualifier) "
             "VALUES ('OLD1', 'JNIM', 'armed group', 'soldiers killed', 20, 'exact')")


def old_file(path: Path, ddl: str = OLD_DDL) -> str:
    """A SQLite file made with ``ddl`` (default: the create_all schema before versions), holding one event."""
    with sqlite3.connect(path) as con:
        con.executescript(ddl)
        con.execute(EVENT_ROW)
        con.execute(CLAIM_ROW)
    con.close()
    return str(path)


def tables(path: str) -> set[str]:
    with sqlite3.connect(path) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    con.close()
    return names


def test_old_database_is_upgraded_on_open_without_losing_its_row(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    path = old_file(tmp_path / "old.sqlite")
    assert db.current(path) is None and "ix_events_lat_lon" not in tables(path)
    with caplog.at_level(logging.INFO, logger="geo.db"):
        store = open_store(path)
    assert db.current(path) == db.head() == "0007"
    assert "ix_events_lat_lon" in tables(path)
    [event] = store.events()  # kept, and not seeded with the demo events
    assert (event.event_id_cnty, event.location, event.fatalities) == ("OLD1", "Boulkessi", 7)
    assert [(c.claimant, c.value) for c in event.claims] == [("JNIM", 20)]
    messages = [r.getMessage() for r in caplog.records if r.name == "geo.db" and r.levelno == logging.INFO]
    assert any("no schema version; its tables match revision 0001: stamped it" in m for m in messages), messages
    assert any(m.endswith("from revision 0001 to 0007") and path in m for m in messages), messages


def test_database_one_revision_behind_is_upgraded_and_logged(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    path = str(tmp_path / "behind.sqlite")
    result = db.upgrade(path, "0001")
    assert (result.before, result.after, result.created) == (None, "0001", True)
    with sqlite3.connect(path) as con:
        con.execute(EVENT_ROW)
    con.close()
    with caplog.at_level(logging.INFO, logger="geo.db"):
        store = open_store(path)
    assert store.schema.before == "0001" and store.schema.after == "0007"
    assert [e.event_id_cnty for e in store.events()] == ["OLD1"]
    assert [r.getMessage() for r in caplog.records if r.name == "geo.db"] == [
        f"Upgraded database sqlite:///{Path(path).resolve()} from revision 0001 to 0007"]


def test_without_auto_upgrade_an_old_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    path = str(tmp_path / "behind.sqlite")
    db.upgrade(path, "0001")
    with pytest.raises(db.SchemaError, match=r"revision 0001, this code needs 0007: run `python -m geo db upgrade`"):
        Store(path, upgrade=False)
    assert db.current(path) == "0001"  # left alone
    db.upgrade(path)
    assert Store(path, upgrade=False).count() == 0


def test_new_database_is_created_at_head_and_seeded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = str(tmp_path / "new.sqlite")
    assert db.current(path) is None and not Path(path).exists()  # asking does not create the file
    with caplog.at_level(logging.INFO, logger="geo.db"):
        store = open_store(path)
    assert store.is_new() and store.count() == 10
    assert db.current(path) == db.head()
    assert any("Created the schema" in r.getMessage() for r in caplog.records if r.name == "geo.db")
    reopened = open_store(path)
    assert not reopened.is_new() and reopened.count() == 10
    assert (reopened.schema.before, reopened.schema.after) == (db.head(), db.head())


def test_upgrade_and_current_functions(tmp_path: Path) -> None:
    path = str(tmp_path / "cli.sqlite")
    first = db.upgrade(path)
    assert first.created and first.after == db.head() == db.current(path)
    again = db.upgrade(path)
    assert (again.before, again.after, again.created, again.adopted) == (db.head(), db.head(), False, False)


def test_migrations_create_exactly_the_model_in_geo_storage(tmp_path: Path) -> None:
    path = str(tmp_path / "head.sqlite")
    db.upgrade(path)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []


def test_baseline_creates_what_create_all_made_before_versions(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.sqlite")
    db.upgrade(path, db.BASELINE)
    with sqlite3.connect(path) as made:
        schema = {r[0]: r[1] for r in made.execute("SELECT name, sql FROM sqlite_master WHERE name != "
                                                     "'alembic_version' AND sql IS NOT NULL")}
    made.close()
    old = sqlite3.connect(":memory:")
    old.executescript(OLD_DDL)
    before = {r[0]: r[1] for r in old.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")}
    old.close()

    def columns(sql: str) -> list[str]:
        return sorted(re.sub(r"\s+", " ", line.strip().rstrip(",")) for line in sql.splitlines()[1:-1])

    assert set(schema) == set(before)
    for name, sql in before.items():
        assert columns(schema[name]) == columns(sql) if sql.startswith("CREATE TABLE") else schema[name] == sql, name


def test_older_file_without_later_tables_and_columns_is_completed(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    """A file from before saved views and zone history: missing tables and nullable columns are added."""
    statements = [s for s in OLD_DDL.split(";") if "zone_history" not in s and "views" not in s]
    ddl = re.sub(r"\n\s*(claimant|evidence|linked_events|kind) [A-Z]+(\(\d+\))?,", "", ";".join(statements))
    path = old_file(tmp_path / "older.sqlite", ddl)
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO control_zones (zone_id, area, status, actor, valid_from, geometry, source) VALUES "
                    "('Z1', 'Kidal', 'control', 'CSP', '2023-11-01', "
                    "'{\"type\": \"Point\", \"coordinates\": [1.4, 18.4]}', 'Old assessment')")
    con.close()
    with caplog.at_level(logging.INFO, logger="geo.db"):
        store = open_store(path)
    assert db.current(path) == db.head()
    [zone] = store.zones()
    assert (zone.zone_id, zone.claimant, zone.kind) == ("Z1", "", "admin1")
    store.save_view(View(name="kept"))
    assert [v.name for v in store.views()] == ["kept"]
    added = next(r.getMessage() for r in caplog.records if "added what revision 0001 has" in r.getMessage())
    assert "views, zone_history, control_zones.claimant" in added and "control_zones.kind" in added


def test_unversioned_database_that_differs_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = str(tmp_path / "other.sqlite")
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE events (event_id_cnty VARCHAR(64) PRIMARY KEY, label TEXT)")
    con.close()
    with pytest.raises(db.SchemaError, match=r"missing required columns events\.event_date"):
        open_store(path)
    assert tables(path) == {"events", "sqlite_autoindex_events_1"}  # nothing added, not stamped


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = old_file(tmp_path / "old.sqlite")
    before = tables(path)
    engine = db.migration_engine(f"sqlite:///{path}")
    with pytest.raises(RuntimeError, match="power cut"), engine.begin() as conn:
        command.stamp(db.config(conn), db.BASELINE)
        command.upgrade(db.config(conn), "head")
        assert "ix_events_lat_lon" in {i["name"] for i in sa.inspect(conn).get_indexes("events")}
        raise RuntimeError("power cut")
    engine.dispose()
    assert tables(path) == before and db.current(path) is None


def test_two_processes_opening_a_new_file_at_once_create_and_seed_it_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.sqlite")
    script = f"from geo.storage import open_store; print(open_store({path!r}).is_new())"
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert sorted(out.strip() for out, _ in outputs) == ["False", "True"]
    assert open_store(path).count() == 10 and db.current(path) == db.head()


def test_store_on_an_in_memory_database_is_created_at_head() -> None:
    store = Store("sqlite://")
    assert store.is_new() and store.schema.after == db.head()
    store.save_events([make_event()])
    assert store.count() == 1


def test_cli_db_upgrade_and_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    path = old_file(tmp_path / "old.sqlite")
    assert main(["--db", path, "db", "current"]) == 0
    assert capsys.readouterr().out == "none\n"
    assert main(["--db", path, "db", "upgrade"]) == 0
    assert capsys.readouterr().out.endswith("old.sqlite: upgraded from revision none to 0007\n")
    assert main(["--db", path, "db", "current"]) == 0
    assert capsys.readouterr().out == "0007 (head)\n"
    assert [e.event_id_cnty for e in Store(path).events()] == ["OLD1"]


def test_revision_files_are_named_after_their_revision_and_head_is_the_newest() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.config())
    for revision in script.walk_revisions():
        assert Path(revision.path).name.startswith(f"{revision.revision}_"), revision.path
    assert db.head() == script.get_current_head()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = str(tmp_path / "head.sqlite")
    db.upgrade(path)
    script = f"import sys; from geo.storage import open_store; open_store({path!r}); print('alembic' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_copy_from_a_missing_file_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    target = tmp_path / "target.sqlite"
    assert main(["db", "copy", str(tmp_path / "missing.sqlite"), str(target)]) == 1
    assert "missing.sqlite: no such database file" in capsys.readouterr().err
    assert not target.exists() and not (tmp_path / "missing.sqlite").exists()


def test_copy_between_sqlite_files_keeps_everything_and_refuses_a_full_target(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    source, target = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    store = open_store(source)
    store.save_view(View(name="slide"))
    assert main(["db", "copy", source, target]) == 0
    out = capsys.readouterr().out
    assert "events               10 rows" in out and "views                 1 rows" in out
    copy = Store(target)
    assert copy.events() == store.events() and copy.zones() == store.zones() and copy.views() == store.views()
    assert main(["db", "copy", source, target]) == 1
    assert "is not empty" in capsys.readouterr().err
