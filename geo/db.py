"""Database URLs and schema versions: Alembic migrations in ``geo/migrations``, run from Python.

Alembic is configured here programmatically, so no ``alembic.ini`` is needed at run time.
:func:`upgrade` and :func:`current` back ``python -m geo db upgrade|current``; :func:`prepare`
is what opening a :class:`geo.storage.Store` runs.

A database made before schema versions existed (by ``create_all``, with no ``alembic_version``
table) is *adopted*: when its tables and columns are those of the first revision, it is stamped
with that revision and then upgraded.  Tables and nullable columns that older versions of the
code did not create yet are added first, as ``create_all`` used to.

Alembic is imported only when a database is not at the newest revision: opening one that is
costs a query, not Alembic's import.  So the newest revision is read from the file names
(``versions/NNNN_what.py`` holds revision ``NNNN``; the tests check the convention).

On SQLite the whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction with foreign keys off
(batch migrations copy tables, and a cascade must not fire): a failure leaves the file as it was,
and two processes opening a new file at once create the schema once.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

DEFAULT_DB = Path(__file__).resolve().parent.parent / "conflictmap.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema as ``create_all`` made it before schema versions existed
UPGRADE_COMMAND = "python -m geo db upgrade"


class SchemaError(sa.exc.SQLAlchemyError):
    """The database's schema is not one this code can use (and it cannot be upgraded on open).

    A SQLAlchemy error, so the pages and the CLI report it as they report any database error.
    """


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did: the revision before (None: no schema or unversioned) and after."""

    before: str | None
    after: str | None
    created: bool = False  # the schema was created from nothing
    adopted: bool = False  # an unversioned database was stamped with the baseline first


