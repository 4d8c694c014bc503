"""Error messages a person can read: what failed, never the SQL statement or its parameters.

SQLAlchemy's messages carry the statement and every bound parameter ("[SQL: DELETE ... IN (?, ?, ...)]
[parameters: (...)]"): for a large import that is megabytes of text, and it can show data to whoever
reads the log.  :func:`readable` keeps the database's own reason ("database is locked",
"too many SQL variables", "connection refused") and drops the rest.
"""
from __future__ import annotations

import re

import sqlalchemy.exc

MAX_REASON = 300  # characters of the database's own reason kept
SQL_DETAIL = re.compile(r"\s*\[(?:SQL|parameters|Background on this error)[^\]]*\].*$", re.DOTALL)
HINTS = {
    "database is locked": "another save is in progress; try again in a moment",
    "too many sql variables": "the request was too large for the database in one statement",
    "connection refused": "the database server is not reachable",
    "readonly database": "the database file cannot be written",
    "no such table": "the database has not been set up: run `python -m geo db upgrade`",
    "does not exist": "the database or a table in it does not exist: run `python -m geo db upgrade`",
}


def readable(exc: BaseException) -> str:
    """One line saying why a database operation failed, without SQL or parameters."""
    if isinstance(exc, sqlalchemy.exc.StatementError) and exc.orig is not None:
        reason = str(exc.orig)
    else:
        reason = str(exc)
    reason = SQL_DETAIL.sub("", reason).strip().splitlines()[0] if reason.strip() else type(exc).__name__
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + "…"
    hint = next((text for key, text in HINTS.items() if key in reason.lower()), "")
    return f"{reason} ({hint})" if hint else reason
