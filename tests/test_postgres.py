"""PostgreSQL with PostGIS: the same migrations, the CLI, PostGIS geometries, copies between backends, and
concurrent writers. A temporary cluster is started by deploy/postgres.sh (tests/conftest.py: ``pg_server``)."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from geo import db
from geo.cases import StatusChange
from geo.io.demo import load_demo_events, load_demo_zones
from geo.storage import Store, copy_database, metadata, open_store
from geo.views import View
from tests.conftest import ROOT, pg_database
from tests.factories import make_event


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", "--db", url, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_cli_upgrades_a_new_postgresql_database_and_the_app_refuses_it_before(pg_server: str) -> None:
    url = pg_database(pg_server, "fresh", migrated=False)
    assert cli("db", "current", url=url).stdout == "none\n"
    refused = cli("export", url=url)
    assert refused.returncode == 1
    assert "is at revision none, this code needs 0007: run `python -m geo db upgrade`" in refused.stderr
    with pytest.raises(db.SchemaError, match="python -m geo db upgrade"):
        open_store(url)
    done = cli("db", "upgrade", url=url)
    assert done.returncode == 0 and done.stdout.endswith("/fresh: upgraded from revision none to 0007\n"), done
    assert cli("db", "current", url=url).stdout == "0007 (head)\n"
    assert cli("db", "upgrade", url=url).stdout.endswith("at revision 0007 already\n")
    exported = cli("export", url=url)  # an upgraded team database starts empty: data comes by import or copy
    assert exported.returncode == 0 and exported.stdout.count("\n") == 1


def test_migrations_make_the_model_plus_gist_indexed_postgis_geometries(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        def ours(obj, name, type_, _reflected, _compare_to) -> bool:  # noqa: ANN001 - Alembic's hook
            postgis = name == "spatial_ref_sys" if type_ == "table" else getattr(obj, "table", None) is not None \
                and obj.table.name == "spatial_ref_sys"
            return not postgis and name not in ("geom", "ix_events_geom", "ix_control_zones_geom")

        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                        "include_object": ours}), metadata)
        assert diff == []
        geometry = dict(conn.execute(sa.text(
            "SELECT f_table_name, type FROM geometry_columns WHERE srid = 4326 AND f_geometry_column = 'geom'")).all())
        indexes = dict(conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('ix_events_geom', 'ix_control_zones_geom')"
        )).all())
    engine.dispose()
    assert geometry == {"events": "POINT", "control_zones": "GEOMETRY"}
    assert set(indexes) == {"ix_events_geom", "ix_control_zones_geom"}
    assert all("USING gist (geom)" in d for d in indexes.values())


def test_geometries_follow_every_write_and_the_bbox_query_uses_postgis(pg_url: str) -> None:
    store = open_store(pg_url, seed=False)
    store.save(events=load_demo_events(), zones=load_demo_zones())
    store.save_events([make_event(event_id_cnty="MOVED", latitude=14.5, longitude=-4.2)])
    store.save_events([make_event(event_id_cnty="MOVED", latitude=16.25, longitude=-0.05)])  # replaced by id
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT ST_AsText(geom) FROM events WHERE event_id_cnty = 'MOVED'")
                            ).scalar_one() == "POINT(-0.05 16.25)"
        assert conn.execute(sa.text("SELECT count(*) FROM control_zones WHERE NOT ST_IsValid(geom) OR geom IS NULL")
                            ).scalar_one() == 0
        plan = "\n".join(conn.execute(sa.text("EXPLAIN SELECT 1 FROM events WHERE geom && "
                                              "ST_MakeEnvelope(-1, 16, 0, 17, 4326)")).scalars())
    assert "geom && " in plan
    assert [e.event_id_cnty for e in store.events(bbox=(-1, 16, 0, 17))] == ["MOVED"]


def test_copy_sqlite_to_postgresql_and_back_loses_nothing(tmp_path: Path, pg_server: str) -> None:
    source = str(tmp_path / "laptop.sqlite")
    store = open_store(source)  # demo events and zones
    store.save_events([make_event(event_id_cnty="EXTRA", abduction={"count": 3, "nationalities": ["FR"],
                                                                   "status": "held"},
                                  provenance=[{"field": "location", "report": "r.txt", "start": 4, "end": 9}])])
    zone = store.zones()[0]
    store.save_zones([replace(zone, status="contested")], author="analyst")
    store.save_view(View(name="Briefing", title="Week 27", notes="wall screen"))
    [case] = store.cases()  # the demo's four workers of 1 July 2025, with news of them
    store.save_case(replace(case, history=(StatusChange("proof_of_life", date(2025, 9, 1), 1, "Test wire"),)))
    fresh = pg_database(pg_server, "copy_target", migrated=False)
    done = cli("db", "copy", source, fresh, url=source)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("copied sqlite:///") and "copy_target" in lines[0]
    counts = {line.split()[0]: int(line.split()[1]) for line in lines[1:]}
    assert counts == {"events": 11, "claims": 17, "abductions": 2, "provenance": 39, "control_zones": 28,
                      "zone_history": 29, "views": 1, "hostage_cases": 1, "hostage_case_history": 1, "imports": 0,
                      "users": 0, "audit": 6}
    back = str(tmp_path / "back.sqlite")
    copy_database(fresh, back)
    again = cli("db", "copy", source, fresh, url=source)
    assert again.returncode == 1 and "is not empty (6 audit, 28 control_zones, 11 events" in again.stderr
    for url in (fresh, back):
        other = Store(url)
        assert other.events() == store.events()
        assert other.zones() == store.zones() and other.views() == store.views()
        assert other.cases() == store.cases() and other.cases()[0].status == "proof_of_life"
        assert other.zone_history(zone.zone_id) == store.zone_history(zone.zone_id)
        assert other.zone_authors(zone.zone_id) == store.zone_authors(zone.zone_id)
        assert other.zone_version(zone.zone_id) == store.zone_version(zone.zone_id)
        assert (other.frame().drop(columns="event_date").equals(store.frame().drop(columns="event_date")))
        other.save_events([make_event(event_id_cnty="AFTER", claims=[{"claimant": "JNIM", "claimant_type":
                                      "armed group", "metric": "soldiers killed", "value": 3, "qualifier": "exact"}])])
        other.dispose()  # the copied ids left room for new claims: the sequences continue after them


def test_concurrent_imports_and_ingests_leave_every_event_exactly_once(tmp_path: Path, pg_server: str,
                                                                      pg_url: str) -> None:
    from bench.synth import write

    acled = write(10_000, tmp_path / "acled.csv")
    report = ROOT / "data" / "reports"
    reports = sorted(p for p in report.iterdir() if p.suffix in (".txt", ".html"))[1:2]
    commands = [["import", str(acled)], ["import", str(acled)],
                ["ingest", "--published", "2025-07-02", *map(str, reports)],
                ["ingest", "--published", "2025-07-02", *map(str, reports)]]
    procs = [subprocess.Popen([sys.executable, "-m", "geo", "--db", pg_url, *c], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outs]
    store = Store(pg_url)
    imported = {line.split(",")[0] for line in acled.read_text().splitlines()[1:]}
    stored = {e.event_id_cnty for e in store.events(statuses=None)}  # the ingests' events are drafts
    assert imported <= stored
    serial = Store(pg_database(pg_server, "serial"))  # the same runs one after another
    for c in commands:
        assert cli(*c, url=serial.url).returncode == 0
    assert {e.event_id_cnty for e in serial.events(statuses=None)} == stored
    assert rows(store)["events"] == rows(serial)["events"] == len(stored)
    # no child row more than one after another would leave: whether the second ingest saw the first's commit
    # decides whether it merged into it, and a merge repeats the report's provenance rows (geo.services)
    at_once, one_by_one = duplicates(store), duplicates(serial)
    assert at_once["claims"] == at_once["abductions"] == one_by_one["claims"] == one_by_one["abductions"] == 0
    assert at_once["provenance"] <= one_by_one["provenance"]


def duplicates(store: Store) -> dict[str, int]:
    """Child rows stored twice for one event (every column but the row id equal)."""
    out = {}
    with store.engine.connect() as conn:
        for name in ("claims", "abductions", "provenance"):
            table = metadata.tables[name]
            columns = [c for c in table.columns if c.name != "id"]
            out[name] = conn.execute(sa.select(sa.func.count()).select_from(
                sa.select(*columns).group_by(*columns).having(sa.func.count() > 1).subquery())).scalar_one()
    return out


def rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables if t.name != "data_version"}
