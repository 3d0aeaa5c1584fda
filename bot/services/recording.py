"""Which words in a recorded message are the customer's own, and so get a sentiment score.

Shared by the recording handler (at the time a message arrives) and `akrab rescore` (later, over
the stored rows), so both score exactly the same text. No Telegram here: plain kinds and text.
"""

from __future__ import annotations

SCORED_KINDS = {"text", "photo", "video", "document", "voice"}  # kinds whose text is the customer's
FEEDBACK_PREFIX = "/feedback"


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
