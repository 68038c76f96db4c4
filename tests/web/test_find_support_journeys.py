"""Two people as they write on a phone, through the find-support page, on the demo catalogue.

Aïssatou lives in Lyon and starts a poultry farm near Thiès but ticks "Idée"; Youssef lives
in Brussels, runs a software company in Casablanca and just writes the amount he needs.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from services_catalog.demo import load_demo
from services_catalog.models import Offer
from tests.web.test_find_support import find, section, text

AISSATOU = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "idea",
    "applicant_type": "individual",
    "groups": "diaspora",
    "project_eur": "15 000",
    "project_currency": "EUR",
    "funding_need_eur": "10 000",
    "funding_need_currency": "EUR",
    "description": "J'ai besoin d'un prêt et d'aide pour mon plan d'affaires",
}
YOUSSEF = {
    "residence_country": "BE",
    "target_country": "MA",
    "sector": "digital",
    "stage": "startup",
    "applicant_type": "individual",
    "groups": "diaspora",
    "project_eur": "80 000",
    "project_currency": "EUR",
    "description": "besoin de 80 000 euros",
}
PAYMENT_SERVICES = ("ecobank-diaspora-account", "envoidargent-remittance-comparator")


@pytest.fixture
def demo(session) -> dict[str, int]:
    """The demo catalogue, published; offer ids by external id."""
    load_demo(session)
    session.commit()
    return {offer.external_id: offer.id for offer in session.scalars(select(Offer))}


CARD_LINK = re.compile(r'<h3 class="card-title">\s*<a href="/offers/(\d+)"')


def offer_order(part: str, demo: dict[str, int]) -> list[str]:
    """External ids of the offers linked in `part`, in the order they appear."""
    by_id = {offer_id: key for key, offer_id in demo.items()}
    return [by_id[int(i)] for i in CARD_LINK.findall(part)]


def cards(part: str) -> list[str]:
    return part.split('<article class="card offer-card')[1:]


def test_aissatou_at_idea_is_told_that_creation_opens_her_loans(client, demo):
    page = text(find(client, "fr", **AISSATOU))
    understood = section(page, 'class="inferred card"', "</div>")
    assert "Prêt" in understood and "Appui au plan d'affaires" in understood
    suggestions = section(page, 'class="suggestions"')
    assert "Vous lancez déjà votre activité ? Alors « Création »" in suggestions
    near = offer_order(section(page, 'class="near-misses"'), demo)
    assert {"faise-fse-credit-line", "der-fj-diaspora-fund"} <= set(near)


def test_aissatou_at_creation_gets_the_loans_first(client, demo):
    page = text(find(client, "fr", **{**AISSATOU, "stage": "startup"}))
    results = section(page, 'id="answer"')
    ranked = offer_order(results, demo)
    assert ranked[:2] == ["faise-fse-credit-line", "der-fj-diaspora-fund"]
    # Bank accounts and transfer services, if listed, come after every loan.
    loans = [ranked.index(k) for k in ("faise-ffd-diaspora-women", "pamecas-mutual-microcredit")]
    for service in PAYMENT_SERVICES:
        if service in ranked:
            assert ranked.index(service) > max(loans)


def test_youssef_amount_is_read_and_mismatches_are_cautions(client, demo):
    page = text(find(client, "fr", **YOUSSEF))
    assert "vous cherchez 80 000 €, et l'avons utilisé comme montant recherché" in page
    results = section(page, 'id="answer"')
    ranked = offer_order(results, demo)
    assert ranked[0] != "ecobank-diaspora-account"
    forsa = next(c for c in cards(results) if f'/offers/{demo["forsa-honour-loan-morocco"]}"' in c)
    reasons = section(forsa, '<ul class="checklist reasons">', "</ul>")
    cautions = section(forsa, '<ul class="cautions">', "</ul>")
    assert "Finance jusqu'à 9 259 € ; vous cherchez 80 000 €" in cautions
    assert "Finance" not in reasons and "Candidatures au fil de l'eau" not in reasons
    assert '<p class="timing">Candidatures au fil de l\'eau</p>' in forsa


def test_youssef_sees_what_a_registered_company_would_get(client, demo):
    page = text(find(client, "en", **YOUSSEF))
    suggestions = section(page, 'class="suggestions"')
    assert "As a registered company, you would also qualify for" in suggestions
    near = offer_order(section(page, 'class="near-misses"'), demo)
    for key in ("technopark-morocco-hosting", "tamwilcom-business-loan-guarantees",
                "afrikwity-equity-crowdfunding"):  # fmt: skip
        assert key in near, near


def test_the_form_explains_stages_and_applicant_types_in_plain_words(client):
    page = text(find(client, "fr"))
    stages = section(page, "Que signifient les stades ?", "</details>")
    assert "<dt>Idée</dt>" in stages and "<dt>Création</dt>" in stages
    assert "rien n'est encore lancé" in stages
    who = section(page, "Qui dois-je choisir ?", "</details>")
    assert "<dt>Entreprise immatriculée</dt>" in who and "numéro d'immatriculation" in who


def test_an_amount_typed_in_cfa_francs_is_shown_as_typed(client, demo):
    typed = {**AISSATOU, "stage": "startup", "funding_need_eur": "5 000 000"}
    page = text(find(client, "fr", **typed | {"funding_need_currency": "XOF"}))
    faise = next(c for c in cards(page) if f'/offers/{demo["faise-fse-credit-line"]}"' in c)
    assert "vous cherchez 5 000 000 XOF, soit environ 7 622 €" in faise
