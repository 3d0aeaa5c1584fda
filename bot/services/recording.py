"""Recording one inbound update: sentiment, then the customer and the message in one commit.

Plain values in (`Inbound`), plain values out (`storage.ingest.Recorded`); no telegram here.
Sentiment is computed before the write and a failure there only leaves the fields empty, so the
message itself is always stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from bot.config import Settings
from bot.services import complaints, conversations
from scoring import sentiment as sentiment_analysis
from scoring.planning import CONVERSATION_GAP
from storage import feedback, ingest_many, messages, prompts
from storage._sql import db_safe
from storage.ingest import Recorded
from storage.messages import SentimentFields

log = logging.getLogger(__name__)

SCORED_KINDS = {"text", "photo", "video", "document", "voice"}  # kinds whose text is the customer's
FEEDBACK_PREFIX = "/feedback"


@dataclass(frozen=True, slots=True)
class Inbound:
    """What a customer did in one update, as plain values."""

    user_id: int
    chat_id: int
    first_name: str | None
    last_name: str | None
    username: str | None
    language_code: str | None
    kind: str  # text, command, photo, sticker, ..., callback, other
    text: str | None
    telegram_message_id: int | None
    callback_id: str | None
    sent_at: datetime
    edited_at: datetime | None = None

    @property
    def is_edit(self) -> bool:
        return self.edited_at is not None


def language_of(language_code: str | None, *, default: str) -> str:
    """Telegram's interface language to ours: Indonesian for `id`, English for any other;
    `default` when Telegram does not say (some clients send no language)."""
    if not language_code:
        return default
    return "id" if language_code.lower().startswith(("id", "in")) else "en"


LANGUAGES = ("id", "en")


def text_to_score(kind: str, text: str | None) -> str | None:
    """The customer's own words in a message, if any (a /feedback argument counts)."""
    if not text:
        return None
    if kind in SCORED_KINDS:
        return text
    if kind == "command" and text.split()[0].split("@")[0].lower() == FEEDBACK_PREFIX:
        _, _, rest = text.partition(" ")
        return rest.strip() or None
    return None


def score(text: str | None) -> SentimentFields | None:
    if not text:
        return None
    try:
        result = sentiment_analysis.analyze(text)
    except Exception:
        log.exception("sentiment analysis failed; the message is recorded without it")
        return None
    return SentimentFields(
        result.polarity, result.label, result.lang, sentiment_analysis.ANALYZER_VERSION
    )


@dataclass(frozen=True, slots=True)
class Recording:
    """What recording learned: the stored message and sender, and whether the customer's
    next message was awaited as feedback (a bare /feedback before)."""

    recorded: Recorded
    awaiting_feedback: bool
    sentiment_label: str | None
    polarity: float | None = None
    complaint: bool = False  # the first complaint of a conversation: ask what went wrong
    feedback_taken: bool = False  # a text that answered a feedback prompt, stored as it


def opens_conversation(inbound: Inbound, result: Recording) -> bool:
    """The customer's first message after a silence of over `CONVERSATION_GAP` (or ever)."""
    last_seen = result.recorded.previous_seen
    return last_seen is None or inbound.sent_at - last_seen > CONVERSATION_GAP


def is_new_customer(inbound: Inbound, result: Recording) -> bool:
    """First seen in this very conversation (a customer who says "halo" and then /start is
    still new; one erased by /forget is a new row)."""
    return result.recorded.customer.first_seen > inbound.sent_at - CONVERSATION_GAP


def reply_key(inbound: Inbound, result: Recording) -> str | None:
    """The text the bot answers this customer message (not a command, not a press) with once
    it is recorded, or None: thanks for awaited feedback (or a word that a photo, a sticker, …
    is not it), "what went wrong?" at the first complaint of a conversation, an
    acknowledgement of a conversation's first message. Anything else is recorded and relayed,
    and that is all."""
    if result.awaiting_feedback:
        return "feedback_thanks" if result.feedback_taken else "feedback_not_text"
    if result.complaint:  # its follow-up was planned with the recording
        return "complaint_ask"
    if opens_conversation(inbound, result):
        return "ack_negative" if result.sentiment_label == "negative" else "ack"
    return None


def answer_due(inbound: Inbound, result: Recording) -> bool:
    """Whether the bot answers this customer message once it is recorded (`reply_key`)."""
    return reply_key(inbound, result) is not None


