"""Campaign queries: owners' drafts, the set-based launch into the outbox, per-variant counts.

A campaign's messages are `outreach` rows (kind "campaign"); the dispatcher sends them like any
other outreach (opt-out, quiet hours, rate limits, never twice). Everything here works the same
on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    Text,
    case,
    cast,
    false,
    func,
    literal,
    select,
    true,
    update,
)
from sqlmodel import Session

from storage._sql import insert_ignore, table_of
from storage.models import Campaign, Customer, Outreach, OwnerRelay

CAMPAIGN = table_of(Campaign)
CUSTOMER = table_of(Customer)
OUTREACH = table_of(Outreach)
RELAY = table_of(OwnerRelay)

# The split's order: a fixed pseudo-random permutation of customer ids per campaign (a
# multiplicative step and a squaring modulo the prime 2³¹ − 1; every product fits in 63 bits).
_PRIME = 2_147_483_647
_MULTIPLIER = 48_271
_CAMPAIGN_STEP = 69_621


def reachable() -> list[ColumnElement[bool]]:
    """Customers a message can reach: not opted out, not blocked, not erased."""
    c = CUSTOMER.c
    return [
        c.opted_out == false(),
        c.blocked == false(),
        c.erased_at.is_(None),
        c.chat_id.is_not(None),
    ]


def in_segment(segment: str) -> ColumnElement[bool]:
    """Membership of `segment`: "all" is everyone, "declining" the declining flag, the rest the
    customer's current segment."""
    c = CUSTOMER.c
    if segment == "all":
        return true()
    if segment == "declining":
        return c.declining == true()
    return c.segment == segment


def recipients_filter(segment: str) -> list[ColumnElement[bool]]:
    """Who a campaign to `segment` reaches."""
    return [*reachable(), in_segment(segment)]


def segment_counts(*, session: Session, segments: tuple[str, ...]) -> dict[str, int]:
    """Reachable recipients per segment, in one aggregate query."""
    columns = [func.coalesce(func.sum(case((in_segment(s), 1), else_=0)), 0) for s in segments]
    row = session.connection().execute(select(*columns).where(*reachable())).one()
    return {s: int(n) for s, n in zip(segments, row, strict=True)}


def example_names(*, session: Session, segment: str) -> dict[str, str | None]:
    """The first name of one recipient per language ("id"/"en"), for the owner's preview."""
    c = CUSTOMER.c
    lang = case((c.language == "en", "en"), else_="id")
    first = (
        select(lang.label("lang"), func.min(c.id).label("id"))
        .where(*recipients_filter(segment))
        .group_by(lang)
        .subquery()
    )
    rows = session.connection().execute(
        select(first.c.lang, c.first_name).join(first, first.c.id == c.id)
    )
    return {str(language): name for language, name in rows}


def create_draft(*, session: Session, owner_id: int, now: datetime) -> int:
    """A new draft of `owner_id` (choosing its segment); that owner's older drafts are dropped."""
    connection = session.connection()
    connection.execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.created_by == owner_id, CAMPAIGN.c.status == "draft")
        .values(status="cancelled", step=None, cancelled_at=now)
    )
    values = {"created_by": owner_id, "segment": "all", "text_a": "", "status": "draft"}
    values |= {"step": "segment", "recipients": 0, "created_at": now}
    result = connection.execute(CAMPAIGN.insert().values(**values).returning(CAMPAIGN.c.id))
    return int(result.scalar_one())


def get(*, session: Session, campaign_id: int) -> Campaign | None:
    return session.get(Campaign, campaign_id)


def open_draft(*, session: Session, owner_id: int, since: datetime) -> Campaign | None:
    """The owner's newest draft started after `since` (older ones no longer take messages)."""
    statement = (
        select(Campaign)
        .where(
            CAMPAIGN.c.created_by == owner_id,
            CAMPAIGN.c.status == "draft",
            CAMPAIGN.c.created_at >= since,
        )
        .order_by(CAMPAIGN.c.id.desc())
        .limit(1)
    )
    return session.execute(statement).scalars().first()


def advance(
    *, session: Session, campaign_id: int, step: str, to: str | None, **values: object
) -> bool:
    """Move a draft from `step` to `to` (with `values`); False when it is not at `step` any more
    (a second press, or a draft that was confirmed or dropped meanwhile)."""
    result = session.connection().execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.id == campaign_id, CAMPAIGN.c.status == "draft", CAMPAIGN.c.step == step)
        .values(step=to, **values)
    )
    session.expire_all()
    return bool(result.rowcount)


