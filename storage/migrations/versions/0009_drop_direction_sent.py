"""Drop ix_message_direction_sent: ix_message_report begins with the same two columns
(direction, sent_at), so every query that could use one can use the other, and each message
written no longer pays for a ninth index.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_message_direction_sent", table_name="message")


def downgrade() -> None:
    op.create_index("ix_message_direction_sent", "message", ["direction", "sent_at"])
