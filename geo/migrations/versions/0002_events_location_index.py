"""Index events by latitude and longitude, for bounding-box reads in SQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-01
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.create_index("ix_events_lat_lon", ["latitude", "longitude"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_lat_lon")

