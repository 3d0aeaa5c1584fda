"""Tables of customers and what they say: the customer, their messages, their feedback, the
question awaiting their answer, and the durable inbox their updates arrive in.

Part of `storage.models`, which re-exports every table; import them from there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


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
        Index("ix_message_sentiment_version", "sentiment_version"),
        Index("ix_message_update", "update_id"),
        # The owner report's scans of a period (migration 0006): active customers, sentiment
        # mix and unanswered questions read this index alone, never the rows. Any query by
        # direction and time uses it (migration 0009 dropped the narrower copy).
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


class PendingPrompt(SQLModel, table=True):
    """A question the bot asked and whose answer is the customer's next message (/feedback)."""

    __tablename__ = "pending_prompt"
    __table_args__ = (PrimaryKeyConstraint("customer_id", "kind", name="pk_pending_prompt"),)

    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str  # "feedback"
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


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
