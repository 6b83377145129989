"""deal_amount_history: the figures an amendment changed, and the ones it replaced

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deal_amount_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value_text", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("usd_value", sa.Float(), nullable=True),
        sa.Column("event", sa.String(length=30), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mention_id"], ["deal_mentions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deal_id", "kind", "mention_id"),
    )
    with op.batch_alter_table("deal_amount_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_amount_history_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_amount_history_mention_id"), ["mention_id"], unique=False)


def downgrade() -> None:
    op.drop_table("deal_amount_history")
