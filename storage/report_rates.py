"""The owner report's rates: CSAT and NPS answers, rating requests answered, and outreach and
campaign engagement (responded ÷ sent), each one statement over the period `[start, end)`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, case, cast, exists, func, select
from sqlmodel import Session

from storage.report import CAMPAIGN, FEEDBACK, OUTREACH, between, count_if


def rating_stats(*, session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """CSAT and NPS answers given in [start, end) (one per prompt; a changed answer counts once
    with its latest score): csat count and mean; nps count, promoters (9-10), detractors (0-6)."""
    f = FEEDBACK.c
    given = between(f.created_at, start, end)
    csat, nps = and_(given, f.kind == "csat"), and_(given, f.kind == "nps")
    row = (
        session.connection()
        .execute(
            select(
                count_if(csat),
                func.avg(case((csat, cast(f.score, Float)))),
                count_if(nps),
                count_if(and_(nps, f.score >= 9)),
                count_if(and_(nps, f.score <= 6)),
            ).where(f.kind.in_(["csat", "nps"]), given)
        )
        .one()
    )
    return {
        "csat_count": int(row[0]),
        "csat_mean": float(row[1]) if row[1] is not None else None,
        "nps_count": int(row[2]),
        "promoters": int(row[3]),
        "detractors": int(row[4]),
    }


def rating_requests(*, session: Session, start: datetime, end: datetime) -> tuple[int, int]:
    """(rating requests sent in [start, end), how many of them got a CSAT answer): a request is
    outreach of kind "rating" sent; its answer is a CSAT row on the same bot message."""
    o, f = OUTREACH.c, FEEDBACK.c
    answered = exists().where(
        f.customer_id == o.customer_id,
        f.kind == "csat",
        f.prompt_message_id == o.telegram_message_id,
    )
    row = session.connection().execute(
        select(func.count(), count_if(answered)).where(
            o.kind == "rating", o.status == "sent", between(o.sent_at, start, end)
        )
    )
    sent, got = row.one()
    return int(sent), int(got)


def engagement_by_kind(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[str, int, int]]:
    """(kind, sent, responded) for outreach sent in [start, end), by kind."""
    o = OUTREACH.c
    rows = session.connection().execute(
        select(o.kind, func.count(), count_if(o.responded_at.is_not(None)))
        .where(o.status == "sent", between(o.sent_at, start, end))
        .group_by(o.kind)
        .order_by(o.kind)
    )
    return [(str(kind), int(sent), int(got)) for kind, sent, got in rows]


def campaign_engagement(
    *, session: Session, start: datetime, end: datetime, limit: int = 5
) -> list[tuple[int, str, int, int]]:
    """(campaign id, segment, sent, responded) for the newest campaigns with messages sent in
    [start, end)."""
    o, k = OUTREACH.c, CAMPAIGN.c
    rows = session.connection().execute(
        select(k.id, k.segment, func.count(), count_if(o.responded_at.is_not(None)))
        .select_from(OUTREACH.join(CAMPAIGN, k.id == o.campaign_id))
        .where(o.status == "sent", between(o.sent_at, start, end))
        .group_by(k.id, k.segment)
        .order_by(k.id.desc())
        .limit(limit)
    )
    return [(int(cid), str(segment), int(sent), int(got)) for cid, segment, sent, got in rows]
