"""SQLModel tables. Timestamps are timezone-aware UTC in Python, whatever the database stores.

The schema itself is owned by the Alembic migrations in `storage/migrations/`; these classes
must match them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns aware UTC datetimes (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Customer(SQLModel, table=True):
    """A person who wrote to the bot in a private chat; personal fields are emptied by /forget."""

    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, unique=True))
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = Field(default=None, index=True)
    language: str = "id"
    language_locked: bool = False  # chosen with /lang: /start no longer follows Telegram's
    first_seen: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    birthday_day: int | None = None
    birthday_month: int | None = None
    referral_code: str = Field(unique=True)
    referred_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="SET NULL"), index=True),
    )
    opted_out: bool = False
    blocked: bool = False
    erased_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # The current CES, kept fresh by every scoring run and by the per-customer refresh.
    ces: float | None = None
    segment: str | None = None
    declining: bool = False
    scored_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Message(SQLModel, table=True):
    """One inbound or outbound message (or button press) in a customer's private chat."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("chat_id", "telegram_message_id", name="uq_message_chat_msg"),
        UniqueConstraint("callback_id", name="uq_message_callback"),
        Index("ix_message_customer_sent", "customer_id", "sent_at"),
        # Covers the CES aggregation over inbound messages (migration 0004).
        Index(
            "ix_message_customer_measures",
            "customer_id",
            "direction",
            "sent_at",
            "kind",
            "sentiment_polarity",
        ),
        Index("ix_message_direction_sent", "direction", "sent_at"),
        Index("ix_message_sentiment_version", "sentiment_version"),
        Index("ix_message_update", "update_id"),
        # The owner report's scans of a period (migration 0006): active customers, sentiment
        # mix and unanswered questions read this index alone, never the rows.
        Index(
            "ix_message_report",
            "direction",
            "sent_at",
            "customer_id",
            "kind",
            "sentiment_label",
            "sentiment_polarity",
        ),
        # Owner-written replies only (migration 0006): the last reply per customer.
        Index(
            "ix_message_owner_reply",
            "customer_id",
            "sent_at",
            sqlite_where=sql_text("sent_by IS NOT NULL"),
            postgresql_where=sql_text("sent_by IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    direction: str  # "in" | "out"
    kind: str  # text, command, photo, sticker, voice, video, document, location, contact, ...
    text: str | None = None
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    telegram_message_id: int | None = None
    callback_id: str | None = None  # set for button presses (kind "callback")
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    sentiment_polarity: float | None = None
    sentiment_label: str | None = None
    sentiment_lang: str | None = None
    sentiment_version: int | None = None
    # The inbox update this message came in with, or (outbound) the update it answers.
    update_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    # Outbound only: "sending" (asked Telegram, no answer yet), "sent", "unconfirmed" (the call
    # timed out or the process died: it may have been delivered, so it is never resent
    # blindly), "failed" (Telegram refused it).
    delivery: str | None = None
    # The length of the text as received, when characters a database refuses (NUL) were cleaned.
    original_length: int | None = None
    # Outbound written by an owner through the console: that owner's Telegram id (else None).
    sent_by: int | None = Field(default=None, sa_column=Column(BigInteger))


class Feedback(SQLModel, table=True):
    """A CSAT (1-5) or NPS (0-10) answer, or free-text feedback, from one customer."""

    __tablename__ = "feedback"
    __table_args__ = (
        # One answer per prompt: a second press on the same keyboard updates the row.
        UniqueConstraint("customer_id", "kind", "prompt_message_id", name="uq_feedback_prompt"),
        Index("ix_feedback_customer_created", "customer_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str  # "csat" | "nps" | "text"
    score: int | None = None
    comment: str | None = None
    prompt_message_id: int | None = None  # the bot message holding the rating keyboard
    message_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("message.id", ondelete="SET NULL")),
    )
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Purchase(SQLModel, table=True):
    """Money a customer spent: from a CSV import, an owner command or the API."""

    __tablename__ = "purchase"
    __table_args__ = (Index("ix_purchase_customer_time", "customer_id", "purchased_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    # Exact money: an integer count of 1/100 of the currency unit (no binary floats).
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = "IDR"
    purchased_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    source: str = "csv"  # csv | owner | api
    external_id: str | None = None
    # The shop's order id when given, else a digest of the row: importing twice adds nothing.
    dedupe_key: str = Field(unique=True)
    note: str | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Score(SQLModel, table=True):
    """One CES snapshot of one customer from one scoring run (history for trends)."""

    __tablename__ = "score"
    __table_args__ = (
        Index("ix_score_customer_time", "customer_id", "computed_at"),
        Index("ix_score_time", "computed_at"),
        # The owner report's segments over time: a run's counts from the index alone (0006).
        Index("ix_score_time_segment", "computed_at", "segment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    computed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ces: float
    frequency: float | None = None
    recency: float | None = None
    depth: float | None = None
    monetary: float | None = None
    sentiment: float | None = None
    satisfaction: float | None = None
    segment: str
    declining: bool = False


class InboxUpdate(SQLModel, table=True):
    """A raw Telegram update, committed before Telegram is told it arrived (the durable inbox).

    Processing runs from here; `processed_at` marks it done. Processed rows are pruned after
    INBOX_RETENTION.
    """

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_pending", "processed_at", "update_id"),)

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # When a process took it to handle; a live process renews it, so a stale one was abandoned.
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    attempts: int = 0
    processed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    error: str | None = None  # why processing gave up (the update is kept until pruned)


class PendingPrompt(SQLModel, table=True):
    """A question the bot asked and whose answer is the customer's next message (/feedback)."""

    __tablename__ = "pending_prompt"
    __table_args__ = (PrimaryKeyConstraint("customer_id", "kind", name="pk_pending_prompt"),)

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str  # "feedback"
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


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
