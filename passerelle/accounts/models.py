"""Accounts and what belongs to them: sign-in records, reset tokens, projects, bookmarks,
memberships of organisations, interest requests, API tokens; and the search log."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from services_catalog.models import UTCDateTime, timestamp_column, utcnow

ROLES = ("entrepreneur", "provider", "staff", "admin")
STAFF_ROLES = ("staff", "admin")


def _owner_column(table: str, *, primary_key: bool = False) -> Column:
    """A foreign key whose rows go with the row they point to."""
    return Column(
        Integer,
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
        index=not primary_key,
    )


class UserAccount(SQLModel, table=True):
    """Someone who signs in: an entrepreneur, a provider's member, staff or an admin."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = Field(default="entrepreneur", max_length=20)
    locale: str = Field(default="fr", max_length=2)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class AccountSession(SQLModel, table=True):
    """A signed-in browser: its cookie carries the secret whose SHA-256 is the id, so that
    deleting the row ends the session in every process."""

    __tablename__ = "account_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(sa_column=_owner_column("user_account"))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, kept for the rate limit's window (shared by every process)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_address_created_at", "address", "created_at"),
        Index("ix_login_attempt_email_created_at", "email", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=100)
    email: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class PasswordResetToken(SQLModel, table=True):
    """A single-use reset link; only the SHA-256 of its secret is stored."""

    __tablename__ = "password_reset_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_owner_column("user_account"))
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class ProjectBase(SQLModel):
    """A project: the contract's entrepreneur profile, plus a name."""

    name: str = Field(max_length=200)
    residence_country: str = Field(max_length=2)
    target_country: str = Field(max_length=2)
    sector: str = Field(max_length=40)
    stage: str = Field(max_length=20)
    project_eur: int = Field(sa_type=BigInteger)
    funding_need_eur: int | None = Field(default=None, sa_type=BigInteger)
    applicant_type: str = Field(default="individual", max_length=20)
    groups: list[str] = Field(default_factory=list, sa_type=JSON)
    needs: list[str] = Field(default_factory=list, sa_type=JSON)
    description: str = Field(default="", sa_type=Text)


class Project(ProjectBase, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_column=_owner_column("user_account"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class Bookmark(SQLModel, table=True):
    """An offer an entrepreneur keeps for later."""

    __tablename__ = "bookmark"
    __table_args__ = (Index("ix_bookmark_offer_id", "offer_id"),)

    user_id: int = Field(sa_column=_owner_column("user_account", primary_key=True))
    offer_id: int = Field(sa_column=_owner_column("offer", primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class OrganizationMember(SQLModel, table=True):
    """A provider account's membership of an organisation: it may edit its offers."""

    __tablename__ = "organization_member"

    organization_id: int = Field(sa_column=_owner_column("organization", primary_key=True))
    user_id: int = Field(sa_column=_owner_column("user_account", primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


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
    sender_id: int = Field(sa_column=_owner_column("user_account"))
    offer_id: int = Field(sa_column=_owner_column("offer"))
    organization_id: int = Field(sa_column=_owner_column("organization"))
    project_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="SET NULL"), index=True),
    )
    project_summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message: str = Field(sa_type=Text)
    status: str = Field(default="sent", max_length=20)
    reply: str | None = Field(default=None, sa_type=Text)
    replied_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL")),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answered_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ApiToken(SQLModel, table=True):
    """A personal API token; only the SHA-256 of its secret is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_owner_column("user_account"))
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    last_used_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )


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
