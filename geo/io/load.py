"""Import an ACLED or UCDP export into the database: streamed in chunks, all or nothing, with progress.

:func:`load_export` reads a file a chunk of rows at a time (:class:`geo.io.acled.ExportReader`), writes
each chunk's events with batched statements (an upsert by id; the children of replaced events deleted
in batches of :data:`geo.storage.ID_BATCH` ids, never one unbounded ``IN`` list) and streams the
rejected rows to a CSV as it goes.  Memory stays that of one chunk whatever the file's size.

Everything is one transaction: the events, a row in ``imports`` (source, file name, SHA-256, counts,
who, when) and the data version are committed together at the end, so an import that fails, or a
process killed part-way, leaves the database as it was (SQLite's WAL and PostgreSQL simply never see
the commit).  Re-importing a file replaces its events by id.  On PostgreSQL each chunk is sent with
COPY into a temporary staging table and moved into ``events`` by one ``INSERT ... SELECT ... ON CONFLICT``;
imports there take turns (a transaction-level advisory lock), as every writer does on SQLite.

A failure raises :class:`geo.errors.ImportFailed`: which file, which stage, which lines, the reason
without SQL or parameters, and that nothing was saved.
"""
from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import BinaryIO, TextIO

import sqlalchemy as sa
import sqlalchemy.exc

from geo.errors import ImportFailed, readable
from geo.io.acled import CHUNK_ROWS, Chunk, ExportReader, ImportReadError
from geo.schema import ACLED_COLUMNS, Event
from geo.storage import (
    ID_BATCH,
    Store,
    abductions_table,
    claims_table,
    data_version_table,
    default_author,
    events_table,
    imports_table,
    provenance_table,
    record,
)

SHOWN_REJECTIONS = 1000  # rejected rows kept in memory for display; all of them go to the rejects file
STAGING = "import_staging"  # PostgreSQL: the temporary table each chunk is copied into


