"""The owner's view of the outbox (`akrab outreach list|stats|retry|cancel`) and response
tracking: plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from scoring.outreach_rules import KINDS, RETRYABLE
from storage import outreach_admin
from storage.db import session_scope
from storage.outreach_admin import Row


@dataclass
class KindStats:
    """One kind (or one campaign variant): rows by outcome and the engagement rate."""

    planned: int = 0
    sent: int = 0
    failed: int = 0
    unconfirmed: int = 0
    expired: int = 0
    cancelled: int = 0
    sending: int = 0
    responded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows

    @property
    def engagement(self) -> float | None:
        """responded ÷ sent × 100 (None before anything was sent)."""
        return None if not self.sent else 100.0 * self.responded / self.sent


def list_rows(
    engine: Engine,
    *,
    status: str | None = None,
    kind: str | None = None,
    customer_id: int | None = None,
    limit: int = 200,
) -> list[Row]:
    with session_scope(engine) as session:
        return outreach_admin.list_rows(
            session=session, status=status, kind=kind, customer_id=customer_id, limit=limit
        )


def stats(
    engine: Engine, *, now: datetime, days: int, window: timedelta
) -> tuple[dict[str, KindStats], dict[str, KindStats]]:
    """Per kind and per variant ("campaign A"...), for rows due or sent in the last `days` days;
    responses are brought up to date first."""
    track_responses(engine, now=now, window=window)
    with session_scope(engine) as session:
        rows = outreach_admin.counts(session=session, since=now - timedelta(days=days))
    kinds: dict[str, KindStats] = {}
    variants: dict[str, KindStats] = {}
    for kind, variant, status, reason, count, responded in rows:
        targets = [kinds.setdefault(kind, KindStats())]
        if variant is not None:
            targets.append(variants.setdefault(f"{kind} {variant}", KindStats()))
        for target in targets:
            if status == "skipped":
                key = reason or "unknown"
                target.skipped[key] = target.skipped.get(key, 0) + count
            elif hasattr(target, status):
                setattr(target, status, getattr(target, status) + count)
            if status == "sent":
                target.responded += responded
    order = {kind: i for i, kind in enumerate(KINDS)}
    return dict(sorted(kinds.items(), key=lambda kv: order.get(kv[0], 99))), variants


def retry(engine: Engine, row_id: int, *, now: datetime) -> str | None:
    """Failed / unconfirmed -> planned, due now. The row's status before (None: no such row);
    a status other than those two leaves it unchanged."""
    with session_scope(engine) as session:
        return outreach_admin.retry(session=session, row_id=row_id, now=now)


def cancel(engine: Engine, *, row_id: int | None = None, kind: str | None = None) -> int:
    with session_scope(engine) as session:
        return outreach_admin.cancel(
            session=session, row_id=row_id, kind=kind, reason="cancelled by owner"
        )


def status_of(engine: Engine, row_id: int) -> str | None:
    with session_scope(engine) as session:
        return outreach_admin.status_of(session=session, row_id=row_id)


def track_responses(engine: Engine, *, now: datetime, window: timedelta) -> int:
    with session_scope(engine) as session:
        return outreach_admin.track_responses(session=session, now=now, window=window)


RETRYABLE_STATUSES = RETRYABLE
