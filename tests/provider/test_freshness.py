"""Offers kept true: the signed "still accurate" link, which offers are due a reminder,
who receives it, and the "not verified since" note the public sees after 12 months."""

from __future__ import annotations

import html
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from passerelle.freshness import service
from services_catalog.importing import import_offers
from services_catalog.models import AuditEntry, Offer, Organization
from tests.forms import page_form

TODAY = date.today()
EN = {"Accept-Language": "en"}


def offer(key: str, **fields) -> dict:
    return {
        "id": key,
        "title": f"Offer {key}",
        "description": "Coaching for founders.",
        "organization": "Teranga Invest",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


def verified(session, key: str, days_ago: int | None, *, created_days_ago: int = 800) -> int:
    """Publish an offer last verified `days_ago` (None: never); its id."""
    assert import_offers(session, [(1, offer(key))]).applied
    row = session.scalar(select(Offer).where(Offer.external_id == key))
    row.last_verified_on = None if days_ago is None else TODAY - timedelta(days=days_ago)
    row.created_at = datetime.now(UTC) - timedelta(days=created_days_ago)
    session.commit()
    return row.id


def confirm_link(settings, offer_id: int) -> str:
    return f"/offers/{offer_id}/still-accurate?token={service.link_token(settings, offer_id)}"


def last_verified(session, offer_id: int) -> date | None:
    session.expire_all()
    return session.get(Offer, offer_id).last_verified_on


def test_the_link_asks_on_get_and_confirms_on_post(client, session, settings):
    offer_id = verified(session, "old", 340)
    before = last_verified(session, offer_id)
    page = client.get(confirm_link(settings, offer_id), headers=EN)
    assert page.status_code == 200
    assert "Is this offer still accurate?" in page.text
    assert f'href="/provider/offers/{offer_id}/edit"' in page.text  # the way to edit instead
    assert last_verified(session, offer_id) == before  # opening the link changes nothing
    done = page_form(page, action=f"/offers/{offer_id}/still-accurate").submit(client, headers=EN)
    assert done.status_code == 200
    assert "Thank you: the offer is confirmed" in done.text
    assert last_verified(session, offer_id) == TODAY
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "confirm_accurate"))
    assert entry.entity_id == offer_id and entry.after == {"last_verified_on": TODAY.isoformat()}


def test_the_page_in_french(client, session, settings):
    offer_id = verified(session, "old", 340)
    page = client.get(confirm_link(settings, offer_id), headers={"Accept-Language": "fr"})
    shown = html.unescape(page.text)
    assert "Cette offre est-elle toujours exacte ?" in shown
    assert "Oui, elle est toujours exacte" in shown


def test_a_link_of_another_offer_or_tampered_is_refused(client, session, settings):
    offer_id = verified(session, "old", 340)
    other = verified(session, "other", 340)
    stolen = service.link_token(settings, other)
    for token in (stolen, stolen[:-2] + "xx", "", "x" * 600):
        path = f"/offers/{offer_id}/still-accurate"
        page = client.get(path, params={"token": token}, headers=EN)
        assert page.status_code == 400
        assert "This link is not valid for this offer." in page.text
    # A POST with a bad token, its form taken from a good page: nothing changes.
    page = client.get(confirm_link(settings, offer_id), headers=EN)
    form = page_form(page, action=f"/offers/{offer_id}/still-accurate")
    forged = [(n, stolen if n == "token" else v) for n, v in form.pairs()]
    refused = client.post(f"/offers/{offer_id}/still-accurate", data=dict(forged), headers=EN)
    assert refused.status_code == 400
    assert last_verified(session, offer_id) == TODAY - timedelta(days=340)


def test_an_expired_link_is_refused(client, session, settings, monkeypatch):
    offer_id = verified(session, "old", 340)
    signed_at = int(time.time()) - int(service.LINK_VALID.total_seconds()) - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: signed_at)
    link = confirm_link(settings, offer_id)
    monkeypatch.undo()
    page = client.get(link, headers=EN)
    assert page.status_code == 400 and "This link has expired." in page.text
    assert last_verified(session, offer_id) == TODAY - timedelta(days=340)


def test_a_post_without_the_form_token_is_refused(client, session, settings):
    offer_id = verified(session, "old", 340)
    token = service.link_token(settings, offer_id)
    response = client.post(f"/offers/{offer_id}/still-accurate", data={"token": token})
    assert response.status_code in (400, 403)
    assert last_verified(session, offer_id) == TODAY - timedelta(days=340)


def test_offers_due_a_reminder_after_eleven_months(session):
    due = verified(session, "due", 340)
    stale = verified(session, "stale", 400)
    recent = verified(session, "recent", 300)
    never_old = verified(session, "never-old", None, created_days_ago=400)
    never_new = verified(session, "never-new", None, created_days_ago=30)
    assert import_offers(session, [(1, offer("pending"))], status="pending").applied
    session.commit()
    found = {o.id for o in service.offers_to_remind(session, TODAY)}
    assert found == {due, stale, never_old}
    assert recent not in found and never_new not in found


def test_the_public_sees_not_verified_since_after_twelve_months(client, session):
    stale = verified(session, "stale", 400)
    fresh = verified(session, "fresh", 340)
    since = (TODAY - timedelta(days=400)).strftime("%-d %B %Y")
    page = html.unescape(client.get(f"/offers/{stale}", headers=EN).text)
    assert "Not verified since" in page and str(TODAY.year - 1) in page
    assert "Not verified since" not in client.get(f"/offers/{fresh}", headers=EN).text
    browse = html.unescape(client.get("/offers", headers=EN).text)
    assert browse.count("Not verified since") == 1
    french = html.unescape(client.get(f"/offers/{stale}", headers={"Accept-Language": "fr"}).text)
    assert "Non vérifiée depuis le" in french
    assert since.split()[-1] in french


def test_reminders_go_to_the_members_in_their_language(provider, organization_id, session):
    recipients = service.recipients(session, session.get(Organization, organization_id))
    assert [(r.email, r.locale) for r in recipients] == [("moussa@example.org", "en")]


@pytest.mark.parametrize("email", ["contact@example.org", None])
def test_without_members_the_organisation_address(session, email):
    verified(session, "alone", 340)
    organization = session.scalar(select(Organization))
    organization.email = email
    session.commit()
    found = service.recipients(session, organization)
    assert [(r.email, r.locale) for r in found] == ([(email, "fr")] if email else [])
