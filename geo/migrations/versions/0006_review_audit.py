"""Sign-in roles, a review status on events and zones, event versions, and an append-only audit trail (issue 13).

- ``users``: a signed-in user's role (viewer, analyst, editor), who added them and when. A user the
  table does not name is a viewer.
- ``events.review_status`` and ``control_zones.review_status``: ``draft``, ``published`` or ``retracted``
  (named so because ``control_zones.status`` is the control status).  The server default is
  ``published``, so the data already stored, and every bulk import that does not say otherwise, stays
  published; who reviewed it last and when (``reviewed_by``, ``reviewed_at``).
- ``events.version``, ``saved_by``, ``saved_at``: an event's version for optimistic locking, as zones have.
- ``audit``: one row per change (who, when, action, kind, object id, reason, before and after as JSON);
  one row for a bulk import.  Append-only: triggers refuse UPDATE and DELETE on both backends.

Columns are added with constant defaults (ALTER TABLE ADD COLUMN on both backends: no table copy,
cheap on a large events table).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

APPEND_ONLY = "the audit trail is append-only"


def _review_columns() -> list[sa.Column]:
    return [sa.Column("review_status", sa.String(20), nullable=False, server_default="published"),
            sa.Column("reviewed_by", sa.String(320), nullable=True),
            sa.Column("reviewed_at", sa.BigInteger(), nullable=True)]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(320)),
        sa.Column("added_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("user", sa.String(320), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("object_id", sa.String(200)),
        sa.Column("reason", sa.Text),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_index("ix_audit_object", "audit", ["kind", "object_id"])
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_user", "audit", ["user"])
    with op.batch_alter_table("events") as batch:
        for column in _review_columns():
            batch.add_column(column)
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("saved_by", sa.String(320), nullable=True))
        batch.add_column(sa.Column("saved_at", sa.BigInteger(), nullable=True))
    op.create_index("ix_events_review_status", "events", ["review_status"])
    with op.batch_alter_table("control_zones") as batch:
        for column in _review_columns():
            batch.add_column(column)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
                       BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
                   "FOR EACH ROW EXECUTE FUNCTION audit_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_no_{verb}")
    with op.batch_alter_table("control_zones") as batch:
        for name in ("reviewed_at", "reviewed_by", "review_status"):
            batch.drop_column(name)
    op.drop_index("ix_events_review_status", table_name="events")
    with op.batch_alter_table("events") as batch:
        for name in ("saved_at", "saved_by", "version", "reviewed_at", "reviewed_by", "review_status"):
            batch.drop_column(name)
    op.drop_index("ix_audit_user", table_name="audit")
    op.drop_index("ix_audit_at", table_name="audit")
    op.drop_index("ix_audit_object", table_name="audit")
    op.drop_table("audit")
    op.drop_table("users")
