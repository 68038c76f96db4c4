"""A real SMTP server on 127.0.0.1 whose behaviour each test chooses."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session

from passerelle.outbox.mail import Mail
from passerelle.outbox.service import queue_mail


class MailServer:
    """An aiosmtpd handler: accepts, refuses (`refuse_rcpt`, `defer_data`), drops the
    connection in the middle of DATA (`drop`), and answers after `delay` seconds.

    A message counts as received only once the server has said 250: a client that went
    away while the server was still thinking cancels it, as it would a real server's.
    """

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse_rcpt: str | None = None
        self.defer_data: str | None = None
        self.drop = False
        self.delay = 0.0

    async def handle_RCPT(self, _server, session, envelope, address, _options) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, _session, envelope) -> str:
        if self.drop:
            server.transport.close()
            return "421 closing"  # never read: the connection is gone
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.defer_data:
            return self.defer_data
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server():
    controller = Controller(MailServer(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def server(mail_server) -> MailServer:
    return mail_server.handler


@pytest.fixture
def smtp_settings(settings, mail_server):
    """The test settings, sending to the local server without STARTTLS."""
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": mail_server.port, "smtp_starttls": False}
    )


def queue(db, count: int = 1, **fields) -> None:
    with Session(db) as session:
        for number in range(count):
            mail = Mail(**{"to": f"reader{number}@example.org", "subject": f"Mail {number}",
                           "text": f"Text {number}", **fields})  # fmt: skip
            queue_mail(session, mail)
        session.commit()
