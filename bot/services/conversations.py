"""Where each customer's conversation under way started, remembered between commits.

A complaint in the middle of a conversation must know where its conversation started (the
follow-up's dedupe key names that first message, bot/services/complaints.py), and reading the
conversation back costs a query and a row per message at every complaint. Recording knows it
anyway, message by message: a message that opens a conversation starts it, and one that comes
within `CONVERSATION_GAP` of the customer's previous message continues that message's
conversation. So each recorded message leaves an entry here, per database (engine) and
customer: its time, where its conversation started, and whether that conversation's
follow-up is known to be in the database.

An entry is only a shortcut, checked against the database at every use: it counts only when it
was written for the customer's newest recorded message (its `last_at` is the `previous_seen`
that recording just read from the customer row, in the same transaction) and the new message
continues that conversation in time order, not more than the read-back's window after its
start. Anything else (another process wrote in between, a message older than the newest, an
entry gone) is a miss, and the caller reads the conversation back as before. Entries are
written when their transaction commits, never from one that rolled back; a message recorded
out of time order forgets its customer's entry (it may join two conversations).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from scoring.planning import CONVERSATION_GAP
from storage.ingest import Recorded

log = logging.getLogger(__name__)

PENDING = "akrab_conversations"  # Session.info key: this transaction's entries, not committed
LIMIT = 50_000  # entries per database; beyond it the ones past any use are dropped


@dataclass(frozen=True, slots=True)
class Known:
    """One customer's conversation under way, as of their newest recorded message."""

    last_at: datetime  # that message's time
    start_id: int  # the conversation's first message
    start_at: datetime
    followed_up: bool = False  # its complaint follow-up is in the database


_remembered: WeakKeyDictionary[Any, dict[int, Known]] = WeakKeyDictionary()
_lock = threading.Lock()


def continue_with(
    session: OrmSession, recorded: Recorded, *, at: datetime, opens: bool, window: timedelta
) -> Known | None:
    """The conversation of the message just recorded in `session` (sent at `at`; `opens`: it
    opens a conversation), when known without reading it back; noted for the next message."""
    customer_id = recorded.customer.id
    if recorded.message_id is None or recorded.replay:
        note(session, customer_id, None)
        return None
    if opens:
        entry: Known | None = Known(at, recorded.message_id, at)
    else:
        before = _lookup(session, customer_id)
        previous = recorded.previous_seen
        usable = (
            before is not None
            and previous is not None
            and before.last_at == previous
            and previous <= at  # (and within the gap: else it would open one)
            and before.start_at >= at - window
        )
        entry = replace(before, last_at=at) if usable and before is not None else None
    note(session, customer_id, entry)
    return entry


def note(session: OrmSession, customer_id: int, entry: Known | None) -> None:
    """Remember `entry` for the customer once `session` commits (None: forget theirs)."""
    session.info.setdefault(PENDING, {})[customer_id] = entry


def forget_all(engine: Any) -> None:
    """Drop everything remembered for `engine`'s database (the next complaints read back)."""
    with _lock:
        _remembered.pop(engine, None)


def _lookup(session: OrmSession, customer_id: int) -> Known | None:
    pending = session.info.get(PENDING)
    if pending is not None and customer_id in pending:
        return pending[customer_id]  # type: ignore[no-any-return]
    try:
        known = _remembered.get(session.get_bind())
    except TypeError:  # a bind that cannot be weakly referenced: nothing remembered
        return None
    return known.get(customer_id) if known is not None else None


@event.listens_for(OrmSession, "after_commit")
def _committed(session: OrmSession) -> None:
    pending: dict[int, Known | None] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    try:
        bind = session.get_bind()
        with _lock:  # PostgreSQL's database threads commit side by side
            known = _remembered.setdefault(bind, {})
            for customer_id, entry in pending.items():
                if entry is None:
                    known.pop(customer_id, None)
                else:
                    known[customer_id] = entry
            if len(known) > LIMIT:
                _prune(known)
    except Exception:  # never an error of a commit that went through: a miss next time
        log.exception("could not remember %d conversation(s)", len(pending))


def _prune(known: dict[int, Known]) -> None:
    """Down to at most 3/4 of `LIMIT`, so the next prune is a quarter of it away (not at every
    commit): the entries over the gap older than the newest go, and all if that is not enough."""
    newest = max(entry.last_at for entry in known.values())
    for customer_id in [c for c, e in known.items() if e.last_at < newest - CONVERSATION_GAP]:
        del known[customer_id]
    if len(known) > LIMIT * 3 // 4:
        known.clear()


@event.listens_for(OrmSession, "after_rollback")
def _rolled_back(session: OrmSession) -> None:
    session.info.pop(PENDING, None)
