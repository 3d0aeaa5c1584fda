"""Recording at receipt: the inbox commit of a batch also records the plain customer messages.

Most updates are a customer's message in the middle of a conversation: recorded, relayed to
the owners, and nothing to answer. The inbox worker (bot/adapter/worker.py) lets the
application record those in the very transaction that commits the batch to the inbox, and mark
them processed there, so they never wait in a lane or take a second commit. Per-chat order
holds: a chat's messages are recorded in order, and only while nothing of that chat is in a
lane or in another batch being received; the first update of a chat that is not such a
message (a command, a press), or one the bot answers (`Shortcut("answer", …)`), goes to the
chat's lane with everything after it. If recording fails for any reason but a busy database,
the batch is committed to the inbox without it and the lanes take every update as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlmodel import Session

from bot.adapter import db
from bot.adapter.inbound import chat_of
from bot.adapter.update_run import Shortcut
from storage import inbox
from storage.inbox import InboxRow

log = logging.getLogger(__name__)

Chats = dict[int, list[tuple[int, Any]]]  # chat id -> its updates to record: (update id, item)


class AtReceipt(Protocol):
    """The application's side (bot/handlers/recording.py)."""

    def pick(self, payload: dict[str, Any]) -> Any | None:
        """On the event loop: what to record of this update at receipt, or None (a lane's)."""

    def record(self, session: Session, chats: list[list[tuple[int, Any]]]) -> dict[int, Shortcut]:
        """In the inbox's transaction: record each chat's updates in order; for each update
        recorded, "settled" (done and marked processed) or "answer" (the lane answers it;
        the chat's later updates are left to the lane: they get no entry)."""

    def after(self, outcomes: dict[int, Shortcut]) -> None:
        """On the event loop, once committed: what recording asks of the running bot."""


def pick(
    at_receipt: AtReceipt, parsed: dict[int, dict[str, Any]], busy: Callable[[int], bool]
) -> Chats:
    """The updates of the batch to record at receipt, per chat and in order: each chat's
    leading run of picked updates, when the chat is not busy elsewhere."""
    chats: Chats = {}
    stopped: set[int] = set()
    for update_id, payload in parsed.items():
        chat = chat_of(payload)
        if chat is None or chat in stopped:
            continue
        item = None if busy(chat) else at_receipt.pick(payload)
        if item is None:
            stopped.add(chat)
            continue
        chats.setdefault(chat, []).append((update_id, item))
    return chats


async def commit(
    engine: Engine,
    rows: Sequence[InboxRow],
    now: datetime,
    chats: Chats,
    at_receipt: AtReceipt | None,
) -> tuple[list[InboxRow], dict[int, Shortcut]]:
    """Commit the batch to the inbox, recording `chats` in the same transaction; the new rows
    and what became of each update recorded. Raises when the database cannot take the batch."""

    def work(session: Session, early: bool) -> tuple[list[InboxRow], dict[int, Shortcut]]:
        new = inbox.add_updates(session=session, rows=rows, now=now)
        if not early or at_receipt is None:
            return new, {}
        fresh = {row.update_id for row in new}  # one stored before is the lanes' (or done)
        runs = [[(u, item) for u, item in run if u in fresh] for run in chats.values()]
        runs = [run for run in runs if run]
        return new, (at_receipt.record(session, runs) if runs else {})

    if not chats or at_receipt is None:
        return await db.transact(engine, lambda session: work(session, False))
    try:
        return await db.transact(engine, lambda session: work(session, True))
    except db.RETRYABLE_ERRORS:
        raise  # busy or away: nothing is confirmed, Telegram keeps the batch
    except Exception as exc:  # a bug in recording: the batch itself must still go in
        log.warning(
            "could not record %d update(s) at receipt (%s); the lanes take them",
            sum(len(run) for run in chats.values()),
            type(exc).__name__,
        )
        return await db.transact(engine, lambda session: work(session, False))


def after(at_receipt: AtReceipt | None, outcomes: dict[int, Shortcut]) -> None:
    """`at_receipt.after`, which never makes an error of a batch already committed."""
    if not outcomes or at_receipt is None:
        return
    try:
        at_receipt.after(outcomes)
    except Exception:
        log.exception("after recording %d update(s) at receipt", len(outcomes))
