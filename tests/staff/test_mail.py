"""The staff page of outgoing mail: depth, failures with their error, sending again."""

from __future__ import annotations

from sqlmodel import Session, select

from passerelle.outbox import sender
from passerelle.outbox.mail import Mail
from passerelle.outbox.models import OutboxMail
from passerelle.outbox.service import queue_mail
from tests.accounts.conftest import smtp_server  # noqa: F401  (the real SMTP server)


def failed_mail(db) -> int:
    with Session(db) as session:
        queue_mail(session, Mail("lost@example.org", "Votre offre est publiée", "…"))
        queue_mail(session, Mail("fine@example.org", "Bienvenue", "…"))
        session.commit()
        row = session.exec(select(OutboxMail).where(OutboxMail.to_address == "lost@example.org"))
        lost = row.one()
        lost.status, lost.attempts, lost.last_error = "failed", 8, "550 5.1.1 No such user here"
        session.add(lost)
        session.commit()
        return lost.id


def test_staff_see_the_depth_and_each_failure_with_its_error(staff, db):
    mail_id = failed_mail(db)
    page = staff.client.get("/staff/mail", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.text
    assert "Outgoing mail" in text and "Failed mails" in text
    assert "lost@example.org" in text and "550 5.1.1 No such user here" in text
    assert f"/staff/mail/{mail_id}/retry" in text and "fine@example.org" not in text
    assert "The oldest mail still to send was queued on" in text
    staff.client.cookies.set("lang", "fr")
    french = staff.client.get("/staff/mail").text
    assert "Courriels sortants" in french and "Courriels en échec" in french
    assert "En attente d'envoi" in french and "Renvoyer" in french


def test_sending_a_failed_mail_again_from_the_page(staff, db, settings, smtp_server):  # noqa: F811
    mail_id = failed_mail(db)
    answer = staff.submit("/staff/mail", {}, action=f"/staff/mail/{mail_id}/retry")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/mail"
    with Session(db) as session:
        row = session.get(OutboxMail, mail_id)
        assert (row.status, row.attempts) == ("pending", 0)
    page = staff.client.get("/staff/mail", headers={"Accept-Language": "en"})
    assert "The mail will be sent again in a moment." in page.text
    assert "No mail has failed." in page.text
    smtp = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_starttls": False}
    )
    smtp_server.handler.received.clear()
    assert sender.deliver_due(db, smtp) >= 1
    assert "lost@example.org" in [m["To"] for m in smtp_server.handler.received]


def test_only_a_failed_mail_can_be_sent_again(staff, db):
    mail_id = failed_mail(db)
    with Session(db) as session:
        pending = session.exec(
            select(OutboxMail.id).where(OutboxMail.to_address == "fine@example.org")
        ).one()
    assert staff.forge("/staff/mail", {}, f"/staff/mail/{pending}/retry").status_code == 404
    assert staff.forge("/staff/mail", {}, f"/staff/mail/{mail_id + 99}/retry").status_code == 404
