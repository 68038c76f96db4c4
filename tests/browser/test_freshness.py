"""The freshness mail's "still accurate" link in Chromium: ask, confirm, or refuse; each
state axe-clean. The server here has a known secret, so the test can sign the link as the
mail does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from passerelle.app import create_app
from passerelle.freshness import service
from passerelle.serving import background_server
from passerelle.settings import Settings
from services_catalog.models import Offer
from tests.browser.helpers import axe_check


@pytest.fixture(scope="module")
def fresh_settings(database_url: str, tmp_path_factory) -> Settings:
    return Settings(
        DATABASE_URL=database_url,
        PASSERELLE_DATA_DIR=tmp_path_factory.mktemp("data"),
        PASSERELLE_ENV="test",
        SECRET_KEY="a-known-secret-for-the-freshness-browser-test",
    )


@pytest.fixture(scope="module")
def base_url(engine: Engine, catalogue_ids, fresh_settings: Settings) -> Iterator[str]:
    """The platform on 127.0.0.1, signing with the known secret (overrides conftest's)."""
    with background_server(create_app(fresh_settings, engine=engine)) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_confirm_an_offer_from_the_mail_link(new_page, axe_source, catalogue_ids, engine,
                                             fresh_settings, lang):  # fmt: skip
    offer_id = catalogue_ids["known"]
    token = service.link_token(fresh_settings, offer_id)
    page = new_page(f"/offers/{offer_id}/still-accurate?token={token}", lang=lang)
    axe_check(page, axe_source)
    confirm = "Yes, it is still accurate" if lang == "en" else "Oui, elle est toujours exacte"
    page.get_by_role("button", name=confirm).click()
    page.wait_for_load_state()
    done = "Thank you" if lang == "en" else "Merci"
    assert done in page.get_by_role("heading", level=1).inner_text()
    axe_check(page, axe_source)
    with Session(engine) as session:
        assert session.get(Offer, offer_id).last_verified_on == date.today()


def test_a_wrong_link_says_why(new_page, axe_source, catalogue_ids):
    offer_id = catalogue_ids["known"]
    page = new_page(f"/offers/{offer_id}/still-accurate?token=forged")
    assert page.get_by_role("heading", level=1).inner_text() == "This link no longer works"
    assert page.get_by_text("This link is not valid for this offer.").is_visible()
    axe_check(page, axe_source)
