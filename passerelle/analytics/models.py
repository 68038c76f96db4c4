"""The search log that staff analytics read."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from services_catalog.models import timestamp_column, utcnow


class SearchEvent(SQLModel, table=True):
    """One catalogue search or match request, kept for staff analytics (no personal data).

    `kind` is "search" (browse page or offers API) or "match"; `country` and `sector` are
    the project country and sector asked for, when one was; `results` the number found.
    """

    __tablename__ = "search_event"
    __table_args__ = (Index("ix_search_event_kind_at", "kind", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    kind: str = Field(max_length=10)
    country: str | None = Field(default=None, max_length=2)
    sector: str | None = Field(default=None, max_length=40)
    query: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    results: int = 0
