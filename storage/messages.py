"""Message queries: record inbound and outbound messages exactly once, and edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.models import Customer, Message


@dataclass(frozen=True, slots=True)
class SentimentFields:
    """A sentiment result as stored on a message row."""

    polarity: float
    label: str
    lang: str
    version: int


def find_message(*, session: Session, chat_id: int, telegram_message_id: int) -> Message | None:
    return session.exec(
        select(Message).where(
            Message.chat_id == chat_id, Message.telegram_message_id == telegram_message_id
        )
    ).first()


def find_callback(*, session: Session, callback_id: str) -> Message | None:
    return session.exec(select(Message).where(Message.callback_id == callback_id)).first()


def _apply_sentiment(message: Message, sentiment: SentimentFields | None) -> None:
    if sentiment is None:
        return
    message.sentiment_polarity = sentiment.polarity
    message.sentiment_label = sentiment.label
    message.sentiment_lang = sentiment.lang
    message.sentiment_version = sentiment.version


def record_message(
    *,
    session: Session,
    customer: Customer,
    direction: str,
    kind: str,
    text: str | None,
    chat_id: int,
    telegram_message_id: int | None,
    sent_at: datetime,
    callback_id: str | None = None,
    sentiment: SentimentFields | None = None,
) -> Message | None:
    """Add one message; None when this Telegram message (or callback) is already recorded."""
    if telegram_message_id is not None and find_message(
        session=session, chat_id=chat_id, telegram_message_id=telegram_message_id
    ):
        return None
    if callback_id is not None and find_callback(session=session, callback_id=callback_id):
        return None
    assert customer.id is not None
    message = Message(
        customer_id=customer.id,
        direction=direction,
        kind=kind,
        text=text,
        chat_id=chat_id,
        telegram_message_id=telegram_message_id,
        callback_id=callback_id,
        sent_at=sent_at,
    )
    _apply_sentiment(message, sentiment)
    session.add(message)
    session.flush()
    return message


def record_edit(
    *,
    session: Session,
    chat_id: int,
    telegram_message_id: int,
    text: str | None,
    edited_at: datetime,
    sentiment: SentimentFields | None = None,
) -> Message | None:
    """Store the new text of an edited message; None if the original was never recorded."""
    message = find_message(
        session=session, chat_id=chat_id, telegram_message_id=telegram_message_id
    )
    if message is None:
        return None
    if message.edited_at is not None and message.edited_at >= edited_at:
        return message  # a redelivered or out-of-order edit: keep the newest text
    message.text = text
    message.edited_at = edited_at
    _apply_sentiment(message, sentiment)
    session.add(message)
    return message


def conversation(*, session: Session, customer_id: int) -> list[Message]:
    """A customer's messages, oldest first."""
    return list(
        session.exec(
            select(Message)
            .where(Message.customer_id == customer_id)
            .order_by(Message.sent_at, Message.id)  # type: ignore[arg-type]
        )
    )
