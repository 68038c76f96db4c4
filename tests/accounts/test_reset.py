"""Password reset over a real SMTP server: the link from the message, single use, expiry."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.models import PasswordResetToken, RateCounter
from passerelle.accounts.reset import _digest
from passerelle.app import create_app
from passerelle.outbox.sender import deliver_all_due
from passerelle.settings import Settings
from services_catalog.models import utcnow
from tests.accounts.conftest import PASSWORD, Browser, Visitor, text_part

NEW_PASSWORD = "a brand new passphrase"
SIGNUP = {"email": "awa@example.org", "display_name": "Awa Diop", "password": PASSWORD}
LINK = re.compile(r"http://testserver(/account/password-reset/[\w-]+)")


def ask_for_link(browser, inbox, email="awa@example.org") -> str:
    inbox.messages.clear()  # the sign-up's welcome
    response = browser.submit("/account/password-reset", {"email": email})
    assert response.status_code == 200
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == email
    return LINK.search(text_part(message)).group(1)


def test_reset_journey_over_smtp(browser, other_browser, inbox):
    browser.signup()  # still signed in here: the reset signs this session out
    other_browser.client.headers["Accept-Language"] = "en"
    link = ask_for_link(other_browser, inbox)
    assert inbox.messages[0]["Subject"] == "Votre mot de passe Passerelle"  # the account's language
    page = other_browser.client.get(link)
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    done = other_browser.submit(link, {"password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/account/login"
    assert browser.client.get("/me", follow_redirects=False).status_code == 303
    assert other_browser.login(password="correct horse battery").status_code == 400
    assert other_browser.login(password=NEW_PASSWORD).status_code == 303


def test_a_reset_link_works_once(browser, inbox):
    browser.signup()
    link = ask_for_link(browser, inbox)
    assert browser.submit(link, {"password": NEW_PASSWORD}).status_code == 303
    assert browser.client.get(link).status_code == 404
    again = browser.forge("/account/login", {"password": "yet another passphrase"}, action=link)
    assert again.status_code == 404
    assert browser.login(password=NEW_PASSWORD).status_code == 303


def test_a_reset_link_expires_after_an_hour(browser, inbox, session):
    browser.signup()
    link = ask_for_link(browser, inbox)
    token = link.rsplit("/", 1)[1]
    form = browser.form(link)  # opened in time, sent too late
    session.execute(update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    page = browser.client.get(link)
    assert page.status_code == 404 and "Ce lien ne fonctionne plus" in page.text
    assert form.fill(password=NEW_PASSWORD).submit(browser.client).status_code == 404
    stored = session.scalar(select(PasswordResetToken))
    assert stored.token_hash == _digest(token) and token not in stored.token_hash


def test_unknown_address_gets_the_same_answer_and_no_mail(browser, inbox):
    response = browser.submit("/account/password-reset", {"email": "nobody@example.org"})
    assert response.status_code == 200 and "nobody@example.org" in response.text
    assert inbox.messages == []


def test_short_new_password_is_refused(browser, inbox):
    browser.signup()
    link = ask_for_link(browser, inbox)
    assert browser.submit(link, {"password": "short"}).status_code == 400
    assert browser.client.get(link).status_code == 200  # the link still works


def test_without_smtp_mail_goes_to_the_data_folder(browser, settings, db, inbox):
    browser.signup()
    browser.submit("/account/password-reset", {"email": "awa@example.org"})
    assert deliver_all_due(db, settings.model_copy(update={"smtp_host": ""})) == 2
    written = sorted((settings.data_dir / "mail").glob("*.eml"))
    assert inbox.messages == [] and len(written) == 2  # the welcome, then the link
    assert "/account/password-reset/" in written[1].read_text()


def test_the_mail_leaves_only_once_the_token_is_committed(browser, inbox, db, monkeypatch):
    """A mail about a token the database does not have yet (or never will) is a broken link:
    the mail is queued in the token's transaction, and the sender sees it once committed."""
    browser.signup()
    inbox.messages.clear()
    tokens_when_mailed: list[int] = []
    receive = type(inbox).handle_DATA

    async def look_then_receive(self, server, session, envelope):
        with Session(db) as elsewhere:  # another connection, as another request has
            tokens_when_mailed.append(
                elsewhere.scalar(select(func.count()).select_from(PasswordResetToken))
            )
        return await receive(self, server, session, envelope)

    monkeypatch.setattr(type(inbox), "handle_DATA", look_then_receive)
    browser.submit("/account/password-reset", {"email": "awa@example.org"})
    assert len(inbox.messages) == 1 and tokens_when_mailed == [1]


