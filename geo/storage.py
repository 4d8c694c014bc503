"""Storage: events and control zones in SQLite (default) or any SQLAlchemy database.

``CONFLICTMAP_DB`` selects the database: a file path (SQLite) or an SQLAlchemy URL.
Every write runs in one transaction, so a failure part-way leaves what was
saved before untouched.  Reads filter by event id, date window and bounding box in SQL.

The tables below are the model at the newest schema revision; the schema itself is made and
upgraded by the Alembic migrations in ``geo/migrations`` (see :mod:`geo.db`) when a store opens.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo import db
from geo.db import DEFAULT_DB as DEFAULT_DB  # re-exported: callers import these from geo.storage
from geo.db import database_url as database_url
from geo.schema import (
    ACLED_COLUMNS,
    Abduction,
    Claim,
    ControlZone,
    Event,
    Provenance,
    ValidationError,
)
from geo.views import View

metadata = sa.MetaData()

_ACLED_TYPES = {
    "event_date": sa.Date, "year": sa.Integer, "time_precision": sa.Integer, "iso": sa.Integer,
    "latitude": sa.Float, "longitude": sa.Float, "geo_precision": sa.Integer,
    "fatalities": sa.Integer, "timestamp": sa.BigInteger, "notes": sa.Text, "source": sa.Text,
}
events_table = sa.Table(
    "events", metadata,
    *[
        sa.Column(c, _ACLED_TYPES.get(c, sa.String(500)), primary_key=(c == "event_id_cnty"),
                  nullable=c in ("assoc_actor_1", "assoc_actor_2", "actor2", "inter2"))
        for c in ACLED_COLUMNS
    ],
    sa.Index("ix_events_date", "event_date"),
    sa.Index("ix_events_lat_lon", "latitude", "longitude"),
)
claims_table = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id_cnty", sa.String(64), sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("claimant", sa.String(200), nullable=False),
    sa.Column("claimant_type", sa.String(50), nullable=False),
    sa.Column("metric", sa.String(200), nullable=False),
    sa.Column("value", sa.Integer),
    sa.Column("qualifier", sa.String(20), nullable=False),
    sa.Column("statement", sa.Text),
    sa.Column("source", sa.String(500)),
)
abductions_table = sa.Table(
    "abductions", metadata,
    sa.Column("event_id_cnty", sa.String(64), sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("count", sa.Integer),
    sa.Column("nationalities", sa.String(500), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
)
provenance_table = sa.Table(
    "provenance", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id_cnty", sa.String(64), sa.ForeignKey("events.event_id_cnty", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("report", sa.String(500), nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
)
zones_table = sa.Table(
    "control_zones", metadata,
    sa.Column("zone_id", sa.String(64), primary_key=True),
    sa.Column("area", sa.String(200), nullable=False),
    sa.Column("status", sa.String(50), nullable=False),
    sa.Column("actor", sa.String(200)),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),
    sa.Column("geometry", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("notes", sa.Text),
    sa.Column("claimant", sa.String(500)),
    sa.Column("evidence", sa.Text),
    sa.Column("linked_events", sa.Text),
    sa.Column("kind", sa.String(20)),
)
zone_history_table = sa.Table(
    "zone_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("zone_id", sa.String(64), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.BigInteger, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("data", sa.Text, nullable=False),
)


views_table = sa.Table(
    "views", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)


def _write_events(conn: sa.Connection, events: list[Event], replace: bool) -> None:
    ids = [e.event_id_cnty for e in events]
    if replace and ids:
        for table in (claims_table, abductions_table, provenance_table, events_table):
            conn.execute(table.delete().where(table.c.event_id_cnty.in_(ids)))
    if events:
        conn.execute(events_table.insert(), [e.acled_row() for e in events])
    claims = [dict(asdict(c), event_id_cnty=e.event_id_cnty) for e in events for c in e.claims]
    if claims:
        conn.execute(claims_table.insert(), claims)
    abductions = [
        {"event_id_cnty": e.event_id_cnty, "count": e.abduction.count,
         "nationalities": ";".join(e.abduction.nationalities), "status": e.abduction.status}
        for e in events if e.abduction is not None
    ]
    if abductions:
        conn.execute(abductions_table.insert(), abductions)
    prov = [dict(asdict(p), event_id_cnty=e.event_id_cnty) for e in events for p in e.provenance]
    if prov:
        conn.execute(provenance_table.insert(), prov)


def _zone_row(zone: ControlZone) -> dict:
    return {**asdict(zone), "geometry": json.dumps(zone.geometry),
            "linked_events": json.dumps(list(zone.linked_events))}


def _zone_from_row(row: Mapping) -> ControlZone:
    data = dict(row)
    data["geometry"] = json.loads(data["geometry"])
    data["linked_events"] = tuple(json.loads(data.get("linked_events") or "[]"))
    for key in ("claimant", "evidence", "notes"):
        data[key] = data.get(key) or ""
    data["kind"] = data.get("kind") or "admin1"
    return ControlZone(**{k: data[k] for k in ControlZone.__dataclass_fields__})


def _write_zones(conn: sa.Connection, zones: list[ControlZone], note: str = "") -> None:
    """Replace zones by id, keeping every saved version in ``zone_history``."""
    import time

    rows = [_zone_row(z) for z in zones]
    if not rows:
        return
    ids = [r["zone_id"] for r in rows]
    conn.execute(zones_table.delete().where(zones_table.c.zone_id.in_(ids)))
    conn.execute(zones_table.insert(), rows)
    latest = dict(conn.execute(sa.select(zone_history_table.c.zone_id, sa.func.max(zone_history_table.c.version))
                               .where(zone_history_table.c.zone_id.in_(ids))
                               .group_by(zone_history_table.c.zone_id)).all())
    now = int(time.time())
    conn.execute(zone_history_table.insert(), [
        {"zone_id": r["zone_id"], "version": (latest.get(r["zone_id"]) or 0) + 1, "saved_at": now, "note": note,
         "data": json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()})}
        for r in rows])


ID_BATCH = 500  # ids per IN list: far below SQLite's limit on bound variables (999 before 3.32)
BBox = tuple[float, float, float, float]  # west, south, east, north in degrees (geopandas' total_bounds order)


def _conditions(start: date | None, end: date | None, bbox: BBox | None) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses on the events table for a date window (both days included) and a bounding box."""
    c = events_table.c
    where = []
    if start is not None:
        where.append(c.event_date >= start)
    if end is not None:
        where.append(c.event_date <= end)
    if bbox is not None:
        west, south, east, north = (float(v) for v in bbox)
        if south > north:
            raise ValueError(f"bounding box {bbox}: south {south} is above north {north}")
        where.append(c.latitude.between(south, north))
        # west > east: the box crosses the antimeridian
        where.append(c.longitude.between(west, east) if west <= east else sa.or_(c.longitude >= west,
                                                                                  c.longitude <= east))
    return where


