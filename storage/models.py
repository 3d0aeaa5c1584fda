"""SQLModel tables. Timestamps are timezone-aware UTC in Python, whatever the database stores.

The tables are defined by family in `storage.models_customers` (customers, messages, feedback,
prompts, the inbox), `storage.models_measures` (purchases, scores) and `storage.models_outreach`
(campaigns, the outbox, the owner console), on the UTC column type of `storage.columns`. This
module imports them all, so importing it registers every table on `SQLModel.metadata` (Alembic's
`env.py` does), and the rest of the code imports the tables from here.

The schema itself is owned by the Alembic migrations in `storage/migrations/`; these classes
must match them (a test compares the two).
"""

from __future__ import annotations

from storage.models_customers import Customer, Feedback, InboxUpdate, Message, PendingPrompt
from storage.models_measures import Purchase, Score
from storage.models_outreach import (
    Campaign,
    CustomerTopic,
    Outreach,
    OwnerProfile,
    OwnerRelay,
    OwnerReplyMode,
)

__all__ = [
    "Campaign",
    "Customer",
    "CustomerTopic",
    "Feedback",
    "InboxUpdate",
    "Message",
    "Outreach",
    "OwnerProfile",
    "OwnerRelay",
    "OwnerReplyMode",
    "PendingPrompt",
    "Purchase",
    "Score",
]
