"""The provider's offer form asks for the title and summary in French and in English: the
summary in the offer's language, the other language when the provider can."""

from __future__ import annotations

import re

from sqlalchemy import select

from services_catalog import workflow
from services_catalog.models import Offer, OfferRevision

from .test_provider_pages import OFFER, new_offer


def stored(session, title: str) -> Offer:
    session.expire_all()
    return session.scalar(select(Offer).where(Offer.title == title))


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<p class="field-error-message" id="{name}-error">(.*?)</p>', page, re.S)
    assert found, f"no error shown for {name}"
    return found.group(1).strip()


def test_both_languages_are_saved(provider, organization_id, session):
    english = {"title_en": "Farm honour loan", "summary_en": "An interest-free farm loan."}
    assert new_offer(provider, organization_id, **english).status_code == 303
    offer = stored(session, OFFER["title"])
    assert (offer.summary_fr, offer.summary_en) == (OFFER["summary_fr"], english["summary_en"])
    assert (offer.title_fr, offer.title_en) == (None, english["title_en"])


def test_the_form_asks_with_hints_and_languages(provider, organization_id):
    page = provider.client.get(f"/provider/organizations/{organization_id}/offers/new").text
    assert "<legend>In French and in English</legend>" in page
    assert re.search(r'<textarea id="summary_fr" name="summary_fr" lang="fr"', page)
    assert re.search(r'<input id="title_en" name="title_en" type="text" lang="en"', page)
    assert 'aria-describedby="summary_en-hint"' in page
    assert "One or two sentences, 400 characters at most" in page


def test_the_summary_in_the_offers_language_is_required(provider, organization_id, session):
    response = new_offer(provider, organization_id, summary_fr="", summary_en="A farm loan.")
    assert response.status_code == 400
    assert field_error(response.text, "summary_fr").startswith("Write a short summary")
    assert stored(session, OFFER["title"]) is None
    # An offer in English needs the English one; the French one may wait.
    english = {"lang": "en", "summary_fr": "", "summary_en": "A farm loan."}
    assert new_offer(provider, organization_id, **english).status_code == 303
    assert stored(session, OFFER["title"]).summary_fr is None


def test_bad_values_are_refused_naming_the_problem(provider, organization_id, session):
    too_long = "Un prêt sans intérêt pour les fermes. " * 11  # 418 characters
    response = new_offer(provider, organization_id, summary_en=too_long.strip())
    assert response.status_code == 400
    message = field_error(response.text, "summary_en")
    assert message.startswith("417 characters, longer than 400")
    assert 'href="#summary_en"' in response.text  # the error summary links to the field
    assert too_long.strip() in response.text  # what was typed is kept to correct
    # The site refuses a control character in any field before the form reads it.
    control = new_offer(provider, organization_id, title_en="Farm\x1b loan")
    assert control.status_code == 400
    assert "The field “title_en” contains a character that cannot be typed (U+001B)" in control.text
    assert stored(session, OFFER["title"]) is None


def test_french_page_errors_are_in_french(provider, organization_id):
    provider.client.cookies.set("lang", "fr")
    response = new_offer(provider, organization_id, summary_fr="")
    message = field_error(response.text, "summary_fr")
    assert message.startswith("Écrivez un court résumé dans la langue de l&#39;offre")


def test_a_change_to_the_summaries_waits_for_review(provider, organization_id, session):
    assert new_offer(provider, organization_id, action="submit").status_code == 303
    offer = stored(session, OFFER["title"])
    workflow.approve(session, offer, actor_id=None)
    session.commit()
    change = {**OFFER, "summary_en": "An interest-free loan for farms.", "action": "save"}
    response = provider.submit(f"/provider/offers/{offer.id}/edit", change)
    assert response.status_code == 303
    offer = stored(session, OFFER["title"])
    assert offer.summary_en is None  # the published version stays until approved
    revision = session.scalar(select(OfferRevision).where(OfferRevision.offer_id == offer.id))
    assert revision.record["summary_en"] == "An interest-free loan for farms."
    # The form shows the change waiting.
    form = provider.client.get(f"/provider/offers/{offer.id}/edit").text
    assert "An interest-free loan for farms.</textarea>" in form
