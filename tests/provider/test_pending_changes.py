"""A published offer's change waits for review by the organisation's id, not its name."""

from __future__ import annotations

from sqlalchemy import func, select

from services_catalog.models import Offer, OfferRevision, Organization
from tests.staff.conftest import sign_in_as

from .conftest import ORGANIZATION, form_action, link_to
from .test_provider_pages import OFFER, new_offer


def approve_through_the_review_page(staff) -> None:
    queue = staff.client.get("/staff/review")
    approved = staff.submit(queue.request.url.path, {}, action=form_action(queue, "Approve"))
    assert approved.status_code == 303, approved.text


def propose_a_change_to_a_published_offer(provider, organization_id, staff, changes: dict) -> dict:
    """Publish the provider's offer through staff review, then send `changes` to it through
    the provider's edit form; the fields as sent."""
    assert new_offer(provider, organization_id, action="submit").status_code == 303
    approve_through_the_review_page(staff)
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    form_page = provider.client.get(link_to(listing, "Edit"))
    changed = {**OFFER, **changes, "action": "save"}
    action = form_action(form_page, "Send the change for review")
    assert provider.submit(form_page.request.url.path, changed, action=action).status_code == 303
    return changed


def test_a_change_approved_after_a_rename_stays_with_the_organisation(
    provider, organization_id, other_browser, session
):
    staff = sign_in_as(other_browser, session, "staff", "staff@example.org")
    changed = propose_a_change_to_a_published_offer(
        provider, organization_id, staff, {"title": "Prêt d'honneur, nouvelle édition"}
    )
    profile = f"/provider/organizations/{organization_id}/profile"
    renamed = provider.submit(profile, {**ORGANIZATION, "name": "Teranga Capital"})
    assert renamed.status_code == 303, renamed.text

    queue = staff.client.get("/staff/review")
    assert '<th scope="row">Title</th>' in queue.text
    assert '<th scope="row">Organisation</th>' not in queue.text
    approve_through_the_review_page(staff)

    session.expire_all()
    offer = session.scalar(select(Offer))
    assert (offer.title, offer.organization_id) == (changed["title"], organization_id)
    assert session.scalar(select(func.count()).select_from(Organization)) == 1
    assert session.scalar(select(OfferRevision)) is None
    public = provider.client.get(f"/offers/{offer.id}")
    assert "Teranga Capital" in public.text


def test_an_amount_in_fcfa_in_a_change_is_shown_and_kept_as_written(
    provider, organization_id, other_browser, session
):
    staff = sign_in_as(other_browser, session, "staff", "staff@example.org")
    propose_a_change_to_a_published_offer(
        provider, organization_id, staff, {"ticket_max_eur": "5 000 000 FCFA"}
    )

    queue = staff.client.get("/staff/review", headers={"Accept-Language": "en"})
    assert "5,000,000 FCFA (about €7,622)" in queue.text.replace("\u202f", " ")
    approve_through_the_review_page(staff)
    session.expire_all()
    offer = session.scalar(select(Offer))
    assert offer.ticket_max_eur == 7622
    assert offer.written_amounts["ticket_max_eur"]["currency"] == "FCFA"
