"""Saved searches and alerts: what an entrepreneur asked to be told about, and how often."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Table, Text, text
from sqlmodel import Field, SQLModel

from passerelle.accounts.models import Project, UserAccount, owner_column
from services_catalog.models import UTCDateTime, timestamp_column, utcnow

FREQUENCIES = ("immediate", "daily", "weekly", "none")
# What an alert watches: a project's matches, a saved search's results, or the deadlines
# of the person's bookmarked offers.
ALERT_KINDS = ("project", "search", "bookmarks")


def _target_column(table: Table) -> Column:
    """What an alert watches: at most one alert per project or saved search, going with it."""
    return Column(Integer, ForeignKey(table.c.id, ondelete="CASCADE"), nullable=True, unique=True)


class SavedSearch(SQLModel, table=True):
    """The browse page's filters and words as its query string, kept under a name."""

    __tablename__ = "saved_search"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    name: str = Field(max_length=200)
    query: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class Alert(SQLModel, table=True):
    """How often one person hears about one project, saved search or their bookmarks.

    `checked_until` is the watermark: offers changed up to then have been considered, and
    it moves in the same transaction as the mail it led to, so a run that fails sends
    nothing and the next run considers the same offers again.
    """

    __tablename__ = "alert"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'project' AND project_id IS NOT NULL AND saved_search_id IS NULL)"
            " OR (kind = 'search' AND saved_search_id IS NOT NULL AND project_id IS NULL)"
            " OR (kind = 'bookmarks' AND project_id IS NULL AND saved_search_id IS NULL)",
            name="target",
        ),
        Index("ix_alert_frequency", "frequency"),
        # One bookmark-deadline alert per person.
        Index(
            "uq_alert_bookmarks",
            "owner_id",
            unique=True,
            sqlite_where=text("kind = 'bookmarks'"),
            postgresql_where=text("kind = 'bookmarks'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    kind: str = Field(max_length=20)
    project_id: int | None = Field(default=None, sa_column=_target_column(Project.__table__))
    saved_search_id: int | None = Field(
        default=None, sa_column=_target_column(SavedSearch.__table__)
    )
    frequency: str = Field(max_length=20)
    checked_until: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_sent_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
