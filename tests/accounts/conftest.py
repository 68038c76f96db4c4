"""Account fixtures: a real SMTP server on 127.0.0.1, and a client that fills forms."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx
import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from passerelle.accounts import passwords
from passerelle.app import create_app
from passerelle.outbox.sender import deliver_all_due
from passerelle.serving import background_server
from tests.forms import Form, page_form

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


class Inbox:
    """An aiosmtpd handler keeping every message it receives.

    `messages` runs the outbox's sender first, as the worker would once the page's
    transaction has committed: what the server has received by then.
    """

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.outbox: tuple | None = None  # (engine, settings) whose queued mail to send

    @property
    def messages(self) -> list[EmailMessage]:
        if self.outbox is not None:
            deliver_all_due(*self.outbox)
        return self.received

    async def handle_DATA(
        self, _server, _session, envelope
    ) -> str:  # aiosmtpd calls it by this name
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def text_part(message: EmailMessage) -> str:
    """The plain-text part of a multipart message."""
    return message.get_body(("plain",)).get_content()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Argon2 at its lightest, so that the tests sign up and in quickly."""
    monkeypatch.setattr(passwords, "hasher", lambda: CHEAP_HASHER)


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp_server, db, settings) -> Iterator[Inbox]:
    smtp_server.handler.received.clear()
    smtp_server.handler.outbox = (db, settings)
    yield smtp_server.handler
    smtp_server.handler.outbox = None


@pytest.fixture
def settings(settings, smtp_server):
    """The test settings, sending mail to the local SMTP server."""
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_starttls": False}
    )


@pytest.fixture
def client(db, settings):
    with TestClient(create_app(settings, engine=db)) as client:
        yield client


class Browser:
    """A person using the site: opens pages and submits the forms they render."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def form(self, page: str, action: str | re.Pattern[str] | None = None) -> Form:
        """The form of `page` posting to `action` (the page's address by default)."""
        return page_form(self.client.get(page), action or urlsplit(page).path)

    def submit(
        self,
        page: str,
        data: dict,
        action: str | re.Pattern[str] | None = None,
        *,
        button: str | None = None,
        **kwargs,
    ):
        """Open `page`, fill its form posting to `action` with `data`, click `button`.

        As in what a browser sends, `data` may name the button instead: {"action": "save"}
        clicks the form's button named "action" whose value is "save".
        """
        form = self.form(page, action)
        fields = {c.name for c in form.fields}
        buttons = {b.name for b in form.buttons}
        named = {name: value for name, value in data.items() if name in buttons - fields}
        if named:
            assert button is None and len(named) == 1, f"press one button, not {named}"
            (button,) = named.values()
        filled = form.fill({name: value for name, value in data.items() if name not in named})
        return filled.submit(self.client, button=button, **kwargs)

    def token(self, page: str) -> str:
        """The CSRF token in the forms of `page`."""
        found = CSRF.search(self.client.get(page).text)
        assert found, f"no CSRF field on {page}"
        return found.group(1)

    def forge(self, page: str, data: dict, action: str, **kwargs):
        """A request no page of this person offers (another account's form, a value no
        control allows): `data` posted to `action` with the CSRF token of `page`, as a
        signed-in person could craft it. For the forbidden cases only."""
        form = {**data, "csrf_token": self.token(page)}
        return self.client.post(action, data=form, follow_redirects=False, **kwargs)

    def signup(
        self, email="awa@example.org", name="Awa Diop", password=PASSWORD, locale="fr", **fields
    ):
        """Create the account, then log in with it as its mail says; the login's answer."""
        data = {"email": email, "display_name": name, "password": password, "locale": locale}
        response = self.submit("/account/signup", {**data, **fields})
        assert response.status_code == 200 and 'class="wrap narrow account-page"' in response.text
        assert email in response.text, response.text  # "check your e-mail" page
        return self.login(email=email, password=password)

    def login(self, email="awa@example.org", password=PASSWORD):
        return self.submit("/account/login", {"email": email, "password": password})

    def logout(self):
        return self.submit("/me", {}, action="/account/logout")


@pytest.fixture
def base_url(db, settings) -> Iterator[str]:
    """The platform served by uvicorn on 127.0.0.1, as deployed."""
    with background_server(create_app(settings, engine=db)) as url:
        yield url


class Visitor:
    """One browser: its own cookies, posting the site's forms with their tokens."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=60)

    def token(self, path: str) -> str:
        found = CSRF.search(self.client.get(path).text)
        assert found, f"no form token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict, token: str) -> httpx.Response:
        return self.client.post(path, data={**data, "csrf_token": token})

    def copy(self) -> Visitor:
        """Another connection carrying the same session cookie (the same person, twice)."""
        twin = Visitor(str(self.client.base_url))
        twin.client.cookies = httpx.Cookies(self.client.cookies)
        return twin


@pytest.fixture
def browser(client) -> Browser:
    return Browser(client)


@pytest.fixture
def other_browser(db, settings):
    """A second person, with their own cookies."""
    with TestClient(create_app(settings, engine=db)) as client:
        yield Browser(client)


HONOUR_LOAN = {
    "id": "acc-honour-loan",
    "title": "Prêt d'honneur Diaspora Sénégal",
    "description": "Un prêt sans intérêt pour lancer votre entreprise agricole au Sénégal.",
    "lang": "fr",
    "organization": "Initiative Diaspora",
    "kind": "financing",
    "categories": ["honour_loan"],
    "sectors": ["agriculture"],
    "countries": ["SN"],
    "residence_countries": ["FR"],
    "stages": ["startup"],
    "min_project_eur": 10_000,
    "max_project_eur": 100_000,
    "ticket_max_eur": 30_000,
}
GROWTH_FUND = {
    "id": "acc-growth-fund",
    "title": "Growth fund for Senegalese SMEs",
    "description": "Equity for growing agri-food companies in Senegal.",
    "lang": "en",
    "organization": "Teranga Capital",
    "kind": "financing",
    "categories": ["equity"],
    "sectors": ["agriculture"],
    "countries": ["SN"],
    "stages": ["growth"],
}


@pytest.fixture
def site_catalogue(session) -> dict[str, int]:
    """Two published offers: one the test project fits, one it misses by its stage."""
    from sqlalchemy import select

    from services_catalog.importing import import_offers
    from services_catalog.models import Offer

    assert import_offers(session, list(enumerate([HONOUR_LOAN, GROWTH_FUND], start=1))).applied
    session.commit()
    return {offer.external_id: offer.id for offer in session.scalars(select(Offer))}
