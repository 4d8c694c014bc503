"""Baseline: the schema as ``create_all`` made it before schema versions existed.

Events in ACLED's 31 columns with claims, abductions and provenance; control zones with their
history; saved views.  Written out in full (not taken from ``geo.storage``), so this revision
creates the same tables whatever the model becomes later.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_NULLABLE_EVENT_COLUMNS = ("assoc_actor_1", "actor2", "assoc_actor_2", "inter2")
_EVENT_COLUMNS = (  # ACLED's 31 columns, in their order, with the type each was stored as
    ("event_id_cnty", sa.String(500)), ("event_date", sa.Date()), ("year", sa.Integer()),
    ("time_precision", sa.Integer()), ("disorder_type", sa.String(500)), ("event_type", sa.String(500)),
    ("sub_event_type", sa.String(500)), ("actor1", sa.String(500)), ("assoc_actor_1", sa.String(500)),
    ("inter1", sa.String(500)), ("actor2", sa.String(500)), ("assoc_actor_2", sa.String(500)),
    ("inter2", sa.String(500)), ("interaction", sa.String(500)), ("civilian_targeting", sa.String(500)),
    ("iso", sa.Integer()), ("region", sa.String(500)), ("country", sa.String(500)), ("admin1", sa.String(500)),
    ("admin2", sa.String(500)), ("admin3", sa.String(500)), ("location", sa.String(500)),
    ("latitude", sa.Float()), ("longitude", sa.Float()), ("geo_precision", sa.Integer()), ("source", sa.Text()),
    ("source_scale", sa.String(500)), ("notes", sa.Text()), ("fatalities", sa.Integer()),
    ("tags", sa.String(500)), ("timestamp", sa.BigInteger()),
)


def upgrade() -> None:
    op.create_table(
        "events",
        *[sa.Column(name, type_, nullable=name in _NULLABLE_EVENT_COLUMNS) for name, type_ in _EVENT_COLUMNS],
        sa.PrimaryKeyConstraint("event_id_cnty"),
    )
    op.create_index("ix_events_date", "events", ["event_date"], unique=False)
    op.create_table(
        "control_zones",
        sa.Column("zone_id", sa.String(64), nullable=False),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("status", sa.String(50), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("claimant", sa.String(500), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("linked_events", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("zone_id"),
    )
    op.create_table(
        "zone_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("zone_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_zone_history_zone_id", "zone_history", ["zone_id"], unique=False)
    op.create_table(
        "views",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "abductions",
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("nationalities", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["event_id_cnty"], ["events.event_id_cnty"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id_cnty"),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.Column("claimant", sa.String(200), nullable=False),
        sa.Column("claimant_type", sa.String(50), nullable=False),
        sa.Column("metric", sa.String(200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("source", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(["event_id_cnty"], ["events.event_id_cnty"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claims_event_id_cnty", "claims", ["event_id_cnty"], unique=False)
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("report", sa.String(500), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["event_id_cnty"], ["events.event_id_cnty"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_provenance_event_id_cnty", "provenance", ["event_id_cnty"], unique=False)


def downgrade() -> None:
    for table in ("provenance", "claims", "abductions", "views", "zone_history", "control_zones", "events"):
        op.drop_table(table)
