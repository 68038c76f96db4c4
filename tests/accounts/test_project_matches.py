"""A saved project's matches read like the find-support page: reasons, cautions, suggestions."""

from __future__ import annotations

import html
import re

from services_catalog.demo import load_demo

YOUSSEF = {
    "name": "Logiciels à Casablanca",
    "residence_country": "BE",
    "target_country": "MA",
    "sector": "digital",
    "stage": "startup",
    "applicant_type": "individual",
    "project_eur": "80 000 €",
    "funding_need_eur": "",
    "groups": ["diaspora"],
    "description": "besoin de 80 000 euros",
}


def plain(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(response.text))


def between(text: str, start: str, end: str) -> str:
    found = text[text.index(start) :]
    return found[: found.index(end)]


def test_the_project_form_explains_stages_and_applicant_types(browser):
    browser.signup()
    page = plain(browser.client.get("/me/projects/new"))
    assert "Que signifient les stades ?" in page and "<dt>Création</dt>" in page
    assert "Qui dois-je choisir ?" in page and "<dt>Association (dont OSIM)</dt>" in page


def test_youssef_project_shows_cautions_apart_and_the_company_offers(browser, session):
    load_demo(session)
    session.commit()
    browser.signup()
    response = browser.submit("/me/projects/new", YOUSSEF)
    assert response.status_code == 303, response.text
    page = plain(browser.client.get(response.headers["location"]))
    assert "vous cherchez 80 000 €, et l'avons utilisé comme montant recherché" in page
    cards = page.split('<article class="card offer-card match-card">')[1:]
    forsa = next(card for card in cards if "prêt d'honneur et incubation pour porteurs" in card)
    reasons = between(forsa, '<ul class="checklist reasons">', 'class="cautions-title"')
    assert "Finance" not in reasons and "Candidatures au fil de l'eau" not in reasons
    cautions = between(forsa, '<ul class="cautions">', "</ul>")
    assert "Finance jusqu'à 9 259 € ; vous cherchez 80 000 €" in cautions
    suggestions = page[page.index('class="suggestions"') :]
    assert "En tant qu'entreprise immatriculée, vous seriez aussi éligible" in suggestions
