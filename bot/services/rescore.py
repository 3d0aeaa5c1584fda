"""`akrab rescore`: re-score stored messages whose sentiment came from an older analyzer.

Works in batches by message id, committing each batch, so an interrupted run loses at most one
batch of work and the next run carries on where it stopped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from bot.services.recording import FEEDBACK_PREFIX, SCORED_KINDS, text_to_score
from scoring import sentiment
from storage import messages
from storage.db import session_scope
from storage.messages import SentimentFields


def rescore(engine: Engine, *, batch_size: int = 1000, progress: bool = True) -> int:
    """Re-score every stale message; returns how many were scored."""
    version = sentiment.ANALYZER_VERSION
    selection: dict[str, Any] = {
        "version": version,
        "kinds": SCORED_KINDS,
        "command_prefix": FEEDBACK_PREFIX,
    }
    with session_scope(engine) as session:
        total = messages.count_stale_sentiment(session=session, **selection)
    done, after_id = 0, 0
    with tqdm(total=total, unit="msg", disable=not progress, desc="rescore") as bar:
        while True:
            with session_scope(engine) as session:
                batch = messages.stale_sentiment(
                    session=session, after_id=after_id, limit=batch_size, **selection
                )
                if not batch:
                    break
                texts = [text_to_score(kind, text) or "" for _, kind, text in batch]
                results = sentiment.analyze_many(texts)
                messages.store_sentiments(
                    session=session,
                    results={
                        message_id: SentimentFields(r.polarity, r.label, r.lang, version)
                        for (message_id, _, _), r in zip(batch, results, strict=True)
                    },
                )
            after_id = batch[-1][0]
            done += len(batch)
            bar.update(len(batch))
    return done
