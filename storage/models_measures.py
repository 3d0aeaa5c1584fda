"""Tables of what the CES is computed from and what it gave: purchases and score snapshots.

Part of `storage.models`, which re-exports every table; import them from there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


class Purchase(SQLModel, table=True):
    """Money a customer spent: from a CSV import, an owner command or the API."""

    __tablename__ = "purchase"
    __table_args__ = (Index("ix_purchase_customer_time", "customer_id", "purchased_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    # Exact money: an integer count of 1/100 of the currency unit (no binary floats).
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = "IDR"
    purchased_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    source: str = "csv"  # csv | owner | api
    external_id: str | None = None
    # The shop's order id when given, else a digest of the row: importing twice adds nothing.
    dedupe_key: str = Field(unique=True)
    note: str | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Score(SQLModel, table=True):
    """One CES snapshot of one customer from one scoring run (history for trends)."""

    __tablename__ = "score"
    __table_args__ = (
        Index("ix_score_customer_time", "customer_id", "computed_at"),
        # A customer's best CES in one seek, not a walk of their history (migration 0008).
        Index("ix_score_customer_ces", "customer_id", "ces"),
        Index("ix_score_time", "computed_at"),
        # The owner report's segments over time: a run's counts from the index alone (0006).
        Index("ix_score_time_segment", "computed_at", "segment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    computed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ces: float
    frequency: float | None = None
    recency: float | None = None
    depth: float | None = None
    monetary: float | None = None
    sentiment: float | None = None
    satisfaction: float | None = None
    segment: str
    declining: bool = False
