"""Staff and the titles and summaries in French and in English: the review diff names
them, the queue says which summary is missing, and the staff form keeps them."""

from __future__ import annotations

from services_catalog import workflow
from services_catalog.models import Offer
from services_catalog.schemas import OfferRecord
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN
from tests.forms import page_form

from .test_review_queue import EN, item_of, stored

SUMMARIES = {
    "title_fr": "Fonds de croissance pour PME sénégalaises",
    "summary_fr": "Des fonds propres pour les PME agricoles en croissance au Sénégal.",
    "summary_en": "Equity for growing agricultural SMEs in Senegal.",
}


def propose(session, offer_id: int, **changes) -> None:
    record = OfferRecord.model_validate({**GROWTH_FUND, **changes})
    workflow.edit_offer(session, stored(session, offer_id), record, actor_id=None)
    session.commit()


def test_the_diff_shows_the_new_fields_in_words(staff, session, queue):
    propose(session, queue["acc-growth-fund"], **SUMMARIES)
    item = item_of(staff.client.get("/staff/review", headers=EN).text, GROWTH_FUND["title"])
    assert '<th scope="row">Short title in French</th>' in item
    assert '<th scope="row">Summary in English</th>' in item
    assert SUMMARIES["summary_en"] in item and "title_fr" not in item
    staff.client.cookies.set("lang", "fr")
    french = item_of(staff.client.get("/staff/review").text, GROWTH_FUND["title"])
    assert '<th scope="row">Résumé en français</th>' in french


def test_the_queue_flags_a_missing_summary(staff, session, queue):
    page = staff.client.get("/staff/review", headers=EN).text
    pending = item_of(page, HONOUR_LOAN["title"])
    assert "English summary missing" in pending and "French summary missing" in pending
    propose(session, queue["acc-growth-fund"], summary_fr=SUMMARIES["summary_fr"])
    change = item_of(staff.client.get("/staff/review", headers=EN).text, GROWTH_FUND["title"])
    # The change is what would be published: it lacks the English summary only.
    assert "English summary missing" in change and "French summary missing" not in change
    propose(session, queue["acc-growth-fund"], **SUMMARIES)
    page = staff.client.get("/staff/review", headers=EN).text
    assert "summary missing" not in item_of(page, GROWTH_FUND["title"])
    staff.client.cookies.set("lang", "fr")
    french = item_of(staff.client.get("/staff/review").text, HONOUR_LOAN["title"])
    assert "Résumé français manquant" in french and "Résumé anglais manquant" in french


def test_the_staff_form_edits_and_keeps_them(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    page = staff.client.get(f"/staff/offers/{offer_id}/edit", headers=EN)
    form = page_form(page, f"/staff/offers/{offer_id}/edit")
    english = "An interest-free loan to start a farm in Senegal."
    sent = form.fill(summary_en=english).submit(staff.client, headers=EN)
    assert sent.status_code == 303, sent.text
    assert stored(session, offer_id).summary_en == english
    # Another change through the form leaves the summary as it was.
    page = staff.client.get(f"/staff/offers/{offer_id}/edit", headers=EN)
    form = page_form(page, f"/staff/offers/{offer_id}/edit")
    assert form.fill(title="Prêt d'honneur, édition 2").submit(staff.client).status_code == 303
    offer: Offer = stored(session, offer_id)
    assert (offer.title, offer.summary_en) == ("Prêt d'honneur, édition 2", english)
    too_long = "x" * 401
    refused = page_form(page, f"/staff/offers/{offer_id}/edit").fill(summary_fr=too_long)
    answer = refused.submit(staff.client, headers=EN)
    assert answer.status_code == 400 and "401 characters, longer than 400" in answer.text
