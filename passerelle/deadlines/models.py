"""The secret address of a person's calendar feed; only the SHA-256 of its token is kept."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from passerelle.accounts.models import UserAccount, owner_column
from services_catalog.models import timestamp_column, utcnow


class CalendarFeed(SQLModel, table=True):
    """One feed per person: making a new address replaces the hash, so the old one stops."""

    __tablename__ = "calendar_feed"

    user_id: int = Field(sa_column=owner_column(UserAccount.__table__, primary_key=True))
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
