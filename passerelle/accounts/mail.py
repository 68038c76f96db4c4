"""Outgoing e-mail: through SMTP when SMTP_HOST is set, otherwise into a folder and the log.

Pages hand their mails to `send_after_commit`: they leave once the request's transaction
is committed and its answer sent, so a mail never tells of something that was rolled back
and a slow mail server never holds up a page.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from fastapi import BackgroundTasks, Request

from passerelle.settings import Settings
from services_catalog.models import utcnow

logger = logging.getLogger(__name__)
SMTP_TIMEOUT = 20  # seconds


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def mail_link(request: Request, settings: Settings, name: str, **params) -> str:
    """The address of page `name` for a message: the configured public address, never
    the request's own (its Host header is the sender's to choose)."""
    return settings.base_url + request.app.url_path_for(name, **params)


def send_after_commit(tasks: BackgroundTasks, settings: Settings, mails: list[Mail]) -> None:
    """Send `mails` after the answer: the request scope (`SessionDep`) commits before the
    answer leaves, and an answer whose commit failed is an error that runs no task."""
    for mail in mails:
        tasks.add_task(_deliver, settings, mail)


def _deliver(settings: Settings, mail: Mail) -> None:
    """A server that refuses is logged: the visitor already has their answer."""
    try:
        send_mail(settings, to=mail.to, subject=mail.subject, body=mail.body)
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("could not send the mail %r to %s", mail.subject, mail.to)


def build_message(settings: Settings, *, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises OSError/SMTPException when the server refuses."""
    message = build_message(settings, to=to, subject=subject, body=body)
    if not settings.smtp_host:
        _write_to_folder(settings.data_dir / "mail", message)
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def _write_to_folder(folder: Path, message: EmailMessage) -> Path:
    """Development mail: one .eml file per message, its path logged."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    path.write_bytes(message.as_bytes())
    logger.warning("SMTP_HOST is not set: mail to %s written to %s", message["To"], path)
    return path
