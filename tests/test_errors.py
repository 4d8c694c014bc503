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


def test_an_import_failure_names_the_file_stage_and_lines_and_says_nothing_was_saved() -> None:
    from geo.errors import ImportFailed

    statement = "INSERT INTO events VALUES " + ", ".join(["(?, ?)"] * 50_000)
    exc = sqlalchemy.exc.OperationalError(statement, tuple(range(100_000)), sqlite3.OperationalError("disk I/O error"))
    failed = ImportFailed("acled_africa.csv", "saving", 40_002, 60_001, readable(exc))
    assert str(failed) == ("acled_africa.csv: saving lines 40,002-60,001 failed: disk I/O error. Nothing was saved: "
                           "the database is as it was before the import.")
    long = ImportFailed("x.csv", "committing", 2, 2, readable(sqlalchemy.exc.OperationalError(
        statement, (), sqlite3.OperationalError("a reason " * 200))))
    assert str(long).startswith("x.csv: committing line 2 failed: a reason") and len(str(long)) < 320
