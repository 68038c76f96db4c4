"""Staff fixtures: accounts of every role signed in through the site, and a catalogue with
a pending offer, an unclassified import and a published offer with a change waiting."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from passerelle.accounts.models import UserAccount
from services_catalog import workflow
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.schemas import OfferRecord
from tests.accounts.conftest import (  # noqa: F401
    GROWTH_FUND,
    HONOUR_LOAN,
    Browser,
    cheap_hashing,
    other_browser,
)

UNCLASSIFIED = {
    "id": "staff-unclassified",
    "title": "Prêt d'honneur pour créer une entreprise agricole",
    "description": "Un prêt sans intérêt ni garantie pour lancer une exploitation agricole.",
    "lang": "fr",
    "organization": "Initiative Diaspora",
    "kind": "financing",
}
# The staff area's pages (the downloads and the forms of one offer aside).
STAFF_PAGES = (
    "/staff",
    "/staff/review",
    "/staff/offers",
    "/staff/organizations",
    "/staff/users",
    "/staff/import",
    "/staff/audit",
    "/staff/mail",
)


def sign_in_as(browser: Browser, session, role: str, email: str) -> Browser:
    """Sign up through the site, then give the account its role."""
    browser.signup(email=email, locale="en")
    session.execute(update(UserAccount).where(UserAccount.email == email).values(role=role))
    session.commit()
    return browser


@pytest.fixture
def browser(client) -> Browser:
    return Browser(client)


@pytest.fixture
def staff(browser, session) -> Browser:
    return sign_in_as(browser, session, "staff", "staff@example.org")


@pytest.fixture
def admin(browser, session) -> Browser:
    return sign_in_as(browser, session, "admin", "admin@example.org")


def account(session, email: str) -> UserAccount:
    return session.scalar(select(UserAccount).where(UserAccount.email == email))


def add_account(session, email: str, role: str) -> UserAccount:
    user = UserAccount(email=email, display_name=email.split("@")[0], password_hash="-", role=role)
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def queue(session) -> dict[str, int]:
    """A pending offer, an unclassified one, and a published one with a change waiting."""
    rows = list(enumerate([HONOUR_LOAN, UNCLASSIFIED], start=1))
    assert import_offers(session, rows, status="pending").applied
    assert import_offers(session, [(1, GROWTH_FUND)]).applied
    published = session.scalar(select(Offer).where(Offer.external_id == GROWTH_FUND["id"]))
    changed = OfferRecord.model_validate({**GROWTH_FUND, "title": "Growth fund, new round"})
    workflow.edit_offer(session, published, changed, actor_id=None)
    session.commit()
    return {o.external_id: o.id for o in session.scalars(select(Offer))}
