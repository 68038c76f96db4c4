"""The provider space and interest requests in Chromium: a provider registers an offer with
the classifier's help, an entrepreneur writes about it, the provider answers. axe-core
checks each new page, in English and in French."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from services_catalog import workflow
from services_catalog.models import Offer
from tests.browser.helpers import axe_check, sign_up, urlpath


def switch_language(page) -> None:
    languages = page.get_by_role("navigation", name=re.compile("Language|Langue"))
    languages.get_by_role("link").click()
    page.wait_for_load_state()


def axe_clean(page, axe_source) -> None:
    """No violation on the page, in its language and then in the other one (and back)."""
    for _ in range(2):
        axe_check(page, axe_source)
        switch_language(page)


def test_provider_offer_request_and_answer(new_page, axe_source, engine):
    provider = new_page("/", lang="en")
    sign_up(provider, "Moussa Ba", "moussa.browser@example.org", provider=True)
    provider.get_by_role("link", name="Register an organisation").click()
    provider.fill("#name", "Fonds Navigateur")
    provider.select_option("#type", "investor")
    provider.select_option("#countries", ["SN", "CI"])
    provider.get_by_role("button", name="Register the organisation").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    axe_clean(provider, axe_source)

    provider.get_by_role("link", name=re.compile("Add an offer|Ajouter une offre")).click()
    for _language in ("en", "fr"):  # the suggestions come back from a POST: ask in each
        provider.fill("#title", "Subvention aux exploitations agricoles")
        provider.fill("#description", "Une subvention pour les projets agricoles et "
                      "agroalimentaires au Sénégal et en Côte d'Ivoire.")  # fmt: skip
        provider.fill(
            "#summary_fr", "Subvention aux projets agricoles au Sénégal et en Côte d'Ivoire."
        )
        provider.fill("#summary_en", "Grant for farming projects in Senegal and Côte d'Ivoire.")
        provider.get_by_role("button", name=re.compile("Suggest categories|Suggérer")).click()
        provider.get_by_role("heading", name="Suggestions").wait_for()
        axe_check(provider, axe_source)
        if _language == "en":
            switch_language(provider)
    provider.get_by_role(
        "button", name=re.compile("Use all the suggestions|Utiliser toutes")
    ).click()
    assert provider.locator("#kind").input_value() == "financing"
    assert provider.locator("#primary_category").input_value() == "grant"
    provider.get_by_role(
        "button", name=re.compile("Save and submit|Enregistrer et envoyer")
    ).click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    provider.get_by_text(re.compile("Pending review|En attente de validation")).first.wait_for()

    with Session(engine) as session:  # staff approve it (their pages are not tested here)
        offer = session.scalar(select(Offer).where(Offer.title.startswith("Subvention aux")))
        workflow.approve(session, offer, actor_id=None)
        session.commit()
        offer_id = offer.id

    entrepreneur = new_page("/", lang="en")
    sign_up(entrepreneur, "Awa Diop", "awa.browser@example.org", provider=False)
    entrepreneur.goto("/me/projects/new")
    entrepreneur.fill("#name", "Ferme à Thiès")
    entrepreneur.select_option("#residence_country", "FR")
    entrepreneur.select_option("#target_country", "SN")
    entrepreneur.select_option("#sector", "agriculture")
    entrepreneur.select_option("#stage", "startup")
    entrepreneur.fill("#project_eur", "40 000")
    entrepreneur.get_by_role("button", name="Save and see my matches").click()
    entrepreneur.wait_for_url(re.compile(r"/me/projects/\d+$"))
    entrepreneur.goto(f"/offers/{offer_id}")
    entrepreneur.get_by_role("link", name="Contact the provider").click()
    axe_clean(entrepreneur, axe_source)
    entrepreneur.fill("#message", "Bonjour, mon projet est-il éligible ?")
    entrepreneur.get_by_role(
        "button", name=re.compile("Send my request|Envoyer ma demande")
    ).click()
    entrepreneur.wait_for_url(re.compile(r"/me/requests/\d+$"))
    request_path = urlpath(entrepreneur.url)

    provider.get_by_role("navigation", name=re.compile("Account|Compte")).get_by_role(
        "link", name=re.compile("Inbox|Messagerie")
    ).click()
    provider.get_by_role("link", name="Fonds Navigateur").click()
    axe_clean(provider, axe_source)
    provider.get_by_role("link", name=re.compile("Awa Diop")).click()
    axe_clean(provider, axe_source)
    provider.fill("#reply", "Oui : envoyez-nous votre plan d'affaires.")
    provider.get_by_role("button", name=re.compile("Send the answer|Envoyer la réponse")).click()
    provider.wait_for_url(re.compile(r"/provider/requests/\d+$"))

    entrepreneur.goto("/me/requests")
    axe_clean(entrepreneur, axe_source)
    entrepreneur.goto(request_path)
    assert entrepreneur.get_by_text("Oui : envoyez-nous votre plan d'affaires.").is_visible()
    axe_clean(entrepreneur, axe_source)


def test_provider_pages_fit_a_small_phone(new_page):
    page = new_page("/", lang="fr", width=360)
    sign_up(page, "Fatou Sow", "fatou.browser@example.org", provider=True)
    page.goto("/provider/organizations/new")
    page.fill("#name", "Réseau Mobile")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    offers = urlpath(page.url)
    for path in ("/provider", offers, offers + "/offers/new", "/provider/inbox"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
