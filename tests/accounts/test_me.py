"""The account pages: profile, password change, sign out everywhere, data, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from passerelle.accounts.models import Bookmark, Project, UserAccount

PASSWORD = "correct horse battery"
PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "applicant_type": "individual",
    "project_eur": "40 000 €",
    "funding_need_eur": "20k",
    "groups": ["women", "diaspora"],
    "description": "Un élevage de poulets avec un prêt d'honneur.",
}


@pytest.mark.parametrize(
    "path",
    ["/me", "/me/account", "/me/account/delete", "/me/data.json", "/me/bookmarks"],
)
def test_visitors_are_sent_to_log_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account/login?next=")


def test_update_the_profile_and_the_language(browser, session):
    browser.signup()
    response = browser.submit(
        "/me/account", {"display_name": "Awa D.", "locale": "en"}, action="/me/account/profile"
    )
    assert response.status_code == 303 and "lang=en" in response.headers["set-cookie"]
    page = browser.client.get("/me/account")
    assert "Your profile has been saved." in page.text and 'value="Awa D."' in page.text
    assert session.scalar(select(UserAccount.locale)) == "en"


def test_changing_the_password_signs_other_sessions_out(browser, other_browser):
    browser.signup()
    assert other_browser.login().status_code == 303
    wrong = browser.submit(
        "/me/account",
        {"current_password": "not it at all", "new_password": "another long one"},
        action="/me/account/password",
    )
    assert wrong.status_code == 400
    done = browser.submit(
        "/me/account",
        {"current_password": PASSWORD, "new_password": "another long one"},
        action="/me/account/password",
    )
    assert done.status_code == 303
    assert browser.client.get("/me").status_code == 200  # this browser stays in
    assert other_browser.client.get("/me", follow_redirects=False).status_code == 303


def test_sign_out_everywhere(browser, other_browser):
    browser.signup()
    other_browser.login()
    browser.submit("/me/account", {}, action="/me/account/sign-out-everywhere")
    assert browser.client.get("/me", follow_redirects=False).status_code == 303
    assert other_browser.client.get("/me", follow_redirects=False).status_code == 303


def test_download_my_data(browser, client, site_catalogue):
    browser.signup()
    browser.submit("/me/projects/new", PROJECT)
    offer_id = site_catalogue["acc-honour-loan"]
    browser.submit(f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}")
    response = client.get("/me/data.json")
    assert response.headers["content-disposition"].startswith("attachment")
    data = response.json()
    assert data["account"]["email"] == "awa@example.org"
    assert "password_hash" not in data["account"]
    assert data["projects"][0]["name"] == PROJECT["name"]
    assert data["projects"][0]["project_eur"] == 40_000
    assert data["bookmarks"][0]["offer_id"] == offer_id


def test_delete_my_account_needs_the_password(browser, session, site_catalogue):
    browser.signup()
    browser.submit("/me/projects/new", PROJECT)
    offer_id = site_catalogue["acc-honour-loan"]
    browser.submit(f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}")
    browser.logout()
    browser.login(password="wrong password!")
    browser.login()
    refused = browser.submit("/me/account/delete", {"password": "wrong password!"})
    assert refused.status_code == 400
    assert session.scalar(select(func.count()).select_from(UserAccount)) == 1
    done = browser.submit("/me/account/delete", {"password": PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/"
    for table in (UserAccount, Project, Bookmark):
        assert session.scalar(select(func.count()).select_from(table)) == 0
    assert browser.client.get("/me", follow_redirects=False).status_code == 303
    assert browser.login().status_code == 400