def drop_draft(*, session: Session, campaign_id: int, now: datetime) -> bool:
    """Cancel a draft at whatever step; False when it is no longer a draft."""
    result = session.connection().execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.id == campaign_id, CAMPAIGN.c.status == "draft")
        .values(status="cancelled", step=None, cancelled_at=now)
    )
    session.expire_all()
    return bool(result.rowcount)


def is_relayed(*, session: Session, owner_chat_id: int, message_id: int) -> bool:
    """Whether that message in an owner's chat is a relayed customer message (a reply to it
    goes to the customer, never into a draft)."""
    statement = select(RELAY.c.id).where(
        RELAY.c.owner_chat_id == owner_chat_id, RELAY.c.owner_message_id == message_id
    )
    return session.connection().execute(statement).first() is not None


def launch(
    *,
    session: Session,
    campaign: Campaign,
    texts: dict[str, dict[str, str]],
    name_fallback: dict[str, str],
    now: datetime,
    expires_at: datetime | None,
) -> int | None:
    """Confirm the draft: one outreach row per recipient, in this transaction.

    `texts` is variant -> language ("id"/"en") -> text with `{name}` still in it; `{name}`
    becomes the customer's first name (else `name_fallback[lang]`). With two variants the
    recipients, in the campaign's pseudo-random order, alternate A, B, A, …: ⌈n/2⌉ get A.
    Returns how many rows were planned, or None when the draft was confirmed already (the
    status change is conditional, and the dedupe key `campaign:<id>:<customer>` is unique).
    """
    assert campaign.id is not None
    connection = session.connection()
    started = connection.execute(
        update(CAMPAIGN)
        .where(CAMPAIGN.c.id == campaign.id, CAMPAIGN.c.status == "draft")
        .where(CAMPAIGN.c.step == "confirm")
        .values(status="sending", step=None, started_at=now)
    )
    if not started.rowcount:
        return None
    c = CUSTOMER.c
    offset = campaign.id * _CAMPAIGN_STEP % _PRIME
    mixed = (cast(c.id, BigInteger) * _MULTIPLIER + offset) % _PRIME
    base = (
        select(c.id.label("customer_id"), c.first_name, c.language, mixed.label("k"))
        .where(*recipients_filter(campaign.segment))
        .subquery()
    )
    key = (base.c.k * base.c.k + offset) % _PRIME
    order = func.row_number().over(order_by=(key, base.c.customer_id))
    ranked = select(base, order.label("n")).subquery()
    english = ranked.c.language == "en"
    variant = case((ranked.c.n % 2 == 1, "A"), else_="B") if "B" in texts else literal("A")

    def text_of(v: str) -> ColumnElement[str]:
        return case((english, literal(texts[v]["en"], Text)), else_=literal(texts[v]["id"], Text))

    text = (
        text_of("A")
        if "B" not in texts
        else case((variant == "A", text_of("A")), else_=text_of("B"))
    )
    fallback = case((english, name_fallback["en"]), else_=name_fallback["id"])
    name = func.coalesce(func.nullif(ranked.c.first_name, ""), fallback)
    rows = select(
        literal("campaign").label("kind"),
        ranked.c.customer_id,
        (literal(f"campaign:{campaign.id}:") + cast(ranked.c.customer_id, String)).label("dk"),
        literal("campaign").label("template"),
        variant.label("variant"),
        literal(campaign.id).label("campaign_id"),
        case((english, "en"), else_="id").label("language"),
        func.replace(text, "{name}", name).label("text"),
        literal(0).label("priority"),
        literal(now, OUTREACH.c.due_at.type).label("due_at"),
        literal(expires_at, OUTREACH.c.expires_at.type).label("expires_at"),
        literal("planned").label("status"),
        literal(0).label("attempts"),
        literal(now, OUTREACH.c.created_at.type).label("created_at"),
    ).where(ranked.c.n >= 1)  # SQLite's upsert needs a WHERE on INSERT … SELECT
    rows = rows.order_by(ranked.c.customer_id)
    columns = ["kind", "customer_id", "dedupe_key", "template", "variant", "campaign_id"]
    columns += ["language", "text", "priority", "due_at", "expires_at", "status", "attempts"]
    columns += ["created_at"]
    insert = insert_ignore(OUTREACH, connection.dialect.name, OUTREACH.c.id)
    planned = len(connection.execute(insert.from_select(columns, rows)).all())
    finished = {"status": "done"} if planned == 0 else {}
    connection.execute(
        update(CAMPAIGN).where(CAMPAIGN.c.id == campaign.id).values(recipients=planned, **finished)
    )
    session.expire_all()
    return planned
