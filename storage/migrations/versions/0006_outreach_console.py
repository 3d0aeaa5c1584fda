"""The outreach outbox, campaigns, and the owner console's relays and forum topics.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("segment", sa.String(), nullable=False),
        sa.Column("text_a", sa.Text(), nullable=False),
        sa.Column("text_b", sa.Text(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outreach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("variant", sa.String(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("responded_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_outreach_dedupe"),
    )
    op.create_index("ix_outreach_due", "outreach", ["status", "due_at"])
    op.create_index("ix_outreach_customer_sent", "outreach", ["customer_id", "sent_at"])
    op.create_index("ix_outreach_kind_status", "outreach", ["kind", "status"])
    op.create_index("ix_outreach_campaign", "outreach", ["campaign_id", "variant"])
    op.create_table(
        "owner_relay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("owner_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("owner_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_chat_id", "owner_message_id", name="uq_owner_relay_message"),
        sa.UniqueConstraint("message_id", "owner_chat_id", name="uq_owner_relay_source"),
    )
    op.create_index("ix_owner_relay_customer", "owner_relay", ["customer_id"])
    op.create_index("ix_owner_relay_status", "owner_relay", ["status", "owner_chat_id", "id"])
    op.create_table(
        "customer_topic",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
        sa.UniqueConstraint("chat_id", "thread_id", name="uq_customer_topic_thread"),
    )
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("sent_by", sa.BigInteger(), nullable=True))
    # The owner report (bot/services/report.py): period scans without reading rows, and the
    # last owner-written reply per customer.
    op.create_index(
        "ix_message_report",
        "message",
        ["direction", "sent_at", "customer_id", "kind", "sentiment_label", "sentiment_polarity"],
    )
    op.create_index(
        "ix_message_owner_reply",
        "message",
        ["customer_id", "sent_at"],
        sqlite_where=sa.text("sent_by IS NOT NULL"),
        postgresql_where=sa.text("sent_by IS NOT NULL"),
    )
    op.create_index("ix_score_time_segment", "score", ["computed_at", "segment"])
    op.create_table(
        "owner_reply_mode",
        sa.Column("owner_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id"),
    )


def downgrade() -> None:
    op.drop_table("owner_reply_mode")
    op.drop_index("ix_score_time_segment", table_name="score")
    op.drop_index("ix_message_owner_reply", table_name="message")
    op.drop_index("ix_message_report", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("sent_by")
    op.drop_table("customer_topic")
    op.drop_index("ix_owner_relay_status", table_name="owner_relay")
    op.drop_index("ix_owner_relay_customer", table_name="owner_relay")
    op.drop_table("owner_relay")
    for name in (
        "ix_outreach_campaign",
        "ix_outreach_kind_status",
        "ix_outreach_customer_sent",
        "ix_outreach_due",
    ):
        op.drop_index(name, table_name="outreach")
    op.drop_table("outreach")
    op.drop_table("campaign")
