"""Builders for hand-made shops on a real database: customers, messages, ratings, snapshots,
outreach, each row written as the bot would write it."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from storage.models import Campaign, Customer, Feedback, Message, Outreach, Purchase, Score

_ids = count(1)


class Shop:
    """Adds rows in one session; `commit()` writes them."""

    def __init__(self, engine: Engine) -> None:
        self.session = Session(engine, expire_on_commit=False)

    def commit(self) -> None:
        self.session.commit()
        self.session.close()

    def _add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def customer(self, name: str, first_seen: datetime, **fields: Any) -> Customer:
        n = next(_ids)
        values: dict[str, Any] = {
            "telegram_id": 1000 + n,
            "chat_id": 1000 + n,
            "first_name": name,
            "username": name.lower(),
            "first_seen": first_seen,
            "last_seen": first_seen,
            "referral_code": f"code{n:04d}",
        }
        values.update(fields)
        return self._add(Customer(**values))

    def message(
        self,
        who: Customer,
        at: datetime,
        text: str | None = "halo",
        *,
        direction: str = "in",
        kind: str = "text",
        polarity: float | None = None,
        sent_by: int | None = None,
    ) -> Message:
        label = None
        if polarity is not None:
            label = "positive" if polarity > 0.05 else "negative" if polarity < -0.05 else "neutral"
        if direction == "in" and at > who.last_seen:
            who.last_seen = at
            self.session.add(who)
        return self._add(
            Message(
                customer_id=who.id,
                direction=direction,
                kind=kind,
                text=text,
                chat_id=who.chat_id or 0,
                sent_at=at,
                sentiment_polarity=polarity,
                sentiment_label=label,
                sent_by=sent_by,
            )
        )

    def rating(self, who: Customer, kind: str, score: int, at: datetime, prompt: int) -> Feedback:
        return self._add(
            Feedback(
                customer_id=who.id,
                kind=kind,
                score=score,
                prompt_message_id=prompt,
                created_at=at,
                updated_at=at,
            )
        )

    def snapshot(self, who: Customer, at: datetime, ces: float, segment: str, **parts: Any) -> None:
        self._add(Score(customer_id=who.id, computed_at=at, ces=ces, segment=segment, **parts))

    def outreach(
        self,
        who: Customer,
        kind: str,
        sent_at: datetime | None,
        *,
        responded: datetime | None = None,
        status: str = "sent",
        telegram_message_id: int | None = None,
        campaign: Campaign | None = None,
        variant: str | None = None,
    ) -> Outreach:
        n = next(_ids)
        at = sent_at or datetime(2026, 1, 1, tzinfo=who.first_seen.tzinfo)
        return self._add(
            Outreach(
                kind=kind,
                customer_id=who.id,
                dedupe_key=f"{kind}:{who.id}:{n}",
                template=kind,
                text="…",
                due_at=at,
                status=status,
                sent_at=sent_at,
                responded_at=responded,
                telegram_message_id=telegram_message_id,
                campaign_id=campaign.id if campaign else None,
                variant=variant,
                created_at=at,
            )
        )

    def campaign(self, segment: str, at: datetime) -> Campaign:
        return self._add(
            Campaign(created_by=99, segment=segment, text_a="A", text_b="B", created_at=at)
        )

    def purchase(self, who: Customer, cents: int, at: datetime) -> Purchase:
        n = next(_ids)
        return self._add(
            Purchase(
                customer_id=who.id,
                amount_cents=cents,
                purchased_at=at,
                dedupe_key=f"p{n}",
                created_at=at,
            )
        )
