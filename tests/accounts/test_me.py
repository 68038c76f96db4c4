"""The account pages: profile, password change, sign out everywhere, data, deletion."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passerelle.accounts.models import Bookmark, Project, UserAccount
from passerelle.staff import users
from services_catalog.models import AuditEntry

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


def make_token(browser) -> str:
    page = browser.submit("/me/account", {"name": "nightly-import"}, action="/me/account/tokens")
    return re.search(r"pst_[\w-]+", page.text).group(0)


def test_changing_the_password_revokes_the_api_tokens(browser, client):
    """Whoever knew the old password may have made a token: it stops working too."""
    browser.signup()
    secret = make_token(browser)
    api = {"Authorization": f"Bearer {secret}"}
    write = "/api/v1/offers/1/submit"  # an entrepreneur's token is known, then refused
    assert client.post(write, headers=api).status_code == 403
    browser.submit(
        "/me/account",
        {"current_password": PASSWORD, "new_password": "another long one"},
        action="/me/account/password",
    )
    assert client.post(write, headers=api).status_code == 401
    assert "nightly-import" not in browser.client.get("/me/account").text


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "Les répétitions"),
        ("1234567890", "parmi les plus courants"),
        ("password12", "parmi les plus courants"),
        ("awadiop2024", "construit à partir de votre nom"),
    ],
)
def test_a_weak_new_password_is_refused_with_its_reason(browser, password, reason):
    browser.signup()
    refused = browser.submit(
        "/me/account",
        {"current_password": PASSWORD, "new_password": password},
        action="/me/account/password",
    )
    assert refused.status_code == 400 and reason in refused.text
    browser.logout()
    assert browser.login().status_code == 303  # the old password still opens the account


def test_the_data_download_lists_the_api_tokens_without_their_secret(browser, client):
    browser.signup()
    secret = make_token(browser)
    response = client.get("/me/data.json")
    (token,) = response.json()["api_tokens"]
    assert token["name"] == "nightly-import" and token["created_at"] and token["revoked_at"] is None
    assert secret not in response.text and "hash" not in response.text


def test_deletion_takes_the_address_out_of_the_audit_log(browser, session):
    browser.signup()
    admin = UserAccount(email="admin@example.org", password_hash="-", role="admin")
    session.add(admin)
    session.flush()
    users.change_role(session, admin, session.scalar(select(UserAccount).where(
        UserAccount.email == "awa@example.org")), "provider")  # fmt: skip
    session.commit()
    browser.login()
    done = browser.submit("/me/account/delete", {"password": PASSWORD})
    assert done.status_code == 303
    session.expire_all()
    (entry,) = session.scalars(select(AuditEntry)).all()
    assert entry.action == "change_role" and "awa@example.org" not in (entry.note or "")
    assert entry.note == "[deleted account]"


def _read_in_another_process(path: Path) -> bytes:
    """The bytes of a file of the open database, read by another process: closing a file of
    it here would drop the POSIX locks SQLite holds on it in this process, and break every
    connection of the run (later ones fail with "disk I/O error")."""
    reader = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    return subprocess.run(
        [sys.executable, "-c", reader, str(path)], capture_output=True, check=True
    ).stdout


def test_deleted_text_does_not_stay_in_the_sqlite_files(browser, session, db):
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite's own files")
    browser.signup(name="Zanzibar Quetzalcoatl")
    browser.submit("/me/projects/new", {**PROJECT, "description": "Xylophone secret plan"})
    session.close()  # no reader left to hold the log back
    done = browser.submit("/me/account/delete", {"password": PASSWORD})
    assert done.status_code == 303
    database = Path(db.url.database)
    for path in (database, database.with_name(database.name + "-wal")):
        content = _read_in_another_process(path) if path.exists() else b""
        assert b"Xylophone secret plan" not in content, path
        assert b"Zanzibar Quetzalcoatl" not in content, path
        assert b"awa@example.org" not in content, path
