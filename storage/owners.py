"""Owners' own facts: the language each owner's Telegram app last said (for the relays and
alerts the bot sends them unasked)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from storage._sql import insert_ignore, table_of
from storage.models import OwnerProfile

PROFILE = table_of(OwnerProfile)


def set_owner_language(*, session: Session, owner_id: int, language: str, now: datetime) -> None:
    """Remember the owner's language (their Telegram app's, from their last update)."""
    connection = session.connection()
    changed = connection.execute(
        update(PROFILE)
        .where(PROFILE.c.owner_id == owner_id)
        .values(language=language, updated_at=now)
    )
    if not changed.rowcount:
        connection.execute(
            insert_ignore(PROFILE, connection.dialect.name),
            {"owner_id": owner_id, "language": language, "updated_at": now},
        )


def owner_language(*, session: Session, owner_id: int) -> str | None:
    query = select(PROFILE.c.language).where(PROFILE.c.owner_id == owner_id)
    return session.connection().execute(query).scalar()
