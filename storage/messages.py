"""Message queries: record inbound and outbound messages exactly once, and edits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, update
from sqlmodel import Session, select

from storage._sql import insert_ignore
from storage.models import Customer, Message

MESSAGE = Message.__table__  # type: ignore[attr-defined]
CUSTOMER = Customer.__table__  # type: ignore[attr-defined]


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


def sentiment_columns(sentiment: SentimentFields | None) -> dict[str, Any]:
    """The four sentiment columns of a message row (all None without a result)."""
    if sentiment is None:
        return dict.fromkeys(
            ("sentiment_polarity", "sentiment_label", "sentiment_lang", "sentiment_version")
        )
    return {
        "sentiment_polarity": sentiment.polarity,
        "sentiment_label": sentiment.label,
        "sentiment_lang": sentiment.lang,
        "sentiment_version": sentiment.version,
    }


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
    assert customer.id is not None
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "direction": direction,
        "kind": kind,
        "text": text,
        "chat_id": chat_id,
        "telegram_message_id": telegram_message_id,
        "callback_id": callback_id,
        "sent_at": sent_at,
        **sentiment_columns(sentiment),
    }
    connection = session.connection()
    statement = insert_ignore(MESSAGE, connection.dialect.name, MESSAGE.c.id)
    message_id = connection.execute(statement, values).scalar_one_or_none()
    return None if message_id is None else session.get(Message, message_id)


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


def _stale_sentiment(version: int, kinds: Collection[str], command_prefix: str) -> Any:
    return and_(
        MESSAGE.c.direction == "in",
        MESSAGE.c.text.is_not(None),
        or_(MESSAGE.c.sentiment_version.is_(None), MESSAGE.c.sentiment_version < version),
        or_(
            MESSAGE.c.kind.in_(list(kinds)),
            and_(MESSAGE.c.kind == "command", MESSAGE.c.text.like(f"{command_prefix}%")),
        ),
    )


def stale_sentiment(
    *,
    session: Session,
    version: int,
    kinds: Collection[str],
    command_prefix: str,
    after_id: int = 0,
    limit: int = 1000,
) -> list[tuple[int, str, str]]:
    """(id, kind, text) of inbound messages scored by an older analyzer (or never), by id.

    Texts of `kinds` qualify, and commands starting with `command_prefix` (e.g. "/feedback ").
    """
    rows = session.connection().execute(
        select(MESSAGE.c.id, MESSAGE.c.kind, MESSAGE.c.text)
        .where(MESSAGE.c.id > after_id, _stale_sentiment(version, kinds, command_prefix))
        .order_by(MESSAGE.c.id)
        .limit(limit)
    )
    return [(row.id, row.kind, row.text) for row in rows]


def count_stale_sentiment(
    *, session: Session, version: int, kinds: Collection[str], command_prefix: str
) -> int:
    statement = (
        select(func.count())
        .select_from(MESSAGE)
        .where(_stale_sentiment(version, kinds, command_prefix))
    )
    return int(session.connection().execute(statement).scalar_one())


_STORE_SENTIMENT = (
    update(MESSAGE)
    .where(MESSAGE.c.id == bindparam("message_id"))
    .values(
        sentiment_polarity=bindparam("polarity"),
        sentiment_label=bindparam("label"),
        sentiment_lang=bindparam("lang"),
        sentiment_version=bindparam("version"),
    )
)


def store_sentiments(*, session: Session, results: Mapping[int, SentimentFields]) -> None:
    """Write many messages' sentiment in one executemany."""
    if not results:
        return
    session.connection().execute(
        _STORE_SENTIMENT,
        [
            {
                "message_id": message_id,
                "polarity": s.polarity,
                "label": s.label,
                "lang": s.lang,
                "version": s.version,
            }
            for message_id, s in results.items()
        ],
    )


def sent_to(*, session: Session, customer_id: int | None, message_id: int) -> bool:
    """Whether bot message `message_id` (Telegram's id) went to this customer's chat: a button
    on it belongs to them (not to whoever had the chat before a /forget).

    Looked up by the customer's chat and the message id (uq_message_chat_msg, one row), not
    by customer and direction (ix_message_customer_measures: all their outbound messages)."""
    c = CUSTOMER.c
    chat = select(func.coalesce(c.chat_id, c.telegram_id)).where(c.id == customer_id)
    statement = select(MESSAGE.c.id).where(
        MESSAGE.c.chat_id == chat.scalar_subquery(),
        MESSAGE.c.telegram_message_id == message_id,
        MESSAGE.c.customer_id == customer_id,
        MESSAGE.c.direction == "out",
    )
    return session.exec(statement).first() is not None
