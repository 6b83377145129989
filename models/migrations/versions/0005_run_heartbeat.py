"""runs gain heartbeat_at and abandon_after_seconds; the run_summary view shows silent runs as abandoned

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pharmadeals.models.views import VIEWS, run_summary_sql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# What runs recorded before this revision are judged by: the default of runs.abandon_after_seconds then.
EARLIER_RUNS_ABANDON_AFTER = 600.0


def upgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("abandon_after_seconds", sa.Float(), nullable=True))
    # a run killed before this revision never beats: its start is its last sign of life
    op.execute(sa.text("UPDATE runs SET abandon_after_seconds = :after").bindparams(after=EARLIER_RUNS_ABANDON_AFTER))
    op.execute(run_summary_sql(op.get_bind().dialect.name))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS run_summary")
    op.execute("DROP VIEW IF EXISTS ingest_log")  # SQLite rebuilds `runs` to drop columns; no view may name it
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("abandon_after_seconds")
        batch_op.drop_column("heartbeat_at")
    op.execute(VIEWS["ingest_log"])
