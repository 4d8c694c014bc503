"""Storage: events and control zones in SQLite (default) or PostgreSQL with PostGIS.

``CONFLICTMAP_DB`` selects the database: a file path (SQLite) or an SQLAlchemy URL
(``postgresql+psycopg://user@host/db`` for a team server).  Every write runs in one
transaction, so a failure part-way leaves what was saved before untouched, and bumps the
database's data version (:meth:`Store.data_version`), which app processes compare to know
whether another process saved something.  Reads filter by event id, date window and bounding
box in SQL; on PostgreSQL the bounding box and "events inside a zone" use PostGIS geometries
and their GiST indexes.

Concurrent writers: events are upserted by id, in id order, so writers saving the same events
at once end with each event once; a zone saved with the version it was edited from is refused
(:class:`ZoneConflict`) when someone saved it since.  On SQLite a write takes the database's
write lock at its start (``BEGIN IMMEDIATE``) and waits up to :data:`BUSY_TIMEOUT` seconds for it.

The tables below are the model at the newest schema revision; the schema itself is made and
upgraded by the Alembic migrations in ``geo/migrations`` (see :mod:`geo.db`) when a store opens.
"""
from __future__ import annotations

import getpass
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from geo.cases import Case

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
    # issue 13 (migration 0006): review status, who reviewed it, and the event's version for edit conflicts
    sa.Column("review_status", sa.String(20), nullable=False, server_default="published"),
    sa.Column("reviewed_by", sa.String(320)),
    sa.Column("reviewed_at", sa.BigInteger),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("saved_by", sa.String(320)),
    sa.Column("saved_at", sa.BigInteger),
    # the map's grouped reads use this index alone (migration 0007; geo.query); a date window uses its prefix
    sa.Index("ix_events_map", "event_date", "review_status", "latitude", "longitude", "sub_event_type", "fatalities"),
    sa.Index("ix_events_lat_lon", "latitude", "longitude"),
    sa.Index("ix_events_review_status", "review_status"),
)
EVENT_STATE_COLUMNS = ("review_status", "reviewed_by", "reviewed_at", "version", "saved_by", "saved_at")
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
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("saved_by", sa.String(200)),
    sa.Column("saved_at", sa.BigInteger),
    sa.Column("review_status", sa.String(20), nullable=False, server_default="published"),
    sa.Column("reviewed_by", sa.String(320)),
    sa.Column("reviewed_at", sa.BigInteger),
)
zone_history_table = sa.Table(
    "zone_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("zone_id", sa.String(64), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.BigInteger, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("saved_by", sa.String(200)),
)


views_table = sa.Table(
    "views", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)
# Hostage cases (geo.cases): the case as JSON, its current status and date kept as columns to sort and filter
cases_table = sa.Table(
    "hostage_cases", metadata,
    sa.Column("case_id", sa.String(100), primary_key=True),
    sa.Column("event_id_cnty", sa.String(100)),
    sa.Column("taken", sa.Date),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)
case_history_table = sa.Table(
    "hostage_case_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(100), nullable=False, index=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("happened", sa.Date),
    sa.Column("time_precision", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text),
    sa.Column("people", sa.Integer),
)
# One row per imported file (migration 0005): written by geo.io.load in the import's own transaction
imports_table = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("imported", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("user", sa.String(200)),
    sa.Column("at", sa.BigInteger, nullable=False),
)
# Sign-in roles (issue 13, migration 0006): a signed-in user the table does not name is a viewer
users_table = sa.Table(
    "users", metadata,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("added_by", sa.String(320)),
    sa.Column("added_at", sa.BigInteger, nullable=False),
)
# The audit trail: one row per change, append-only (the migration's triggers refuse UPDATE and DELETE)
audit_table = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("user", sa.String(320), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("object_id", sa.String(200)),
    sa.Column("reason", sa.Text),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
    sa.Index("ix_audit_object", "kind", "object_id"),
    sa.Index("ix_audit_at", "at"),
    sa.Index("ix_audit_user", "user"),
)
data_version_table = sa.Table(
    "data_version", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("changed_at", sa.BigInteger, nullable=False),
)



@cache
def _geom(table: str) -> sa.ColumnElement:
    """``events.geom`` or ``control_zones.geom``, GeoAlchemy2 geometries on PostgreSQL only.

    Made by migration 0003 and generated by the database from the coordinates and the GeoJSON: not in
    ``metadata``, so SQLite's schema and every insert stay as they are (and GeoAlchemy2 is imported only here).
    """
    from geoalchemy2 import Geometry

    kind = "POINT" if table == "events" else "GEOMETRY"
    return sa.literal_column(f"{table}.geom", type_=Geometry(kind, srid=4326))

BUSY_TIMEOUT = 10  # seconds a SQLite writer waits for another's write lock before "database is locked"


REVIEW_STATUSES = ("draft", "published", "retracted")
PUBLISHED: tuple[str, ...] = ("published",)
WITH_DRAFTS: tuple[str, ...] = ("published", "draft")
Statuses = Sequence[str] | None  # the review statuses a read returns; None: every status


def when_text(seconds: int | None) -> str:
    """A stored time (seconds since the epoch) as people read it, in UTC."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if seconds else "an unknown time"


class EditConflict(ValidationError):
    """An event or zone was saved by someone else since the version an edit started from: nothing was saved."""

    kind = "item"

    def __init__(self, object_id: str, expected: int, version: int, saved_by: str | None,
                 saved_at: int | None) -> None:
        super().__init__("version", f"{self.kind} {object_id} was saved by {saved_by or 'someone'} at "
                                    f"{when_text(saved_at)} (version {version}) after you opened version {expected}; "
                                    f"nothing was saved: reload the {self.kind} and apply your edit again")
        self.object_id, self.expected, self.version, self.saved_by, self.saved_at = (
            object_id, expected, version, saved_by, saved_at)


class ZoneConflict(EditConflict):
    """A zone was saved by someone else since the version an edit started from: nothing was saved."""

    kind = "zone"

    @property
    def zone_id(self) -> str:
        """The zone's id."""
        return self.object_id


class EventConflict(EditConflict):
    """An event was saved by someone else since the version an edit or review started from: nothing was saved."""

    kind = "event"

    @property
    def event_id(self) -> str:
        """The event's id."""
        return self.object_id


