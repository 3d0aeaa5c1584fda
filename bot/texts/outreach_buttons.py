"""The buttons under an automated message (the complaint follow-up asks: resolved?)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "outreach_resolved_yes": {"id": "Sudah beres 👍", "en": "All sorted 👍"},
    "outreach_resolved_no": {"id": "Belum 😕", "en": "Not yet 😕"},
}
