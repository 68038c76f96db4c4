"""The sender: claims due outbox rows, delivers them, notes each outcome.

Delivery is at least once. A row is claimed (status 'sending', a lease) in a committed
transaction, sent, then marked 'sent' in another. A sender killed between the server's
"250 accepted" and that last commit leaves a row whose lease runs out, and the next
sender sends it again: the one window where a message can go twice. It is as narrow as
one message, and the copy carries the same Message-ID (made when the row was queued), so
mail systems that deduplicate on it, and readers, see one message. Two-phase delivery
cannot close it: SMTP has no way to ask the server whether it already took a message.

Several senders may run over one database. On PostgreSQL each claims with SELECT … FOR
UPDATE SKIP LOCKED, so they take different rows without waiting for each other; the
claiming UPDATE repeats the due condition, so even without the lock (SQLite, where
writers take turns anyway) a row is claimed by one sender only.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import Engine, and_, or_, select, update

from passerelle.db import session_scope
from passerelle.outbox.models import OutboxMail
from passerelle.settings import Settings
from services_catalog.models import utcnow

logger = logging.getLogger(__name__)

SMTP_TIMEOUT = 20  # seconds for each exchange with the server
BATCH = 50
# A claim lasts this long; the sender stops taking rows of its batch before it runs out,
# leaving time for the exchange under way (connect, then send: two timeouts).
LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(seconds=3 * SMTP_TIMEOUT)
# Temporary failures are tried again after 1, 2, 4 … minutes (at most 6 hours apart);
# the MAX_ATTEMPTS-th failure is final.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 8


class PermanentFailure(Exception):
    """The server refused this message for good (a 5xx answer to it)."""


@dataclass(frozen=True)
class Claimed:
    """A row as the sender needs it, read when claimed."""

    id: int
    to_address: str
    locale: str
    subject: str
    text_body: str
    html_body: str | None
    headers: list
    message_id: str
    created_at: datetime
    attempts: int


def _due(now: datetime):
    table = OutboxMail.__table__
    return or_(
        and_(table.c.status == "pending", table.c.next_attempt_at <= now),
        and_(table.c.status == "sending", table.c.lease_until < now),
    )


def claim(engine: Engine, *, limit: int, now: datetime) -> list[Claimed]:
    """Take up to `limit` due rows for this sender, committed before anything is sent.

    One statement, so that SQLite takes its write lock at once (a read turned into a
    write fails when another writer came between them). The candidates are a
    materialised CTE: as a plain IN (subquery), PostgreSQL may run the locking subquery
    again for each row it updates, each run skipping the rows the last one locked, and
    claim far more than `limit`.
    """
    table = OutboxMail.__table__
    candidates = (
        select(table.c.id)
        .where(_due(now))
        .order_by(table.c.next_attempt_at, table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has no row locks
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    with session_scope(engine) as session:
        taken = session.execute(
            update(table)
            .where(table.c.id.in_(select(candidates.c.id)), _due(now))
            .values(status="sending", lease_until=now + LEASE, attempts=table.c.attempts + 1)
            .returning(*(getattr(table.c, name) for name in Claimed.__dataclass_fields__))
        )
        rows = [Claimed(**row._mapping) for row in taken]
    return sorted(rows, key=lambda row: row.id)


def build_message(settings: Settings, mail: Claimed) -> EmailMessage:
    """The message of one outbox row: text, and HTML as its alternative."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.created_at)
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    message["Content-Language"] = mail.locale  # after the content, which resets Content-*
    return message


class Transport:
    """One SMTP connection kept across a batch, opened again after a failure; or the
    development folder when SMTP_HOST is not set."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Raises PermanentFailure for a refusal, another exception for a temporary one."""
        if not self.settings.smtp_host:
            write_to_folder(self.settings.data_dir / "mail", message)
            return
        try:
            self._connection().send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            code, answer = next(iter(exc.recipients.values()))
            _raise_for(code, answer)
        except smtplib.SMTPResponseException as exc:
            self.close()
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                raise  # the platform's account, not this message: try again later
            _raise_for(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException):
            self.close()  # dropped, timed out, refused to connect: try again later
            raise

    def _connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            settings = self.settings
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
            try:
                if settings.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        return self.smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _raise_for(code: int, answer: bytes | str) -> None:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
    if 500 <= code < 600:
        raise PermanentFailure(f"{code} {text}")
    raise smtplib.SMTPResponseException(code, text)


