"""Hostage cases and their status histories (issue 14).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hostage_cases",
        sa.Column("case_id", sa.String(100), primary_key=True),
        sa.Column("event_id_cnty", sa.String(100)),
        sa.Column("taken", sa.Date),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "hostage_case_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("happened", sa.Date),
        sa.Column("time_precision", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("people", sa.Integer),
    )
    op.create_index("ix_hostage_case_history_case_id", "hostage_case_history", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_hostage_case_history_case_id", table_name="hostage_case_history")
    op.drop_table("hostage_case_history")
    op.drop_table("hostage_cases")
