"""Campaign results: per-variant counts of the outbox rows, finishing and cancelling.

Engagement rate = responded ÷ sent × 100% (README: Owner console, Campaigns); a row counts as
sent once the dispatcher set `sent_at`, as responded once it set `responded_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlmodel import Session

from storage._sql import table_of
from storage.models import Campaign, Outreach

CAMPAIGN = table_of(Campaign)
OUTREACH = table_of(Outreach)


@dataclass(frozen=True, slots=True)
class VariantCounts:
    variant: str
    total: int
    planned: int  # still waiting in the outbox (planned or being sent)
    sent: int
    responded: int


def variant_counts(*, session: Session, campaign_id: int) -> list[VariantCounts]:
    """Per variant: rows, still waiting, sent, responded (responded ÷ sent is engagement)."""
    o = OUTREACH.c
    waiting = func.sum(case((o.status.in_(("planned", "sending")), 1), else_=0))
    statement = (
        select(o.variant, func.count(), waiting, func.count(o.sent_at), func.count(o.responded_at))
        .where(o.campaign_id == campaign_id)
        .group_by(o.variant)
        .order_by(o.variant)
    )
    return [
        VariantCounts(str(v), int(total), int(wait or 0), int(sent), int(responded))
        for v, total, wait, sent, responded in session.connection().execute(statement)
    ]


def finish_if_sent(*, session: Session, campaign_id: int) -> bool:
    """A sending campaign with nothing left in the outbox is done; whether it changed now."""
    o = OUTREACH.c
    left = select(o.id).where(o.campaign_id == campaign_id, o.status.in_(("planned", "sending")))
    result = session.connection().execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.id == campaign_id, CAMPAIGN.c.status == "sending", ~left.exists())
        .values(status="done")
    )
    session.expire_all()
    return bool(result.rowcount)


def cancel(*, session: Session, campaign_id: int, now: datetime) -> int | None:
    """Stop a sending campaign: its planned rows are cancelled (rows already being sent finish).
    Returns how many were cancelled, or None when the campaign was not sending."""
    connection = session.connection()
    stopped = connection.execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.id == campaign_id, CAMPAIGN.c.status == "sending")
        .values(status="cancelled", cancelled_at=now)
    )
    if not stopped.rowcount:
        return None
    o = OUTREACH.c
    cancelled = connection.execute(
        update(OUTREACH)
        .where(o.campaign_id == campaign_id, o.status == "planned")
        .values(status="cancelled", reason="campaign cancelled by the owner")
    )
    session.expire_all()
    return int(cancelled.rowcount)


def recent(*, session: Session, limit: int = 10) -> list[Campaign]:
    """The newest campaigns that were confirmed (drafts are not campaigns yet)."""
    statement = (
        select(Campaign)
        .where(CAMPAIGN.c.status != "draft", CAMPAIGN.c.started_at.is_not(None))
        .order_by(CAMPAIGN.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(statement).scalars())