@dataclass(frozen=True)
class ReviewState:
    """A stored event's or zone's review status and version, and who saved and reviewed it when."""

    status: str
    version: int
    saved_by: str | None
    saved_at: int | None
    reviewed_by: str | None = None
    reviewed_at: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail: who did what to which object, when, why, and the values before and after."""

    id: int
    at: int
    user: str
    action: str
    kind: str
    object_id: str | None
    reason: str
    before: dict | None
    after: dict | None


@dataclass(frozen=True)
class ZoneVersion:
    """A stored zone's version, and who saved it when (seconds since the epoch)."""

    version: int
    saved_by: str | None
    saved_at: int | None


def clock() -> int:
    """Now, in whole seconds since the epoch: the time every write and audit row records."""
    return int(time.time())


def default_author() -> str:
    """Who saves, when the caller does not say: ``$CONFLICTMAP_USER``, else the login name."""
    try:
        return os.environ.get("CONFLICTMAP_USER") or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's anonymous uid)
        return "unknown"


def _insert(conn: sa.Connection) -> Callable[[sa.Table], sa.Insert] | None:
    """The dialect's INSERT construct with ON CONFLICT (PostgreSQL, SQLite), else None."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        return None
    return insert


def _in_batches(conn: sa.Connection, statement_for: Callable[[list[str]], sa.Executable], ids: list[str]) -> None:
    for i in range(0, len(ids), ID_BATCH):
        conn.execute(statement_for(ids[i:i + ID_BATCH]))


def _bump(conn: sa.Connection) -> None:
    """Mark the data as changed; the last statement of every write (its row lock is held only until commit)."""
    conn.execute(data_version_table.update().where(data_version_table.c.id == 1).values(
        version=data_version_table.c.version + 1, changed_at=int(time.time())))


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _audit(conn: sa.Connection, rows: list[dict]) -> None:
    """Append rows to the audit trail (in the caller's transaction): who, when, action, kind, id, reason, JSON."""
    if rows:
        conn.execute(audit_table.insert(), [
            {**r, "reason": r.get("reason") or None, "before": _json(r.get("before")), "after": _json(r.get("after"))}
            for r in rows])


def record(conn: sa.Connection, *, user: str, action: str, kind: str, object_id: str | None = None,
           reason: str = "", before: object = None, after: object = None) -> None:
    """Append one row to the audit trail in the caller's transaction (e.g. one row for a whole import)."""
    _audit(conn, [{"at": clock(), "user": user, "action": action, "kind": kind, "object_id": object_id,
                   "reason": reason, "before": before, "after": after}])


def event_record(event: Event, status: str, version: int | None = None) -> dict:
    """An event as the audit trail keeps it: every field (claims, abduction, provenance), its status and version."""
    return {"event": event.to_dict(), "review_status": status, "version": version}


def event_from_record(record: Mapping) -> Event:
    """The event an :func:`event_record` holds."""
    data = dict(record["event"])
    data["event_date"] = date.fromisoformat(data["event_date"]) if data.get("event_date") else None
    abduction = data.get("abduction")
    return Event(**{c: data[c] for c in ACLED_COLUMNS},
                 claims=tuple(Claim(**c) for c in data.get("claims") or ()),
                 abduction=Abduction(count=abduction["count"], nationalities=tuple(abduction["nationalities"]),
                                     status=abduction["status"]) if abduction else None,
                 provenance=tuple(Provenance(**p) for p in data.get("provenance") or ()))


def zone_record(zone: ControlZone, status: str, version: int | None = None) -> dict:
    """A zone as the audit trail keeps it: every field, its review status and version."""
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(zone).items()}
    data["linked_events"] = list(zone.linked_events)
    return {"zone": data, "review_status": status, "version": version}


def zone_from_record(record: Mapping) -> ControlZone:
    """The zone a :func:`zone_record` holds."""
    data = dict(record["zone"])
    data["valid_from"] = date.fromisoformat(data["valid_from"])
    data["valid_to"] = date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None
    data["linked_events"] = tuple(data.get("linked_events") or ())
    return ControlZone(**{k: data[k] for k in ControlZone.__dataclass_fields__ if k in data})


def _state(row: Mapping) -> ReviewState:
    return ReviewState(row["review_status"] or "published", row["version"] or 1, row["saved_by"], row["saved_at"],
                       row["reviewed_by"], row["reviewed_at"])


def _event_states(conn: sa.Connection, ids: list[str], *, lock: bool = False) -> dict[str, ReviewState]:
    c = events_table.c
    out: dict[str, ReviewState] = {}
    for i in range(0, len(ids), ID_BATCH):
        query = sa.select(c.event_id_cnty, *[c[k] for k in EVENT_STATE_COLUMNS]).where(
            c.event_id_cnty.in_(ids[i:i + ID_BATCH]))
        if lock:  # PostgreSQL: held until commit, so the check and the write are one step (SQLite: BEGIN IMMEDIATE)
            query = query.order_by(c.event_id_cnty).with_for_update()
        out.update({r["event_id_cnty"]: _state(r) for r in conn.execute(query).mappings()})
    return out


def _check(conflict: type[EditConflict], expected: Mapping[str, int] | None, current: Mapping[str, ReviewState],
           ids: Iterable[str]) -> None:
    """Raise ``conflict`` for the first id whose stored version is not the one the edit started from (0: new)."""
    wanted = set(ids)
    for object_id, version in sorted((expected or {}).items()):
        if object_id not in wanted:
            continue
        stored = current.get(object_id)
        if (stored.version if stored else 0) != version:
            raise conflict(object_id, version, stored.version if stored else 0, stored and stored.saved_by,
                           stored and stored.saved_at)


@dataclass(frozen=True)
class WriteInfo:
    """Who writes, when, with which review status and why; ``each``: one audit row per object (else one in all)."""

    who: str
    now: int
    status: str = "published"
    action: str = "save"
    reason: str = ""
    reviewed: bool = False  # the write is a review (publish, edit and publish, retract): reviewed_by/at are set
    each: bool = True


