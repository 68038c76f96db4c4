"""The staff home, the review queue and the staff's offer form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services_catalog import workflow
from services_catalog.models import AuditEntry, Offer, OfferRevision


def offer(session, offer_id: int) -> Offer:
    session.expire_all()
    return session.get(Offer, offer_id)


def post(browser, path: str, data: dict | None = None, page: str = "/staff/review"):
    return browser.submit(page, data or {}, action=path)


def test_home_counts_what_waits(staff, session, queue):
    stale = offer(session, queue["acc-growth-fund"])
    stale.last_verified_on = date.today() - timedelta(days=400)
    session.commit()
    text = staff.client.get("/staff", headers={"Accept-Language": "en"}).text
    assert "3 items wait for review" in text
    assert "1 published offer may be out of date" in text
    assert "2 organisations are not verified" in text
    assert "/staff/export/hsds" in text


def test_approve_publishes_a_pending_offer(staff, session, queue, client):
    offer_id = queue["acc-honour-loan"]
    assert client.get(f"/offers/{offer_id}").status_code == 404
    response = post(staff, f"/staff/review/{offer_id}/approve")
    assert response.status_code == 303 and response.headers["location"] == "/staff/review"
    assert offer(session, offer_id).status == "published"
    assert client.get(f"/offers/{offer_id}").status_code == 200
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "approve"))
    assert entry.entity_id == offer_id and entry.actor_id is not None


def test_an_unclassified_offer_needs_the_suggestion_before_approval(staff, session, queue):
    offer_id = queue["staff-unclassified"]
    post(staff, f"/staff/review/{offer_id}/approve")
    assert offer(session, offer_id).status == "pending"
    assert "no category yet" in staff.client.get("/staff/review").text
    post(staff, f"/staff/review/{offer_id}/accept-suggestion")
    classified = offer(session, offer_id)
    assert classified.kind == "financing"
    assert classified.codes("categories")[0] == "honour_loan"
    assert "agriculture" in classified.codes("sectors")
    post(staff, f"/staff/review/{offer_id}/approve")
    published = offer(session, offer_id)
    assert published.status == "published" and published.review_flag is None


def test_reject_needs_a_reason_the_provider_reads(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    refused = post(staff, f"/staff/review/{offer_id}/reject", {"reason": "   "})
    assert refused.status_code == 400
    assert "Please say why" in refused.text and 'aria-invalid="true"' in refused.text
    assert offer(session, offer_id).status == "pending"
    post(staff, f"/staff/review/{offer_id}/reject", {"reason": "The deadline is missing."})
    rejected = offer(session, offer_id)
    assert rejected.status == "rejected" and rejected.review_note == "The deadline is missing."


def test_a_change_shows_its_differences_and_is_approved_or_rejected(staff, session, queue):
    offer_id = queue["acc-growth-fund"]
    page = staff.client.get("/staff/review").text
    assert "Growth fund for Senegalese SMEs</td><td>Growth fund, new round" in page
    post(staff, f"/staff/review/{offer_id}/approve")
    assert offer(session, offer_id).title == "Growth fund, new round"
    assert session.scalar(select(OfferRevision)) is None

    changed = workflow.offer_snapshot(offer(session, offer_id)) | {"title": "Another title"}
    from services_catalog.schemas import OfferRecord

    workflow.edit_offer(session, offer(session, offer_id), OfferRecord(**changed), actor_id=None)
    session.commit()
    post(staff, f"/staff/review/{offer_id}/reject", {"reason": "Keep the official title."})
    kept = offer(session, offer_id)
    assert kept.title == "Growth fund, new round" and kept.status == "published"
    assert kept.review_note == "Keep the official title."


def test_the_offer_form_names_each_bad_value(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    page = f"/staff/offers/{offer_id}/edit"
    form = staff.client.get(page).text
    assert 'value="Prêt d&#39;honneur Diaspora Sénégal"' in form
    data = {
        "title": "",
        "description": "Un prêt.",
        "lang": "fr",
        "organization": "Initiative Diaspora",
        "kind": "financing",
        "categories": ["honour_loan"],
        "countries": "SN; Atlantis",
        "min_project_eur": "lots",
        "deadline": "31/02/2027",
    }
    response = staff.submit(page, data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Please fill in this field." in response.text
    assert "“SN; Atlantis” is not a country we know." in response.text
    assert "“lots” is not an amount in euros" in response.text
    assert "“31/02/2027” is not a date" in response.text
    assert offer(session, offer_id).title == "Prêt d'honneur Diaspora Sénégal"


def test_the_offer_form_saves_through_the_workflow(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    page = f"/staff/offers/{offer_id}/edit?next=/staff/review"
    data = {
        "title": "Prêt d'honneur Sénégal",
        "description": "Un prêt sans intérêt.",
        "lang": "fr",
        "organization": "Initiative Diaspora",
        "kind": "financing",
        "categories": ["honour_loan", "guarantee"],
        "sectors": ["agriculture"],
        "countries": "Sénégal; Mali",
        "min_project_eur": "10k",
    }
    response = staff.submit(page, data, action=f"/staff/offers/{offer_id}/edit")
    assert response.status_code == 303 and response.headers["location"] == "/staff/review"
    saved = offer(session, offer_id)
    assert saved.title == "Prêt d'honneur Sénégal" and saved.min_project_eur == 10_000
    assert saved.codes("countries") == ["SN", "ML"] and saved.external_id == "acc-honour-loan"
    assert saved.codes("categories") == ["honour_loan", "guarantee"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "edit"))
    assert entry.after["title"] == "Prêt d'honneur Sénégal"

    published = queue["acc-growth-fund"]
    staff_data = workflow.offer_snapshot(offer(session, published)) | {"title": "Renamed"}
    form = {k: v for k, v in staff_data.items() if v not in (None, [])}
    form["countries"] = "; ".join(form.get("countries", []))
    staff.submit(f"/staff/offers/{published}/edit", form)
    assert offer(session, published).title == "Growth fund for Senegalese SMEs"
    assert session.scalar(select(OfferRevision)).record["title"] == "Renamed"


@pytest.mark.xfail(
    strict=True,
    reason="the staff form has no main-category choice: the first ticked box in page order "
    "becomes the main category, and service categories come before financing ones",
)
def test_a_financing_offer_with_a_service_category_can_be_saved(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    page = f"/staff/offers/{offer_id}/edit"
    response = staff.submit(page, {"categories": ["honour_loan", "mentoring"]})
    assert response.status_code == 303, "refused: the first category must be of the kind"
    assert offer(session, offer_id).codes("categories")[0] == "honour_loan"
