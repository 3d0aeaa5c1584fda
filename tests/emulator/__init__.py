"""Local Telegram Bot API emulator for end-to-end tests; see ``README.md`` beside this file.

``BotApiEmulator`` is imported lazily so that ``python -m tests.emulator.server`` does not import
the server module twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.emulator.server import ApiError, BotApiEmulator, Fault

__all__ = ["ApiError", "BotApiEmulator", "Fault"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tests.emulator import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
