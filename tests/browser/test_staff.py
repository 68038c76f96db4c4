"""Staff in Chromium: approve a pending offer and find it in the catalogue; an invalid
import shows its error report; the staff pages pass axe-core in both languages."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from passerelle.outbox.mail import Mail
from passerelle.outbox.models import OutboxMail
from passerelle.outbox.service import queue_mail
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.browser import helpers
from tests.staff.conftest import STAFF_PAGES

PASSWORD = "staff password 2026"
PENDING = {
    "id": "browser-pending",
    "title": "Incubateur agricole de Thiès",
    "description": "Six mois d'accompagnement pour les projets agricoles au Sénégal.",
    "lang": "fr",
    "organization": "Thiès Incubation",
    "kind": "service",
    "categories": ["incubation"],
    "countries": ["SN"],
}
REFUSED_ADDRESS = "nobody@teranga.example.org"
PAGES = (
    *STAFF_PAGES,
    "pending-edit",
    "/me/account",
)


@pytest.fixture(scope="module")
def staff_setup(engine: Engine, catalogue_ids) -> dict[str, int]:
    """A staff account and one pending offer, added to the module's catalogue."""
    helpers.add_staff(engine, "staff@example.org", PASSWORD, display_name="Aminata", locale="en")
    with Session(engine) as session:
        assert import_offers(session, [(1, PENDING)], status="pending").applied
        queue_mail(session, Mail(REFUSED_ADDRESS, "Votre offre est publiée", "…"))
        session.commit()
        offer_id = session.scalar(select(Offer.id).where(Offer.external_id == PENDING["id"]))
        session.execute(
            update(OutboxMail)
            .where(OutboxMail.to_address == REFUSED_ADDRESS)
            .values(status="failed", attempts=1, last_error="550 5.1.1 No such user here")
        )
        session.commit()
    return {"pending": offer_id}


def log_in(page) -> None:
    helpers.log_in(page, "staff@example.org", PASSWORD)


@pytest.fixture(scope="module")
def signed_in() -> dict[str, dict]:
    """The staff session's cookies by language, kept for the module: its checks open
    their pages signed in without each going through the login form again."""
    return {}


def staff_page(new_page, signed_in: dict[str, dict], lang: str = "en"):
    """A page of a signed-in staff member, logging in once per language."""
    if lang in signed_in:
        return new_page("/", lang=lang, storage_state=signed_in[lang])
    page = new_page("/", lang=lang)
    log_in(page)
    signed_in[lang] = page.context.storage_state()
    return page


def test_staff_approve_a_pending_offer_and_it_appears_in_the_catalogue(new_page, staff_setup):
    page = new_page("/")
    log_in(page)
    page.goto("/staff/review")
    item = page.locator("li.review-item", has_text=PENDING["title"])
    item.get_by_role("button", name=re.compile("^Approve")).click()
    page.wait_for_url(re.compile(r"/staff/review$"))
    assert "Approved" in page.locator(".notice").inner_text()
    page.goto(f"/offers?q={PENDING['title']}")
    page.get_by_role("link", name=PENDING["title"], exact=True).click()
    page.wait_for_url(re.compile(rf"/offers/{staff_setup['pending']}$"))
    assert page.get_by_role("heading", level=1).inner_text() == PENDING["title"]


def test_an_invalid_import_shows_its_error_report(new_page, staff_setup, tmp_path):
    bad = tmp_path / "offers.json"
    bad.write_text(json.dumps([{**PENDING, "id": "x", "kind": "gift"}]), encoding="utf-8")
    page = new_page("/")
    log_in(page)
    page.goto("/staff/import")
    page.get_by_label("File (.csv or .json)").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Nothing was imported").is_visible()
    row = page.locator("table.import-errors tbody tr").first
    assert row.inner_text().split("\t")[:3] == ["1", "kind", "gift"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_staff_pages_have_no_axe_violations(
    new_page, axe_source, staff_setup, signed_in, path, lang
):
    page = staff_page(new_page, signed_in, lang)
    if path == "pending-edit":
        path = f"/staff/offers/{staff_setup['pending']}/edit"
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        helpers.axe_check(page, axe_source)


# After the pages' checks, which show the failed mail's row.
def test_staff_send_a_failed_mail_again(new_page, staff_setup, signed_in):
    page = staff_page(new_page, signed_in)
    page.goto("/staff/mail")
    row = page.locator("tr", has_text=REFUSED_ADDRESS)
    assert "550 5.1.1 No such user here" in row.inner_text()
    row.get_by_role("button", name=re.compile("^Send again")).click()
    page.wait_for_url(re.compile(r"/staff/mail$"))
    assert "will be sent again" in page.locator(".notice").inner_text()
    assert page.get_by_text("No mail has failed.").is_visible()
