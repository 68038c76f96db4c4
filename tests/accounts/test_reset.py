"""Password reset over a real SMTP server: the link from the message, single use, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from passerelle.accounts.models import PasswordResetToken
from passerelle.accounts.reset import _digest
from services_catalog.models import utcnow

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://testserver(/account/password-reset/[\w-]+)")


def ask_for_link(browser, inbox, email="awa@example.org") -> str:
    response = browser.submit("/account/password-reset", {"email": email})
    assert response.status_code == 200
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == email
    return LINK.search(message.get_payload(decode=True).decode()).group(1)


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


def test_without_smtp_mail_goes_to_the_data_folder(browser, settings, inbox, client):
    client.app.state.settings = settings.model_copy(update={"smtp_host": ""})
    browser.signup()
    browser.submit("/account/password-reset", {"email": "awa@example.org"})
    written = list((settings.data_dir / "mail").glob("*.eml"))
    assert inbox.messages == [] and len(written) == 1
    assert "/account/password-reset/" in written[0].read_text()
