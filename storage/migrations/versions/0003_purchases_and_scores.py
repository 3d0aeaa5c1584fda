"""Purchases (the monetary component), CES snapshots, and each customer's current CES.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def _customer_fk() -> sa.Column:
    return sa.Column(
        "customer_id",
        sa.Integer(),
        sa.ForeignKey("customer.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("ces", sa.Float()))
        batch.add_column(sa.Column("segment", sa.String()))
        batch.add_column(
            sa.Column("declining", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("scored_at", UTCDateTime()))
    op.create_table(
        "purchase",
        sa.Column("id", sa.Integer(), primary_key=True),
        _customer_fk(),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("purchased_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("external_id", sa.String()),
        sa.Column("dedupe_key", sa.String(), nullable=False, unique=True),
        sa.Column("note", sa.String()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_purchase_customer_time", "purchase", ["customer_id", "purchased_at"])
    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), primary_key=True),
        _customer_fk(),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("ces", sa.Float(), nullable=False),
        sa.Column("frequency", sa.Float()),
        sa.Column("recency", sa.Float()),
        sa.Column("depth", sa.Float()),
        sa.Column("monetary", sa.Float()),
        sa.Column("sentiment", sa.Float()),
        sa.Column("satisfaction", sa.Float()),
        sa.Column("segment", sa.String(), nullable=False),
        sa.Column("declining", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_score_customer_time", "score", ["customer_id", "computed_at"])
    op.create_index("ix_score_time", "score", ["computed_at"])


def downgrade() -> None:
    op.drop_table("score")
    op.drop_table("purchase")
    with op.batch_alter_table("customer") as batch:
        for column in ("scored_at", "declining", "segment", "ces"):
            batch.drop_column(column)
