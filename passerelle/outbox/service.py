"""Queueing mail: a row in the caller's transaction, sent by the sender once committed."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, delete, func, select

from passerelle.accounts.errors import NotFoundError
from passerelle.db import upsert_insert
from passerelle.outbox.mail import Mail
from passerelle.outbox.models import OutboxMail
from passerelle.settings import Settings, get_settings
from services_catalog.models import utcnow


def new_message_id() -> str:
    """A Message-ID of this platform's domain (the host of its public address)."""
    domain = urlsplit(get_settings().base_url).hostname or "passerelle.invalid"
    return f"<outbox-{uuid.uuid4().hex}@{domain}>"


def queue_mail(session: Session, mail: Mail, *, dedupe_key: str | None = None) -> bool:
    """Add `mail` to the outbox in the caller's transaction (never committed here).

    With a `dedupe_key` already queued, nothing is added and the answer is False: the
    INSERT … ON CONFLICT DO NOTHING stays right when two transactions race on one key.
    """
    if dedupe_key is not None and not 0 < len(dedupe_key) <= 200:
        raise ValueError(f"dedupe_key: {dedupe_key!r} is not 1 to 200 characters long")
    now = utcnow()
    insert = upsert_insert(session.get_bind(), OutboxMail.__table__).values(
        created_at=now,
        to_address=mail.to,
        locale=mail.locale,
        subject=mail.subject,
        text_body=mail.text,
        html_body=mail.html,
        headers=[list(header) for header in mail.headers],
        dedupe_key=dedupe_key,
        message_id=new_message_id(),
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    # RETURNING rather than the row count, which psycopg does not give for ORM statements.
    added = insert.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
        OutboxMail.__table__.c.id
    )
    return session.execute(added).scalar() is not None


def queue_mails(session: Session, mails: list[Mail]) -> None:
    for mail in mails:
        queue_mail(session, mail)


def outbox_depth(session: Session) -> dict[str, int]:
    """How many mails are in each state."""
    counts = select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
    return dict(session.execute(counts).all())


def forget_recipient(session: Session, address: str) -> None:
    """Delete every mail to `address`, sent or not: an account deleted leaves none of its
    words behind, and nothing more is sent to it."""
    session.execute(delete(OutboxMail).where(func.lower(OutboxMail.to_address) == address.lower()))


def failed_mails(session: Session, *, limit: int = 100) -> list[OutboxMail]:
    """The mails that failed for good, latest first (what staff look into)."""
    query = select(OutboxMail).where(OutboxMail.status == "failed")
    return list(session.exec(query.order_by(OutboxMail.id.desc()).limit(limit)))


def oldest_waiting(session: Session) -> datetime | None:
    """When the oldest mail still to send was queued: a sender that stopped shows here."""
    query = select(func.min(OutboxMail.created_at)).where(OutboxMail.status != "sent")
    return session.exec(query.where(OutboxMail.status != "failed")).one()


def retry_mail(session: Session, mail_id: int) -> OutboxMail:
    """Send a failed mail again, at once and with its attempts counted afresh; the last
    error stays shown until it goes. NotFoundError unless the mail failed."""
    mail = session.get(OutboxMail, mail_id)
    if mail is None or mail.status != "failed":
        raise NotFoundError()
    mail.status, mail.attempts, mail.next_attempt_at = "pending", 0, utcnow()
    session.add(mail)
    session.flush()
    return mail


# Sent mails are kept this long (staff look into a complaint), then deleted: they hold
# people's names and links.
SENT_KEPT = timedelta(days=30)


def delete_old_mail(session: Session, _settings: Settings, now: datetime) -> int:
    """The outbox's daily clean-up (a scheduled job): sent and failed mails past
    SENT_KEPT go; how many."""
    old = delete(OutboxMail).where(
        OutboxMail.status.in_(("sent", "failed")), OutboxMail.created_at < now - SENT_KEPT
    )
    return session.execute(old).rowcount
