"""The outbox's tables: mails waiting for the sender, and when each scheduled job runs next."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from services_catalog.models import UTCDateTime, timestamp_column, utcnow

MAIL_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMail(SQLModel, table=True):
    """One message, written in the transaction of the event it tells of, sent after commit.

    `message_id` is made when the row is written, so that a message sent again after a
    crash (accepted by the server, the sender killed before it noted so) is recognisably
    the same message to the mail systems that deduplicate on it.
    """

    __tablename__ = "outbox_mail"
    # The sender's question: which rows are due, oldest first.
    __table_args__ = (Index("ix_outbox_mail_status_next_attempt_at", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    to_address: str = Field(max_length=320)
    locale: str = Field(default="fr", max_length=2)
    subject: str = Field(sa_type=Text)
    text_body: str = Field(sa_type=Text)
    html_body: str | None = Field(default=None, sa_type=Text)
    # Extra headers as [name, value] pairs, in order (List-Unsubscribe…).
    headers: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Whoever queues a mail that must go once (an alert for one offer) names it here.
    dedupe_key: str | None = Field(
        default=None, sa_column=Column(String(200), nullable=True, unique=True)
    )
    message_id: str = Field(sa_column=Column(String(255), nullable=False, unique=True))
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    # A sender owns a 'sending' row until then; a row whose lease ran out is due again.
    lease_until: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    last_error: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ScheduledJobState(SQLModel, table=True):
    """When a scheduled job (`passerelle.worker`) is due next, shared by every worker."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=100)
    next_run_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # A worker running the job holds it until then; a job whose lease ran out (its worker
    # killed) is due again.
    lease_until: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    last_run_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    last_count: int | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
