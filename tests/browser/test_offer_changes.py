"""A provider's offer after its first version, in Chromium, through the pages only: a saved
draft is submitted, a rejected offer corrected and sent again, a published offer changed
while entrepreneurs keep seeing the published version, and a change approved after the
organisation was renamed."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import add_staff, log_in, sign_up

STAFF_EMAIL = "relecture@example.org"
STAFF_PASSWORD = "staff password 2026"


@pytest.fixture(scope="module")
def staff_account(engine, catalogue_ids) -> None:
    """Staff straight in the database (emptied with the module's catalogue)."""
    add_staff(engine, STAFF_EMAIL, STAFF_PASSWORD, display_name="Khady", locale="en")


@pytest.fixture
def staff(new_page, staff_account):
    page = new_page("/account/login")
    log_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    return page


def notice(page) -> str:
    return page.locator(".notice").first.inner_text()


def register_provider(page, name: str, email: str, organisation: str) -> None:
    sign_up(page, name, email, provider=True)
    page.get_by_role("link", name="Register an organisation").click()
    page.fill("#name", organisation)
    page.select_option("#type", "investor")
    page.get_by_role("button", name="Register the organisation").click()
    page.wait_for_url(re.compile(r"/provider/organizations/\d+$"))


def write_offer(page, title: str, button: str) -> None:
    """Add an offer from the organisation's page and save it with `button`."""
    page.get_by_role("link", name="Add an offer").click()
    page.wait_for_url(re.compile(r"/offers/new$"))
    page.get_by_label("Title", exact=True).fill(title)
    page.fill("#description", "Un prêt d'honneur pour les projets agricoles au Sénégal.")
    page.fill("#summary_fr", "Prêt d'honneur pour les projets agricoles au Sénégal.")
    page.fill("#summary_en", "Honour loan for farming projects in Senegal.")
    page.select_option("#kind", "financing")
    page.select_option("#primary_category", "honour_loan")
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/provider/organizations/\d+$"))


def card(page, title: str):
    return page.locator("li.card", has_text=title)


def badges(page, title: str) -> list[str]:
    return card(page, title).locator(".badge").all_inner_texts()


def open_edit_form(page, title: str) -> None:
    card(page, title).get_by_role("link", name=re.compile("^Edit")).click()
    page.wait_for_url(re.compile(r"/provider/offers/\d+/edit$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Edit the offer"


def review_item(staff, title: str):
    staff.goto("/staff/review")
    return staff.locator("li.review-item", has_text=title)


def approve(staff, title: str) -> None:
    review_item(staff, title).get_by_role("button", name=re.compile("^Approve")).click()
    staff.wait_for_url(re.compile(r"/staff/review$"))
    assert notice(staff) == "Approved: the offer is published as shown."


def published_offer(provider, staff, title: str) -> str:
    """Submit a new offer and have staff approve it; its public address."""
    write_offer(provider, title, "Save and submit for review")
    approve(staff, title)
    provider.reload()
    return (
        card(provider, title).get_by_role("link", name=re.compile("^See it")).get_attribute("href")
    )


def test_a_saved_draft_is_edited_then_submitted(new_page, staff):
    provider = new_page("/account/signup")
    register_provider(provider, "Binta Sy", "binta.draft@example.org", "Fonds Brouillon")
    write_offer(provider, "Prêt de démarrage", "Save as draft")
    assert notice(provider) == "The offer has been saved as a draft."
    assert badges(provider, "Prêt de démarrage") == ["Draft"]

    open_edit_form(provider, "Prêt de démarrage")
    assert provider.get_by_label("Title", exact=True).input_value() == "Prêt de démarrage"
    provider.get_by_label("Title", exact=True).fill("Prêt de démarrage agricole")
    provider.get_by_role("button", name="Save as draft").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert badges(provider, "Prêt de démarrage agricole") == ["Draft"]

    card(provider, "Prêt de démarrage agricole").get_by_role(
        "button", name=re.compile("^Submit for review")
    ).click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert notice(provider) == "The offer has been sent for review."
    assert badges(provider, "Prêt de démarrage agricole") == ["Pending review"]
    assert review_item(staff, "Prêt de démarrage agricole").count() == 1


def test_a_rejected_offer_is_corrected_and_sent_again(new_page, staff):
    provider = new_page("/account/signup")
    register_provider(provider, "Cheikh Fall", "cheikh.reject@example.org", "Fonds Retour")
    write_offer(provider, "Garantie bancaire", "Save and submit for review")

    reason = "Précisez les pays où les projets doivent se situer."
    item = review_item(staff, "Garantie bancaire")
    item.get_by_label("Reason for rejecting (the provider reads it)").fill(reason)
    item.get_by_role("button", name=re.compile("^Reject")).click()
    staff.wait_for_url(re.compile(r"/staff/review$"))
    assert notice(staff) == "Rejected: the provider will see your reason."

    provider.reload()
    assert badges(provider, "Garantie bancaire") == ["Rejected"]
    assert reason in card(provider, "Garantie bancaire").locator(".review-note").inner_text()
    open_edit_form(provider, "Garantie bancaire")
    assert reason in provider.locator(".review-note").inner_text()
    provider.get_by_label("Title", exact=True).fill("Garantie bancaire Sénégal")
    provider.select_option("#countries", ["SN"])
    provider.get_by_role("button", name="Save and submit for review").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert badges(provider, "Garantie bancaire Sénégal") == ["Pending review"]

    approve(staff, "Garantie bancaire Sénégal")
    # "Garantie" alone would be read as the guarantee category (a filter), not a word.
    staff.goto("/offers?q=bancaire")
    assert staff.get_by_role("link", name="Garantie bancaire Sénégal", exact=True).is_visible()


def test_the_published_version_stays_until_staff_approve_the_change(new_page, staff):
    provider = new_page("/account/signup")
    register_provider(provider, "Daouda Kane", "daouda.change@example.org", "Fonds Version")
    address = published_offer(provider, staff, "Prêt solidaire")

    open_edit_form(provider, "Prêt solidaire")
    explained = provider.locator("main .notice").inner_text()
    assert "entrepreneurs keep seeing the published version" in explained
    provider.get_by_label("Title", exact=True).fill("Prêt solidaire, deuxième édition")
    provider.get_by_role("button", name="Send the change for review").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert notice(provider).startswith("Your change has been sent for review.")
    assert badges(provider, "Prêt solidaire") == ["Published", "Change awaiting review"]

    visitor = new_page(address)
    assert visitor.get_by_role("heading", level=1).inner_text() == "Prêt solidaire"
    change = review_item(staff, "Prêt solidaire").locator("table tbody tr")
    assert change.all_inner_texts() == ["Title\tPrêt solidaire\tPrêt solidaire, deuxième édition"]
    approve(staff, "Prêt solidaire")
    visitor.reload()
    assert visitor.get_by_role("heading", level=1).inner_text() == (
        "Prêt solidaire, deuxième édition"
    )


def test_staff_approve_a_change_after_the_organisation_was_renamed(new_page, staff):
    provider = new_page("/account/signup")
    register_provider(provider, "Fanta Cissé", "fanta.rename@example.org", "Fonds Ancien Nom")
    address = published_offer(provider, staff, "Crédit d'amorçage")
    open_edit_form(provider, "Crédit d'amorçage")
    provider.get_by_label("Title", exact=True).fill("Crédit d'amorçage 2027")
    provider.get_by_role("button", name="Send the change for review").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))

    provider.get_by_role("link", name="Organisation profile").click()
    provider.fill("#name", "Fonds Nouveau Nom")
    provider.get_by_role("button", name="Save the profile").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert provider.get_by_role("heading", level=1).inner_text() == "Offers of Fonds Nouveau Nom"

    fields = review_item(staff, "Crédit d'amorçage").locator("table tbody th").all_inner_texts()
    assert fields == ["Title"]
    approve(staff, "Crédit d'amorçage")

    visitor = new_page(address)
    assert visitor.get_by_role("heading", level=1).inner_text() == "Crédit d'amorçage 2027"
    assert visitor.get_by_text("Offered by Fonds Nouveau Nom").is_visible()
    visitor.goto("/organizations")
    assert visitor.get_by_role("link", name="Fonds Ancien Nom").count() == 0
    provider.reload()
    assert badges(provider, "Crédit d'amorçage 2027") == ["Published"]