def _write_events(conn: sa.Connection, events: list[Event], replace: bool, info: WriteInfo,
                  expected: Mapping[str, int] | None = None) -> None:
    if replace:  # the last of several events with one id wins; id order, so concurrent writers never deadlock
        events = sorted({e.event_id_cnty: e for e in events}.values(), key=lambda e: e.event_id_cnty)
    ids = [e.event_id_cnty for e in events]
    insert = _insert(conn)
    before: dict[str, tuple[Event, ReviewState]] = {}
    current: dict[str, ReviewState] = {}
    if ids and (info.each or expected or insert is None):
        current = _event_states(conn, ids, lock=True)
        _check(EventConflict, expected, current, ids)
        if info.each and current:
            before = {e.event_id_cnty: (e, s) for e, s in _read_events(conn, _batches(list(current), []))}
    state = {"review_status": info.status, "saved_by": info.who, "saved_at": info.now,
             "reviewed_by": info.who if info.reviewed else None, "reviewed_at": info.now if info.reviewed else None}
    rows = [{**e.acled_row(), **state, "version": 1} for e in events]
    if replace and ids and insert is not None:
        # upsert first: it waits for a concurrent writer of the same events, whose children the deletes below
        # then see (each statement reads what was committed before it started)
        stmt = insert(events_table)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[events_table.c.event_id_cnty],
            set_={**{c.name: stmt.excluded[c.name] for c in events_table.columns if not c.primary_key},
                  "version": events_table.c.version + 1}), rows)
        for table in (claims_table, abductions_table, provenance_table):
            _in_batches(conn, lambda batch, t=table: t.delete().where(t.c.event_id_cnty.in_(batch)), ids)
    else:
        if replace and ids:
            for table in (claims_table, abductions_table, provenance_table, events_table):
                _in_batches(conn, lambda batch, t=table: t.delete().where(t.c.event_id_cnty.in_(batch)), ids)
        if events:
            conn.execute(events_table.insert(), [
                {**r, "version": current[r["event_id_cnty"]].version + 1 if r["event_id_cnty"] in current else 1}
                for r in rows])
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
    if info.each:
        audit = []
        for e in events:
            old = before.get(e.event_id_cnty)
            audit.append({"at": info.now, "user": info.who, "action": info.action, "kind": "event",
                          "object_id": e.event_id_cnty, "reason": info.reason,
                          "before": event_record(old[0], old[1].status, old[1].version) if old else None,
                          "after": event_record(e, info.status, old[1].version + 1 if old else 1)})
        _audit(conn, audit)


def _zone_row(zone: ControlZone) -> dict:  # the ControlZone's fields as stored
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


def _zone_states(conn: sa.Connection, ids: list[str], *, lock: bool = False) -> dict[str, ReviewState]:
    c = zones_table.c
    out: dict[str, ReviewState] = {}
    for i in range(0, len(ids), ID_BATCH):
        query = sa.select(c.zone_id, c.review_status, c.version, c.saved_by, c.saved_at, c.reviewed_by,
                          c.reviewed_at).where(c.zone_id.in_(ids[i:i + ID_BATCH]))
        if lock:  # PostgreSQL: held until commit, so the check and the write are one step (SQLite: BEGIN IMMEDIATE)
            query = query.order_by(c.zone_id).with_for_update()
        out.update({r["zone_id"]: _state(r) for r in conn.execute(query).mappings()})
    return out


def _zone_versions(conn: sa.Connection, ids: list[str], *, lock: bool = False) -> dict[str, ZoneVersion]:
    return {i: ZoneVersion(s.version, s.saved_by, s.saved_at) for i, s in _zone_states(conn, ids, lock=lock).items()}


def _write_zones(conn: sa.Connection, zones: list[ControlZone], info: WriteInfo, note: str = "",
                 expected: Mapping[str, int] | None = None) -> None:
    """Save zones by id, each a new version kept in ``zone_history`` (and, with ``info.each``, in the audit trail).

    ``expected`` maps zone ids to the version an edit started from (0: a new zone); when the stored
    version differs, :class:`ZoneConflict` is raised and the transaction rolls back.
    """
    by_id = {z.zone_id: _zone_row(z) for z in zones}
    if not by_id:
        return
    zone_of = {z.zone_id: z for z in zones}
    ids = sorted(by_id)
    now, who = info.now, info.who
    current = _zone_states(conn, ids, lock=True)
    _check(ZoneConflict, expected, current, ids)
    before = {}
    if info.each and current:
        with_rows = conn.execute(sa.select(zones_table).where(zones_table.c.zone_id.in_(list(current)))).mappings()
        before = {r["zone_id"]: _zone_from_row(r) for r in with_rows}
    state = {"review_status": info.status, "reviewed_by": who if info.reviewed else None,
             "reviewed_at": now if info.reviewed else None}
    rows = [{**by_id[i], **state, "version": 1, "saved_by": who, "saved_at": now} for i in ids]
    insert = _insert(conn)
    if insert is not None:
        stmt = insert(zones_table)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[zones_table.c.zone_id],
            set_={**{c.name: stmt.excluded[c.name] for c in zones_table.columns if not c.primary_key},
                  "version": zones_table.c.version + 1}), rows)
    else:
        conn.execute(zones_table.delete().where(zones_table.c.zone_id.in_(ids)))
        conn.execute(zones_table.insert(), [{**r, "version": (current[r["zone_id"]].version + 1
                                                               if r["zone_id"] in current else 1)} for r in rows])
    saved = _zone_versions(conn, ids)
    conn.execute(zone_history_table.insert(), [
        {"zone_id": i, "version": saved[i].version, "saved_at": now, "note": note, "saved_by": who,
         "data": json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in by_id[i].items()})}
        for i in ids])
    if info.each:
        _audit(conn, [{"at": now, "user": who, "action": info.action, "kind": "zone", "object_id": i,
                       "reason": info.reason or note,
                       "before": zone_record(before[i], current[i].status, current[i].version) if i in before else None,
                       "after": zone_record(zone_of[i], info.status, saved[i].version)} for i in ids])


ID_BATCH = 500  # ids per IN list: far below SQLite's limit on bound variables (999 before 3.32)
BBox = tuple[float, float, float, float]  # west, south, east, north in degrees (geopandas' total_bounds order)


