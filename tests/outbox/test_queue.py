"""Queueing mail: in the caller's transaction, once per dedupe key, in the reader's language."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from passerelle.outbox.mail import Mail, compose, render_mail
from passerelle.outbox.models import OutboxMail
from passerelle.outbox.service import outbox_depth, queue_mail

MAIL = Mail(to="awa@example.org", subject="Bonjour", text="Texte", html="<p>Texte</p>")


def rows(db) -> list[OutboxMail]:
    with Session(db) as session:
        return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)))


def test_a_queued_mail_is_a_pending_row_once_committed(db, settings):
    headers = (("List-Unsubscribe", "<https://example.org/u/1>"),)
    with Session(db) as session:
        assert queue_mail(session, Mail("awa@example.org", "Objet", "Texte", locale="en",
                                        headers=headers))  # fmt: skip
        session.commit()
    (row,) = rows(db)
    assert (row.to_address, row.subject, row.text_body, row.html_body, row.locale) == (
        "awa@example.org", "Objet", "Texte", None, "en",
    )  # fmt: skip
    assert row.status == "pending" and row.attempts == 0 and row.sent_at is None
    assert row.headers == [["List-Unsubscribe", "<https://example.org/u/1>"]]
    assert row.message_id.startswith("<outbox-") and row.message_id.endswith("@testserver>")


def test_a_mail_queued_in_a_transaction_rolled_back_is_gone(db, settings):
    with Session(db) as session:
        assert queue_mail(session, MAIL)
        session.rollback()
    assert rows(db) == []


def test_the_same_dedupe_key_twice_queues_one_mail(db, settings):
    with Session(db) as session:
        assert queue_mail(session, MAIL, dedupe_key="alert:1:offer:7")
        session.commit()
    with Session(db) as session:
        assert not queue_mail(session, MAIL, dedupe_key="alert:1:offer:7")
        assert queue_mail(session, MAIL, dedupe_key="alert:1:offer:8")
        assert queue_mail(session, MAIL)  # no key: never a duplicate
        assert queue_mail(session, MAIL)
        session.commit()
        assert outbox_depth(session) == {"pending": 4}
    assert [row.dedupe_key for row in rows(db)] == [
        "alert:1:offer:7", "alert:1:offer:8", None, None,
    ]  # fmt: skip
    assert len({row.message_id for row in rows(db)}) == 4


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"to": "not an address"}, "Mail.to: 'not an address'"),
        ({"to": "a@b.org\r\nBcc: x@y.org"}, "Mail.to"),
        ({"subject": "Hi\nBcc: x@y.org"}, "Mail.subject"),
        ({"locale": "de"}, "Mail.locale: 'de'"),
        ({"headers": (("Bcc", "x@y.org\r\nX: y"),)}, "Mail.headers: 'Bcc'"),
    ],
)
def test_a_mail_that_would_forge_headers_is_refused(fields, named):
    with pytest.raises(ValueError, match=named.replace(".", r"\.")):
        Mail(**{"to": "awa@example.org", "subject": "S", "text": "T", **fields})


def test_a_dedupe_key_too_long_is_refused(db, settings):
    with Session(db) as session, pytest.raises(ValueError, match="dedupe_key"):
        queue_mail(session, MAIL, dedupe_key="k" * 201)


def test_mails_are_written_in_the_readers_language_text_and_html():
    links = {"login": "https://p.example/login", "reset": "https://p.example/reset"}
    subject, text, html = render_mail("welcome", "fr", name="Awa & Cie", **links)
    assert subject == "Votre compte Passerelle est prêt"
    assert text.startswith("Bonjour Awa & Cie,\n\nVotre compte Passerelle est prêt.")
    assert "https://p.example/reset" in text and "<" not in text
    assert '<html lang="fr">' in html and "Bonjour Awa &amp; Cie," in html
    assert '<a href="https://p.example/login"' in html
    english = compose("awa@example.org", "en", "welcome", name="Awa", **links)
    assert english.subject == "Your Passerelle account is ready"
    assert english.text.startswith("Hello Awa,") and english.locale == "en"
    assert '<html lang="en">' in english.html
