"""No change silently undoes another: forms and API writes carry the version they were
made from, and a write made from an older version is refused with the newer one shown."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from services_catalog import workflow
from services_catalog.models import AuditEntry, Offer
from services_catalog.schemas import OfferRecord
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN
from tests.forms import page_form
from tests.staff.conftest import sign_in_as
from tests.staff.test_api_writes import bearer

EN = {"Accept-Language": "en"}


def stored(session, offer_id: int) -> Offer:
    session.expire_all()
    return session.get(Offer, offer_id)


def shown_again(refused: httpx.Response, action: str):
    """The form a refusal (409) renders again, read as a browser shows it."""
    page = httpx.Response(200, text=refused.text, request=refused.request)
    return page_form(page, action)


def edit_form(browser, offer_id: int):
    page = browser.client.get(f"/staff/offers/{offer_id}/edit", headers=EN)
    return page_form(page, f"/staff/offers/{offer_id}/edit")


def test_two_edit_forms_opened_together_the_second_save_is_refused(
    staff, other_browser, session, queue
):
    offer_id = queue["acc-honour-loan"]
    colleague = sign_in_as(other_browser, session, "staff", "colleague@example.org")
    mine, theirs = edit_form(staff, offer_id), edit_form(colleague, offer_id)

    saved = mine.fill(title="Prêt d'honneur Sénégal 2027").submit(staff.client)
    assert saved.status_code == 303
    refused = theirs.fill(description="Un prêt sans intérêt, remboursable en 5 ans.").submit(
        colleague.client, headers=EN
    )
    assert refused.status_code == 409
    assert "Someone changed this offer after you opened the form" in refused.text
    form = shown_again(refused, f"/staff/offers/{offer_id}/edit")
    assert form.value("title") == "Prêt d'honneur Sénégal 2027"
    offer = stored(session, offer_id)
    assert offer.title == "Prêt d'honneur Sénégal 2027"
    assert offer.description == HONOUR_LOAN["description"]

    retried = form.fill(description="Un prêt sans intérêt, remboursable en 5 ans.")
    assert retried.submit(colleague.client).status_code == 303
    offer = stored(session, offer_id)
    assert offer.title == "Prêt d'honneur Sénégal 2027"
    assert offer.description == "Un prêt sans intérêt, remboursable en 5 ans."


def test_approve_and_reject_from_pages_loaded_together_one_is_refused(
    staff, other_browser, session, queue
):
    offer_id = queue["acc-honour-loan"]
    colleague = sign_in_as(other_browser, session, "staff", "colleague@example.org")
    approve = page_form(staff.client.get("/staff/review"), f"/staff/review/{offer_id}/approve")
    reject = page_form(
        colleague.client.get("/staff/review"), f"/staff/review/{offer_id}/reject"
    ).fill(reason="The deadline is missing.")
    assert approve.submit(staff.client).status_code == 303
    told = reject.submit(colleague.client, follow_redirects=True, headers=EN)
    assert "Nothing was done: this offer changed after the page was loaded" in told.text
    offer = stored(session, offer_id)
    assert offer.status == "published" and offer.review_note is None


def test_a_double_approval_from_two_pages_is_done_once(staff, other_browser, session, queue):
    offer_id = queue["acc-honour-loan"]
    colleague = sign_in_as(other_browser, session, "staff", "colleague@example.org")
    action = f"/staff/review/{offer_id}/approve"
    forms = [page_form(b.client.get("/staff/review"), action) for b in (staff, colleague)]
    assert forms[0].submit(staff.client).status_code == 303
    told = forms[1].submit(colleague.client, follow_redirects=True, headers=EN)
    assert "Nothing was done" in told.text
    query = select(AuditEntry.action).where(AuditEntry.entity_id == offer_id)
    assert list(session.scalars(query)).count("approve") == 1


def test_approval_of_a_change_swapped_after_the_page_loaded_is_refused(staff, session, queue):
    offer_id = queue["acc-growth-fund"]
    approve = page_form(staff.client.get("/staff/review"), f"/staff/review/{offer_id}/approve")
    swapped = OfferRecord.model_validate({**GROWTH_FUND, "title": "Swapped after the look"})
    workflow.edit_offer(session, stored(session, offer_id), swapped, actor_id=None)
    session.commit()

    told = approve.submit(staff.client, follow_redirects=True, headers=EN)
    assert "Nothing was done" in told.text
    assert "Swapped after the look" in told.text  # the queue shows the change as it is now
    assert stored(session, offer_id).title == GROWTH_FUND["title"]
    again = page_form(told, f"/staff/review/{offer_id}/approve")
    assert again.submit(staff.client).status_code == 303
    assert stored(session, offer_id).title == "Swapped after the look"


def test_the_api_sends_an_etag_and_refuses_a_put_on_an_older_version(client, session, queue):
    offer_id = queue["acc-growth-fund"]
    headers = bearer(session, "staff@example.org", "staff")
    read = client.get(f"/api/v1/offers/{offer_id}")
    etag = read.headers["ETag"]
    assert re.fullmatch(r'"\d+"', etag)

    change = {**GROWTH_FUND, "title": "Growth fund, third round"}
    first = client.put(
        f"/api/v1/offers/{offer_id}", json=change, headers={**headers, "If-Match": etag}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] != etag and first.json()["version"] == int(
        first.headers["ETag"].strip('"')
    )
    second = {**GROWTH_FUND, "description": "Overwrites the first change."}
    stale = client.put(
        f"/api/v1/offers/{offer_id}", json=second, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 409 and "version" in stale.json()["detail"]
    assert workflow.pending_revision(session, offer_id).record["title"] == change["title"]

    approve = client.post(
        f"/api/v1/offers/{offer_id}/approve", headers={**headers, "If-Match": etag}
    )
    assert approve.status_code == 409
    current = {**headers, "If-Match": first.headers["ETag"]}
    assert client.post(f"/api/v1/offers/{offer_id}/approve", headers=current).status_code == 200
    assert stored(session, offer_id).title == change["title"]


def test_the_api_names_a_bad_if_match_and_writes_without_one(client, session, queue):
    offer_id = queue["acc-honour-loan"]
    headers = bearer(session, "staff@example.org", "staff")
    bad = client.put(
        f"/api/v1/offers/{offer_id}", json=HONOUR_LOAN, headers={**headers, "If-Match": "three"}
    )
    assert bad.status_code == 400 and "If-Match" in bad.json()["detail"]
    without = client.put(f"/api/v1/offers/{offer_id}", json=HONOUR_LOAN, headers=headers)
    assert without.status_code == 200 and "ETag" in without.headers