@dataclass(frozen=True)
class Progress:
    """How far an import is: rows done of about ``total``, after ``seconds``."""

    rows: int
    total: int
    seconds: float
    stage: str = "importing"

    @property
    def rate(self) -> float:
        """Rows per second so far."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def fraction(self) -> float:
        """Done, between 0 and 1 (``total`` is counted from the file's lines: an upper bound)."""
        return min(self.rows / self.total, 1.0) if self.total else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate; None before the first chunk."""
        if not self.rate:
            return None
        return max(self.total - self.rows, 0) / self.rate

    def text(self) -> str:
        """``20,000 of about 1,000,000 rows · 8,300 rows/s · about 2 min left``."""
        eta = self.eta
        left = "" if eta is None or self.rows >= self.total else f" · about {_duration(eta)} left"
        return f"{self.rows:,} of about {self.total:,} rows · {self.rate:,.0f} rows/s{left}"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(round(seconds), 1)} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class ImportSummary:
    """What an import did: rows read, events imported, rows rejected (the first :data:`SHOWN_REJECTIONS` kept)."""

    file_name: str
    format: str
    sha256: str
    rows: int = 0
    imported: int = 0
    rejected_count: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Rows per second over the whole import."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def source(self) -> str:
        """``acled`` or ``ucdp`` (what ``imports.source`` records)."""
        return "ucdp" if self.format == "ucdp" else "acled"


def write_rejected_header(out: TextIO) -> csv.Writer:
    """A CSV writer on ``out`` for rejected rows, its header (line, reason) written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", "reason"])
    return writer


def load_export(store: Store, stream: BinaryIO, *, file_name: str, fmt: str = "auto",
                progress: Callable[[Progress], None] | None = None, rejects: TextIO | None = None,
                chunk_rows: int = CHUNK_ROWS, user: str | None = None) -> ImportSummary:
    """Import an export from a binary stream, in one transaction; returns what was done.

    ``rejects`` receives every rejected row (CSV: line, reason) as the file is read; ``progress`` is
    called after each chunk is written.  Raises :class:`~geo.io.acled.ImportFormatError` (before
    anything is written) for a file that is not an export, :class:`~geo.errors.ImportFailed` when
    reading or saving fails part-way (nothing is saved).
    """
    reader = ExportReader(stream, fmt)
    summary = ImportSummary(file_name=file_name, format=reader.format, sha256=reader.sha256)
    writer = write_rejected_header(rejects) if rejects is not None else None
    started = time.perf_counter()
    line = 2  # the first line of the chunk being read or written
    try:
        with store.writer.begin() as conn:
            write = _chunk_writer(conn, user or default_author())
            chunks = reader.chunks(chunk_rows)
            while True:
                try:
                    chunk = next(chunks, None)
                except ImportReadError as exc:
                    raise ImportFailed(file_name, "reading", line, exc.line, str(exc)) from exc
                except OSError as exc:  # the file went away or the disk failed while reading
                    raise ImportFailed(file_name, "reading", line, line, str(exc)) from exc
                if chunk is None:
                    break
                try:
                    write(chunk.events)
                except (sqlalchemy.exc.SQLAlchemyError, conn.dialect.dbapi.Error) as exc:  # DB-API: PostgreSQL's COPY
                    raise ImportFailed(file_name, "saving", chunk.first_line, chunk.last_line, readable(exc)) from exc
                try:
                    _count(summary, chunk, writer)
                except OSError as exc:  # the rejects file cannot be written (disk full...)
                    raise ImportFailed(file_name, "writing the rejected rows of", chunk.first_line, chunk.last_line,
                                       str(exc)) from exc
                line = chunk.last_line + 1
                if progress:
                    progress(Progress(summary.rows, max(reader.approx_rows, summary.rows),
                                      time.perf_counter() - started))
            summary.seconds = time.perf_counter() - started
            try:
                conn.execute(imports_table.insert(), [{
                    "source": summary.source, "file_name": file_name[:500], "sha256": summary.sha256,
                    "rows": summary.rows, "imported": summary.imported, "rejected": summary.rejected_count,
                    "user": (user or default_author())[:200], "at": int(time.time())}])
                record(conn, user=user or default_author(), action="import", kind="bulk", object_id=file_name[:200],
                       after={"source": summary.source, "file_name": file_name, "sha256": summary.sha256,
                              "rows": summary.rows, "imported": summary.imported,
                              "rejected": summary.rejected_count, "review_status": "published"})  # issue 13
                conn.execute(data_version_table.update().where(data_version_table.c.id == 1).values(
                    version=data_version_table.c.version + 1, changed_at=int(time.time())))
            except sqlalchemy.exc.SQLAlchemyError as exc:
                raise ImportFailed(file_name, "recording", 2, line - 1, readable(exc)) from exc
    except sqlalchemy.exc.SQLAlchemyError as exc:  # the commit itself (or beginning: the write lock)
        raise ImportFailed(file_name, "committing" if line > 2 else "starting", 2, max(line - 1, 2),
                           readable(exc)) from exc
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: ImportSummary, chunk: Chunk, writer: csv.Writer | None) -> None:
    summary.rows += chunk.rows
    summary.imported += len(chunk.events)
    summary.rejected_count += len(chunk.rejected)
    room = SHOWN_REJECTIONS - len(summary.rejected)
    if room > 0:
        summary.rejected += chunk.rejected[:room]
    if writer is not None:
        writer.writerows(chunk.rejected)


# -- writing ---------------------------------------------------------------------------------------------
def _chunk_writer(conn: sa.Connection, who: str) -> Callable[[list[Event]], None]:
    """A function writing one chunk's events (ids unique within the file) on ``conn``."""
    stamp = _stamp(who)
    if conn.dialect.name == "postgresql":
        # one import at a time: each chunk upserts in id order, but two files' chunks could lock the same
        # events in opposite orders (a deadlock); SQLite's BEGIN IMMEDIATE serialises writers already
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('conflictmap-import'))"))
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {STAGING} (LIKE events INCLUDING DEFAULTS) ON COMMIT DROP")
        return lambda events: _write_postgres(conn, events, stamp)
    return lambda events: _write_sqlite(conn, events, stamp)


