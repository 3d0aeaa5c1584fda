"""The durable inbox, outbound delivery state, and prompts that outlive a restart.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("update_id"),
    )
    op.create_index("ix_inbox_pending", "inbox", ["processed_at", "update_id"])
    op.create_index("ix_inbox_chat_id", "inbox", ["chat_id"])
    op.create_table(
        "pending_prompt",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", "kind", name="pk_pending_prompt"),
    )
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("update_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("delivery", sa.String(), nullable=True))
        batch.add_column(sa.Column("original_length", sa.Integer(), nullable=True))
    op.create_index("ix_message_update", "message", ["update_id"])


def downgrade() -> None:
    op.drop_index("ix_message_update", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("original_length")
        batch.drop_column("delivery")
        batch.drop_column("update_id")
    op.drop_table("pending_prompt")
    op.drop_index("ix_inbox_chat_id", table_name="inbox")
    op.drop_index("ix_inbox_pending", table_name="inbox")
    op.drop_table("inbox")