def _conditions(start: date | None, end: date | None, bbox: BBox | None, *,
                postgis: bool = False, statuses: Statuses = None) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses on the events table for a date window (both days included), a bounding box and review statuses.

    With ``postgis`` the box is a PostGIS envelope matched against the events' GiST-indexed points.
    """
    c = events_table.c
    where = []
    if statuses is not None:
        where.append(c.review_status.in_(list(statuses)))
    if start is not None:
        where.append(c.event_date >= start)
    if end is not None:
        where.append(c.event_date <= end)
    if bbox is not None:
        west, south, east, north = (float(v) for v in bbox)
        if south > north:
            raise ValueError(f"bounding box {bbox}: south {south} is above north {north}")
        if postgis:
            def box(w: float, e: float) -> sa.ColumnElement[bool]:
                return _geom("events").intersects(sa.func.ST_MakeEnvelope(w, south, e, north, 4326))

            where.append(box(west, east) if west <= east else sa.or_(box(west, 180.0), box(-180.0, east)))
            return where
        where.append(c.latitude.between(south, north))
        # west > east: the box crosses the antimeridian
        where.append(c.longitude.between(west, east) if west <= east else sa.or_(c.longitude >= west,
                                                                                  c.longitude <= east))
    return where


window_conditions = _conditions  # public: geo.query builds a view's conditions on these


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


def _zone_conditions(statuses: Statuses) -> list[sa.ColumnElement[bool]]:
    return [] if statuses is None else [zones_table.c.review_status.in_(list(statuses))]


def _in_box(lat: float, lon: float, bbox: BBox) -> bool:
    west, south, east, north = bbox
    return south <= lat <= north and (west <= lon <= east if west <= east else lon >= west or lon <= east)


def _read_events(conn: sa.Connection, batches: Iterable[list], *,
                 lock: bool = False) -> list[tuple[Event, ReviewState]]:
    """The events matching each batch of WHERE clauses, with claims, abduction, provenance and review state."""
    rows: list[Mapping] = []
    claims: dict[str, list[Claim]] = {}
    abductions: dict[str, Abduction] = {}
    prov: dict[str, list[Provenance]] = {}
    count = 0
    for where in batches:
        count += 1
        query = sa.select(events_table).where(*where).order_by(events_table.c.event_date, events_table.c.event_id_cnty)
        rows += conn.execute(query.with_for_update() if lock else query).mappings().all()
        for r in conn.execute(_of_events(claims_table, where).order_by(claims_table.c.id)).mappings():
            claims.setdefault(r["event_id_cnty"], []).append(Claim(**{k: r[k] for k in Claim.__dataclass_fields__}))
        for r in conn.execute(_of_events(abductions_table, where)).mappings():
            abductions[r["event_id_cnty"]] = Abduction(
                count=r["count"], nationalities=tuple(n for n in r["nationalities"].split(";") if n),
                status=r["status"])
        for r in conn.execute(_of_events(provenance_table, where).order_by(provenance_table.c.id)).mappings():
            prov.setdefault(r["event_id_cnty"], []).append(
                Provenance(**{k: r[k] for k in Provenance.__dataclass_fields__}))
    if count > 1:
        rows.sort(key=lambda r: (r["event_date"], r["event_id_cnty"]))
    return [(Event(**{c: r[c] if r[c] is not None else "" for c in ACLED_COLUMNS},
                   claims=tuple(claims.get(r["event_id_cnty"], ())), abduction=abductions.get(r["event_id_cnty"]),
                   provenance=tuple(prov.get(r["event_id_cnty"], ()))), _state(r)) for r in rows]


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI callback
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
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
        self.writer: Engine = self.engine  # the engine writes go through
        self.postgis = self.engine.dialect.name == "postgresql"
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            if not db.is_memory(self.url):
                self.writer = _sqlite_writer(self.url)
        auto = self.engine.dialect.name == "sqlite" if upgrade is None else upgrade
        self.schema: db.Upgrade = db.prepare(self.engine, auto_upgrade=auto)

    def dispose(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()
        if self.writer is not self.engine:
            self.writer.dispose()

    def data_version(self) -> int:
        """A number every write raises: compare it with the last one seen to know whether the data changed.

        One indexed row read, cheap enough for every script run of every app session.
        """
        with self.engine.connect() as conn:
            return conn.execute(sa.select(data_version_table.c.version).where(data_version_table.c.id == 1)
                                ).scalar_one()

    # -- setup ---------------------------------------------------------
    def is_new(self) -> bool:
        """True when opening this store created the schema: the database was new (or empty)."""
        return self.schema.created

    def create(self) -> None:
        """Bring the schema to the newest revision (nothing to do when it is there already)."""
        db.prepare(self.engine, auto_upgrade=True)

    def analyze(self) -> None:
        """Refresh the query planner's statistics (``ANALYZE``), as after a bulk import.

        Without them SQLite takes the review-status index as selective and walks every event
        for a date window or a list of ids (5 s instead of 0.03 s at 1,000,000 events).
        """
        with self.writer.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    # -- writes --------------------------------------------------------
    def save_events(self, events: Iterable[Event], *, replace: bool = True, author: str | None = None,
                    action: str = "import", details: Mapping | None = None, bulk: bool = True) -> int:
        """Insert (or replace, by ``event_id_cnty``) published events and their extensions in one transaction.

        A bulk write by default (an import): one audit row for the whole write, with ``details``.
        """
        return self.save(events=events, replace=replace, author=author, action=action, details=details,
                         bulk=bulk)[0]

    def save_zones(self, zones: Iterable[ControlZone], *, expected: Mapping[str, int] | None = None,
                   author: str | None = None) -> int:
        """Insert or replace control zones in one transaction (``expected``: see :meth:`save`)."""
        return self.save(zones=zones, expected=expected, author=author)[1]

    def save(self, *, events: Iterable[Event] = (), zones: Iterable[ControlZone] = (),
             replace: bool = True, note: str = "", expected: Mapping[str, int] | None = None,
             author: str | None = None, expected_events: Mapping[str, int] | None = None,
             status: str = "published", action: str = "save", reason: str = "", reviewed: bool = False,
             bulk: bool = False, details: Mapping | None = None) -> tuple[int, int]:
        """Save events and control zones together in one transaction; returns how many of each.

        Everything is saved with the review ``status`` (draft, published or retracted) and recorded
        in the audit trail under ``author`` (default :func:`default_author`), ``action`` and ``reason``:
        one row per event and zone with its values before and after, or with ``bulk`` one row for the
        whole write (imports: ``details`` says what was imported), so a 100,000-row import stays cheap.
        ``reviewed`` marks the save as a review (``reviewed_by``/``reviewed_at`` set to the author).

        Every saved zone version is kept in the zone history, with ``note``. ``expected`` maps a
        zone id, and ``expected_events`` an event id, to the version the edit started from
        (:meth:`zone_version`, :meth:`event_states`; 0 for a new one): if someone saved it since,
        :class:`ZoneConflict` or :class:`EventConflict` names who and when, and nothing is saved.
        """
        if status not in REVIEW_STATUSES:
            raise ValidationError("review_status", f"{status!r} is not one of {', '.join(REVIEW_STATUSES)}")
        events, zones = list(events), list(zones)
        info = WriteInfo(who=author or default_author(), now=clock(), status=status, action=action,
                         reason=reason, reviewed=reviewed, each=not bulk)
        with self.writer.begin() as conn:
            _write_events(conn, events, replace, info, expected_events)
            _write_zones(conn, zones, info, note, expected)
            if bulk and (events or zones):
                _audit(conn, [{"at": info.now, "user": info.who, "action": action, "kind": "bulk", "object_id": None,
                               "reason": reason, "before": None,
                               "after": {**(details or {}), "events": len(events), "zones": len(zones),
                                         "review_status": status}}])
            _bump(conn)
        return len(events), len(zones)

    def set_status(self, kind: str, ids: Sequence[str], status: str, *, author: str, action: str,
                   reason: str = "", expected: Mapping[str, int] | None = None) -> int:
        """Give stored events (``kind`` "event") or zones ("zone") a review status, as a review by ``author``.

        Each becomes a new version, and each change an audit row with the whole record before and after.
        ``expected``: the versions the reviewer saw (:class:`EditConflict` when someone saved since).
        Returns how many were changed; an id not stored raises :class:`ValidationError`.
        """
        if status not in REVIEW_STATUSES:
            raise ValidationError("review_status", f"{status!r} is not one of {', '.join(REVIEW_STATUSES)}")
        if kind not in ("event", "zone"):
            raise ValueError(f"kind must be 'event' or 'zone', not {kind!r}")
        ids = sorted(set(ids))
        table, key, conflict = ((events_table, events_table.c.event_id_cnty, EventConflict) if kind == "event"
                                else (zones_table, zones_table.c.zone_id, ZoneConflict))
        now = clock()
        with self.writer.begin() as conn:
            current = (_event_states if kind == "event" else _zone_states)(conn, ids, lock=True)
            missing = [i for i in ids if i not in current]
            if missing:
                raise ValidationError(kind, f"no stored {kind} {', '.join(missing[:5])}")
            _check(conflict, expected, current, ids)
            if kind == "event":
                records = {e.event_id_cnty: e for e, _ in _read_events(conn, _batches(ids, []))}
                record = event_record
            else:
                rows = conn.execute(sa.select(zones_table).where(key.in_(ids))).mappings()
                records = {r["zone_id"]: _zone_from_row(r) for r in rows}
                record = zone_record
            for batch in (ids[i:i + ID_BATCH] for i in range(0, len(ids), ID_BATCH)):
                conn.execute(table.update().where(key.in_(batch)).values(
                    review_status=status, reviewed_by=author, reviewed_at=now, saved_by=author, saved_at=now,
                    version=table.c.version + 1))
            if kind == "zone":  # the zone's history keeps every version, a review's too
                saved = _zone_versions(conn, ids)
                conn.execute(zone_history_table.insert(), [
                    {"zone_id": i, "version": saved[i].version, "saved_at": now, "saved_by": author,
                     "note": f"{action}: {reason}" if reason else action,
                     "data": json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                         for k, v in _zone_row(records[i]).items()})} for i in ids])
            _audit(conn, [{"at": now, "user": author, "action": action, "kind": kind, "object_id": i,
                           "reason": reason, "before": record(records[i], current[i].status, current[i].version),
                           "after": record(records[i], status, current[i].version + 1)} for i in ids])
            _bump(conn)
        return len(ids)

    def event_states(self, ids: Iterable[str]) -> dict[str, ReviewState]:
        """The review status and version of stored events, by id (ids not stored are left out)."""
        with self.engine.connect() as conn:
            return _event_states(conn, list(dict.fromkeys(ids)))

    def zone_states(self, ids: Iterable[str]) -> dict[str, ReviewState]:
        """The review status and version of stored zones, by id (ids not stored are left out)."""
        with self.engine.connect() as conn:
            return _zone_states(conn, list(dict.fromkeys(ids)))

    def zone_version(self, zone_id: str) -> ZoneVersion | None:
        """The stored zone's version and who saved it when; None for a zone not stored."""
        with self.engine.connect() as conn:
            return _zone_versions(conn, [zone_id]).get(zone_id)

    def zone_history(self, zone_id: str) -> list[tuple[int, int, str, ControlZone]]:
        """Every saved version of a zone, oldest first: (version, saved_at, note, zone).

        Who saved each version: :meth:`zone_authors`.
        """
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

    def zone_authors(self, zone_id: str) -> dict[int, str | None]:
        """Who saved each version of a zone (None for versions saved before authors were kept)."""
        h = zone_history_table.c
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.select(h.version, h.saved_by).where(h.zone_id == zone_id)).all())

    # -- reads ---------------------------------------------------------
    def events(self, ids: Iterable[str] | None = None, *, start: date | None = None, end: date | None = None,
               bbox: BBox | None = None, statuses: Statuses = PUBLISHED) -> list[Event]:
        """Stored events with claims, abduction and provenance, ordered by date and id.

        ``ids`` limits them to those event ids (any number: they are sent in batches);
        ``start``/``end`` to a date window, both days included; ``bbox`` to a bounding box
        ``(west, south, east, north)`` in degrees, edges included; ``statuses`` to those review
        statuses (default: published only; :data:`WITH_DRAFTS` adds drafts, None every status).
        All filtering runs in SQL.
        """
        return [e for e, _ in self.events_with_state(ids, start=start, end=end, bbox=bbox, statuses=statuses)]

    def events_with_state(self, ids: Iterable[str] | None = None, *, start: date | None = None,
                          end: date | None = None, bbox: BBox | None = None,
                          statuses: Statuses = PUBLISHED) -> list[tuple[Event, ReviewState]]:
        """As :meth:`events`, each event with its review status and version."""
        with self.engine.connect() as conn:
            return _read_events(conn, _batches(ids, _conditions(start, end, bbox, postgis=self.postgis,
                                                                statuses=statuses)))

    # -- saved views ---------------------------------------------------------
    def save_view(self, view: View, *, author: str | None = None) -> None:
        """Insert or replace a named view (its ``position`` orders the briefing's slides); audited."""
        if not view.name.strip():
            raise ValidationError("name", "a saved view needs a name")
        with self.writer.begin() as conn:
            before = conn.execute(sa.select(views_table.c.data).where(views_table.c.name == view.name)
                                  ).scalar_one_or_none()
            conn.execute(views_table.delete().where(views_table.c.name == view.name))
            conn.execute(views_table.insert(), [{"name": view.name, "position": view.position,
                                                 "data": view.to_json()}])
            _audit(conn, [{"at": clock(), "user": author or default_author(), "action": "save_view",
                           "kind": "view", "object_id": view.name, "before": json.loads(before) if before else None,
                           "after": json.loads(view.to_json())}])
            _bump(conn)

    def save_case(self, case: Case, *, author: str | None = None) -> None:
        """Insert or replace a hostage case with its whole status history, in one transaction; audited."""
        from geo.cases import case_record

        with self.writer.begin() as conn:
            before = conn.execute(sa.select(cases_table.c.data).where(cases_table.c.case_id == case.case_id)
                                  ).scalar_one_or_none()
            _audit(conn, [{"at": clock(), "user": author or default_author(), "action": "save_case",
                           "kind": "case", "object_id": case.case_id, "before": json.loads(before) if before else None,
                           "after": case_record(case)}])
            conn.execute(case_history_table.delete().where(case_history_table.c.case_id == case.case_id))
            conn.execute(cases_table.delete().where(cases_table.c.case_id == case.case_id))
            conn.execute(cases_table.insert(), [{"case_id": case.case_id, "event_id_cnty": case.event_id_cnty,
                                                 "taken": case.taken, "status": case.status,
                                                 "data": json.dumps(case_record(case))}])
            if case.history:
                conn.execute(case_history_table.insert(), [
                    {"case_id": case.case_id, "status": c.status, "happened": c.when,
                     "time_precision": c.precision, "source": c.source, "evidence": c.evidence, "people": c.count}
                    for c in case.history])
            _bump(conn)

    def cases(self) -> list[Case]:
        """Every hostage case, oldest abduction first, each with its history in the order it was added."""
        from geo.cases import StatusChange, case_from_record

        with self.engine.connect() as conn:
            history: dict[str, list[StatusChange]] = {}
            for r in conn.execute(sa.select(case_history_table).order_by(case_history_table.c.id)):
                history.setdefault(r.case_id, []).append(StatusChange(
                    r.status, r.happened, r.time_precision, r.source, r.evidence or "", r.people))
            rows = conn.execute(sa.select(cases_table).order_by(cases_table.c.taken, cases_table.c.case_id))
            return [case_from_record(json.loads(r.data), history.get(r.case_id, ())) for r in rows]

    def views(self) -> list[View]:
        """Saved views in slide order."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(views_table).order_by(views_table.c.position, views_table.c.name))
            return [View.from_json(r.data) for r in rows]

    def delete_view(self, name: str, *, author: str | None = None) -> None:
        """Forget a saved view; audited."""
        with self.writer.begin() as conn:
            before = conn.execute(sa.select(views_table.c.data).where(views_table.c.name == name)).scalar_one_or_none()
            conn.execute(views_table.delete().where(views_table.c.name == name))
            if before is not None:
                _audit(conn, [{"at": clock(), "user": author or default_author(), "action": "delete_view",
                               "kind": "view", "object_id": name, "before": json.loads(before), "after": None}])
            _bump(conn)

    def frame(self, ids: Iterable[str] | None = None, *, start: date | None = None, end: date | None = None,
              bbox: BBox | None = None, statuses: Statuses = PUBLISHED, as_of: int | None = None) -> pd.DataFrame:
        """The events as a DataFrame (ACLED columns plus ``claims`` and ``abduction``), read in bulk.

        The same shape as :func:`events_frame`, without building an :class:`Event`
        per row: fast enough for 100,000 events, plus the review columns (``review_status``,
        ``version``, ``saved_by``...).  ``ids``, ``start``, ``end``, ``bbox`` and ``statuses``
        filter in SQL as in :meth:`events`; without them every published event is read.
        ``as_of`` (seconds since the epoch): the events as they were published then (:meth:`frame_as_of`).
        """
        if as_of is not None:
            return self.frame_as_of(as_of, ids, start=start, end=end, bbox=bbox)
        parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
        with self.engine.connect() as conn:
            for where in _batches(ids, _conditions(start, end, bbox, postgis=self.postgis, statuses=statuses)):
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

    def events_in_zone(self, zone_id: str, *, start: date | None = None, end: date | None = None,
                       statuses: Statuses = PUBLISHED) -> list[Event]:
        """The events inside (or on the edge of) a stored zone's polygon, in a date window.

        PostgreSQL: ``ST_Intersects`` in SQL, on the GiST indexes. SQLite: the zone's bounding
        box in SQL, then the polygon with shapely.
        """
        if self.postgis:
            event_geom = _geom("events")
            zone_geom = sa.select(_geom("control_zones")).select_from(zones_table).where(
                zones_table.c.zone_id == zone_id).scalar_subquery()
            ids = self._ids([*_conditions(start, end, None, statuses=statuses), event_geom.intersects(zone_geom),
                             sa.func.ST_Intersects(zone_geom, event_geom)])
            return self.events(ids, statuses=statuses) if ids else []
        from shapely.geometry import Point, shape
        from shapely.prepared import prep

        with self.engine.connect() as conn:
            text = conn.execute(sa.select(zones_table.c.geometry).where(zones_table.c.zone_id == zone_id)
                                ).scalar_one_or_none()
        if text is None:
            return []
        polygon = shape(json.loads(text))
        candidates = self.events(start=start, end=end, bbox=polygon.bounds, statuses=statuses)
        inside = prep(polygon)
        return [e for e in candidates if inside.intersects(Point(e.longitude, e.latitude))]

    def _ids(self, where: list) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(events_table.c.event_id_cnty).where(*where)).scalars())

    def zones_frame(self, statuses: Statuses = PUBLISHED, as_of: int | None = None) -> pd.DataFrame:
        """The zones as :func:`zones_frame` makes them (shapely shapes in ``geometry``); PostGIS sends them as WKB."""
        if as_of is not None:  # (issue 13) the zones as published then; with their review status
            return self.zones_frame_as_of(as_of)
        if not self.postgis:
            pairs = self.zones_with_state(statuses)
            frame = zones_frame([z for z, _ in pairs])
            frame["review_status"] = pd.Series([s.status for _, s in pairs], index=frame.index, dtype=object)
            return frame
        import shapely

        fields = [f for f in ControlZone.__dataclass_fields__ if f != "geometry"]
        query = sa.select(*[zones_table.c[f] for f in fields], zones_table.c.review_status,
                          sa.func.ST_AsBinary(_geom("control_zones")).label("wkb")).where(
            *_zone_conditions(statuses)).order_by(
            zones_table.c.area, zones_table.c.valid_from)
        with self.engine.connect() as conn:
            frame = pd.read_sql_query(query, conn)
        frame["geometry"] = pd.Series(list(shapely.from_wkb([bytes(b) for b in frame.pop("wkb")])),
                                      index=frame.index, dtype=object)
        for key in ("claimant", "evidence", "notes"):
            frame[key] = frame[key].fillna("")
        frame["kind"] = frame["kind"].fillna("admin1")
        frame["linked_events"] = [tuple(json.loads(v or "[]")) for v in frame["linked_events"]]
        frame["valid_from"] = pd.to_datetime(frame["valid_from"])
        frame["valid_to"] = pd.to_datetime(frame["valid_to"])
        return frame

    def zones(self, statuses: Statuses = PUBLISHED) -> list[ControlZone]:
        """The stored control-zone assessments with those review statuses (default published; None: all),
        ordered by area and start date."""
        return [z for z, _ in self.zones_with_state(statuses)]

    def zones_with_state(self, statuses: Statuses = PUBLISHED) -> list[tuple[ControlZone, ReviewState]]:
        """As :meth:`zones`, each zone with its review status and version."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(zones_table).where(*_zone_conditions(statuses)).order_by(
                zones_table.c.area, zones_table.c.valid_from)).mappings().all()
        return [(_zone_from_row(r), _state(r)) for r in rows]

    def count(self, statuses: Statuses = None) -> int:
        """Number of stored events (with those review statuses; default: all)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(events_table).where(
                *_conditions(None, None, None, statuses=statuses))).scalar_one()

    # -- the audit trail, and what was published on a date (issue 13) ---------------------------------------
    def audit(self, *, since: int | None = None, until: int | None = None, user: str | None = None,
              kind: str | None = None, object_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit rows, oldest first: those at or after ``since`` and at or before ``until`` (seconds since the
        epoch), by ``user``, about ``kind`` ("event", "zone", "view", "user", "case", "bulk") and ``object_id``."""
        a = audit_table.c
        where = []
        if since is not None:
            where.append(a.at >= since)
        if until is not None:
            where.append(a.at <= until)
        if user:
            where.append(sa.func.lower(a.user) == user.strip().lower())
        if kind:
            where.append(a.kind == kind)
        if object_id:
            where.append(a.object_id == object_id)
        query = sa.select(audit_table).where(*where).order_by(a.id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [AuditEntry(r.id, r.at, r.user, r.action, r.kind, r.object_id, r.reason or "",
                               json.loads(r.before) if r.before else None, json.loads(r.after) if r.after else None)
                    for r in conn.execute(query)]

    def last_changes(self, kind: str, ids: Iterable[str]) -> dict[str, AuditEntry]:
        """The newest audit row of each of these events or zones (``kind``), by id."""
        a = audit_table.c
        ids = list(dict.fromkeys(ids))
        out: dict[str, AuditEntry] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), ID_BATCH):
                newest = sa.select(sa.func.max(a.id)).where(a.kind == kind, a.object_id.in_(ids[i:i + ID_BATCH])
                                                            ).group_by(a.object_id)
                for r in conn.execute(sa.select(audit_table).where(a.id.in_(newest))):
                    out[r.object_id] = AuditEntry(r.id, r.at, r.user, r.action, r.kind, r.object_id, r.reason or "",
                                                  json.loads(r.before) if r.before else None,
                                                  json.loads(r.after) if r.after else None)
        return out

    def _first_changes_after(self, kind: str, cutoff: int) -> dict[str, dict | None]:
        """For every object of ``kind`` changed after ``cutoff``: its record before the first such change
        (None: it did not exist), i.e. what it was at ``cutoff``."""
        a = audit_table.c
        first = sa.select(sa.func.min(a.id)).where(a.kind == kind, a.at > cutoff).group_by(a.object_id)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(a.object_id, a.before).where(a.id.in_(first))).all()
        return {r.object_id: json.loads(r.before) if r.before else None for r in rows}

    def frame_as_of(self, cutoff: int, ids: Iterable[str] | None = None, *, start: date | None = None,
                    end: date | None = None, bbox: BBox | None = None) -> pd.DataFrame:
        """The events as they were published at ``cutoff`` (seconds since the epoch), as :meth:`frame` shapes them.

        Every event changed after ``cutoff`` (edited, published, retracted, merged) is put back as the
        audit trail recorded it before its first later change, and kept if it was published then; events
        created after it are left out.  Bulk writes (imports) keep no per-event history: an event an import
        replaced later shows as imported.  Filters apply to the restored values.
        """
        restored = self._first_changes_after("event", cutoff)
        current = self.frame(ids, start=start, end=end, bbox=bbox, statuses=None)
        current = current[~current["event_id_cnty"].isin(list(restored)) & current["review_status"].eq("published")]
        wanted = None if ids is None else set(ids)
        then = [event_from_record(r) for i, r in restored.items()
                if r is not None and r.get("review_status") == "published" and (wanted is None or i in wanted)]
        then = [e for e in then if (start is None or e.event_date >= start) and (end is None or e.event_date <= end)
                and (bbox is None or _in_box(e.latitude, e.longitude, bbox))]
        if not then:
            return current.reset_index(drop=True)
        old = events_frame(then).drop(columns="provenance")
        old["review_status"] = "published"
        frame = pd.concat([current, old], ignore_index=True) if len(current) else old
        return frame.sort_values(["event_date", "event_id_cnty"], ignore_index=True)

    def events_as_of(self, cutoff: int, ids: Iterable[str]) -> list[Event]:
        """The events ``ids`` as they were published at ``cutoff`` (see :meth:`frame_as_of`), in the order given;
        those not published then are left out. For exporting a pinned view with claims and provenance."""
        restored = self._first_changes_after("event", cutoff)
        wanted = list(dict.fromkeys(ids))
        now = {e.event_id_cnty: e for e in self.events([i for i in wanted if i not in restored])}
        then = {i: event_from_record(r) for i, r in restored.items()
                if r is not None and r.get("review_status") == "published"}
        return [now.get(i) or then[i] for i in wanted if i in now or i in then]

    def zones_frame_as_of(self, cutoff: int) -> pd.DataFrame:
        """The control zones as they were published at ``cutoff`` (as :meth:`frame_as_of` does for events)."""
        restored = self._first_changes_after("zone", cutoff)
        zones = [z for z, s in self.zones_with_state(None) if z.zone_id not in restored and s.status == "published"]
        zones += [zone_from_record(r) for r in restored.values()
                  if r is not None and r.get("review_status") == "published"]
        zones.sort(key=lambda z: (z.area, z.valid_from))
        frame = zones_frame(zones)
        frame["review_status"] = pd.Series(["published"] * len(zones), index=frame.index, dtype=object)
        return frame

    # -- users and roles (issue 13) -------------------------------------------------------------------------
    def users(self) -> list[tuple[str, str, str | None, int]]:
        """Every user with a role: (email, role, added by, added at), by email."""
        u = users_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(u.email, u.role, u.added_by, u.added_at).order_by(u.email))
            return [tuple(r) for r in rows]

    def user_role(self, email: str) -> str | None:
        """The role stored for ``email`` (compared in lower case), None when the table does not name it."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(users_table.c.role).where(
                users_table.c.email == email.strip().lower())).scalar_one_or_none()

    def set_user(self, email: str, role: str, *, author: str) -> str | None:
        """Give ``email`` a role (adding the user, or changing their role); returns the role before (None: new)."""
        email = email.strip().lower()
        now = clock()
        with self.writer.begin() as conn:
            before = conn.execute(sa.select(users_table.c.role).where(users_table.c.email == email)
                                  ).scalar_one_or_none()
            conn.execute(users_table.delete().where(users_table.c.email == email))
            conn.execute(users_table.insert(), [{"email": email, "role": role, "added_by": author, "added_at": now}])
            _audit(conn, [{"at": now, "user": author, "action": "user_role", "kind": "user", "object_id": email,
                           "before": {"role": before} if before else None, "after": {"role": role}}])
            _bump(conn)
        return before

    def remove_user(self, email: str, *, author: str) -> str | None:
        """Forget ``email``'s role (they are a viewer again); returns the role they had (None: not listed)."""
        email = email.strip().lower()
        now = clock()
        with self.writer.begin() as conn:
            before = conn.execute(sa.select(users_table.c.role).where(users_table.c.email == email)
                                  ).scalar_one_or_none()
            if before is not None:
                conn.execute(users_table.delete().where(users_table.c.email == email))
                _audit(conn, [{"at": now, "user": author, "action": "user_remove", "kind": "user",
                               "object_id": email, "before": {"role": before}, "after": None}])
                _bump(conn)
        return before