def _stamp(who: str) -> dict[str, object]:
    """Who saved the events and when, for the bookkeeping columns the events table has (if any)."""
    now = int(time.time())
    return {name: value for name, value in (("saved_by", who), ("saved_at", now)) if name in events_table.c}


def _upsert_set(excluded: sa.ColumnCollection) -> dict[str, object]:
    values: dict[str, object] = {c: excluded[c] for c in ACLED_COLUMNS if c != "event_id_cnty"}
    for name in ("saved_by", "saved_at"):
        if name in events_table.c:
            values[name] = excluded[name]
    if "version" in events_table.c:  # a replaced event is a new version of it
        values["version"] = events_table.c.version + 1
    return values


def _write_sqlite(conn: sa.Connection, events: list[Event], stamp: dict[str, object]) -> None:
    events = sorted(events, key=lambda e: e.event_id_cnty)
    if not events:
        return
    columns = [*ACLED_COLUMNS, *stamp]
    quoted = ", ".join(f'"{c}"' for c in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "event_id_cnty")
    if "version" in events_table.c:
        updates += ", version = events.version + 1"
    extra = tuple(stamp.values())
    # the DB-API's executemany with plain tuples: SQLAlchemy's per-row parameter processing would double the time
    conn.exec_driver_sql(
        f"INSERT INTO events ({quoted}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (event_id_cnty) DO UPDATE SET {updates}",
        [(*(e.event_date.isoformat() if c == "event_date" else getattr(e, c) for c in ACLED_COLUMNS), *extra)
         for e in events])
    _replace_children(conn, events)


def _write_postgres(conn: sa.Connection, events: list[Event], stamp: dict[str, object]) -> None:
    events = sorted(events, key=lambda e: e.event_id_cnty)  # id order: concurrent importers never deadlock
    if not events:
        return
    columns = [*ACLED_COLUMNS, *stamp]
    quoted = ", ".join(f'"{c}"' for c in columns)
    conn.exec_driver_sql(f"TRUNCATE {STAGING}")
    extra = tuple(stamp.values())
    with conn.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY {STAGING} ({quoted}) FROM STDIN") as copy:
        for e in events:
            copy.write_row((*(getattr(e, c) for c in ACLED_COLUMNS), *extra))
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c != "event_id_cnty")
    if "version" in events_table.c:
        updates += ", version = events.version + 1"
    conn.exec_driver_sql(f"INSERT INTO events ({quoted}) SELECT {quoted} FROM {STAGING} ORDER BY event_id_cnty "
                         f"ON CONFLICT (event_id_cnty) DO UPDATE SET {updates}")
    _replace_children(conn, events)


def _replace_children(conn: sa.Connection, events: list[Event]) -> None:
    """Claims, abduction and provenance of the chunk's events: those stored before go, the new ones are added."""
    ids = [e.event_id_cnty for e in events]
    for table in (claims_table, abductions_table, provenance_table):
        for i in range(0, len(ids), ID_BATCH):
            conn.execute(table.delete().where(table.c.event_id_cnty.in_(ids[i:i + ID_BATCH])))
    claims = [dict(asdict(c), event_id_cnty=e.event_id_cnty) for e in events for c in e.claims]
    if claims:
        conn.execute(claims_table.insert(), claims)
    abductions = [{"event_id_cnty": e.event_id_cnty, "count": e.abduction.count,
                   "nationalities": ";".join(e.abduction.nationalities), "status": e.abduction.status}
                  for e in events if e.abduction is not None]
    if abductions:
        conn.execute(abductions_table.insert(), abductions)
    provenance = [dict(asdict(p), event_id_cnty=e.event_id_cnty) for e in events for p in e.provenance]
    if provenance:
        conn.execute(provenance_table.insert(), provenance)
