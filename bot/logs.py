"""Logging that never shows the token: every handler's output is scrubbed of it.

PTB puts the token in the API URL, and an error can carry the URL into a message or a
traceback; scrubbing the formatted line catches every path, at every level.
"""

from __future__ import annotations

import logging

_SECRETS: set[str] = set()
MASK = "<token>"


def scrub(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, MASK)
    return text


class ScrubbingFormatter(logging.Formatter):
    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return scrub(self.inner.format(record))


def redact(secret: str | None) -> None:
    """From now on, `secret` never appears in a log line of any handler of the root logger."""
    if not secret:
        return
    _SECRETS.add(secret)
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, ScrubbingFormatter):
            handler.setFormatter(ScrubbingFormatter(handler.formatter))


def quiet_libraries() -> None:
    """Library loggers that log request URLs or whole updates (names, texts) stay above DEBUG."""
    for name, level in (
        ("httpx", logging.WARNING),
        ("httpcore", logging.WARNING),
        ("telegram", logging.INFO),
        ("aiohttp.access", logging.WARNING),
        ("alembic", logging.WARNING),
        ("apscheduler", logging.WARNING),
    ):
        logging.getLogger(name).setLevel(level)