def _sqlite_writer(url: str) -> Engine:
    """An engine whose transactions take SQLite's write lock at BEGIN (waiting up to :data:`BUSY_TIMEOUT`).

    A deferred transaction that reads, then writes, can fail at once when another process wrote in
    between; ``BEGIN IMMEDIATE`` waits its turn instead, and a busy database is reported after the wait.
    """
    engine = sa.create_engine(url, future=True, connect_args={"timeout": BUSY_TIMEOUT})

    def on_connect(dbapi_connection, record) -> None:  # noqa: ANN001 - DBAPI callback
        dbapi_connection.isolation_level = None  # SQLAlchemy's recipe: transactions begin as "begin" emits them
        _sqlite_pragmas(dbapi_connection, record)

    def on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)
    return engine


COPY_BATCH = 5000  # rows read and written at a time by copy_database


class NotEmpty(db.SchemaError):
    """The database a copy would write into already holds data."""


def copy_database(source: str, target: str) -> list[tuple[str, int, int]]:
    """Copy every row of ``source`` into the empty database ``target`` (SQLite or PostgreSQL, either way).

    Events, claims, abductions, provenance, zones, zone history and views keep their keys (claim,
    provenance and history ids included, so their order survives); on PostgreSQL the geometries are
    made from them by the database.  ``target`` is created or upgraded to the newest revision first;
    the copy is one transaction on it.  Returns (table, rows in source, rows in target) per table.
    Raises :class:`NotEmpty` when ``target`` holds events, zones or views.
    """
    source, target = database_url(source), database_url(target)
    parsed = sa.engine.make_url(source)
    if parsed.get_backend_name() == "sqlite" and not db.is_memory(source) and not Path(parsed.database).exists():
        raise FileNotFoundError(f"{parsed.database}: no such database file")
    src = Store(source)
    if not db.is_memory(target):
        db.upgrade(target)
    dst = Store(target)
    tables = [t for t in metadata.sorted_tables if t is not data_version_table]
    try:
        with dst.writer.begin() as out:
            held = {t.name: out.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables}
            if any(held.values()):
                raise NotEmpty(f"{db.shown(dst.url)} is not empty ("
                               + ", ".join(f"{n} {name}" for name, n in held.items() if n)
                               + "): copy into a new database")
            counts = []
            with src.engine.connect() as conn:
                for table in tables:
                    result = conn.execution_options(yield_per=COPY_BATCH).execute(
                        sa.select(table).order_by(*table.primary_key.columns))
                    for rows in result.mappings().partitions():
                        out.execute(table.insert(), [dict(r) for r in rows])
                    counts.append((table.name, conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one(),
                                   out.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()))
            if out.dialect.name == "postgresql":  # ids were copied: serial sequences continue after them
                for table in tables:
                    serial = [c.name for c in table.primary_key.columns if c.autoincrement is True]
                    for column in serial:
                        out.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                                            f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table.name}")
            _bump(out)
    finally:
        src.dispose()
        dst.dispose()
    return counts