def write_to_folder(folder: Path, message: EmailMessage) -> Path:
    """Development mail: one .eml file per message, its path logged."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    path.write_bytes(message.as_bytes())
    logger.warning("SMTP_HOST is not set: mail to %s written to %s", message["To"], path)
    return path


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: doubling from FIRST_RETRY."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}"[:2000]
    return (f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)[:2000]


def _note(engine: Engine, row: Claimed, **values) -> None:
    """Record the outcome of one row, as long as this sender still holds it."""
    table = OutboxMail.__table__
    with session_scope(engine) as session:
        session.execute(
            update(table)
            .where(table.c.id == row.id, table.c.status == "sending")
            .values(lease_until=None, **values)
        )


def _release(engine: Engine, rows: list[Claimed]) -> None:
    """Give rows back unsent (stopping, or the lease running short): due again at once,
    their claim not counted as an attempt."""
    if not rows:
        return
    table = OutboxMail.__table__
    with session_scope(engine) as session:
        session.execute(
            update(table)
            .where(table.c.id.in_([row.id for row in rows]), table.c.status == "sending")
            .values(status="pending", lease_until=None, attempts=table.c.attempts - 1)
        )


def _deliver_one(engine: Engine, settings: Settings, transport: Transport, row: Claimed) -> bool:
    message = build_message(settings, row)
    try:
        transport.send(message)
    except PermanentFailure as exc:
        logger.error("mail %s to %s refused: %s", row.id, row.to_address, exc)
        _note(engine, row, status="failed", last_error=str(exc)[:2000])
        return False
    except (OSError, smtplib.SMTPException) as exc:
        error = _describe(exc)
        if row.attempts >= MAX_ATTEMPTS:
            logger.error("mail %s to %s failed %s times: %s", row.id, row.to_address,
                         row.attempts, error)  # fmt: skip
            _note(engine, row, status="failed", last_error=error)
        else:
            logger.warning("mail %s to %s not sent, will retry: %s", row.id, row.to_address,
                           error)  # fmt: skip
            later = utcnow() + retry_delay(row.attempts)
            _note(engine, row, status="pending", next_attempt_at=later, last_error=error)
        return False
    _note(engine, row, status="sent", sent_at=utcnow(), last_error=None)
    return True


def deliver_batch(
    engine: Engine, settings: Settings, *, limit: int = BATCH, now: datetime | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, int]:  # fmt: skip
    """Claim up to `limit` due rows and deliver them; (rows claimed, mails sent)."""
    rows = claim(engine, limit=limit, now=now or utcnow())
    # The lease is counted from the claim, on this machine's clock.
    must_stop_at = time.monotonic() + (LEASE - LEASE_MARGIN).total_seconds()
    transport = Transport(settings)
    sent = 0
    try:
        for position, row in enumerate(rows):
            if (stop is not None and stop.is_set()) or time.monotonic() > must_stop_at:
                _release(engine, rows[position:])
                break
            sent += _deliver_one(engine, settings, transport, row)
    finally:
        transport.close()
    return len(rows), sent


def deliver_due(
    engine: Engine, settings: Settings, *, limit: int = BATCH, now: datetime | None = None
) -> int:
    """Deliver up to `limit` due mails; how many the server accepted."""
    return deliver_batch(engine, settings, limit=limit, now=now)[1]


def deliver_all_due(
    engine: Engine, settings: Settings, *, stop: threading.Event | None = None
) -> int:
    """Batch after batch until no row is due; how many mails were sent."""
    sent = 0
    while stop is None or not stop.is_set():
        claimed, accepted = deliver_batch(engine, settings, stop=stop)
        sent += accepted
        if claimed < BATCH:
            break
    return sent
