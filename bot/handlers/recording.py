"""Group -1: record every update from a private chat exactly once, before anything replies.

Sentiment is computed before the write and a failure there only leaves the fields empty, so the
message itself is always stored, in one commit. A redelivered update (same chat and message id,
or same callback id) stops here, so nothing is recorded or answered twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.adapter.inbound import extract, language_of
from bot.context import AkrabContext
from bot.services.recording import text_to_score
from scoring import sentiment as sentiment_analysis
from storage import ingest, messages
from storage.db import session_scope
from storage.messages import SentimentFields

log = logging.getLogger(__name__)

CONVERSATION_GAP = timedelta(minutes=30)  # a longer silence starts a new conversation


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


async def record_update(update: Update, context: AkrabContext) -> None:
    """Record the update's customer and message; stop duplicates and edits here."""
    data = context.bot_data
    inbound = extract(update, data.clock())
    if inbound is None:
        return
    sentiment = score(text_to_score(inbound.kind, inbound.text))
    with session_scope(data.engine) as session:
        if inbound.is_edit:
            assert inbound.telegram_message_id is not None
            assert inbound.edited_at is not None
            messages.record_edit(
                session=session,
                chat_id=inbound.chat_id,
                telegram_message_id=inbound.telegram_message_id,
                text=inbound.text,
                edited_at=inbound.edited_at,
                sentiment=sentiment,
            )
            recorded = None
        else:
            recorded = ingest.record_inbound(
                session=session,
                telegram_id=inbound.user_id,
                chat_id=inbound.chat_id,
                first_name=inbound.first_name,
                last_name=inbound.last_name,
                username=inbound.username,
                language=language_of(inbound.language_code),
                kind=inbound.kind,
                text=inbound.text,
                telegram_message_id=inbound.telegram_message_id,
                callback_id=inbound.callback_id,
                sent_at=inbound.sent_at,
                sentiment=sentiment,
            )
    if recorded is None or recorded.message_id is None:
        # An edit (recorded, never answered again) or a redelivered update.
        if recorded is not None:
            log.info("update %s was already recorded; skipping it", update.update_id)
        raise ApplicationHandlerStop
    context.customer = recorded.customer
    data.pending_refresh.add(recorded.customer.id)
    context.recorded_message_id = recorded.message_id
    context.sentiment_label = sentiment.label if sentiment else None
    last_seen = recorded.previous_seen
    context.new_customer = last_seen is None
    context.new_conversation = last_seen is None or (inbound.sent_at - last_seen > CONVERSATION_GAP)
