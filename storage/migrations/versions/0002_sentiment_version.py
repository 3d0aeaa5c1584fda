"""Remember which analyzer version scored each message, so `akrab rescore` finds stale rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("sentiment_version", sa.Integer()))
    op.create_index("ix_message_sentiment_version", "message", ["sentiment_version"])


def downgrade() -> None:
    op.drop_index("ix_message_sentiment_version", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("sentiment_version")
