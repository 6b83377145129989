"""deal_summary gains has_conflict (appended; existing columns unchanged)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from __future__ import annotations

from alembic import op

from pharmadeals.models.views import HAS_CONFLICT, VIEWS

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Views cannot be altered in place on SQLite: drop and recreate with the column appended at the end.
    op.execute("DROP VIEW IF EXISTS deal_summary")
    op.execute(VIEWS["deal_summary"])


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS deal_summary")
    op.execute(VIEWS["deal_summary"].replace(HAS_CONFLICT, ""))
