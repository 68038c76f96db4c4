"""Every staff page is for staff and admins only: visitors go to the login form, other
roles are refused, and a refused form changes nothing."""

from __future__ import annotations

import pytest

from tests.staff.conftest import STAFF_PAGES, sign_in_as

PAGES = (
    *STAFF_PAGES,
    "/staff/export/json",
    "/staff/export/csv",
    "/staff/export/hsds",
)


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_is_sent_to_the_login_form(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account/login?next=")


@pytest.mark.parametrize("role", ["entrepreneur", "provider"])
def test_entrepreneurs_and_providers_are_refused(browser, session, queue, role):
    sign_in_as(browser, session, role, f"{role}@example.org")
    for path in (*PAGES, f"/staff/offers/{queue['acc-honour-loan']}/edit"):
        response = browser.client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 403, path
        assert "cannot open this page" in response.text
    answer = browser.forge("/me/account", {}, f"/staff/review/{queue['acc-honour-loan']}/approve")
    assert answer.status_code == 403


def test_a_visitor_cannot_post_a_staff_form(client, queue):
    response = client.post(
        f"/staff/review/{queue['acc-honour-loan']}/approve", follow_redirects=False
    )
    assert response.status_code == 303 and "/account/login" in response.headers["location"]


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_open_every_page(browser, session, queue, role):
    sign_in_as(browser, session, role, f"{role}@example.org")
    for path in PAGES:
        assert browser.client.get(path).status_code == 200, path


def test_a_staff_form_without_its_token_is_refused(staff, queue, session):
    response = staff.client.post(f"/staff/review/{queue['acc-honour-loan']}/approve")
    assert response.status_code == 403
    assert "Prêt d&#39;honneur Diaspora Sénégal" in staff.client.get("/staff/review").text
