"""Alembic migrations: the schema they build matches the models, and upgrades keep data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.db import current_revision, downgrade, head_revision, make_engine, migrate


def test_migrated_schema_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_from_previous_revision_keeps_data(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customer (id, telegram_id, chat_id, first_name, language, "
                "language_locked, first_seen, last_seen, referral_code, opted_out, blocked) "
                "VALUES (1, 77, 77, 'Sari', 'id', false, '2026-01-01 00:00:00', "
                "'2026-01-02 00:00:00', 'abcdefgh', false, false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO message (customer_id, direction, kind, text, chat_id, "
                "telegram_message_id, sent_at, sentiment_polarity, sentiment_label) VALUES "
                "(1, 'in', 'text', 'mantap', 77, 1, '2026-01-02 00:00:00', 0.8, 'positive')"
            )
        )
    migrate(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT c.first_name, m.text, m.sentiment_label, m.sentiment_version "
                "FROM message m JOIN customer c ON c.id = m.customer_id"
            )
        ).one()
    engine.dispose()
    assert tuple(row) == ("Sari", "mantap", "positive", None)


def test_downgrade_to_base_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_migrate_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
