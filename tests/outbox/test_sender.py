"""The sender against a real SMTP server: delivery, refusals, retries, racing senders."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from passerelle.db import create_db_engine
from passerelle.outbox import sender
from passerelle.outbox.mail import compose
from passerelle.outbox.models import OutboxMail
from passerelle.outbox.service import queue_mail
from services_catalog.models import utcnow
from tests.outbox.conftest import free_port, queue


def rows(db) -> list[OutboxMail]:
    with Session(db) as session:
        return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)))


def test_a_mail_arrives_multipart_in_its_readers_language_with_its_message_id(
    db, smtp_settings, server
):
    links = {"login": "http://testserver/account/login", "reset": "http://testserver/r"}
    with Session(db) as session:
        mail = compose("awa@example.org", "fr", "welcome", name="Awa Diop", **links)
        headers = (("List-Unsubscribe", "<http://testserver/u/1>"),)
        queue_mail(session, mail.__class__(**{**mail.__dict__, "headers": headers}))
        session.commit()
    assert sender.deliver_due(db, smtp_settings) == 1
    (received,) = server.received
    (row,) = rows(db)
    assert received["Message-ID"] == row.message_id
    assert received["To"] == "awa@example.org" and received["From"] == smtp_settings.mail_from
    assert received["Subject"] == "Votre compte Passerelle est prêt"
    assert received["Content-Language"] == "fr"
    assert received["List-Unsubscribe"] == "<http://testserver/u/1>"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert text.startswith("Bonjour Awa Diop,") and "http://testserver/account/login" in text
    assert '<html lang="fr">' in html and 'href="http://testserver/account/login"' in html
    assert row.status == "sent" and row.sent_at and row.attempts == 1 and row.lease_until is None


def test_a_sent_mail_is_not_sent_again(db, smtp_settings, server):
    queue(db, 3)
    assert sender.deliver_due(db, smtp_settings) == 3
    assert sender.deliver_due(db, smtp_settings) == 0
    assert len(server.received) == 3 and {row.status for row in rows(db)} == {"sent"}


def test_a_refused_recipient_fails_for_good_and_the_others_still_go(db, smtp_settings, server):
    queue(db, 1)
    server.refuse_rcpt = "550 5.1.1 No such user here"
    assert sender.deliver_due(db, smtp_settings) == 0
    server.refuse_rcpt = None
    queue(db, 1)
    later = utcnow() + timedelta(days=1)
    assert sender.deliver_due(db, smtp_settings, now=later) == 1  # the failed one stays failed
    failed, sent = rows(db)
    assert failed.status == "failed" and failed.last_error == "550 5.1.1 No such user here"
    assert failed.attempts == 1 and sent.status == "sent"
    assert [m["To"] for m in server.received] == ["reader0@example.org"]  # the second one


def test_a_temporary_refusal_is_tried_again_later_with_back_off(db, smtp_settings, server):
    queue(db, 1)
    server.defer_data = "451 4.3.0 Mailbox busy, try later"
    started = utcnow()
    assert sender.deliver_due(db, smtp_settings, now=started) == 0
    (row,) = rows(db)
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error == "451 4.3.0 Mailbox busy, try later"
    assert started + sender.FIRST_RETRY <= row.next_attempt_at
    assert row.next_attempt_at <= utcnow() + sender.FIRST_RETRY
    assert sender.deliver_due(db, smtp_settings, now=started) == 0  # not due yet
    assert sender.deliver_due(db, smtp_settings, now=row.next_attempt_at) == 0  # busy again
    (row,) = rows(db)
    assert row.attempts == 2 and row.next_attempt_at >= utcnow() + sender.FIRST_RETRY
    server.defer_data = None
    assert sender.deliver_due(db, smtp_settings, now=row.next_attempt_at) == 1
    (row,) = rows(db)
    assert row.status == "sent" and row.attempts == 3 and row.last_error is None
    assert len(server.received) == 1


def test_retries_double_and_end_in_failure(db, smtp_settings, server, monkeypatch):
    assert [sender.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
    ]  # fmt: skip
    assert sender.retry_delay(30) == sender.LONGEST_RETRY
    monkeypatch.setattr(sender, "MAX_ATTEMPTS", 2)
    queue(db, 1)
    server.defer_data = "452 4.2.2 Mailbox full"
    far = utcnow() + timedelta(days=1)
    sender.deliver_due(db, smtp_settings, now=far)
    sender.deliver_due(db, smtp_settings, now=far + timedelta(days=1))
    (row,) = rows(db)
    assert row.status == "failed" and row.attempts == 2 and row.last_error.startswith("452")
    assert sender.deliver_due(db, smtp_settings, now=far + timedelta(days=30)) == 0


def test_a_dropped_connection_is_retried(db, smtp_settings, server):
    queue(db, 2)
    server.drop = True
    assert sender.deliver_due(db, smtp_settings) == 0
    assert all(row.status == "pending" and row.attempts == 1 for row in rows(db))
    assert all("SMTPServerDisconnected" in row.last_error for row in rows(db))
    server.drop = False
    assert sender.deliver_due(db, smtp_settings, now=utcnow() + timedelta(minutes=2)) == 2
    assert len(server.received) == 2


def test_a_server_that_is_not_there_is_retried(db, settings):
    away = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_starttls": False}
    )
    queue(db, 1)
    assert sender.deliver_due(db, away) == 0
    (row,) = rows(db)
    assert row.status == "pending" and "ConnectionRefusedError" in row.last_error


def test_without_smtp_host_mail_is_written_to_the_data_folder(db, settings):
    queue(db, 2)
    assert sender.deliver_due(db, settings.model_copy(update={"smtp_host": ""})) == 2
    written = sorted((settings.data_dir / "mail").glob("*.eml"))
    assert len(written) == 2 and "Message-ID: <outbox-" in written[0].read_text()


def test_a_row_whose_lease_ran_out_is_claimed_again(db, smtp_settings, server):
    """A sender killed after its claim: the rows come back once the lease is over."""
    queue(db, 2)
    now = utcnow()
    assert len(sender.claim(db, limit=10, now=now)) == 2  # then the sender dies
    assert sender.deliver_due(db, smtp_settings, now=now) == 0
    assert sender.deliver_due(db, smtp_settings, now=now + sender.LEASE + timedelta(seconds=1)) == 2
    assert [row.attempts for row in rows(db)] == [2, 2]


def test_a_sender_stopping_gives_its_batch_back(db, smtp_settings, server):
    queue(db, 3)
    stop = threading.Event()
    stop.set()
    assert sender.deliver_batch(db, smtp_settings, stop=stop) == (3, 0)
    assert [(row.status, row.attempts, row.lease_until) for row in rows(db)] == [
        ("pending", 0, None)
    ] * 3


def test_senders_racing_never_send_a_row_twice(db, smtp_settings, server, database_url):
    """Four senders, each with its own connections, in small batches over one database."""
    queue(db, 60)
    server.delay = 0.02
    sent_by: list[int] = []
    start = threading.Barrier(4)

    def one_sender() -> None:
        engine = create_db_engine(database_url)
        engine.connect().close()  # connected before the race starts
        start.wait()
        total = 0
        while (batch := sender.deliver_batch(engine, smtp_settings, limit=3))[0]:
            total += batch[1]
        sent_by.append(total)
        engine.dispose()

    threads = [threading.Thread(target=one_sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    ids = server.message_ids()
    assert len(ids) == 60 and len(set(ids)) == 60
    assert sum(sent_by) == 60 and {row.status for row in rows(db)} == {"sent"}
    if db.dialect.name == "postgresql":  # SKIP LOCKED: they share the work, nobody waits
        assert sum(1 for total in sent_by if total) >= 2, sent_by


def test_claims_racing_take_disjoint_rows(db, settings, database_url):
    queue(db, 40)
    now = utcnow()
    claimed: list[list[int]] = []
    start = threading.Barrier(4)

    def one_claim() -> None:
        engine = create_db_engine(database_url)
        start.wait()
        claimed.append([row.id for row in sender.claim(engine, limit=10, now=now)])
        engine.dispose()

    threads = [threading.Thread(target=one_claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    every = [row_id for ids in claimed for row_id in ids]
    # Disjoint, and each its full share: on PostgreSQL each skips the rows the others
    # locked; on SQLite writers take turns, each taking what is left.
    assert len(every) == len(set(every)) and list(map(len, claimed)) == [10, 10, 10, 10]


def test_a_mail_of_a_transaction_rolled_back_is_never_sent(db, smtp_settings, server):
    with Session(db) as session:
        queue_mail(session, compose("awa@example.org", "en", "password_reset", name="A", link="x"))
        session.flush()
        if db.dialect.name == "postgresql":  # SQLite's sender would wait for the lock
            assert sender.deliver_due(db, smtp_settings) == 0  # not committed: not seen
        session.rollback()
    assert sender.deliver_due(db, smtp_settings) == 0
    assert server.received == [] and rows(db) == []


def test_lease_margin_leaves_time_for_the_exchange_under_way():
    assert timedelta(minutes=1) < sender.LEASE - sender.LEASE_MARGIN
    assert timedelta(seconds=2 * sender.SMTP_TIMEOUT) <= sender.LEASE_MARGIN


def test_a_row_marked_by_another_sender_is_left_alone(db, smtp_settings, server):
    """Noting an outcome only touches a row still 'sending' (never a sent one)."""
    queue(db, 1)
    (claimed,) = sender.claim(db, limit=1, now=utcnow())
    with Session(db) as session:
        session.execute(update(OutboxMail).values(status="sent"))
        session.commit()
    sender._note(db, claimed, status="pending", last_error="late")
    (row,) = rows(db)
    assert row.status == "sent" and row.last_error is None
