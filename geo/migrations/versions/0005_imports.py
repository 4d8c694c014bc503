"""Imports: one row per file imported (issue 13 asks each import to record its source, file and hash; issue 15).

``imports``: the source (``acled`` or ``ucdp``), the file's name and SHA-256, how many data rows it
had, how many events were imported and how many rows rejected, who imported it and when (seconds
since the epoch).  Written in the import's own transaction, so an import that fails records nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("imported", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("user", sa.String(200)),
        sa.Column("at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_imports_sha256", table_name="imports")
    op.drop_table("imports")