def database_url(value: str | None = None) -> str:
    """The SQLAlchemy URL for ``value`` or ``$CONFLICTMAP_DB`` (a path or a URL)."""
    value = value or os.environ.get("CONFLICTMAP_DB") or str(DEFAULT_DB)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def is_memory(url: str) -> bool:
    """True for an in-memory SQLite URL (each engine, each connection pool, sees its own database)."""
    parsed = sa.engine.make_url(url)
    return parsed.get_backend_name() == "sqlite" and (
        parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory")


def shown(url: str) -> str:
    """``url`` for a log line or a message: the password hidden."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for ``geo/migrations``; ``connection`` is used as is when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def head() -> str:
    """The newest revision in ``geo/migrations`` (revisions are numbered, each file named after its own)."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def migration_engine(url: str) -> Engine:
    """An engine for running migrations on ``url``: on SQLite, real transactions that take the write lock.

    Python's sqlite3 module would otherwise commit DDL as it goes; foreign keys stay off (SQLite's
    default) because batch migrations drop and recreate tables.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":
        def on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI callback
            dbapi_connection.isolation_level = None  # no implicit transactions: "begin" below emits them
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")

        def on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        sa.event.listen(engine, "connect", on_connect)
        sa.event.listen(engine, "begin", on_begin)
    return engine


@contextmanager
def _transaction(target: str | Engine) -> Iterator[Connection]:
    """One migration transaction on ``target`` (a URL, or an engine used as it is, e.g. in-memory SQLite)."""
    engine = migration_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # one migrator at a time across processes
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('conflictmap-migrations'))"))
            yield conn
    finally:
        if engine is not target:
            engine.dispose()


def _revision(conn: Connection) -> str | None:
    """The revision stamped in the database (Alembic's table read directly), None when there is none."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return ", ".join(sorted(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())) or None


@cache
def baseline_metadata() -> sa.MetaData:
    """The tables, columns and indexes the baseline revision creates (reflected from a scratch database)."""
    from alembic import command

    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)  # a scratch database: its "Running upgrade" lines would mislead
    try:
        with engine.begin() as conn:
            command.upgrade(config(conn), BASELINE)
            reflected = sa.MetaData()
            reflected.reflect(conn)
    finally:
        alembic_log.setLevel(level)
        engine.dispose()
    reflected.remove(reflected.tables["alembic_version"])
    return reflected


def _adopt(conn: Connection, url: str) -> None:
    """Bring an unversioned database to the baseline's shape and stamp it with the baseline revision.

    Raises :class:`SchemaError` when a baseline table lacks a column that cannot simply be added.
    """
    from alembic import command
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    baseline = baseline_metadata()
    inspector = sa.inspect(conn)
    existing = set(inspector.get_table_names())
    missing_tables = [t for t in baseline.sorted_tables if t.name not in existing]
    missing_columns: list[tuple[str, sa.Column]] = []
    missing_indexes: list[sa.Index] = []
    for table in baseline.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing_columns += [(table.name, c) for c in table.columns if c.name not in have]
        indexed = {i["name"] for i in inspector.get_indexes(table.name)}
        missing_indexes += [i for i in table.indexes if i.name not in indexed]
    required = [f"{name}.{c.name}" for name, c in missing_columns if not c.nullable or c.primary_key]
    if required:
        raise SchemaError(f"{shown(url)} has no schema version and its tables differ from revision {BASELINE}: "
                          f"missing required columns {', '.join(required)}. It cannot be upgraded automatically.")
    ops = Operations(MigrationContext.configure(conn))
    for table in missing_tables:
        table.create(conn)
    for name, column in missing_columns:
        ops.add_column(name, sa.Column(column.name, column.type, nullable=True))
    for index in missing_indexes:
        ops.create_index(index.name, index.table.name, [c.name for c in index.columns], unique=index.unique)
    added = [t.name for t in missing_tables] + [f"{n}.{c.name}" for n, c in missing_columns] + \
        [str(i.name) for i in missing_indexes]
    if added:
        log.info("Database %s has no schema version; added what revision %s has and it lacked: %s",
                 shown(url), BASELINE, ", ".join(added))
    command.stamp(config(conn), BASELINE)
    log.info("Database %s has no schema version; its tables match revision %s%s: stamped it", shown(url), BASELINE,
             " with those additions" if added else "")


def _upgrade(conn: Connection, url: str, revision: str) -> Upgrade:
    from alembic import command

    before = _revision(conn)
    created = adopted = False
    if before is None:
        ours = set(sa.inspect(conn).get_table_names()) & set(baseline_metadata().tables)
        if ours:
            _adopt(conn, url)
            adopted = True
        else:
            created = True
    start = BASELINE if adopted else before
    command.upgrade(config(conn), revision)
    after = _revision(conn)
    if created:
        log.info("Created the schema of database %s at revision %s", shown(url), after)
    elif after != start:
        log.info("Upgraded database %s from revision %s to %s", shown(url), start, after)
    return Upgrade(before=before, after=after, created=created, adopted=adopted)


def upgrade(url: str | None = None, revision: str = "head") -> Upgrade:
    """Upgrade the database at ``url`` (default ``$CONFLICTMAP_DB``) to ``revision``, in one transaction."""
    url = database_url(url)
    if is_memory(url):
        raise SchemaError("an in-memory database lives only as long as its engine: open it with Store(url)")
    with _transaction(url) as conn:
        return _upgrade(conn, url, revision)


def current(url: str | None = None) -> str | None:
    """The database's revision: None when it has no schema version (new, or made before versions existed)."""
    url = database_url(url)
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not is_memory(url) and not Path(parsed.database).exists():
        return None  # a file that does not exist yet: not created by asking
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return _revision(conn)
    finally:
        engine.dispose()


def prepare(engine: Engine, *, auto_upgrade: bool) -> Upgrade:
    """Bring the database behind ``engine`` to the head revision, or check that it is there.

    With ``auto_upgrade`` (the default for SQLite files) an old database is upgraded on open and
    a new one created.  Without it, a database not at head raises :class:`SchemaError` naming the
    command to run, so a shared server is upgraded on purpose, once, not by whichever replica
    starts first.
    """
    url = engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:  # the usual case, at head already, takes no write lock
        at = _revision(conn)
    if at == head():
        return Upgrade(before=at, after=at)
    if not auto_upgrade:
        raise SchemaError(f"database {shown(url)} is at revision {at or 'none'}, this code needs "
                          f"{head()}: run `{UPGRADE_COMMAND}` with CONFLICTMAP_DB set to it")
    target: str | Engine = engine if is_memory(url) else url
    with _transaction(target) as conn:
        return _upgrade(conn, url, "head")
