"""Server-side sessions: a copied cookie stops working once its session has ended, in
every process (each test client is a separate app over the same database)."""

from __future__ import annotations

from sqlalchemy import func, select

from passerelle.accounts.models import AccountSession
from tests.accounts.conftest import PASSWORD

PRIVATE = ("/me", "/me/data.json", "/me/account")


def stolen_cookie(browser) -> str:
    return browser.client.cookies["passerelle_session"]


def replay(thief, cookie: str) -> list[int]:
    """The statuses a second browser gets on the private pages with a copied cookie."""
    thief.client.cookies.set("passerelle_session", cookie)
    return [thief.client.get(path, follow_redirects=False).status_code for path in PRIVATE]


def test_a_copied_cookie_opens_the_account_until_logout(browser, other_browser, session):
    browser.signup()
    cookie = stolen_cookie(browser)
    assert replay(other_browser, cookie) == [200, 200, 200]
    browser.logout()
    assert replay(other_browser, cookie) == [303, 303, 303]
    assert session.scalar(select(func.count()).select_from(AccountSession)) == 0


def test_a_password_change_ends_the_other_sessions_only(browser, other_browser):
    browser.signup()
    cookie = stolen_cookie(browser)
    change = {"current_password": PASSWORD, "new_password": "another long passphrase"}
    assert browser.submit("/me/account", change, action="/me/account/password").status_code == 303
    assert replay(other_browser, cookie) == [303, 303, 303]
    assert browser.client.get("/me/data.json").status_code == 200  # this browser stays in


def test_deleting_the_account_ends_its_sessions(browser, other_browser):
    browser.signup()
    cookie = stolen_cookie(browser)
    deleted = browser.submit("/me/account/delete", {"password": PASSWORD})
    assert deleted.status_code == 303
    browser.signup()  # the same address again: a new account, not the old session
    assert replay(other_browser, cookie) == [303, 303, 303]


def test_logging_in_again_replaces_the_browsers_session(browser, session):
    browser.signup()
    before = stolen_cookie(browser)
    assert browser.login().status_code == 303
    assert session.scalar(select(func.count()).select_from(AccountSession)) == 1
    assert stolen_cookie(browser) != before
