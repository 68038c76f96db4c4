"""The review queue as staff use it: each item as the public will see it, a change as a
diff in words, filters, pages, and several offers approved or rejected at once."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from services_catalog import workflow
from services_catalog.classify import Classifier
from services_catalog.importing import import_offers
from services_catalog.models import Offer, Organization
from services_catalog.schemas import OfferRecord
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN
from tests.forms import page_form

EN = {"Accept-Language": "en"}
SEVERAL = "/staff/review/several"


def stored(session, offer_id: int) -> Offer:
    session.expire_all()
    return session.get(Offer, offer_id)


def item_of(page: str, title: str) -> str:
    """The queue item whose heading is `title` (up to the next item)."""
    items = page.split('<li class="card review-item"')[1:]
    shown = html.escape(title).replace("&#x27;", "&#39;")  # as Jinja escapes it
    found = [item for item in items if f">{shown}</h2>" in item]
    assert len(found) == 1, f"no item {title!r}"
    return found[0]


def test_an_item_reads_as_the_public_will_see_it_in_both_languages(staff, session, queue):
    english = item_of(staff.client.get("/staff/review", headers=EN).text, HONOUR_LOAN["title"])
    assert "Honour loan" in english and "honour_loan" not in english
    assert "Projects in Senegal" in english and "For people living in France" in english
    assert "Up to €30,000" in english and "Rolling: apply at any time" in english
    assert "Initiative Diaspora" in english and "Not verified yet" in english

    organization = session.scalar(
        select(Organization).where(Organization.name == "Initiative Diaspora")
    )
    workflow.set_organization_verified(session, organization, True, actor_id=None)
    session.commit()
    staff.client.cookies.set("lang", "fr")
    french = item_of(staff.client.get("/staff/review").text, HONOUR_LOAN["title"])
    assert "<dd>Prêt d&#39;honneur</dd>" in french
    assert "Pays du projet\u00a0: Sénégal" in french and "Organisme vérifié" in french


def test_a_change_is_a_diff_in_words(staff, session, queue):
    offer_id = queue["acc-growth-fund"]
    change = {**GROWTH_FUND, "categories": ["loan"], "deadline": "2030-06-30"}
    workflow.edit_offer(
        session, stored(session, offer_id), OfferRecord.model_validate(change), actor_id=None
    )
    session.commit()
    item = item_of(staff.client.get("/staff/review", headers=EN).text, GROWTH_FUND["title"])
    assert '<th scope="row">Deadline</th>' in item and "30 June 2030" in item
    assert "<td>Loan</td>" in item and "<code>" not in item


def test_the_queue_filters_by_kind_from_its_form(staff, queue):
    page = staff.client.get("/staff/review", headers=EN)
    shown = {}
    for kind in ("new", "change", "flagged"):
        filtered = page_form(page, "/staff/review").fill(kind=kind).submit(staff.client, headers=EN)
        assert filtered.status_code == 200
        shown[kind] = re.findall(r'<h2 class="card-title" id="item-(\d+)"', filtered.text)
    assert shown == {
        "new": [str(queue["acc-honour-loan"])],
        "change": [str(queue["acc-growth-fund"])],
        "flagged": [str(queue["staff-unclassified"])],
    }
    flagged = page_form(page, "/staff/review").fill(kind="flagged").submit(staff.client, headers=EN)
    assert "Suggested classification" in flagged.text


def test_the_queue_has_pages_and_runs_the_classifier_for_one_page_only(staff, session, monkeypatch):
    rows = [
        (n, {"id": f"flagged-{n}", "title": f"Offre importée {n:02d}", "lang": "fr",
             "description": "Un prêt sans intérêt pour lancer une exploitation agricole.",
             "organization": "Initiative Diaspora", "kind": "financing"})
        for n in range(30)
    ]  # fmt: skip
    assert import_offers(session, rows, status="pending").applied
    session.commit()
    calls = []
    suggest = Classifier.suggest
    monkeypatch.setattr(
        Classifier, "suggest", lambda self, text: calls.append(1) or suggest(self, text)
    )

    first = staff.client.get("/staff/review", headers=EN)
    assert "30 items wait for review" in first.text
    assert len(re.findall('class="card review-item"', first.text)) == 25 == len(calls)
    second = staff.client.get("/staff/review?page=2", headers=EN)
    assert len(re.findall('class="card review-item"', second.text)) == 5
    assert "Offre importée 29" in second.text and "Offre importée 29" not in first.text


def test_several_offers_are_approved_at_once(staff, session, queue):
    page = staff.client.get("/staff/review", headers=EN)
    form = page_form(page, SEVERAL)
    checked = [
        f"{queue[key]}:{stored(session, queue[key]).version}"
        for key in ("acc-honour-loan", "acc-growth-fund")
    ]
    done = form.fill(item=checked).submit(
        staff.client, button="approve", follow_redirects=True, headers=EN
    )
    assert "Approved: the offers checked are published as shown." in done.text
    assert stored(session, queue["acc-honour-loan"]).status == "published"
    assert stored(session, queue["acc-growth-fund"]).title == "Growth fund, new round"
    assert stored(session, queue["staff-unclassified"]).status == "pending"


def test_an_offer_changed_since_the_page_loaded_is_left_out_of_a_bulk_step(staff, session, queue):
    page = staff.client.get("/staff/review", headers=EN)
    form = page_form(page, SEVERAL)
    checked = [
        f"{queue[key]}:{stored(session, queue[key]).version}"
        for key in ("acc-honour-loan", "acc-growth-fund")
    ]
    swapped = OfferRecord.model_validate({**GROWTH_FUND, "title": "Swapped after the look"})
    workflow.edit_offer(session, stored(session, queue["acc-growth-fund"]), swapped, actor_id=None)
    session.commit()

    filled = form.fill(item=checked, reason="The deadline is missing.")
    told = filled.submit(staff.client, button="reject", follow_redirects=True, headers=EN)
    assert "Some of the offers checked were left in the queue" in told.text
    assert stored(session, queue["acc-honour-loan"]).status == "rejected"
    assert workflow.pending_revision(session, queue["acc-growth-fund"]).record["title"] == (
        "Swapped after the look"
    )


@pytest.mark.parametrize(("button", "reason", "message"), [
    ("approve", "", "Check at least one offer first."),
    ("reject", "", "Please say why"),
])  # fmt: skip
def test_a_bulk_step_says_what_it_lacks(staff, session, queue, button, reason, message):
    form = page_form(staff.client.get("/staff/review", headers=EN), SEVERAL)
    if button == "reject":
        form = form.fill(
            item=[f"{queue['acc-honour-loan']}:{stored(session, queue['acc-honour-loan']).version}"]
        )
    told = form.fill(reason=reason).submit(
        staff.client, button=button, follow_redirects=True, headers=EN
    )
    assert message in told.text
    assert stored(session, queue["acc-honour-loan"]).status == "pending"


@pytest.mark.parametrize("item", ["²:1", "1", "1:x", "1:2:3"])
def test_a_crafted_bulk_item_is_refused_naming_the_field(staff, session, queue, item):
    refused = staff.forge("/staff/review", {"item": item, "action": "approve"}, action=SEVERAL)
    assert refused.status_code == 400
    assert stored(session, queue["acc-honour-loan"]).status == "pending"


def test_a_crafted_version_is_refused(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    refused = staff.forge(
        "/staff/review", {"version": "٣"}, action=f"/staff/review/{offer_id}/approve"
    )
    assert refused.status_code == 400
    assert stored(session, offer_id).status == "pending"
