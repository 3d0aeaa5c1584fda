"""storage.bulk: chunked loads store every row with the model's defaults, measured as usual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from storage import bulk
from storage.db import session_scope
from storage.measures import MeasureWindow, customer_measures
from storage.models import Customer, Feedback, Message, Purchase

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)


def load(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert (
            bulk.load_customers(
                session=session,
                rows=[
                    {"id": 1, "telegram_id": 11, "chat_id": 11, "first_seen": NOW - timedelta(60)},
                    {
                        "id": 2,
                        "telegram_id": 12,
                        "chat_id": 12,
                        "first_seen": NOW - timedelta(days=5),
                        "referred_by_id": 1,
                        "language": "en",
                        "referral_code": "bulk0002",
                    },
                    {"telegram_id": 13, "chat_id": 13, "first_seen": NOW},  # id from the database
                ],
                chunk_size=3,  # ids given and left to the database in one chunk
            )
            == 3
        )
        texts = [
            {
                "customer_id": 1,
                "direction": "in",
                "chat_id": 11,
                "telegram_message_id": n,
                "text": "mantap",
                "sent_at": NOW - timedelta(days=n),
                "sentiment_polarity": 0.5,
                "sentiment_label": "positive",
                "sentiment_lang": "id",
                "sentiment_version": 1,
            }
            for n in range(1, 6)
        ]
        others = [
            {"customer_id": 1, "direction": "out", "chat_id": 11, "sent_at": NOW, "text": "ok"},
            {
                "customer_id": 1,
                "direction": "in",
                "kind": "callback",
                "chat_id": 11,
                "callback_id": "cb1",
                "sent_at": NOW - timedelta(hours=1),
            },
        ]
        assert bulk.load_messages(session=session, rows=iter(texts + others), chunk_size=3) == 7
        assert (
            bulk.load_feedback(
                session=session,
                rows=[
                    {
                        "customer_id": 1,
                        "kind": "csat",
                        "score": 4,
                        "prompt_message_id": 1,
                        "created_at": NOW - timedelta(days=3),
                    },
                    {
                        "customer_id": 1,
                        "kind": "csat",
                        "score": 2,
                        "prompt_message_id": 2,
                        "created_at": NOW - timedelta(days=1),
                    },
                    {
                        "customer_id": 1,
                        "kind": "nps",
                        "score": 9,
                        "prompt_message_id": 3,
                        "created_at": NOW - timedelta(days=1),
                    },
                    {
                        "customer_id": 1,
                        "kind": "text",
                        "comment": "cepat",
                        "created_at": NOW - timedelta(days=2),
                    },
                ],
            )  # fmt: skip
            == 4
        )
        assert (
            bulk.load_purchases(
                session=session,
                rows=[
                    {
                        "customer_id": 1,
                        "amount_cents": 150_000_00,
                        "dedupe_key": "a",
                        "purchased_at": NOW - timedelta(days=10),
                    },
                    {
                        "customer_id": 1,
                        "amount_cents": 99,
                        "dedupe_key": "b",
                        "purchased_at": NOW - timedelta(days=200),
                        "currency": "USD",
                    },
                ],
            )  # fmt: skip
            == 2
        )


def test_loaded_rows_have_defaults(engine: Engine) -> None:
    load(engine)
    with Session(engine) as session:
        customers = {c.id: c for c in session.exec(select(Customer))}
        assert set(customers) == {1, 2, 3}
        first, second = customers[1], customers[2]
        assert (first.language, first.opted_out, first.blocked) == ("id", False, False)
        assert first.last_seen == first.first_seen
        assert len(first.referral_code) == 8
        assert first.referral_code != customers[3].referral_code
        assert (second.referral_code, second.referred_by_id, second.language) == (
            "bulk0002",
            1,
            "en",
        )
        kinds = session.execute(
            select(Message.kind, Message.direction, func.count())  # type: ignore[arg-type]
            .group_by(Message.kind, Message.direction)
            .order_by(Message.kind, Message.direction)
        ).all()
        assert [tuple(k) for k in kinds] == [
            ("callback", "in", 1),
            ("text", "in", 5),
            ("text", "out", 1),
        ]
        rating = session.exec(select(Feedback).where(Feedback.prompt_message_id == 2)).one()
        assert rating.updated_at == rating.created_at == NOW - timedelta(days=1)
        purchase = session.exec(select(Purchase).where(Purchase.dedupe_key == "b")).one()
        assert (purchase.currency, purchase.source, purchase.created_at) == (
            "USD",
            "csv",
            purchase.purchased_at,
        )


def test_loaded_rows_are_measured(engine: Engine) -> None:
    load(engine)
    with Session(engine) as session:
        found = {
            m.customer_id: m
            for m in customer_measures(session=session, window=MeasureWindow(now=NOW))
        }
    first = found[1]
    assert (first.button_clicks, first.active_days_total) == (1, 6)  # 5 texts, then today's tap
    assert first.sentiment_mean == pytest.approx(0.5)
    assert (first.ratings, first.feedback_texts, first.last_csat) == (3, 1, 2)
    assert (first.csat_mean, first.nps_mean) == (pytest.approx(3.0), pytest.approx(9.0))
    assert (first.referrals, first.spend_cents) == (1, 150_000_00)  # the USD one is too old


def test_bad_chunk_size(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(ValueError, match="chunk_size"):
        bulk.load_messages(session=session, rows=[], chunk_size=0)
