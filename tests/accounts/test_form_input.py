"""Every form's text goes through one set of rules: no NUL or control character (line
breaks allowed in multi-line fields), no field longer than any takes; a refused value gets
400 naming its field, never a server error (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.accounts.conftest import PASSWORD
from tests.accounts.test_projects import PROJECT

SIGNUP = {"email": "awa@example.org", "display_name": "Awa", "password": PASSWORD, "locale": "fr"}


def refused(response, field: str) -> bool:
    """A 400 page naming the field (in French, the site's default language)."""
    return response.status_code == 400 and f"Le champ « {field} »" in response.text


@pytest.mark.parametrize(
    ("page", "form", "field"),
    [
        ("/account/login", {"email": "awa\x00@example.org", "password": PASSWORD}, "email"),
        ("/account/login", {"email": "awa@example.org", "password": "pass\x00word!!"}, "password"),
        ("/account/signup", {**SIGNUP, "display_name": "Awa\x00"}, "display_name"),
        ("/account/signup", {**SIGNUP, "email": "awa@example.org\x00"}, "email"),
        ("/account/password-reset", {"email": "\x00awa@example.org"}, "email"),
        ("/account/login", {"email": "awa@example.org\x1b[2J", "password": PASSWORD}, "email"),
        ("/account/login", {"email": "a" * 3000 + "@example.org", "password": PASSWORD}, "email"),
    ],
)
def test_visitor_forms_refuse_control_characters_and_overlong_text(browser, page, form, field):
    assert refused(browser.submit(page, form), field)


def test_the_reset_form_refuses_a_nul_in_the_new_password(browser, inbox):
    from tests.accounts.test_reset import ask_for_link

    browser.signup()
    link = ask_for_link(browser, inbox)
    assert refused(browser.submit(link, {"password": "new\x00passphrase"}), "password")
    assert browser.client.get(link).status_code == 200  # the link still works


def test_multiline_fields_keep_line_breaks_but_no_other_control(browser):
    browser.signup()
    kept = browser.submit("/me/projects/new", {**PROJECT, "description": "Line one\r\n\tTwo"})
    assert kept.status_code == 303
    bell = browser.submit("/me/projects/new", {**PROJECT, "description": "Ring\x07"})
    assert refused(bell, "description") and "U+0007" in bell.text
    title = browser.submit("/me/projects/new", {**PROJECT, "name": "Two\nlines"})
    assert refused(title, "name")


def test_the_profile_form_sent_by_get_follows_the_same_rules(client):
    response = client.get("/find-support", params={"residence_country": "FR\x00"})
    assert refused(response, "residence_country")


def test_a_next_page_outside_latin_1_is_kept_local_and_encoded(browser, site_catalogue):
    browser.signup()
    browser.logout()
    form = {"email": "awa@example.org", "password": PASSWORD}
    response = browser.submit("/account/login?" + urlencode({"next": "/offers?q=café €"}), form)
    assert response.status_code == 303
    assert response.headers["location"] == "/offers?q=caf%C3%A9%20%E2%82%AC"
    offer_id = site_catalogue["acc-honour-loan"]
    page = f"/offers/{offer_id}"
    # Crafted requests: the offer page's own form carries its own address.
    kept = browser.forge(page, {"next": "/offers/€"}, action=f"/me/bookmarks/{offer_id}")
    assert kept.status_code == 303 and kept.headers["location"] == "/offers/%E2%82%AC"
    off_site = browser.forge(page, {"next": "//évil.example"}, action=f"/me/bookmarks/{offer_id}")
    assert off_site.headers["location"] == "/me/bookmarks"
