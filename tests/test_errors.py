"""Database errors as a person reads them: the reason, never the SQL or its parameters."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from geo.errors import readable


def test_the_statement_and_its_parameters_are_left_out() -> None:
    statement = "DELETE FROM events WHERE event_id_cnty IN (" + ", ".join(["?"] * 100_000) + ")"
    exc = sqlalchemy.exc.OperationalError(statement, tuple(range(100_000)),
                                          sqlite3.OperationalError("too many SQL variables"))
    message = readable(exc)
    assert "DELETE" not in message and "?" not in message and "99999" not in message
    assert message.startswith("too many SQL variables") and len(message) < 200


@pytest.mark.parametrize(("reason", "hint"), [
    ("database is locked", "another save is in progress"),
    ("no such table: events", "python -m geo db upgrade"),
])
def test_a_known_reason_says_what_to_do(reason: str, hint: str) -> None:
    exc = sqlalchemy.exc.OperationalError("SELECT 1", (), sqlite3.OperationalError(reason))
    assert hint in readable(exc)


def test_a_real_failure_reads_the_same_way(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(sqlalchemy.exc.SQLAlchemyError) as caught, engine.connect() as conn:
        conn.execute(sa.text("SELECT secret FROM missing WHERE id = :id"), {"id": 12345})
    message = readable(caught.value)
    assert message.startswith("no such table: missing") and "12345" not in message and "SELECT" not in message
