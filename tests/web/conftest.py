"""A small hand-made catalogue for the page tests, with known words, amounts and dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer

VERIFIED_ON = date(2026, 3, 2)

HONOUR_LOAN = {
    "id": "web-honour-loan",
    "title": "Prêt d'honneur Diaspora Sénégal",
    "description": "Un prêt sans intérêt pour lancer votre entreprise au Sénégal ou au Mali.",
    "lang": "fr",
    "organization": "Initiative Diaspora",
    "url": "https://example.org/pret-honneur",
    "kind": "financing",
    "categories": ["honour_loan", "mentoring"],
    "sectors": ["agriculture", "digital"],
    "countries": ["SN", "ML"],
    "residence_countries": ["FR"],
    "stages": ["startup"],
    "target_groups": ["women", "youth"],
    "min_project_eur": 10_000,
    "max_project_eur": 100_000,
    "ticket_min_eur": 5_000,
    "ticket_max_eur": 30_000,
    "deadline": "2099-01-15",
}
INCUBATOR = {
    "id": "web-incubator",
    "title": "Solar incubation programme",
    "description": "Six months of coaching for renewable energy start-ups.",
    "lang": "en",
    "organization": "Sun Hub Dakar",
    "url": "https://example.org/incubator",
    "kind": "service",
    "categories": ["incubation"],
    "sectors": ["energy"],
    "countries": ["SN"],
    "opens": "2098-06-01",
    "deadline": "2098-09-30",
}
OPEN_GRANT = {
    "id": "web-open-grant",
    "title": "Diaspora solidarity grant",
    "description": "Grants for community projects led by diaspora associations, in any country.",
    "lang": "en",
    "organization": "Fonds Solidarité",
    "kind": "financing",
    "categories": ["grant"],
    "applicant_types": ["association"],
    "ticket_max_eur": 15_000,
}
PENDING = {
    "id": "web-pending",
    "title": "Offre en attente de validation",
    "description": "Pas encore publiée.",
    "lang": "fr",
    "organization": "Initiative Diaspora",
    "kind": "service",
    "categories": ["training"],
}


@pytest.fixture
def site_catalogue(session) -> dict[str, int]:
    """Three published offers and one waiting for review; their ids by external id."""
    rows = list(enumerate([HONOUR_LOAN, INCUBATOR, OPEN_GRANT], start=1))
    assert import_offers(session, rows, today=VERIFIED_ON).applied
    assert import_offers(session, [(1, PENDING)], status="pending", today=VERIFIED_ON).applied
    session.commit()
    return {offer.external_id: offer.id for offer in session.scalars(select(Offer))}
