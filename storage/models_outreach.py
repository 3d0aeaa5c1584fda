"""Tables of what the shop sends and the owner console: campaigns, the outreach outbox,
relays to owner chats, customers' forum topics and owners' reply mode.

Part of `storage.models`, which re-exports every table; import them from there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


class Campaign(SQLModel, table=True):
    """An owner's broadcast to a segment, with one or two variants (A/B); its messages are
    outreach rows (`outreach.campaign_id`)."""

    __tablename__ = "campaign"

    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))  # owner's Telegram id
    segment: str  # all | advocate | potential | at_risk | new | declining
    text_a: str = Field(sa_column=Column(Text, nullable=False))
    text_b: str | None = Field(default=None, sa_column=Column(Text))
    status: str = "draft"  # draft | sending | done | cancelled
    # While a draft: what the owner does next (segment | text_a | ask_b | text_b | confirm);
    # "text_a"/"text_b" mean the owner's next message is that variant's text.
    step: str | None = None
    recipients: int = 0
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Outreach(SQLModel, table=True):
    """One automated message (the outbox): planned, then sent at most once.

    `dedupe_key` is unique per intent (`birthday:<customer>:<year>`), so a planner that runs
    twice, or two processes racing, plan it once. Status: planned -> sending -> sent, or
    failed / skipped / expired / unconfirmed / cancelled, with `reason`.
    """

    __tablename__ = "outreach"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_outreach_dedupe"),
        Index("ix_outreach_due", "status", "due_at"),
        Index("ix_outreach_customer_sent", "customer_id", "sent_at"),
        # Sent rows of a period (response tracking, the report's engagement), not every sent
        # row ever through ix_outreach_due (migration 0008).
        Index("ix_outreach_status_sent", "status", "sent_at"),
        Index("ix_outreach_kind_status", "kind", "status"),
        Index("ix_outreach_campaign", "campaign_id", "variant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # rating | complaint_followup | birthday | holiday | anniversary | at_risk | campaign
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    dedupe_key: str
    template: str  # the template key it was rendered from
    variant: str | None = None  # "A" / "B" for campaigns
    campaign_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("campaign.id", ondelete="SET NULL")),
    )
    language: str = "id"
    text: str = Field(sa_column=Column(Text, nullable=False))
    priority: int = 0  # higher wins when caps allow only one (complaint highest)
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # After this it expires instead of going out late (a birthday greeting never the day after).
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    status: str = "planned"
    reason: str | None = None  # why skipped / expired / failed / cancelled / deferred
    attempts: int = 0
    last_error: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    telegram_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    responded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OwnerRelay(SQLModel, table=True):
    """A customer's message as relayed to one owner chat: a reply to it goes to that customer."""

    __tablename__ = "owner_relay"
    __table_args__ = (
        UniqueConstraint("owner_chat_id", "owner_message_id", name="uq_owner_relay_message"),
        # One relay per customer message and owner chat: a replayed update relays once.
        UniqueConstraint("message_id", "owner_chat_id", name="uq_owner_relay_source"),
        Index("ix_owner_relay_customer", "customer_id"),
        Index("ix_owner_relay_status", "status", "owner_chat_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    # The customer's message (message.id); None for alerts and cards not tied to one message.
    message_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("message.id", ondelete="CASCADE"))
    )
    owner_chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    owner_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # planned -> sending (asked Telegram: maybe delivered, never resent) -> sent | failed.
    status: str = "planned"


class CustomerTopic(SQLModel, table=True):
    """The forum topic of one customer in the owners' supergroup (`OWNER_CHAT_ID`)."""

    __tablename__ = "customer_topic"
    __table_args__ = (UniqueConstraint("chat_id", "thread_id", name="uq_customer_topic_thread"),)

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    )
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    thread_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OwnerReplyMode(SQLModel, table=True):
    """An owner who pressed "Balas": their next message in that chat goes to this customer."""

    __tablename__ = "owner_reply_mode"

    owner_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))  # where the owner pressed
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OwnerProfile(SQLModel, table=True):
    """An owner's language, as their Telegram app last said: relays and alerts use it."""

    __tablename__ = "owner_profile"

    owner_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    language: str
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
