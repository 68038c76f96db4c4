"""Kept offers are listed with their title in the page's language."""

from __future__ import annotations

from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.forms import page_form

from .conftest import HONOUR_LOAN

BILINGUAL = {**HONOUR_LOAN, "title_en": "Senegal diaspora honour loan"}


def test_bookmarks_show_the_title_in_the_pages_language(browser, session):
    assert import_offers(session, [(1, BILINGUAL)]).applied
    session.commit()
    offer_id = session.scalar(select(Offer.id).where(Offer.external_id == BILINGUAL["id"]))
    browser.signup()
    offer_page = browser.client.get(f"/offers/{offer_id}")
    kept = page_form(offer_page, action=f"/me/bookmarks/{offer_id}").submit(browser.client)
    assert kept.status_code == 303

    browser.client.cookies.set("lang", "en")
    english = browser.client.get("/me/bookmarks").text
    assert f'lang="en">{BILINGUAL["title_en"]}</a>' in english
    browser.client.cookies.set("lang", "fr")
    french = browser.client.get("/me/bookmarks").text
    assert 'lang="fr">Prêt d&#39;honneur Diaspora Sénégal</a>' in french
    assert BILINGUAL["title_en"] not in french
