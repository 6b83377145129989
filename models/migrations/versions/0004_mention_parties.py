"""deal mentions keep their own parties (licensor_id, licensee_id), and deal_summary's first_url breaks
publication-date ties by URL, not by article id, so both are the same whatever order articles were stored in

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pharmadeals.models.views import FIRST_URL_BY_ID, FIRST_URL_ORDER, VIEWS

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for view in ("deal_summary", "deal_sources"):  # SQLite's batch mode copies the table under the views
        op.execute(f"DROP VIEW IF EXISTS {view}")
    if op.get_bind().dialect.name == "sqlite":
        # Never recreate the table on SQLite: with foreign keys on, dropping the old copy would cascade and
        # delete every mention_amounts row. ADD COLUMN with REFERENCES keeps the rows and adds the key.
        for role in ("licensor_id", "licensee_id"):
            op.execute(f"ALTER TABLE deal_mentions ADD COLUMN {role} INTEGER REFERENCES companies (id)")
    else:
        with op.batch_alter_table("deal_mentions", schema=None) as batch_op:
            batch_op.add_column(sa.Column("licensor_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("licensee_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key("fk_deal_mentions_licensor_id", "companies", ["licensor_id"], ["id"])
            batch_op.create_foreign_key("fk_deal_mentions_licensee_id", "companies", ["licensee_id"], ["id"])
    # Mentions stored before this revision take their deal's parties (what they were joined under).
    for role in ("licensor_id", "licensee_id"):
        op.execute(f"UPDATE deal_mentions SET {role} = (SELECT d.{role} FROM deals d WHERE d.id = deal_mentions.deal_id)")
    op.execute(VIEWS["deal_summary"])
    op.execute(VIEWS["deal_sources"])


def downgrade() -> None:
    for view in ("deal_summary", "deal_sources"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    if op.get_bind().dialect.name == "sqlite":
        # The columns were added with unnamed REFERENCES: batch mode drops them with the table copy (migrate.py
        # runs it with foreign keys off, so the copy's DROP TABLE cascades into nothing).
        with op.batch_alter_table("deal_mentions", schema=None) as batch_op:
            batch_op.drop_column("licensee_id")
            batch_op.drop_column("licensor_id")
    else:
        with op.batch_alter_table("deal_mentions", schema=None) as batch_op:
            batch_op.drop_constraint("fk_deal_mentions_licensee_id", type_="foreignkey")
            batch_op.drop_constraint("fk_deal_mentions_licensor_id", type_="foreignkey")
            batch_op.drop_column("licensee_id")
            batch_op.drop_column("licensor_id")
    op.execute(VIEWS["deal_summary"].replace(FIRST_URL_ORDER, FIRST_URL_BY_ID))
    op.execute(VIEWS["deal_sources"])
