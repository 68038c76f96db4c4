"""The provider space's table: which accounts manage an organisation."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from passerelle.accounts.models import UserAccount, owner_column
from services_catalog.models import Organization, timestamp_column, utcnow


class OrganizationMember(SQLModel, table=True):
    """A provider account's membership of an organisation: it may edit its offers."""

    __tablename__ = "organization_member"

    organization_id: int = Field(sa_column=owner_column(Organization.__table__, primary_key=True))
    user_id: int = Field(sa_column=owner_column(UserAccount.__table__, primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
