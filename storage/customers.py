"""Customer queries: registration, profile changes, referrals and erasure (/forget)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from storage.models import Customer, Feedback, Message, Outreach, PendingPrompt

REFERRAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o/1/l/i: codes get read aloud


def new_referral_code() -> str:
    return "".join(secrets.choice(REFERRAL_ALPHABET) for _ in range(8))


def get_customer(*, session: Session, telegram_id: int) -> Customer | None:
    return session.exec(select(Customer).where(Customer.telegram_id == telegram_id)).first()


def get_customer_by_username(*, session: Session, username: str) -> Customer | None:
    name = username.removeprefix("@").lower()
    return session.exec(select(Customer).where(func.lower(Customer.username) == name)).first()


def get_customer_by_referral_code(*, session: Session, code: str) -> Customer | None:
    return session.exec(select(Customer).where(Customer.referral_code == code)).first()


def set_referrer(*, session: Session, customer: Customer, code: str) -> Customer | None:
    """Record who referred `customer` by their code; only once, never themselves.

    Returns the referrer when it was recorded now, else None.
    """
    if customer.referred_by_id is not None:
        return None
    referrer = get_customer_by_referral_code(session=session, code=code)
    if referrer is None or referrer.id == customer.id or referrer.erased_at is not None:
        return None
    customer.referred_by_id = referrer.id
    session.add(customer)
    return referrer


def count_referrals(*, session: Session, customer_id: int) -> int:
    statement = (
        select(func.count()).select_from(Customer).where(Customer.referred_by_id == customer_id)
    )
    return int(session.exec(statement).one())


def mark_blocked(*, session: Session, chat_id: int, blocked: bool = True) -> None:
    """The customer blocked the bot (Telegram answered Forbidden), or came back."""
    session.execute(
        update(Customer).where(col(Customer.chat_id) == chat_id).values(blocked=blocked)
    )


def erase_customer(*, session: Session, customer: Customer, now: datetime) -> None:
    """Erase a customer's personal data and conversation (/forget).

    Messages and feedback are deleted; the row stays, anonymous, so that counts over time and
    the referral credit of whoever invited them stay right. The Telegram id goes too, so a
    later /start from the same person makes a new customer.
    """
    assert customer.id is not None
    session.execute(delete(Feedback).where(col(Feedback.customer_id) == customer.id))
    session.execute(delete(Message).where(col(Message.customer_id) == customer.id))
    session.execute(delete(PendingPrompt).where(col(PendingPrompt.customer_id) == customer.id))
    # Outreach texts carry the customer's first name: emptied (the rows stay for the counts),
    # and nothing still planned goes out.
    mine = col(Outreach.customer_id) == customer.id
    session.execute(update(Outreach).where(mine).values(text=""))
    session.execute(
        update(Outreach)
        .where(mine, col(Outreach.status) == "planned")
        .values(status="cancelled", reason="erased")
    )
    customer.telegram_id = None
    customer.chat_id = None
    customer.first_name = None
    customer.last_name = None
    customer.username = None
    customer.birthday_day = None
    customer.birthday_month = None
    customer.referral_code = f"erased-{customer.id}"
    customer.opted_out = True
    customer.erased_at = now
    session.add(customer)
