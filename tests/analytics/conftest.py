"""Analytics fixtures: the account helpers, and signed-in people of each role."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from passerelle.accounts.models import UserAccount
from tests.accounts.conftest import (  # noqa: F401 (fixtures shared with the account tests)
    Browser,
    browser,
    cheap_hashing,
    client,
    settings,
    smtp_server,
)


def sign_in_as(person: Browser, session, role: str, *, locale: str = "en") -> Browser:
    """Sign up a new account in `person`'s browser and give it `role`."""
    email = f"{role}@example.org"
    person.signup(email=email, name=role.title(), locale=locale)
    session.execute(update(UserAccount).where(UserAccount.email == email).values(role=role))
    session.commit()
    person.logout()  # sign in again, as the role is read when signing in
    assert person.login(email=email).status_code == 303
    return person


@pytest.fixture
def staff(browser, session) -> Browser:  # noqa: F811 (the shared fixture)
    return sign_in_as(browser, session, "staff")
