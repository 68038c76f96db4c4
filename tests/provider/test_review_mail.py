"""Providers are mailed, in their language, as their offers' reviews move: received,
published, turned down with the reason; never for a review that did not happen."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from passerelle.outbox.models import OutboxMail
from services_catalog.models import Offer
from tests.accounts.conftest import PASSWORD, text_part
from tests.provider.conftest import register_organization
from tests.staff.conftest import sign_in_as

OFFER = {
    "title": "Prêt d'honneur agricole",
    "description": "Un prêt sans intérêt pour les projets agricoles au Sénégal.",
    "summary_fr": "Un prêt sans intérêt pour lancer un projet agricole au Sénégal.",
    "lang": "fr",
    "kind": "financing",
    "primary_category": "honour_loan",
    "countries": ["SN"],
}


def mails_to(inbox, address: str) -> list:
    return [message for message in inbox.messages if message["To"] == address]


def test_a_provider_hears_of_each_step_of_the_review(browser, other_browser, session, inbox):
    provider = other_browser
    response = provider.signup(email="awa@teranga.example.org", name="Awa", password=PASSWORD,
                               locale="fr", account_type="provider")  # fmt: skip
    assert response.status_code == 303
    organization_id = register_organization(provider)
    new = f"/provider/organizations/{organization_id}/offers/new"
    assert provider.submit(new, {**OFFER, "action": "submit"}).status_code == 303
    inbox.messages.clear()  # the welcomes, and the receipt checked below from the outbox
    received = session.scalar(select(OutboxMail).where(OutboxMail.subject.contains("relecture")))
    assert received.to_address == "awa@teranga.example.org"
    assert received.subject == "Votre offre « Prêt d'honneur agricole » attend sa relecture"

    staff = sign_in_as(browser, session, "staff", "staff@example.org")
    offer_id = session.scalar(select(Offer.id))
    approved = staff.submit("/staff/review", {}, action=f"/staff/review/{offer_id}/approve")
    assert approved.status_code == 303
    (published,) = mails_to(inbox, "awa@teranga.example.org")
    assert published["Subject"] == "Votre offre « Prêt d'honneur agricole » est publiée"
    assert f"http://testserver/offers/{offer_id}" in text_part(published)

    edit = f"/provider/offers/{offer_id}/edit"
    changed = {**OFFER, "title": "Prêt d'honneur agricole 2027", "action": "save"}
    assert provider.submit(edit, changed).status_code == 303
    (change_received,) = mails_to(inbox, "awa@teranga.example.org")[1:]
    assert "Votre modification de « Prêt d'honneur agricole »" in change_received["Subject"]

    reason = "Gardez le titre officiel du programme."
    turned_down = staff.submit(
        "/staff/review", {"reason": reason}, action=f"/staff/review/{offer_id}/reject"
    )
    assert turned_down.status_code == 303
    rejected = mails_to(inbox, "awa@teranga.example.org")[-1]
    assert rejected["Subject"] == (
        "Votre modification de « Prêt d'honneur agricole » est à corriger"
    )
    text = text_part(rejected)
    assert reason in text and "l'offre reste telle qu'elle était" in text
    assert reason in rejected.get_body(("html",)).get_content()
    link = next(line for line in text.splitlines() if "/provider/offers/" in line)
    assert provider.client.get(urlsplit(link).path).status_code == 200  # the link works


def test_a_review_that_fails_mails_nobody(browser, other_browser, session, inbox):
    provider = other_browser
    provider.signup(email="awa@teranga.example.org", name="Awa", password=PASSWORD,
                    locale="en", account_type="provider")  # fmt: skip
    organization_id = register_organization(provider)
    new = f"/provider/organizations/{organization_id}/offers/new"
    assert provider.submit(new, {**OFFER, "action": "submit"}).status_code == 303
    staff = sign_in_as(browser, session, "staff", "staff@example.org")
    offer_id = session.scalar(select(Offer.id))
    page = "/staff/review"
    form = staff.form(page, f"/staff/review/{offer_id}/approve")
    assert form.submit(staff.client).status_code == 303
    inbox.messages.clear()
    form.submit(staff.client)  # the same form, sent twice: refused, the offer moved on
    assert inbox.messages == []
    subjects = session.scalars(select(OutboxMail.subject).order_by(OutboxMail.id)).all()
    assert subjects[-1] == "Your offer “Prêt d'honneur agricole” is published"
    assert sum("is published" in subject for subject in subjects) == 1