def record_in(
    session: Session, inbound: Inbound, *, update_id: int | None, default_language: str = "id"
) -> Recording | None:
    """Record the update in `session`; None for an edit (stored, never answered again)."""
    return record_many(session, [(inbound, update_id)], default_language=default_language)[0]


def record_many(
    session: Session,
    updates: Sequence[tuple[Inbound, int | None]],
    *,
    default_language: str = "id",
) -> list[Recording | None]:
    """`record_in` for updates of different chats (at most one each), in a few statements.
    A new customer whose Telegram sends no language gets the language of their first words,
    else `default_language` (the shop's DEFAULT_LANGUAGE)."""
    results: list[Recording | None] = [None] * len(updates)
    fresh: list[tuple[int, ingest_many.NewInbound]] = []
    for position, (inbound, update_id) in enumerate(updates):
        item = _prepared(session, inbound, update_id, default_language)
        if item is not None:
            fresh.append((position, item))
    items = [item for _, item in fresh]
    recorded = ingest_many.record_many(session=session, items=items, prompt="feedback")
    for (position, item), (stored, prompted) in zip(fresh, recorded, strict=True):
        awaiting = stored.message_id is not None and prompted
        label = item.sentiment.label if item.sentiment else None
        polarity = item.sentiment.polarity if item.sentiment else None
        results[position] = Recording(stored, awaiting, label, polarity)
    return results


def follow_up(
    session: Session, settings: Settings, inbound: Inbound, result: Recording, *, now: datetime
) -> Recording:
    """What a newly recorded customer message asks for next, in the same transaction, so the
    reply (group 0) needs no second trip to the database: a text a feedback prompt waited for
    is stored as the feedback; else a negative message of the customer's own (not a command,
    not a press) that is the first complaint of its conversation gets its follow-up planned."""
    customer = result.recorded.customer
    opens = opens_conversation(inbound, result)
    conversation = conversations.continue_with(
        session, result.recorded, at=inbound.sent_at, opens=opens, window=complaints.CONTEXT
    )
    if result.awaiting_feedback:
        if inbound.kind != "text":
            return result  # a photo, a sticker, ...: not the words asked for (group 0 says so)
        message_id = result.recorded.message_id
        take_feedback(
            session, customer_id=customer.id, text=inbound.text, message_id=message_id, now=now
        )
        return replace(result, feedback_taken=True)
    if inbound.kind in {"command", "callback"} or result.sentiment_label != "negative":
        return result
    complaint = complaints.complaint_from_recorded(
        session,
        settings,
        result.recorded,
        kind=inbound.kind,
        polarity=result.polarity,
        at=inbound.sent_at,
        conversation=conversation,
    )
    return replace(result, complaint=True) if complaint else result


def take_feedback(
    session: Session, *, customer_id: int, text: str | None, message_id: int | None, now: datetime
) -> None:
    """The customer's text answers their feedback prompt: store it as their feedback."""
    prompts.take(session=session, customer_id=customer_id, kind="feedback")
    comment = db_safe(text)[0] or ""
    feedback.add_text_feedback(
        session=session, customer_id=customer_id, comment=comment, message_id=message_id, now=now
    )


def _prepared(
    session: Session, inbound: Inbound, update_id: int | None, default_language: str
) -> ingest_many.NewInbound | None:
    """The message to record, scored; an edit is stored here at once (None back)."""
    text, original_length = db_safe(inbound.text)
    sentiment = score(text_to_score(inbound.kind, text))
    if inbound.is_edit:
        assert inbound.telegram_message_id is not None
        assert inbound.edited_at is not None
        messages.record_edit(
            session=session,
            chat_id=inbound.chat_id,
            telegram_message_id=inbound.telegram_message_id,
            text=text,
            edited_at=inbound.edited_at,
            sentiment=sentiment,
        )
        return None
    written = sentiment.lang if sentiment is not None else None
    guess = written if written in LANGUAGES else default_language
    return ingest_many.NewInbound(
        telegram_id=inbound.user_id,
        chat_id=inbound.chat_id,
        first_name=db_safe(inbound.first_name)[0],
        last_name=db_safe(inbound.last_name)[0],
        username=db_safe(inbound.username)[0],
        language=language_of(inbound.language_code, default=guess),
        kind=inbound.kind,
        text=text,
        telegram_message_id=inbound.telegram_message_id,
        callback_id=db_safe(inbound.callback_id)[0],
        sent_at=inbound.sent_at,
        sentiment=sentiment,
        update_id=update_id,
        original_length=original_length,
    )
