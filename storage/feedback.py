"""Feedback queries: free text, and CSAT/NPS answers (one per prompt, changeable)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, select

from storage._raw import Raw
from storage._sql import table_of
from storage.models import Customer, Feedback

FEEDBACK = table_of(Feedback)


_ADD_TEXT = Raw(insert(FEEDBACK))  # on the ingest path: the words a customer was asked for


def add_text_feedback(
    *, session: Session, customer_id: int, comment: str, message_id: int | None, now: datetime
) -> None:
    """Store a customer's free-text feedback."""
    row = {
        "customer_id": customer_id,
        "kind": "text",
        "score": None,
        "comment": comment,
        "message_id": message_id,
        "prompt_message_id": None,
        "created_at": now,
        "updated_at": now,
    }
    _ADD_TEXT.rows(session.connection(), row)


def set_rating(
    *,
    session: Session,
    customer: Customer,
    kind: str,
    score: int,
    prompt_message_id: int,
    now: datetime,
) -> tuple[Feedback, int | None]:
    """Store the answer to one CSAT/NPS prompt; a second answer replaces the first.

    Returns the row and the previous score (None when this is the first answer).
    """
    assert customer.id is not None
    feedback = session.exec(
        select(Feedback).where(
            Feedback.customer_id == customer.id,
            Feedback.kind == kind,
            Feedback.prompt_message_id == prompt_message_id,
        )
    ).first()
    if feedback is None:
        feedback = Feedback(
            customer_id=customer.id,
            kind=kind,
            score=score,
            prompt_message_id=prompt_message_id,
            created_at=now,
            updated_at=now,
        )
        session.add(feedback)
        session.flush()
        return feedback, None
    previous = feedback.score
    feedback.score = score
    feedback.updated_at = now
    session.add(feedback)
    return feedback, previous


def feedback_for(*, session: Session, customer_id: int) -> list[Feedback]:
    return list(
        session.exec(
            select(Feedback)
            .where(Feedback.customer_id == customer_id)
            .order_by(Feedback.created_at, Feedback.id)  # type: ignore[arg-type]
        )
    )
