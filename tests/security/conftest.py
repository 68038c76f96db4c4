"""The cast of the security suite: one signed-in client per role, each with an API token, over
one sample of each thing the pages show (`tests/pages.py`), plus the budget of the fuzz tests.

Roles: a visitor; the entrepreneur and the provider (member of organisation A) who own the
samples; another entrepreneur and a provider of another organisation, who own none of them;
and a staff member.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts import tokens
from passerelle.accounts.models import UserAccount
from passerelle.app import create_app
from tests.accounts.conftest import Browser, cheap_hashing, settings, smtp_server  # noqa: F401
from tests.browser.helpers import PASSWORD
from tests.pages import EMAILS, ENTREPRENEUR, PROVIDER, STAFF, VISITOR, make_samples, sign_up

OTHER_ENTREPRENEUR, OTHER_PROVIDER = "other entrepreneur", "other provider"
ROLES = (VISITOR, ENTREPRENEUR, OTHER_ENTREPRENEUR, PROVIDER, OTHER_PROVIDER, STAFF)
# An account that no role uses, for the staff forms that act on an account (deactivate it).
BYSTANDER = "bystander.security@example.org"
OTHER_EMAILS = {
    OTHER_ENTREPRENEUR: "youssef.other@example.org",
    OTHER_PROVIDER: "khady.other@example.org",
}
# The fuzz budgets, seconds for the HTML forms and examples per operation and caller for the
# API: small by default, so that the whole fuzz part stays well under two minutes per
# database; raise them for a deeper run.
FUZZ_SECONDS = float(os.environ.get("PASSERELLE_FUZZ_SECONDS", "30"))
FUZZ_EXAMPLES = int(os.environ.get("PASSERELLE_FUZZ_EXAMPLES", "30"))
# What the suite tried, by test, shown at the end of the run (pytest's terminal summary).
COUNTS: dict[str, Counter] = {}


@dataclass
class Cast:
    """The signed-in clients by role, their API tokens and the samples they own."""

    clients: dict[str, TestClient]
    tokens: dict[str, str]
    samples: dict[str, object]
    emails: dict[str, str] = field(default_factory=lambda: {**EMAILS, **OTHER_EMAILS})

    def log_in(self, role: str) -> None:
        """Sign `role` in again (after a form that ended its session)."""
        if role == VISITOR:
            return
        data = {"email": self.emails[role], "password": PASSWORD}
        answer = Browser(self.clients[role]).submit("/account/login", data)
        assert answer.status_code == 303, f"{role} cannot sign in again: {answer.status_code}"


@pytest.fixture
def cast(db, settings) -> Iterator[Cast]:  # noqa: F811 (the mail-sending settings)
    app = create_app(settings, engine=db)
    with ExitStack() as stack:
        clients = {role: stack.enter_context(TestClient(app)) for role in ROLES}
        browsers = {role: Browser(client) for role, client in clients.items()}
        secret = settings.secret_key.get_secret_value()
        samples = make_samples(db, browsers[PROVIDER], browsers[ENTREPRENEUR], secret=secret)
        for role, name in ((OTHER_ENTREPRENEUR, "Youssef Amrani"), (OTHER_PROVIDER, "Khady Sow")):
            kind = ENTREPRENEUR if role == OTHER_ENTREPRENEUR else PROVIDER
            sign_up(browsers[role], OTHER_EMAILS[role], name, kind)
        made = browsers[OTHER_PROVIDER].submit(
            "/provider/organizations/new", {"name": "Fonds Autre", "type": "investor"}
        )
        assert made.status_code == 303, made.text
        cast = Cast(clients=clients, tokens={}, samples=samples)
        cast.log_in(STAFF)
        with Session(db) as session:
            session.add(UserAccount(email=BYSTANDER, password_hash="-", display_name="Bystander"))
            for role in ROLES[1:]:
                user = session.scalar(
                    select(UserAccount).where(UserAccount.email == cast.emails[role])
                )
                cast.tokens[role] = tokens.create_token(session, user, "security suite")[1]
            session.commit()
        yield cast


def pytest_terminal_summary(terminalreporter) -> None:
    for test, counts in COUNTS.items():
        shown = ", ".join(f"{what}: {number}" for what, number in counts.items())
        terminalreporter.write_line(f"security suite, {test}: {shown}")
