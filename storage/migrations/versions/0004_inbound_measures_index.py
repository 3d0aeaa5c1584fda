"""A covering index for the CES aggregation over inbound messages.

`storage.measures` groups inbound messages by customer and reads only sent_at, kind and the
sentiment polarity: with every one of those in the index, the full recompute scans the index in
order instead of looking up each message's row (random reads, the bulk of its time), and the
per-customer refresh reads one short index range.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

COLUMNS = ["customer_id", "direction", "sent_at", "kind", "sentiment_polarity"]


def upgrade() -> None:
    op.create_index("ix_message_customer_measures", "message", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_message_customer_measures", table_name="message")