def _batches(ids: Iterable[str] | None, where: list) -> Iterator[list]:
    """``where`` as is, or with one batch of at most :data:`ID_BATCH` ids at a time (no ids: matches nothing)."""
    if ids is None:
        yield where
        return
    unique = list(dict.fromkeys(ids))
    if not unique:
        yield [*where, sa.false()]
    for i in range(0, len(unique), ID_BATCH):
        yield [*where, events_table.c.event_id_cnty.in_(unique[i:i + ID_BATCH])]


def _of_events(table: sa.Table, where: list) -> sa.Select:
    """The rows of a child table (claims, abductions, provenance) whose events match ``where``."""
    query = sa.select(table)
    if where:
        query = query.where(table.c.event_id_cnty.in_(sa.select(events_table.c.event_id_cnty).where(*where)))
    return query


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI callback
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """Events and control zones in one database; every write is one transaction.

    Opening a store brings its schema to the newest revision: a new database is created and an
    old one upgraded (logged at INFO by :mod:`geo.db`).  ``upgrade`` defaults to doing so on
    SQLite only; elsewhere (``upgrade=False``) a database that is not at the newest revision
    raises :class:`geo.db.SchemaError` naming ``python -m geo db upgrade``.
    """

    def __init__(self, url: str | None = None, *, upgrade: bool | None = None) -> None:
        self.url = database_url(url)
        self.engine: Engine = sa.create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        auto = self.engine.dialect.name == "sqlite" if upgrade is None else upgrade
        self.schema: db.Upgrade = db.prepare(self.engine, auto_upgrade=auto)

    # -- setup ---------------------------------------------------------
    def is_new(self) -> bool:
        """True when opening this store created the schema: the database was new (or empty)."""
        return self.schema.created

    def create(self) -> None:
        """Bring the schema to the newest revision (nothing to do when it is there already)."""
        db.prepare(self.engine, auto_upgrade=True)

    # -- writes --------------------------------------------------------
    def save_events(self, events: Iterable[Event], *, replace: bool = True) -> int:
        """Insert (or replace, by ``event_id_cnty``) events and their extensions in one transaction."""
        return self.save(events=events, replace=replace)[0]

    def save_zones(self, zones: Iterable[ControlZone]) -> int:
        """Insert or replace control zones in one transaction."""
        return self.save(zones=zones)[1]

    def save(self, *, events: Iterable[Event] = (), zones: Iterable[ControlZone] = (),
             replace: bool = True, note: str = "") -> tuple[int, int]:
        """Save events and control zones together in one transaction; returns how many of each.

        Every saved zone version is kept in the zone history, with ``note``.
        """
        events, zones = list(events), list(zones)
        with self.engine.begin() as conn:
            _write_events(conn, events, replace)
            _write_zones(conn, zones, note)
        return len(events), len(zones)

    def zone_history(self, zone_id: str) -> list[tuple[int, int, str, ControlZone]]:
        """Every saved version of a zone, oldest first: (version, saved_at, note, zone)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(zone_history_table).where(zone_history_table.c.zone_id == zone_id)
                                .order_by(zone_history_table.c.version)).mappings().all()
        out = []
        for r in rows:
            data = json.loads(r["data"])  # a stored row: geometry and linked events are JSON text
            data["valid_from"] = date.fromisoformat(data["valid_from"])
            data["valid_to"] = date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None
            out.append((r["version"], r["saved_at"], r["note"] or "", _zone_from_row(data)))
        return out

    # -- reads ---------------------------------------------------------
    def events(self, ids: Iterable[str] | None = None, *, start: date | None = None, end: date | None = None,
               bbox: BBox | None = None) -> list[Event]:
        """Stored events with claims, abduction and provenance, ordered by date and id.

        ``ids`` limits them to those event ids (any number: they are sent in batches);
        ``start``/``end`` to a date window, both days included; ``bbox`` to a bounding box
        ``(west, south, east, north)`` in degrees, edges included.  All filtering runs in SQL.
        """
        rows: list[Mapping] = []
        claims: dict[str, list[Claim]] = {}
        abductions: dict[str, Abduction] = {}
        prov: dict[str, list[Provenance]] = {}
        batches = 0
        with self.engine.connect() as conn:
            for where in _batches(ids, _conditions(start, end, bbox)):
                batches += 1
                rows += conn.execute(sa.select(events_table).where(*where).order_by(
                    events_table.c.event_date, events_table.c.event_id_cnty)).mappings().all()
                for r in conn.execute(_of_events(claims_table, where).order_by(claims_table.c.id)).mappings():
                    claims.setdefault(r["event_id_cnty"], []).append(
                        Claim(**{k: r[k] for k in Claim.__dataclass_fields__}))
                for r in conn.execute(_of_events(abductions_table, where)).mappings():
                    abductions[r["event_id_cnty"]] = Abduction(
                        count=r["count"], nationalities=tuple(n for n in r["nationalities"].split(";") if n),
                        status=r["status"])
                for r in conn.execute(_of_events(provenance_table, where).order_by(provenance_table.c.id)).mappings():
                    prov.setdefault(r["event_id_cnty"], []).append(
                        Provenance(**{k: r[k] for k in Provenance.__dataclass_fields__}))
        if batches > 1:
            rows.sort(key=lambda r: (r["event_date"], r["event_id_cnty"]))
        return [
            Event(
                **{c: r[c] if r[c] is not None else "" for c in ACLED_COLUMNS},
                claims=tuple(claims.get(r["event_id_cnty"], ())),
                abduction=abductions.get(r["event_id_cnty"]),
                provenance=tuple(prov.get(r["event_id_cnty"], ())),
            )
            for r in rows
        ]

    # -- saved views ---------------------------------------------------------
    def save_view(self, view: View) -> None:
        """Insert or replace a named view (its ``position`` orders the briefing's slides)."""
        if not view.name.strip():
            raise ValidationError("name", "a saved view needs a name")
        with self.engine.begin() as conn:
            conn.execute(views_table.delete().where(views_table.c.name == view.name))
            conn.execute(views_table.insert(), [{"name": view.name, "position": view.position,
                                                 "data": view.to_json()}])

    def views(self) -> list[View]:
        """Saved views in slide order."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(views_table).order_by(views_table.c.position, views_table.c.name))
            return [View.from_json(r.data) for r in rows]

    def delete_view(self, name: str) -> None:
        """Forget a saved view."""
        with self.engine.begin() as conn:
            conn.execute(views_table.delete().where(views_table.c.name == name))

    def frame(self, ids: Iterable[str] | None = None, *, start: date | None = None, end: date | None = None,
              bbox: BBox | None = None) -> pd.DataFrame:
        """The events as a DataFrame (ACLED columns plus ``claims`` and ``abduction``), read in bulk.

        The same shape as :func:`events_frame`, without building an :class:`Event`
        per row: fast enough for 100,000 events.  ``ids``, ``start``, ``end`` and ``bbox``
        filter in SQL as in :meth:`events`; without them every event is read.
        """
        parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
        with self.engine.connect() as conn:
            for where in _batches(ids, _conditions(start, end, bbox)):
                parts.append((
                    pd.read_sql(sa.select(events_table).where(*where).order_by(
                        events_table.c.event_date, events_table.c.event_id_cnty), conn),
                    pd.read_sql(_of_events(claims_table, where).order_by(claims_table.c.id), conn),
                    pd.read_sql(_of_events(abductions_table, where), conn)))
        if len(parts) == 1:
            [(frame, claims, abductions)] = parts
        else:
            frame, claims, abductions = (pd.concat(p, ignore_index=True) for p in zip(*parts, strict=True))
            frame = frame.sort_values(["event_date", "event_id_cnty"], ignore_index=True)
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        for col in ("assoc_actor_1", "assoc_actor_2", "actor2", "inter2"):
            frame[col] = frame[col].fillna("")
        by_event: dict[str, list[dict]] = {}
        fields = [f for f in Claim.__dataclass_fields__]
        for record in claims[["event_id_cnty", *fields]].to_dict("records"):
            event_id = record.pop("event_id_cnty")
            if record["value"] is not None and pd.notna(record["value"]):
                record["value"] = int(record["value"])
            else:
                record["value"] = None
            by_event.setdefault(event_id, []).append(record)
        frame["claims"] = [by_event.get(i, []) for i in frame["event_id_cnty"]]
        taken = {r["event_id_cnty"]: {"count": None if pd.isna(r["count"]) else int(r["count"]),
                                      "nationalities": tuple(n for n in r["nationalities"].split(";") if n),
                                      "status": r["status"]}
                 for r in abductions.to_dict("records")}
        frame["abduction"] = [taken.get(i) for i in frame["event_id_cnty"]]
        return frame

    def zones(self) -> list[ControlZone]:
        """Every stored control-zone assessment, ordered by area and start date."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(zones_table).order_by(
                zones_table.c.area, zones_table.c.valid_from)).mappings().all()
        return [_zone_from_row(r) for r in rows]

    def count(self) -> int:
        """Number of stored events."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(events_table)).scalar_one()


def open_store(url: str | None = None, *, seed: bool = True) -> Store:
    """Open the store; a new database is created and, if ``seed``, loaded with the demo data."""
    from geo.io.demo import load_demo_events, load_demo_zones

    store = Store(url)
    if store.is_new() and seed:
        store.save(events=load_demo_events(), zones=load_demo_zones())
    return store


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    """A DataFrame with the ACLED columns plus ``claims``, ``abduction`` and ``provenance``."""
    records = []
    for e in events:
        row = e.acled_row()
        row["claims"] = [asdict(c) for c in e.claims]
        row["abduction"] = asdict(e.abduction) if e.abduction else None
        row["provenance"] = [asdict(p) for p in e.provenance]
        records.append(row)
    frame = pd.DataFrame.from_records(records, columns=[*ACLED_COLUMNS, "claims", "abduction", "provenance"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def zones_frame(zones: Sequence[ControlZone]) -> pd.DataFrame:
    """A GeoDataFrame (EPSG:4326) of control-zone assessments."""
    import geopandas as gpd
    from shapely.geometry import shape

    records = [{k: v for k, v in asdict(z).items() if k != "geometry"} for z in zones]
    geoms = [shape(z.geometry) for z in zones]
    frame = gpd.GeoDataFrame(
        pd.DataFrame.from_records(records, columns=[f for f in ControlZone.__dataclass_fields__ if f != "geometry"]),
        geometry=geoms, crs="EPSG:4326")
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["valid_to"] = pd.to_datetime(frame["valid_to"])
    return frame