def open_store(url: str | None = None, *, seed: bool = True) -> Store:
    """Open the store; a new database is created and, if ``seed``, loaded with the demo data."""
    store = Store(url)
    if store.is_new() and seed:
        from geo.io.demo import load_demo_events, load_demo_zones  # geopandas too: only to seed a new database

        events = load_demo_events()
        store.save(events=events, zones=load_demo_zones(), bulk=True, action="seed",
                   details={"source": "demo data (data/)"})
        from geo.cases import case_from_event

        for event in events:  # each demo abduction is an open hostage case (the four workers of 1 July 2025)
            if event.abduction is not None:
                store.save_case(case_from_event(event))
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
    """The control-zone assessments as a frame whose ``geometry`` column holds shapely shapes (EPSG:4326).

    A plain frame, not a GeoDataFrame, so the map's first run needs neither geopandas nor
    pyproj; ``geopandas.GeoDataFrame(frame, crs="EPSG:4326")`` makes one where needed.
    """
    from shapely.geometry import shape

    columns = [f for f in ControlZone.__dataclass_fields__ if f != "geometry"]
    # the fields by name, not asdict(), which would deep-copy every geometry's coordinates only to drop them
    records = [{f: getattr(z, f) for f in columns} for z in zones]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["geometry"] = pd.Series([shape(z.geometry) for z in zones], index=frame.index, dtype=object)
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["valid_to"] = pd.to_datetime(frame["valid_to"])
    return frame

