"""The journal of what the bot sends to customers (see storage/outbound.py): plain values,
each call a piece of one transaction that the bot object commits before and after the call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage import customers, messages, outbound
from storage.db import session_scope


def begin(
    session: Session,
    *,
    chat_id: int,
    kind: str,
    text: str | None,
    update_id: int | None,
    now: datetime,
    sent_by: int | None = None,
) -> int | None:
    """Journal a send as "sending"; the row id, or None when the chat is no customer's."""
    return outbound.begin(
        session=session,
        chat_id=chat_id,
        kind=kind,
        text=text,
        update_id=update_id,
        now=now,
        sent_by=sent_by,
    )


def sent(
    session: Session,
    row_id: int,
    *,
    telegram_message_id: int,
    sent_at: datetime,
    kind: str,
    text: str | None,
) -> None:
    outbound.finish(
        session=session,
        row_id=row_id,
        telegram_message_id=telegram_message_id,
        sent_at=sent_at,
        kind=kind,
        text=text,
    )


def not_sent(session: Session, row_id: int, *, delivery: str) -> None:
    """ "unconfirmed" (timed out: it may have arrived) or "failed" (Telegram refused it)."""
    outbound.set_delivery(session=session, row_id=row_id, delivery=delivery)


def blocked(session: Session, chat_id: int) -> None:
    customers.mark_blocked(session=session, chat_id=chat_id)


def edited(
    session: Session, *, chat_id: int, telegram_message_id: int, text: str | None, at: datetime
) -> None:
    messages.record_edit(
        session=session,
        chat_id=chat_id,
        telegram_message_id=telegram_message_id,
        text=text,
        edited_at=at,
    )


def recover(engine: Engine, *, before: datetime) -> int:
    """Sends journalled before `before` with no answer (the process died): unconfirmed."""
    with session_scope(engine) as session:
        return outbound.unconfirm_sending(session=session, before=before)
