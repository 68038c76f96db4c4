"""In Chromium: save a search, find it on "My alerts", change how often it mails, then
stop it from the link of the mail it sent, without being signed in."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from passerelle.alerts import jobs
from passerelle.outbox.models import OutboxMail
from passerelle.settings import Settings
from services_catalog.importing import import_offers
from services_catalog.models import utcnow
from tests.browser.helpers import SAMPLES_SECRET, axe_check, sign_up

NEW_OFFER = {
    "id": "browser-alert-offer",
    "title": "Fonds Alerte Sénégal",
    "description": "Une subvention pour les projets agricoles au Sénégal.",
    "lang": "fr",
    "organization": "Fonds Alerte",
    "kind": "financing",
    "categories": ["grant"],
    "countries": ["SN"],
    "sectors": ["agriculture"],
}


def test_save_a_search_manage_it_and_stop_it_from_its_mail(
    new_page, engine, database_url, axe_source, tmp_path
):
    page = new_page("/", lang="en")
    sign_up(page, "Awa Diop", "awa.alerts@example.org", provider=False)
    page.goto("/offers?country=SN&sector=agriculture")
    page.get_by_label("Name of the search").fill("Agriculture in Senegal")
    page.get_by_role("button", name="Save this search").click()
    page.wait_for_url(re.compile(r"/me/alerts$"))
    card = page.locator(".card", has_text="Search “Agriculture in Senegal”")
    assert card.is_visible()
    axe_check(page, axe_source)

    card.get_by_label(re.compile("^How often")).select_option("immediate")
    card.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(re.compile(r"/me/alerts$"))
    assert page.get_by_role("status").inner_text() == "The alert has been changed."
    card = page.locator(".card", has_text="Search “Agriculture in Senegal”")
    assert card.get_by_label(re.compile("^How often")).input_value() == "immediate"

    # A new offer in the search's results: the worker's job queues its mail.
    with Session(engine) as session:
        assert import_offers(session, [(1, NEW_OFFER)]).applied
        session.commit()
    settings = Settings(
        DATABASE_URL=database_url,
        PASSERELLE_DATA_DIR=tmp_path,
        PASSERELLE_ENV="test",
        SECRET_KEY=SAMPLES_SECRET,
        PASSERELLE_BASE_URL=page.url.split("/me/")[0],
    )
    with Session(engine) as session:
        assert jobs.run_immediate(session, settings, utcnow()) == 1
        session.commit()
        mail = session.scalar(select(OutboxMail).where(OutboxMail.subject.contains("Agriculture")))
    assert "Fonds Alerte Sénégal" in mail.text_body
    link = re.search(r"http\S+/alerts/unsubscribe/\S+", mail.text_body).group(0)

    # The link opened in another browser, signed in nowhere: it asks, then stops the alert.
    stranger = new_page(link, lang="en")
    assert stranger.get_by_role("heading", level=1).inner_text() == "Stop an alert"
    axe_check(stranger, axe_source)
    stranger.get_by_role("button", name="Stop this alert").click()
    stranger.get_by_role("status").wait_for()
    assert "Your other alerts are unchanged." in stranger.get_by_role("status").inner_text()

    page.reload()
    card = page.locator(".card", has_text="Search “Agriculture in Senegal”")
    assert card.get_by_label(re.compile("^How often")).input_value() == "none"
