"""The freshness reminder: queued once per verification period, received by the provider
in their language, and its link confirms the offer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from passerelle import worker
from passerelle.freshness import reminders
from passerelle.outbox import sender
from passerelle.outbox.models import OutboxMail
from services_catalog.importing import import_offers
from services_catalog.models import Offer, Organization
from tests.forms import page_form
from tests.provider.conftest import ORGANIZATION

NOW = datetime.now(UTC)
TODAY = NOW.date()


def publish(session, organization: str, days_ago: int) -> int:
    row = {
        "id": "fresh-offer",
        "title": "Prêt d'amorçage Teranga",
        "description": "Un prêt pour démarrer.",
        "organization": organization,
        "kind": "financing",
        "categories": ["loan"],
    }
    assert import_offers(session, [(1, row)]).applied
    offer = session.scalar(select(Offer).where(Offer.external_id == "fresh-offer"))
    offer.last_verified_on = TODAY - timedelta(days=days_ago)
    session.commit()
    return offer.id


def queued(db) -> list[OutboxMail]:
    """The freshness reminders in the outbox (the sign-up's welcome mail is there too)."""
    with Session(db) as session:
        reminders_only = OutboxMail.dedupe_key.startswith("fresh:")
        return list(
            session.scalars(select(OutboxMail).where(reminders_only).order_by(OutboxMail.id))
        )


def text_part(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset())


def run_job(db, settings, now=NOW) -> int:
    with Session(db) as session:
        count = reminders.queue_reminders(session, settings, now)
        session.commit()
    return count


def test_the_job_is_registered_daily():
    names = {job.name: job.every for job in worker.load_jobs()}
    assert names["offer_freshness"] == timedelta(days=1)


def test_one_reminder_per_period_whatever_the_runs(db, settings, organization_id, session):
    offer_id = publish(session, ORGANIZATION["name"], 340)
    assert run_job(db, settings) == 1
    assert run_job(db, settings) == 0  # the next day's run, or a second worker
    assert worker.run_due_jobs(db, settings, now=NOW, jobs=[reminders.JOB]) == {
        "offer_freshness": 0
    }
    (mail,) = queued(db)
    assert mail.to_address == "moussa@example.org" and mail.locale == "en"
    assert mail.dedupe_key.startswith(f"fresh:{offer_id}:{(TODAY - timedelta(340)).isoformat()}")
    assert mail.subject == "Is your offer “Prêt d'amorçage Teranga” still accurate?"
    assert f"http://testserver/provider/offers/{offer_id}/edit" in mail.text_body
    assert f"/offers/{offer_id}/still-accurate?token=" in mail.html_body


def test_not_due_before_eleven_months_and_again_after_a_confirmation(
    db, settings, organization_id, session
):
    offer_id = publish(session, ORGANIZATION["name"], 300)
    assert run_job(db, settings) == 0
    later = NOW + timedelta(days=40)  # now 340 days
    assert run_job(db, settings, later) == 1
    with Session(db) as other:
        offer = other.get(Offer, offer_id)
        offer.last_verified_on = later.date()  # confirmed: a new period starts
        other.commit()
    assert run_job(db, settings, later + timedelta(days=300)) == 0
    assert run_job(db, settings, later + timedelta(days=336)) == 1
    assert len(queued(db)) == 2


def test_the_provider_receives_it_and_confirms_from_the_mail(
    db, settings, organization_id, session, inbox, client
):
    offer_id = publish(session, ORGANIZATION["name"], 350)
    assert run_job(db, settings) == 1
    sender.deliver_due(db, settings)
    (body,) = [body for body in map(text_part, inbox.messages) if "still-accurate" in body]
    assert "was last verified on" in body
    link = re.search(r"http://testserver(/offers/\d+/still-accurate\?token=\S+)", body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    page_form(page, action=f"/offers/{offer_id}/still-accurate").submit(client)
    session.expire_all()
    assert session.get(Offer, offer_id).last_verified_on == TODAY


def test_a_french_organisation_address_gets_it_in_french(db, settings, session):
    publish(session, "Réseau Sans Membre", 345)
    organization = session.scalar(select(Organization))
    organization.email = "contact@reseau.example.org"
    session.commit()
    assert run_job(db, settings) == 1
    (mail,) = queued(db)
    assert mail.to_address == "contact@reseau.example.org" and mail.locale == "fr"
    assert mail.subject == "Votre offre « Prêt d'amorçage Teranga » est-elle toujours exacte ?"
    assert "vérifiée pour la dernière fois le" in mail.text_body


def test_unpublished_offers_get_no_reminder(db, settings, organization_id, session):
    offer_id = publish(session, ORGANIZATION["name"], 350)
    session.get(Offer, offer_id).status = "archived"
    session.commit()
    assert run_job(db, settings) == 0
    assert queued(db) == []
