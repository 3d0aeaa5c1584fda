"""The bot object: PTB's `ExtBot`, plus a hook that sees every message the bot sends or edits.

Overriding `_send_message` (the one path all `send_*`/`edit_*` methods share in PTB 22) is how
"every message the bot sends is recorded" holds whatever code path sent it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Message
from telegram.error import Forbidden
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

SentHook = Callable[[str, Message], None]
BlockedHook = Callable[[int], None]


class AkrabBot(ExtBot[None]):
    """An `ExtBot` that reports sent/edited messages and chats that blocked the bot."""

    def __init__(
        self,
        *args: Any,
        on_sent: SentHook | None = None,
        on_blocked: BlockedHook | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._on_sent = on_sent
        self._on_blocked = on_blocked

    async def _send_message(  # type: ignore[override]
        self, endpoint: str, data: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            result = await super()._send_message(endpoint, data, *args, **kwargs)
        except Forbidden:
            chat_id = data.get("chat_id")
            if self._on_blocked is not None and isinstance(chat_id, int):
                self._on_blocked(chat_id)
            raise
        if self._on_sent is not None and isinstance(result, Message):
            try:
                self._on_sent(endpoint, result)
            except Exception:  # the message did go out: never turn a send into an error
                log.exception("could not record the bot's %s to chat %s", endpoint, result.chat_id)
        return result
