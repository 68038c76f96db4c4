"""Offers shown in the visitor's language: the short title and summary in the page's
language (or what stands in for them, marked with its `lang`), and a word when the full
description is in the other language; the same fields in the JSON API."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.forms import page_form

FR = {"Accept-Language": "fr-FR,fr;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}

# Written in French, with both languages.
FARM_LOAN = {
    "id": "bi-farm-loan",
    "title": "Prêt d'honneur pour les fermes de la diaspora",
    "description": "Un prêt sans intérêt ni garantie pour créer une ferme au Sénégal.",
    "lang": "fr",
    "title_fr": "Prêt d'honneur agricole",
    "title_en": "Farm honour loan",
    "summary_fr": "Jusqu'à 20 000 € sans intérêt pour créer une ferme au Sénégal.",
    "summary_en": "Up to €20,000 interest-free to start a farm in Senegal.",
    "organization": "Fonds Agricole Bilingue",
    "kind": "financing",
    "categories": ["honour_loan"],
    "countries": ["SN"],
    "ticket_max_eur": 20_000,
}
# Written in English, with nothing in French: French pages fall back to it.
COACHING = {
    "id": "bi-coaching",
    "title": "Export coaching for diaspora founders",
    "description": "Twelve weeks of coaching to sell abroad, for companies based in Senegal.",
    "lang": "en",
    "organization": "Export Bridge",
    "kind": "service",
    "categories": ["market_access"],
    "countries": ["SN"],
}


def text(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


@pytest.fixture
def offers(session) -> dict[str, int]:
    assert import_offers(session, list(enumerate([FARM_LOAN, COACHING], start=1))).applied
    session.commit()
    return {offer.external_id: offer.id for offer in session.scalars(select(Offer))}


def test_the_language_link_chooses_the_title_and_summary(client, offers):
    page = f"/offers/{offers['bi-farm-loan']}"
    french = client.get(f"/lang/fr?next={page}", follow_redirects=True)
    assert '<h1 lang="fr">Prêt d&#39;honneur agricole</h1>' in french.text
    assert f'<p class="offer-summary" lang="fr">{FARM_LOAN["summary_fr"]}</p>' in text(french)
    assert "Farm honour loan" not in french.text
    assert "Description complète" not in french.text  # the description is in French
    english = client.get(f"/lang/en?next={page}", follow_redirects=True)
    assert '<h1 lang="en">Farm honour loan</h1>' in english.text
    assert "<title>Farm honour loan" in english.text
    assert FARM_LOAN["summary_en"] in text(english)
    # The full description stays in French, and says so, marked for screen readers.
    assert '<p class="hint description-language">Full description in French</p>' in english.text
    assert re.search(r'<div class="offer-description" lang="fr">\s*<p>Un prêt sans', english.text)


def test_without_the_pages_language_the_other_one_stands_in(client, offers):
    page = client.get(f"/offers/{offers['bi-coaching']}", headers=FR)
    assert '<h1 lang="en">Export coaching for diaspora founders</h1>' in page.text
    # No summary at all: the description's start, in its language.
    assert '<p class="offer-summary" lang="en">Twelve weeks of coaching' in page.text
    assert "Description complète en anglais" in page.text


def test_browse_cards_are_in_the_visitors_language(client, offers):
    french = client.get("/offers", headers=FR).text
    card = french[french.index("Prêt d&#39;honneur agricole") - 200 :]
    assert '<p class="card-snippet" lang="fr">Jusqu&#39;à 20 000 € sans intérêt' in card
    assert 'lang="en">Export coaching for diaspora founders</a>' in french
    assert "Description complète en anglais" in french  # the coaching card says so
    english = client.get("/offers", headers=EN).text
    assert 'lang="en">Farm honour loan</a>' in english
    assert "Up to €20,000 interest-free to start a farm in Senegal." in html.unescape(english)
    assert english.count("Full description in French") == 1  # the farm loan only


def test_search_finds_an_offer_by_its_english_title_on_a_french_page(client, offers):
    page = client.get("/offers", params={"q": "farm honour"}, headers=FR).text
    assert "Prêt d&#39;honneur agricole" in page and "Export coaching" not in page


def test_match_results_are_in_the_visitors_language(client, offers):
    profile = {
        "residence_country": "FR",
        "target_country": "SN",
        "sector": "agriculture",
        "stage": "startup",
        "applicant_type": "individual",
        "project_eur": "30 000",
    }
    for headers, title, summary in (
        (EN, "Farm honour loan", FARM_LOAN["summary_en"]),
        (FR, "Prêt d'honneur agricole", FARM_LOAN["summary_fr"]),
    ):
        form = page_form(client.get("/find-support", headers=headers), action="/find-support")
        page = text(form.fill(profile).submit(client, headers=headers))
        assert f">{title}</a>" in page and summary in page


def test_the_api_carries_both_languages(client, offers):
    offer = client.get(f"/api/v1/offers/{offers['bi-farm-loan']}").json()
    assert {name: offer[name] for name in ("title_fr", "title_en", "summary_fr", "summary_en")} == {
        name: FARM_LOAN[name] for name in ("title_fr", "title_en", "summary_fr", "summary_en")
    }
    assert offer["title"] == FARM_LOAN["title"] and offer["description"] == FARM_LOAN["description"]
    coaching = client.get(f"/api/v1/offers/{offers['bi-coaching']}").json()
    assert coaching["summary_fr"] is None and coaching["title_en"] is None
    schema = client.get("/openapi.json").json()["components"]["schemas"]["OfferPublic"]
    assert {"title_fr", "title_en", "summary_fr", "summary_en"} <= set(schema["properties"])
