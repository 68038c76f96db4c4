"""Interest requests: an entrepreneur writes to a provider about one of its offers."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from passerelle.accounts.models import Project, UserAccount, owner_column
from services_catalog.models import Offer, Organization, UTCDateTime, timestamp_column, utcnow

INTEREST_STATUSES = ("sent", "read", "answered", "closed")


class InterestRequest(SQLModel, table=True):
    """An entrepreneur's message to a provider about one offer, and the provider's answer.

    The project is copied as it was when sent (`project_summary`), so the provider reads
    what the entrepreneur sent even if the project changes or goes.
    """

    __tablename__ = "interest_request"
    __table_args__ = (
        Index("ix_interest_request_organization_status", "organization_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sender_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    offer_id: int = Field(sa_column=owner_column(Offer.__table__))
    organization_id: int = Field(sa_column=owner_column(Organization.__table__))
    project_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey(Project.__table__.c.id, ondelete="SET NULL"), index=True
        ),
    )
    project_summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message: str = Field(sa_type=Text)
    status: str = Field(default="sent", max_length=20)
    reply: str | None = Field(default=None, sa_type=Text)
    replied_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(UserAccount.__table__.c.id, ondelete="SET NULL")),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answered_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
