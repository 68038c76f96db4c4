"""Form errors as GOV.UK shows them: a focused summary naming each field, linked to it."""

from __future__ import annotations

import html
import re

from tests.staff.page_forms import page_form


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert found, "no error summary"
    return html.unescape(found.group(0)).replace("\u00a0", " ")


def _submit_untouched(browser, path: str, action: str):
    """Post the page's own form as rendered: the empty fields left empty."""
    page = browser.client.get(path).text
    form = page_form(page, action)
    return browser.client.post(form.action, data=form.fields, follow_redirects=False)


def test_the_summary_names_each_empty_field_and_links_to_it(browser):
    response = _submit_untouched(browser, "/account/signup", "/account/signup")
    assert response.status_code == 400
    summary = _summary(response.text)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("display_name", "Votre nom : Veuillez remplir ce champ."),
        ("email", "Adresse e-mail : Veuillez remplir ce champ."),
        ("password", "Mot de passe : Veuillez remplir ce champ."),
    ]
    # The summary takes the focus when the page loads (no script), and says what it is.
    assert re.search(r'class="error-summary"[^>]*tabindex="-1"[^>]*autofocus', summary)
    assert "Il y a un problème" in summary


def test_each_field_is_tied_to_its_message(browser):
    page = _submit_untouched(browser, "/account/signup", "/account/signup").text
    assert re.search(
        r'<input id="email"[^>]*aria-describedby="email-error" aria-invalid="true"', page
    )
    assert 'id="email-error"' in page
    hinted = re.search(r'<input id="password"[^>]*>', page).group(0)
    assert 'aria-describedby="password-hint password-error"' in hinted


def test_the_summary_speaks_the_page_language(browser):
    browser.client.cookies.set("lang", "en")
    page = _submit_untouched(browser, "/account/password-reset", "/account/password-reset").text
    summary = _summary(page)
    assert "There is a problem" in summary
    assert '<a href="#email">E-mail address: Please fill in this field.</a>' in summary


def test_a_project_form_names_its_fields_too(browser):
    browser.signup()
    response = _submit_untouched(browser, "/me/projects/new", "/me/projects/new")
    assert response.status_code == 400
    summary = _summary(response.text)
    assert '<a href="#name">' in summary
    assert "Veuillez remplir ce champ." in summary
    assert summary.count("<li>") == len(re.findall(r"<a href=", summary))


def test_a_page_without_errors_has_no_summary(browser):
    assert 'class="error-summary"' not in browser.client.get("/account/signup").text
