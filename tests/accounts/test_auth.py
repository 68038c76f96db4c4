"""Sign up, log in and out, the session cookie, CSRF and the login rate limit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.models import LoginAttempt, UserAccount
from passerelle.accounts.passwords import verify_password
from passerelle.app import create_app
from passerelle.settings import Settings
from tests.accounts.conftest import Browser

PASSWORD = "correct horse battery"


def test_sign_up_logs_in_and_hashes_the_password(browser, session):
    response = browser.signup(locale="en")
    assert response.headers["location"] == "/me"
    page = browser.client.get("/me")
    assert page.status_code == 200 and "Hello Awa Diop." in page.text
    assert "lang=en" in response.headers["set-cookie"]
    user = session.scalar(select(UserAccount))
    assert user.email == "awa@example.org" and user.role == "entrepreneur" and user.locale == "en"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_the_account_is_stored_before_the_answer_leaves(db, settings):
    """A browser follows the redirect as soon as it arrives: by then the account must be
    committed, or the next page finds nobody signed in."""
    app = create_app(settings, engine=db)
    accounts_when_answering: list[int] = []

    async def watched(scope, receive, send):
        async def send_and_look(message):
            if message["type"] == "http.response.start" and scope.get("method") == "POST":
                with Session(db) as elsewhere:  # another connection, as another request has
                    count = elsewhere.scalar(select(func.count()).select_from(UserAccount))
                    accounts_when_answering.append(count)
            await send(message)

        await app(scope, receive, send_and_look)

    with TestClient(watched) as client:
        Browser(client).signup()
    assert accounts_when_answering == [1]


def test_sign_up_refuses_a_short_password_a_bad_address_and_a_taken_one(browser, other_browser):
    data = {"email": "not-an-address", "display_name": "A", "password": "short", "locale": "en"}
    response = browser.submit("/account/signup", data)
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail" in response.text  # French: the default language
    assert "Utilisez au moins 10 caractères." in response.text
    browser.signup()
    taken = other_browser.submit(
        "/account/signup",
        {"email": "AWA@example.org", "display_name": "B", "password": PASSWORD, "locale": "fr"},
    )
    assert taken.status_code == 400 and "Un compte utilise déjà cette adresse" in taken.text


def test_log_out_then_in_again_with_the_next_page(browser):
    browser.signup()
    assert browser.logout().headers["location"] == "/"
    assert browser.client.get("/me", follow_redirects=False).headers["location"] == (
        "/account/login?next=%2Fme"
    )
    response = browser.submit(
        "/account/login?next=/me/bookmarks",
        {"email": " Awa@Example.org ", "password": PASSWORD},
        action="/account/login",
    )
    assert response.status_code == 303 and response.headers["location"] == "/me/bookmarks"


def test_login_never_redirects_off_site(browser):
    browser.signup()
    browser.logout()
    response = browser.submit(
        "/account/login?next=//evil.org",
        {"email": "awa@example.org", "password": PASSWORD},
        action="/account/login",
    )
    assert response.headers["location"] == "/me"


def test_wrong_password_and_unknown_account_get_the_same_answer(browser, session):
    browser.signup()
    browser.logout()
    wrong = browser.login(password="not the password")
    unknown = browser.login(email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text
    assert "Adresse e-mail ou mot de passe incorrect." in unknown.text
    assert browser.client.get("/me", follow_redirects=False).status_code == 303
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 2


def test_session_cookie_is_signed_httponly_and_lax(browser):
    cookie = browser.signup().headers["set-cookie"]
    session_cookie = next(c for c in cookie.split(", passerelle") if "session" in c)
    assert "httponly" in session_cookie.lower() and "samesite=lax" in session_cookie.lower()
    assert "secure" not in session_cookie.lower()  # plain http outside production
    browser.client.cookies.set("passerelle_session", "forged.value")
    assert browser.client.get("/me", follow_redirects=False).status_code == 303


def test_session_cookie_is_secure_in_production(db, tmp_path):
    from fastapi.testclient import TestClient

    settings = Settings(
        PASSERELLE_ENV="production",
        SECRET_KEY="x" * 40,
        PASSERELLE_DATA_DIR=tmp_path,
        DATABASE_URL=str(db.url.render_as_string(hide_password=False)),
    )
    with TestClient(create_app(settings, engine=db), base_url="https://testserver") as client:
        page = client.get("/account/login")
    cookie = page.headers["set-cookie"].lower()
    assert "passerelle_session=" in cookie and "; secure" in cookie and "httponly" in cookie


def test_a_form_without_its_token_changes_nothing(browser, other_browser, session):
    form = {"email": "eve@example.org", "display_name": "Eve", "password": PASSWORD}
    response = browser.client.post("/account/signup", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.text  # French by default
    forged = browser.client.post(
        "/account/signup", data={**form, "csrf_token": other_browser.token("/account/signup")}
    )
    assert forged.status_code == 403
    assert session.scalar(select(func.count()).select_from(UserAccount)) == 0


def test_a_signed_in_form_without_its_token_changes_nothing(browser, session):
    browser.signup(locale="en")
    response = browser.client.post(
        "/me/account/profile",
        data={"display_name": "Mallory", "locale": "en"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 403 and "This form has expired" in response.text
    assert session.scalar(select(UserAccount.display_name)) == "Awa Diop"


def test_five_failures_from_one_address_block_it(browser, other_browser):
    browser.signup()
    browser.logout()
    for attempt in range(ratelimit.MAX_FAILURES):
        assert browser.login(email=f"guess{attempt}@example.org").status_code == 400
    blocked = browser.login()  # even the right password waits
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0


def test_five_failures_on_one_account_block_it_from_every_address(db, settings, session):
    from fastapi.testclient import TestClient

    from tests.accounts.conftest import Browser

    app = create_app(settings, engine=db)
    with TestClient(app) as owner:
        Browser(owner).signup()
    for number in range(ratelimit.MAX_FAILURES):
        with TestClient(app, client=(f"192.0.2.{number}", 4000)) as client:
            assert Browser(client).login(password="wrong password!").status_code == 400
    with TestClient(app, client=("198.51.100.7", 4000)) as client:
        response = Browser(client).login()
    assert response.status_code == 429
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == ratelimit.MAX_FAILURES


def test_a_successful_login_forgets_the_account_failures(browser):
    browser.signup()
    browser.logout()
    for _ in range(ratelimit.MAX_FAILURES - 1):
        browser.login(password="wrong password!")
    assert browser.login().status_code == 303
    browser.logout()
    assert browser.login(password="wrong password!").status_code == 400  # not yet blocked


def test_old_failures_no_longer_count(browser, session):
    browser.signup()
    browser.logout()
    for _ in range(ratelimit.MAX_FAILURES):
        browser.login(password="wrong password!")
    session.execute(
        LoginAttempt.__table__.update().values(
            created_at=func.now() - ratelimit.WINDOW - ratelimit.WINDOW
        )
    )
    session.commit()
    assert browser.login().status_code == 303


def test_a_hash_with_old_parameters_is_replaced_at_login(browser, session, monkeypatch):
    from argon2 import PasswordHasher

    from passerelle.accounts import passwords

    browser.signup()
    browser.logout()
    old_hash = session.scalar(select(UserAccount.password_hash))
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: stronger)
    assert browser.login().status_code == 303
    session.expire_all()
    new_hash = session.scalar(select(UserAccount.password_hash))
    assert new_hash != old_hash and "m=2048,t=2" in new_hash
    assert verify_password(new_hash, PASSWORD)
