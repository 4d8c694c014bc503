"""Error messages a person can read: what failed, never the SQL statement or its parameters.

SQLAlchemy's messages carry the statement and every bound parameter ("[SQL: DELETE ... IN (?, ?, ...)]
[parameters: (...)]"): for a large import that is megabytes of text, and it can show data to whoever
reads the log.  :func:`readable` keeps the database's own reason ("database is locked",
"too many SQL variables", "connection refused") and drops the rest.
"""
from __future__ import annotations

import re

import sqlalchemy.exc

MAX_REASON = 200  # characters of the database's own reason kept
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


class ImportFailed(Exception):
    """An import stopped part-way and saved nothing: which file, at which stage, on which lines, and why.

    ``stage`` is what was being done (``reading``, ``saving``, ``committing``...); ``first_line`` and
    ``last_line`` the lines of the file it was done for; ``reason`` one readable line (:func:`readable`).
    """

    def __init__(self, file_name: str, stage: str, first_line: int, last_line: int, reason: str) -> None:
        self.file_name, self.stage, self.first_line, self.last_line, self.reason = (
            file_name, stage, first_line, max(last_line, first_line), reason)
        lines = (f"line {first_line:,}" if self.last_line == first_line
                 else f"lines {first_line:,}-{self.last_line:,}")
        super().__init__(f"{file_name}: {stage} {lines} failed: {reason}. Nothing was saved: the database is "
                         "as it was before the import.")
