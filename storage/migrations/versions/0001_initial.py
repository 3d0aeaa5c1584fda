"""Customers, their messages and their feedback.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), unique=True),
        sa.Column("chat_id", sa.BigInteger()),
        sa.Column("first_name", sa.String()),
        sa.Column("last_name", sa.String()),
        sa.Column("username", sa.String()),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("language_locked", sa.Boolean(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("birthday_day", sa.Integer()),
        sa.Column("birthday_month", sa.Integer()),
        sa.Column("referral_code", sa.String(), nullable=False, unique=True),
        sa.Column(
            "referred_by_id", sa.Integer(), sa.ForeignKey("customer.id", ondelete="SET NULL")
        ),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("erased_at", UTCDateTime()),
    )
    op.create_index("ix_customer_username", "customer", ["username"])
    op.create_index("ix_customer_referred_by_id", "customer", ["referred_by_id"])

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "customer_id",
            sa.Integer(),
            sa.ForeignKey("customer.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("text", sa.String()),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_message_id", sa.Integer()),
        sa.Column("callback_id", sa.String()),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("edited_at", UTCDateTime()),
        sa.Column("sentiment_polarity", sa.Float()),
        sa.Column("sentiment_label", sa.String()),
        sa.Column("sentiment_lang", sa.String()),
        sa.UniqueConstraint("chat_id", "telegram_message_id", name="uq_message_chat_msg"),
        sa.UniqueConstraint("callback_id", name="uq_message_callback"),
    )
    op.create_index("ix_message_customer_sent", "message", ["customer_id", "sent_at"])
    op.create_index("ix_message_direction_sent", "message", ["direction", "sent_at"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "customer_id",
            sa.Integer(),
            sa.ForeignKey("customer.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("score", sa.Integer()),
        sa.Column("comment", sa.String()),
        sa.Column("prompt_message_id", sa.Integer()),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("message.id", ondelete="SET NULL")),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("customer_id", "kind", "prompt_message_id", name="uq_feedback_prompt"),
    )
    op.create_index("ix_feedback_customer_created", "feedback", ["customer_id", "created_at"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("message")
    op.drop_table("customer")
