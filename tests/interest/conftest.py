"""Interest request fixtures: a provider with a published offer, an entrepreneur with a project."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.app import create_app
from services_catalog import workflow
from services_catalog.models import Offer
from tests.provider.conftest import (  # noqa: F401  (the provider tests' fixtures, reused)
    Browser,
    browser,
    cheap_hashing,
    client,
    inbox,
    other_browser,
    register_organization,
    settings,
    sign_up_provider,
    smtp_server,
)

PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": "40 000",
    "applicant_type": "individual",
    "description": "Un élevage de poulets près de Thiès.",
}
OFFER = {
    "title": "Prêt d'honneur agricole",
    "description": "Un prêt sans intérêt pour les projets agricoles au Sénégal.",
    "lang": "fr",
    "summary_fr": "Prêt sans intérêt pour lancer un projet agricole au Sénégal.",
    "kind": "financing",
    "primary_category": "honour_loan",
    "countries": ["SN"],
}


@pytest.fixture
def provider(other_browser) -> Browser:  # noqa: F811  (the imported fixture)
    sign_up_provider(other_browser)
    return other_browser


@pytest.fixture
def third_browser(db, settings):  # noqa: F811  (the imported fixture)
    """A third person, neither the entrepreneur nor the provider, with their own cookies."""
    with TestClient(create_app(settings, engine=db)) as own_client:
        yield Browser(own_client)


@pytest.fixture
def published_offer(provider, session) -> int:
    organization_id = register_organization(provider)
    page = f"/provider/organizations/{organization_id}/offers/new"
    assert provider.submit(page, {**OFFER, "action": "submit"}).status_code == 303
    offer = session.scalar(select(Offer))
    workflow.approve(session, offer, actor_id=None)
    session.commit()
    return offer.id


@pytest.fixture
def entrepreneur(browser) -> Browser:  # noqa: F811  (the imported fixture)
    browser.signup(locale="en")
    response = browser.submit("/me/projects/new", PROJECT)
    assert response.status_code == 303, response.text
    return browser
