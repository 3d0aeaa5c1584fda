"""/forget: erase a customer everywhere the database keeps them, then flush SQLite's WAL so
no copy of the erased pages stays in the `-wal` file (README, "How /forget erases")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from storage import customers, inbox, outreach_admin
from storage.db import checkpoint, session_scope
from storage.models import Customer


def erase(
    engine: Engine, customer_id: int, *, chat_id: int, up_to_update: int | None, now: datetime
) -> None:
    """Erase the customer's data and their chat's raw updates up to `up_to_update` (later ones
    are a new conversation that is still to be handled)."""
    with session_scope(engine) as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.erased_at is not None:
            return
        customers.erase_customer(session=session, customer=customer, now=now)
        outreach_admin.erase_customer(session=session, customer_id=customer_id, now=now)
        inbox.erase_chat(session=session, chat_id=chat_id, up_to=up_to_update)
    checkpoint(engine)
