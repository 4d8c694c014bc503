"""Alembic environment for Conflict Map: configured from Python by :mod:`geo.db`, no ``alembic.ini``.

:func:`geo.db.config` passes an open connection (inside the caller's transaction) in
``config.attributes["connection"]``; without one, the URL in ``sqlalchemy.url`` is opened.
``render_as_batch`` lets the same scripts alter tables on SQLite (copy and move) and on PostgreSQL.
"""
from __future__ import annotations

from alembic import context

from geo.db import migration_engine
from geo.storage import metadata

config = context.config


def _run(connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    # transactional_ddl: geo.db runs the migrations in one real transaction (BEGIN IMMEDIATE on SQLite)
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True,
                      transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """Run the migrations offline (SQL text), on the given connection, or on the configured URL."""
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                          render_as_batch=True, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = migration_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


run_migrations()
