"""Anonymous find-support answers kept through sign-up as the new account's first project."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from passerelle.accounts import kept_project
from passerelle.accounts.models import Project, UserAccount
from passerelle.schemas import ProfileIn
from tests.accounts.conftest import PASSWORD

ANSWERS = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "applicant_type": "individual",
    "groups": "diaspora",
    "needs": "honour_loan",
    "project_eur": "40 000",
    "project_currency": "EUR",
    "funding_need_eur": "15 000",
    "funding_need_currency": "EUR",
    "description": "Ferme avicole près de Thiès",
}
KEEP_LINK = re.compile(r'href="(/account/signup\?keep=[^"]+)"')
ACCOUNT = {"email": "aissatou@example.org", "display_name": "Aïssatou", "password": PASSWORD}


def keep_link(browser) -> str:
    results = browser.client.get("/find-support", params=ANSWERS)
    assert "Créer mon compte et garder ce projet" in results.text
    return html.unescape(KEEP_LINK.search(results.text).group(1))


def projects_of(session, email: str) -> list[Project]:
    user = session.scalar(select(UserAccount).where(UserAccount.email == email))
    return list(session.scalars(select(Project).where(Project.owner_id == user.id)))


def test_signing_up_from_the_results_keeps_the_answers_and_lands_on_their_matches(
    browser, session, site_catalogue
):
    link = keep_link(browser)
    signup_page = browser.client.get(link)
    assert "Vos réponses à « Trouver un accompagnement » seront gardées" in signup_page.text
    sent = browser.submit(link, {**ACCOUNT, "locale": "fr"}, action="/account/signup")
    assert sent.status_code == 200
    login_link = re.search(r'href="(/account/login\?next=[^"]+)"', sent.text).group(1)
    assert "Me connecter et voir les offres pour mon projet" in sent.text
    landed = browser.submit(
        html.unescape(login_link),
        {"email": ACCOUNT["email"], "password": PASSWORD},
        action="/account/login",
        follow_redirects=True,
    )
    (project,) = projects_of(session, ACCOUNT["email"])
    assert landed.url.path == f"/me/projects/{project.id}"
    assert "Prêt d'honneur Diaspora Sénégal" in html.unescape(landed.text)  # its matches
    assert (project.name, project.target_country, project.sector, project.stage) == (
        "Mon projet",
        "SN",
        "agriculture",
        "startup",
    )
    assert (project.project_eur, project.funding_need_eur) == (40_000, 15_000)
    assert (project.groups, project.needs) == (["diaspora"], ["honour_loan"])
    assert project.description == "Ferme avicole près de Thiès"


def test_a_tampered_token_keeps_nothing(browser, session, site_catalogue):
    link = keep_link(browser)
    tampered = link.replace("keep=", "keep=x")
    assert "seront gardées" not in browser.client.get(tampered).text
    # A hand-made request: the page never offers a token it did not sign.
    data = {**ACCOUNT, "locale": "fr", "keep": tampered.split("keep=", 1)[1]}
    sent = browser.forge("/account/signup", data, "/account/signup")
    assert sent.status_code == 200 and "voir les offres pour mon projet" not in sent.text
    assert projects_of(session, ACCOUNT["email"]) == []


def test_answers_that_no_longer_pass_the_project_form_are_not_saved(browser, session, settings):
    answers = {"residence_country": "FR", "target_country": "SN", "stage": "startup"}
    # Signed, yet not a project the form accepts: no such sector.
    odd = ProfileIn.model_construct(**answers, sector="not-a-sector", project_eur=40_000)
    token = kept_project.seal(odd, settings)
    sent = browser.submit(f"/account/signup?keep={token}", ACCOUNT, action="/account/signup")
    assert sent.status_code == 200
    assert projects_of(session, ACCOUNT["email"]) == []


def test_an_address_already_taken_gets_no_project(browser, other_browser, session, site_catalogue):
    browser.signup(email=ACCOUNT["email"])
    link = keep_link(other_browser)
    sent = other_browser.submit(link, {**ACCOUNT, "locale": "fr"}, action="/account/signup")
    # The same page as for a new account, and nothing added to the owner's account.
    assert sent.status_code == 200 and "voir les offres pour mon projet" in sent.text
    assert projects_of(session, ACCOUNT["email"]) == []


def test_signed_in_visitors_are_not_offered_to_sign_up(browser, site_catalogue):
    browser.signup()
    results = browser.client.get("/find-support", params=ANSWERS)
    assert "Éligible" in results.text or "offre" in results.text
    assert KEEP_LINK.search(results.text) is None
