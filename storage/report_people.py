"""The owner report's lists of people: whom to contact today, unanswered questions, birthdays.

Each list is one statement for the first `limit` people plus one count; erased and blocked
customers are never listed (nobody can reach them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, exists, func, or_, select, true
from sqlmodel import Session

from storage.report import CUSTOMER, MESSAGE

c = CUSTOMER.c
REACHABLE = and_(c.erased_at.is_(None), c.blocked.is_(False))
QUESTION_KINDS_EXCLUDED = ("command", "callback")  # what is not something said to the shop
NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # "no owner reply yet"


class Person(NamedTuple):
    customer_id: int
    telegram_id: int | None
    first_name: str | None
    last_name: str | None
    username: str | None
    segment: str | None
    ces: float | None
    declining: bool
    last_seen: datetime


class Waiting(NamedTuple):
    person: Person
    since: datetime  # the oldest message after the shop's last reply
    text: str | None


PERSON_COLUMNS = (
    c.id,
    c.telegram_id,
    c.first_name,
    c.last_name,
    c.username,
    c.segment,
    c.ces,
    c.declining,
    c.last_seen,
)


def _person(row: Any) -> Person:
    return Person(*row[: len(PERSON_COLUMNS)])


def _count(session: Session, condition: Any) -> int:
    query = select(func.count()).select_from(CUSTOMER).where(condition)
    return int(session.connection().execute(query).scalar_one())


def to_contact(*, session: Session, limit: int) -> tuple[list[Person], int]:
    """At-risk and declining customers: declining ones first (they are slipping now), then the
    most recently seen (still the easiest to win back); and how many there are in all."""
    wanted = and_(REACHABLE, or_(c.segment == "at_risk", c.declining.is_(True)))
    rows = session.connection().execute(
        select(*PERSON_COLUMNS)
        .where(wanted)
        .order_by(c.declining.desc(), c.last_seen.desc(), c.id)
        .limit(limit)
    )
    return [_person(row) for row in rows], _count(session, wanted)


def birthdays(
    *, session: Session, day: int, month: int, limit: int, with_29_february: bool = False
) -> tuple[list[Person], int]:
    """Customers whose birthday is `day`-`month` (and 29-02 too when `with_29_february`: the
    caller's 28 February of a year without a 29th); by first name."""
    days = [day, 29] if with_29_february else [day]
    condition = and_(REACHABLE, c.birthday_month == month, c.birthday_day.in_(days))
    rows = session.connection().execute(
        select(*PERSON_COLUMNS).where(condition).order_by(c.first_name, c.id).limit(limit)
    )
    return [_person(row) for row in rows], _count(session, condition)


def unanswered(
    *, session: Session, since: datetime, cutoff: datetime, limit: int
) -> tuple[list[Waiting], int]:
    """Customers whose message (anything but a command or a button press) sent from `since` on
    has had no reply written by an owner (`message.sent_by`) after it, and whose oldest such
    message is at or before `cutoff`; the longest waiting first, and how many in all.

    Per customer: the newest owner reply (`ix_message_owner_reply`), then the oldest message
    after it (a seek on `ix_message_customer_measures`), so the cost follows the customers,
    not the messages of the week."""
    m = MESSAGE.c
    reply = MESSAGE.alias("reply")
    last_reply = (
        select(func.max(reply.c.sent_at))
        .where(reply.c.customer_id == c.id, reply.c.sent_by.is_not(None))
        .scalar_subquery()
    )
    after = func.coalesce(last_reply, bindparam("never", NEVER, type_=m.sent_at.type))

    def said(until: datetime | None) -> Any:
        """Messages to the shop from `since` (until `until`) after the last owner reply."""
        return and_(
            m.customer_id == c.id,
            m.direction == "in",
            m.sent_at >= since,
            m.sent_at <= until if until is not None else true(),
            m.kind.not_in(QUESTION_KINDS_EXCLUDED),
            m.sent_at > after,
        )

    # Some such message is at or before `cutoff` exactly when the oldest one is; the oldest is
    # then found only for the customers kept. `last_seen` (the newest inbound) skips customers
    # silent since `since` without a look at their messages.
    oldest = select(func.min(m.sent_at)).where(said(None)).scalar_subquery()
    waiting = (
        select(*PERSON_COLUMNS, oldest.label("since"))
        .where(REACHABLE, c.last_seen >= since, exists().where(said(cutoff)))
        .subquery("waiting")
    )
    w = waiting.c
    connection = session.connection()
    rows = connection.execute(
        select(*[w[col.name] for col in PERSON_COLUMNS], w.since, func.count().over())
        .order_by(w.since, w.id)
        .limit(limit)
    ).all()
    found: list[Waiting] = []
    for row in rows:
        person = _person(row)
        at = row[-2]
        text = connection.execute(
            select(m.text)
            .where(m.customer_id == person.customer_id, m.direction == "in", m.sent_at == at)
            .order_by(m.id)
            .limit(1)
        ).scalar()
        found.append(Waiting(person, at, text))
    return found, (int(rows[0][-1]) if rows else 0)
