"""Two indexes for periodic queries that SQLite, without ANALYZE statistics, planned on an
unselective index: sent outreach of a period, and a customer's best CES.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outreach_status_sent", "outreach", ["status", "sent_at"])
    op.create_index("ix_score_customer_ces", "score", ["customer_id", "ces"])


def downgrade() -> None:
    op.drop_index("ix_score_customer_ces", table_name="score")
    op.drop_index("ix_outreach_status_sent", table_name="outreach")
