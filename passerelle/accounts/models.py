"""Accounts and what belongs to them: rate-limit counters, reset tokens, projects,
bookmarks and API tokens."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Table,
    Text,
)
from sqlmodel import Field, SQLModel

from services_catalog.models import ACTOR_COLUMNS, Offer, UTCDateTime, timestamp_column, utcnow

ROLES = ("entrepreneur", "provider", "staff", "admin")
STAFF_ROLES = ("staff", "admin")


def owner_column(table: Table, *, primary_key: bool = False) -> Column:
    """A foreign key to `table` whose rows go with the row they point to."""
    return Column(
        Integer,
        ForeignKey(table.c.id, ondelete="CASCADE"),
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
    user_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )


def _tie_actor_columns_to_accounts() -> None:
    """Make the catalogue's account ids (its `actor_column`s) foreign keys of accounts.

    The catalogue does not know this table; the platform, which owns both, has the
    database forget who acted (NULL) when an account is deleted, and keep what was done.
    """
    for column in ACTOR_COLUMNS:
        column.table.append_constraint(
            ForeignKeyConstraint([column], [UserAccount.__table__.c.id], ondelete="SET NULL")
        )


_tie_actor_columns_to_accounts()


class RateCounter(SQLModel, table=True):
    """How often one thing happened in the current window of a rate limit (sign-in
    failures, mails sent), counted by one atomic statement that every process shares.

    `key` is a SHA-256 of the limit's name and what it counts (an address, an account),
    so the table holds no e-mail address or IP address in clear.
    """

    __tablename__ = "rate_counter"

    key: str = Field(max_length=64, primary_key=True)
    window_start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    count: int = 0


class PasswordResetToken(SQLModel, table=True):
    """A single-use reset link; only the SHA-256 of its secret is stored."""

    __tablename__ = "password_reset_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=owner_column(UserAccount.__table__))
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
    owner_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class Bookmark(SQLModel, table=True):
    """An offer an entrepreneur keeps for later."""

    __tablename__ = "bookmark"
    __table_args__ = (Index("ix_bookmark_offer_id", "offer_id"),)

    user_id: int = Field(sa_column=owner_column(UserAccount.__table__, primary_key=True))
    offer_id: int = Field(sa_column=owner_column(Offer.__table__, primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class ApiToken(SQLModel, table=True):
    """A personal API token; only the SHA-256 of its secret is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=owner_column(UserAccount.__table__))
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    last_used_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