PAIR = ratelimit.MAIL_PER_RECIPIENT_AND_ADDRESS


def reset_from(app, address: str, email: str = "awa@example.org") -> int:
    with TestClient(app, client=(address, 4000)) as client:
        return Browser(client).submit("/account/password-reset", {"email": email}).status_code


def test_reset_mails_asked_from_one_address_are_limited(browser, other_browser, inbox):
    """20 requests no longer send 20 mails; the owner, elsewhere, still gets a link."""
    browser.signup()  # the welcome mail, asked for from the same address
    answers = [
        other_browser.submit("/account/password-reset", {"email": "awa@example.org"}).status_code
        for _ in range(20)
    ]
    sent = PAIR.limit - 1
    assert len(inbox.messages) == 1 + sent
    assert answers[:sent] == [200] * sent and set(answers[sent:]) == {429}
    assert reset_from(browser.client.app, "198.51.100.7") == 200
    assert len(inbox.messages) == 2 + sent


def test_many_addresses_together_cannot_flood_a_mailbox(client, inbox):
    cap = ratelimit.MAIL_PER_RECIPIENT.limit
    answers = [
        reset_from(client.app, f"192.0.2.{number}")
        for number in range(cap // PAIR.limit + 1)
        for _ in range(PAIR.limit)
    ]
    assert answers[:cap] == [200] * cap and set(answers[cap:]) == {429}


def test_unknown_addresses_are_limited_alike(browser):
    """Known or not, an address gets the same answers, up to the limit and past it."""
    answers = [
        browser.submit("/account/password-reset", {"email": "nobody@example.org"}).status_code
        for _ in range(PAIR.limit + 1)
    ]
    assert answers[-1] == 429 and set(answers[:-1]) == {200}


def test_a_weak_new_password_is_refused_and_the_link_still_works(browser, inbox):
    browser.signup(locale="en")
    link = ask_for_link(browser, inbox)
    refused = browser.submit(link, {"password": "password12"})
    assert refused.status_code == 400 and "among the most common" in refused.text
    assert browser.client.get(link).status_code == 200
    assert browser.submit(link, {"password": NEW_PASSWORD}).status_code == 303


def test_known_and_unknown_addresses_take_comparable_time(base_url, session):
    """Timing must not tell whether an account exists: both ask the same work of the
    request, and the mail leaves after the answer. Against a live server, as deployed."""
    visitor = Visitor(base_url)
    visitor.post("/account/signup", SIGNUP, visitor.token("/account/signup"))
    token = visitor.token("/account/password-reset")
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for round_ in range(15):
        for kind, email in (("known", SIGNUP["email"]), ("unknown", f"n{round_}@example.org")):
            session.execute(delete(RateCounter))  # the limits are not what is timed here
            session.commit()
            started = time.perf_counter()
            answer = visitor.post("/account/password-reset", {"email": email}, token)
            timings[kind].append(time.perf_counter() - started)
            assert answer.status_code == 200
    known, unknown = (statistics.median(values) for values in timings.values())
    assert abs(known - unknown) < 0.25 * min(known, unknown) + 0.002, timings


def test_reset_links_never_come_from_the_host_header(db, settings, inbox, monkeypatch):
    """Without PASSERELLE_BASE_URL (development), links use the development address."""
    monkeypatch.delenv("PASSERELLE_BASE_URL")
    monkeypatch.setenv("PASSERELLE_ALLOWED_HOSTS", "evil.example")
    mail = {name: getattr(settings, name) for name in ("smtp_host", "smtp_port", "smtp_starttls")}
    configured = Settings().model_copy(update=mail)
    with TestClient(create_app(configured, engine=db), base_url="http://evil.example") as client:
        browser = Browser(client)
        browser.signup()
        assert browser.submit("/account/password-reset", {"email": "awa@example.org"}).is_success
    body = text_part(inbox.messages[-1])
    assert "http://localhost:8000/account/password-reset/" in body and "evil" not in body


def test_a_request_naming_another_host_is_refused(browser, inbox):
    browser.signup()
    inbox.messages.clear()
    poisoned = browser.submit(
        "/account/password-reset", {"email": "awa@example.org"}, headers={"host": "evil.example"}
    )
    assert poisoned.status_code == 400 and inbox.messages == []
