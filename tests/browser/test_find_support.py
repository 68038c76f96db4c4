"""Finding support in Chromium: fill the profile form, read the results, open an offer."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.browser.helpers import PASSWORD, axe_check

PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": "25 000 000",
    "project_currency": "XOF",
    "description": "I need a loan and help writing my business plan",
}
STATES = {
    "form": "/find-support",
    "results": "/find-support?" + urlencode(PROFILE),
    "errors": "/find-support?target_country=Narnia&project_eur=-5&funding_need_eur=abc",
}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_fill_the_form_and_open_a_recommended_offer(new_page, catalogue_ids):
    page = new_page("/")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Find support").click()
    page.wait_for_url(re.compile(r"/find-support$"))

    page.get_by_label("Country where you live").select_option(label="France")
    page.get_by_label("Country of your project").select_option(label="Senegal")
    page.get_by_label("Sector").select_option("agriculture")
    page.get_by_role("radio", name="Start-up (creation)").check()
    page.get_by_role("checkbox", name="Diaspora living abroad").check()
    page.get_by_label("Total amount of the project").fill("25 000 000")
    page.get_by_label("Currency of the total amount").select_option("XOF")
    page.get_by_label("Describe your project").fill("I need a loan for my farm")
    page.get_by_role("button", name="Show the offers for my project").click()

    page.wait_for_url(re.compile(r"target_country=SN.*#answer$"))
    assert query(page)["project_currency"] == ["XOF"]
    assert page.get_by_text("≈ €38,112").is_visible()
    results = page.locator("#answer")
    assert re.match(r"\d+ offers? fits? your project", results.locator("h2").first.inner_text())
    offer = results.get_by_role("link", name="Prêt d'honneur solidaire Sénégal")
    offer.click()
    page.wait_for_url(re.compile(rf"/offers/{catalogue_ids['known']}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Prêt d'honneur solidaire Sénégal"


def test_correct_the_needs_read_from_the_description(new_page):
    page = new_page(STATES["results"], lang="fr")
    understood = page.locator(".inferred")
    assert "Nous avons compris que vous cherchez" in understood.inner_text()
    assert "Prêt" in understood.inner_text()
    understood.get_by_role("link").click()
    loan = page.get_by_role("checkbox", name="Prêt", exact=True)
    assert loan.is_visible() and loan.is_checked()
    loan.uncheck()
    page.get_by_role("checkbox", name="Subvention").check()
    page.get_by_role("button", name="Voir les offres pour mon projet").click()
    page.wait_for_url(re.compile(r"needs=grant"))
    assert "loan" not in query(page)["needs"]
    assert page.locator(".inferred").count() == 0
    assert page.get_by_role("checkbox", name="Subvention").is_checked()


def test_errors_are_listed_and_lead_to_their_field(new_page):
    page = new_page(STATES["errors"])
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "answer"
    summary.get_by_role("link", name=re.compile("Narnia")).click()
    assert page.evaluate("document.activeElement.id") == "f-target_country"
    assert page.get_by_label("Country of your project").get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violations(new_page, axe_source, state, lang, width):
    page = new_page(STATES[state], lang=lang, width=width)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    axe_check(page, axe_source)


@pytest.mark.parametrize("state", list(STATES))
def test_every_state_fits_a_phone_screen(new_page, state):
    page = new_page(STATES[state], lang="fr", width=360)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_keep_the_results_as_a_project_through_sign_up(new_page, axe_source, catalogue_ids):
    page = new_page(STATES["results"], lang="fr")
    page.get_by_role("link", name="Créer mon compte et garder ce projet").click()
    page.wait_for_url(re.compile(r"/account/signup\?keep="))
    assert page.get_by_text(
        "Vos réponses à « Trouver un accompagnement » seront gardées"
    ).is_visible()
    axe_check(page, axe_source)
    page.fill("#display_name", "Aïssatou Ba")
    page.fill("#email", "aissatou.keep@example.org")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="Me connecter et voir les offres pour mon projet").click()
    page.locator("#email").fill("aissatou.keep@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/account/login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/me/projects/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mon projet"
    assert page.get_by_role("link", name="Prêt d'honneur solidaire Sénégal").first.is_visible()
    axe_check(page, axe_source)
