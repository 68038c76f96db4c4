"""Sign up, log in and out, the session cookie, CSRF and the login rate limit."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.models import RateCounter, UserAccount
from passerelle.accounts.passwords import verify_password
from passerelle.accounts.schemas import SignupIn
from passerelle.accounts.service import create_user
from passerelle.app import create_app
from passerelle.settings import Settings
from services_catalog.models import utcnow
from tests.accounts.conftest import Browser, text_part

PASSWORD = "correct horse battery"


def test_sign_up_mails_the_account_which_then_logs_in(browser, session, inbox):
    data = {"email": "awa@example.org", "display_name": "Awa Diop", "password": PASSWORD}
    response = browser.submit("/account/signup", {**data, "locale": "en"})
    assert response.status_code == 200 and "awa@example.org" in response.text
    assert "lang=en" in response.headers["set-cookie"]
    assert browser.client.get("/me", follow_redirects=False).status_code == 303  # not yet in
    (welcome,) = inbox.messages
    assert welcome["To"] == "awa@example.org" and "ready" in welcome["Subject"]
    assert re.search(r"http://testserver/account/login\s", text_part(welcome))
    assert browser.login().headers["location"] == "/me"
    page = browser.client.get("/me")
    assert page.status_code == 200 and "Hello Awa Diop." in page.text
    user = session.scalar(select(UserAccount))
    assert user.email == "awa@example.org" and user.role == "entrepreneur" and user.locale == "en"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_the_account_is_stored_before_the_answer_leaves(db, settings):
    """The person logs in as soon as the answer arrives: by then the account must be
    committed, or the login finds nobody."""
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
    assert accounts_when_answering == [1, 1]  # at the sign-up's answer, then the login's


def test_sign_up_refuses_a_short_password_and_a_bad_address(browser):
    data = {"email": "not-an-address", "display_name": "A", "password": "short", "locale": "en"}
    response = browser.submit("/account/signup", data)
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail" in response.text  # French: the default language
    assert "Utilisez au moins 10 caractères." in response.text


def test_sign_up_does_not_tell_that_an_address_is_taken(browser, other_browser, inbox, session):
    """The same answer for a new and a taken address; the owner is told by mail."""

    def sign_up(person, email, name):
        data = {"email": email, "display_name": name, "password": PASSWORD, "locale": "fr"}
        return person.submit("/account/signup", data)

    new = sign_up(browser, "awa@example.org", "Awa Diop")
    inbox.messages.clear()
    taken = sign_up(other_browser, "AWA@example.org", "Mallory")
    assert taken.status_code == new.status_code == 200
    assert _main(taken.text) == _main(new.text)
    (warning,) = inbox.messages
    subject = str(make_header(decode_header(warning["Subject"])))
    assert warning["To"] == "awa@example.org" and subject == "Votre compte Passerelle existe déjà"
    assert session.scalar(select(UserAccount.display_name)) == "Awa Diop"
    assert other_browser.login(password=PASSWORD).headers["location"] == "/me"  # Awa's own


def _main(page: str) -> str:
    return re.search(r"<main.*</main>", page, re.DOTALL).group(0)


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
    counters = select(func.count()).select_from(RateCounter)
    before = session.scalar(counters)
    wrong = browser.login(password="not the password")
    unknown = browser.login(email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text
    assert "Adresse e-mail ou mot de passe incorrect." in unknown.text
    assert browser.client.get("/me", follow_redirects=False).status_code == 303
    assert session.scalar(counters) == before + 2  # one per account tried from this address


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
        PASSERELLE_BASE_URL="https://testserver",
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


PAIR = ratelimit.LOGIN_PER_ACCOUNT_AND_ADDRESS


def test_failures_on_one_account_block_it_from_that_address(browser):
    browser.signup()
    browser.logout()
    for _ in range(PAIR.limit):
        assert browser.login(password="wrong password!").status_code == 400
    blocked = browser.login()  # even the right password waits
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text
    assert 0 < int(blocked.headers["retry-after"]) <= PAIR.window.total_seconds()


def test_many_accounts_tried_from_one_address_block_it(browser):
    browser.signup()
    browser.logout()
    for attempt in range(ratelimit.LOGIN_PER_ADDRESS.limit):
        assert browser.login(email=f"guess{attempt}@example.org").status_code == 400
    blocked = browser.login()  # even the right password waits
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text


def test_many_people_signing_in_from_one_address_are_not_held_up(browser, session):
    """A campus or a cyber café: one address, many people. Their sign-ins do not count
    towards its limit; failures from it still do."""
    people = [f"person{number}@example.org" for number in range(3)]
    for email in people:
        create_user(session, SignupIn(email=email, display_name=email, password=PASSWORD))
    session.commit()
    for _ in range(ratelimit.LOGIN_PER_ADDRESS.limit):
        for email in people:
            assert browser.login(email=email).status_code == 303
            browser.logout()
    for attempt in range(ratelimit.LOGIN_PER_ADDRESS.limit):
        assert browser.login(email=f"guess{attempt}@example.org").status_code == 400
    blocked = browser.login(email=people[0])
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text


def test_failures_from_elsewhere_do_not_lock_the_owner_out(db, settings):
    """Anyone can type wrong passwords for any address; the owner still logs in."""
    from fastapi.testclient import TestClient

    app = create_app(settings, engine=db)
    with TestClient(app, client=("198.51.100.7", 4000)) as owner:
        Browser(owner).signup()
        Browser(owner).logout()
        for number in range(3):
            with TestClient(app, client=(f"192.0.2.{number}", 4000)) as attacker:
                for _ in range(PAIR.limit):
                    Browser(attacker).login(password="wrong password!")
                assert Browser(attacker).login().status_code == 429
        assert Browser(owner).login().status_code == 303


def test_a_successful_login_forgets_the_account_failures(browser):
    browser.signup()
    browser.logout()
    for _ in range(PAIR.limit - 1):
        browser.login(password="wrong password!")
    assert browser.login().status_code == 303
    browser.logout()
    assert browser.login(password="wrong password!").status_code == 400  # not yet blocked


def test_old_failures_no_longer_count(browser, session):
    browser.signup()
    browser.logout()
    for _ in range(PAIR.limit):
        browser.login(password="wrong password!")
    assert browser.login().status_code == 429
    session.execute(RateCounter.__table__.update().values(window_start=utcnow() - PAIR.window))
    session.commit()
    assert browser.login().status_code == 303


def test_counters_hold_no_address_in_clear(browser, session):
    browser.signup()
    browser.logout()
    browser.login(password="wrong password!")
    keys = session.scalars(select(RateCounter.key)).all()
    assert keys and all(re.fullmatch("[0-9a-f]{64}", key) for key in keys)


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


@pytest.mark.parametrize(
    ("password", "locale", "reason"),
    [
        ("aaaaaaaaaa", "en", "Repeats, sequences and keyboard rows"),
        ("1234567890", "fr", "parmi les plus courants"),
        ("password12", "en", "among the most common ones"),
        ("awadiop2024", "fr", "construit à partir de votre nom, de votre adresse e-mail"),
        ("example.org-awa", "en", "built from your name, your e-mail address"),
    ],
)
def test_sign_up_refuses_a_weak_password_and_says_why(browser, session, password, locale, reason):
    data = {"email": "awa@example.org", "display_name": "Awa Diop", "password": password}
    refused = browser.submit(
        "/account/signup", {**data, "locale": locale}, headers={"Accept-Language": locale}
    )
    assert refused.status_code == 400 and reason in refused.text
    assert session.scalar(select(func.count()).select_from(UserAccount)) == 0


def test_sign_up_mails_are_limited(browser, inbox):
    answers = [
        browser.submit(
            "/account/signup",
            {"email": "awa@example.org", "display_name": "Awa Diop", "password": PASSWORD},
        ).status_code
        for _ in range(ratelimit.MAIL_PER_RECIPIENT_AND_ADDRESS.limit + 2)
    ]
    assert len(inbox.messages) == ratelimit.MAIL_PER_RECIPIENT_AND_ADDRESS.limit
    assert set(answers[ratelimit.MAIL_PER_RECIPIENT_AND_ADDRESS.limit :]) == {429}
