"""Projects, their matches and bookmarks; nobody reads or edits another person's project."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from passerelle.accounts.models import Bookmark, Project

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
    "needs": ["honour_loan"],
    "description": "Un élevage de poulets.",
}


def create(browser, **changes) -> str:
    response = browser.submit("/me/projects/new", {**PROJECT, **changes})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_create_a_project_with_amounts_as_people_write_them(browser, session):
    browser.signup()
    page = browser.client.get("/me/projects/new")
    assert '<option value="SN">Sénégal</option>' in page.text
    location = create(browser)
    project = session.scalar(select(Project))
    assert location == f"/me/projects/{project.id}"
    assert (project.residence_country, project.target_country) == ("FR", "SN")
    assert (project.project_eur, project.funding_need_eur) == (40_000, 20_000)
    # Ticked boxes arrive in the order of the page.
    assert project.groups == ["diaspora", "women"] and project.needs == ["honour_loan"]
    assert "Ferme avicole à Thiès" in browser.client.get("/me").text


def test_a_hand_made_request_may_name_the_countries_but_not_invent_one(browser, session):
    browser.signup(locale="en")
    unknown = {**PROJECT, "target_country": "Atlantis"}
    refused = browser.forge("/me/projects/new", unknown, action="/me/projects/new")
    assert refused.status_code == 400 and "Choose a country from the list." in refused.text
    named = {**PROJECT, "residence_country": "France", "target_country": "Sénégal"}
    response = browser.forge("/me/projects/new", named, action="/me/projects/new")
    assert response.status_code == 303, response.text
    assert session.scalar(select(Project.target_country)) == "SN"


def test_an_invalid_project_is_shown_again_with_its_errors(browser, session):
    browser.signup(locale="en")
    response = browser.submit(
        "/me/projects/new",
        {**PROJECT, "name": "", "target_country": "", "project_eur": "beaucoup"},
    )
    assert response.status_code == 400
    assert "Please fill in this field." in response.text  # the name, the country
    assert "Enter an amount in euros" in response.text
    assert 'value="beaucoup"' in response.text  # what was typed is kept
    assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_edit_and_delete_a_project(browser, session):
    browser.signup()
    location = create(browser)
    edit = browser.client.get(f"{location}/edit")
    assert 'value="Ferme avicole à Thiès"' in edit.text
    response = browser.submit(f"{location}/edit", {**PROJECT, "name": "Ferme agrandie"})
    assert response.status_code == 303
    assert session.scalar(select(Project.name)) == "Ferme agrandie"
    assert browser.submit(location, {}, action=f"{location}/delete").status_code == 303
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    assert browser.client.get(location).status_code == 404


def test_my_matches_show_reasons_and_near_misses(browser, site_catalogue):
    browser.signup(locale="en")
    page = browser.client.get(create(browser))
    assert page.status_code == 200
    results, near = page.text.split('id="near-heading"')
    assert f'href="/offers/{site_catalogue["acc-honour-loan"]}"' in results
    assert "Growth fund for Senegalese SMEs" in near
    assert "Growth fund" not in results
    assert 'class="checklist reasons"' in results  # the reasons


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_another_persons_project_does_not_exist(browser, other_browser, session, suffix):
    browser.signup()
    location = create(browser)
    other_browser.signup(email="bob@example.org", name="Bob")
    assert other_browser.client.get(location + suffix).status_code == 404
    assert other_browser.client.get("/me/projects/999999").status_code == 404


def test_another_person_cannot_edit_or_delete_a_project(browser, other_browser, session):
    browser.signup()
    location = create(browser)
    other_browser.signup(email="bob@example.org", name="Bob")
    edit = other_browser.forge("/me", {**PROJECT, "name": "Stolen"}, action=f"{location}/edit")
    delete = other_browser.forge("/me", {}, action=f"{location}/delete")
    assert edit.status_code == delete.status_code == 404
    assert session.scalar(select(Project.name)) == PROJECT["name"]


@pytest.mark.parametrize("path", ["/me/projects/new", "/me/projects/1", "/me/projects/1/edit"])
def test_visitors_are_sent_to_log_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/account/")


def test_staff_have_no_projects(browser, session):
    from passerelle.accounts.models import UserAccount

    browser.signup()
    session.execute(UserAccount.__table__.update().values(role="staff"))
    session.commit()
    assert browser.client.get("/me/projects/new").status_code == 403
    assert browser.client.get("/me/bookmarks").status_code == 403
    assert "My projects" not in browser.client.get("/me").text


def test_bookmark_from_the_offer_page(browser, client, site_catalogue, session):
    offer_id = site_catalogue["acc-honour-loan"]
    assert "Keep this offer" not in client.get(f"/offers/{offer_id}").text  # visitors
    browser.signup(locale="en")
    offer_page = f"/offers/{offer_id}"
    assert "Keep this offer" in client.get(offer_page).text
    form = browser.form(offer_page, action=f"/me/bookmarks/{offer_id}")
    added = form.submit(browser.client)
    assert added.headers["location"] == offer_page
    form.submit(browser.client)  # twice, from a page opened before the first
    assert "Remove from my bookmarks" in client.get(offer_page).text
    listed = client.get("/me/bookmarks")
    assert "Diaspora Sénégal" in listed.text
    assert session.scalar(select(func.count()).select_from(Bookmark)) == 1
    removed = browser.submit("/me/bookmarks", {}, action=f"/me/bookmarks/{offer_id}/remove")
    assert removed.headers["location"] == "/me/bookmarks"
    assert "removed from your bookmarks" in client.get("/me/bookmarks").text
    assert session.scalar(select(func.count()).select_from(Bookmark)) == 0


def test_an_unknown_offer_cannot_be_bookmarked(browser):
    browser.signup()
    assert browser.forge("/me/bookmarks", {}, action="/me/bookmarks/99999").status_code == 404
