"""Provider fixtures: the account helpers (real SMTP server, form-filling clients), and a
signed-up provider with an organisation."""

from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import (  # noqa: F401  (fixtures shared with the account tests)
    PASSWORD,
    Browser,
    browser,
    cheap_hashing,
    client,
    inbox,
    other_browser,
    settings,
    smtp_server,
)

ORGANIZATION = {
    "name": "Teranga Invest",
    "type": "investor",
    "description": "Financement des PME agricoles au Sénégal.",
    "website": "https://teranga.example.org",
    "email": "contact@teranga.example.org",
    "countries": ["SN", "ML"],
}


def sign_up_provider(person: Browser, email: str = "moussa@example.org", name="Moussa Ba"):
    data = {"email": email, "display_name": name, "password": PASSWORD, "locale": "en"}
    response = person.submit("/account/signup", {**data, "account_type": "provider"})
    assert response.status_code == 303, response.text
    return response


def register_organization(person: Browser, **changes) -> int:
    """Register an organisation through its form; its id."""
    response = person.submit("/provider/organizations/new", {**ORGANIZATION, **changes})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


def link_to(page, label: str) -> str:
    """The target of the page's link that reads `label`."""
    found = re.search(rf'href="([^"]+)">{re.escape(label)}<', page.text)
    assert found, f"no {label!r} link on {page.request.url.path}"
    return found.group(1)


def form_action(page, button: str) -> str:
    """The action of the page's form whose button reads `button`."""
    for form in re.findall(r"<form .*?</form>", page.text, re.DOTALL):
        if f">{button}<" in form:
            return re.search(r'action="([^"]+)"', form).group(1)
    raise AssertionError(f"no form with a {button!r} button on {page.request.url.path}")


@pytest.fixture
def provider(browser) -> Browser:  # noqa: F811  (the imported fixture)
    sign_up_provider(browser)
    return browser


@pytest.fixture
def organization_id(provider) -> int:
    return register_organization(provider)
