"""Saving a search, managing alerts on "My alerts", and the unsubscribe page, through the
site's own forms."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from passerelle.alerts import service
from passerelle.alerts.models import Alert, SavedSearch
from tests.alerts.conftest import PROJECT, Browser

SEARCH = "/offers?country=SN&sector=agriculture"


def _alerts(db) -> dict[str, Alert]:
    with Session(db) as session:
        return {alert.kind: alert for alert in session.scalars(select(Alert))}


def _token(settings, alert_id: int) -> str:
    return service.unsubscribe_token(settings.secret_key.get_secret_value(), alert_id)


def test_a_search_saved_from_the_browse_page_keeps_its_filters(browser, db):
    browser.signup()
    answer = browser.submit(SEARCH, {"name": "Agriculture au Sénégal"}, action="/me/searches")
    assert answer.status_code == 303 and answer.headers["location"] == "/me/alerts"
    with Session(db) as session:
        (saved,) = session.scalars(select(SavedSearch))
        assert saved.name == "Agriculture au Sénégal"
        assert saved.query == "country=SN&sector=agriculture"
    page = browser.client.get("/me/alerts")
    assert "Recherche « Agriculture au Sénégal »" in page.text
    assert 'href="/offers?country=SN&amp;sector=agriculture"' in page.text
    assert _alerts(db)["search"].frequency == "daily"


def test_the_save_form_is_only_for_signed_in_entrepreneurs(client, browser):
    assert "Save this search" not in client.get(SEARCH, headers={"Accept-Language": "en"}).text
    browser.signup(locale="en")
    assert 'action="/me/searches"' in browser.client.get(SEARCH).text
    assert 'action="/me/searches"' not in browser.client.get("/offers").text  # nothing to save


def test_a_search_without_a_name_is_refused_by_its_field(browser, db):
    browser.signup(locale="en")
    answer = browser.submit(SEARCH, {"name": "  "}, action="/me/searches")
    assert answer.status_code == 400
    assert "Give the search a name of 1 to 200 characters." in answer.text
    assert 'href="#name"' in answer.text
    # The error page's own form saves it once named.
    again = browser.submit(SEARCH, {"name": "  "}, action="/me/searches")
    assert again.status_code == 400
    with Session(db) as session:
        assert session.scalars(select(SavedSearch)).all() == []


def test_a_bad_filter_in_a_saved_query_names_the_parameter(browser):
    browser.signup(locale="en")
    answer = browser.forge(SEARCH, {"name": "x", "query": "sector=moon"}, "/me/searches")
    assert answer.status_code == 422 and "moon" in answer.text


def test_every_alert_is_managed_on_one_page(browser, db, site_catalogue):
    browser.signup(locale="en")
    assert browser.submit("/me/projects/new", PROJECT).status_code == 303
    offer_id = site_catalogue["acc-honour-loan"]
    assert browser.submit(f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}")
    page = browser.client.get("/me/alerts")
    assert "Project “Ferme avicole à Thiès”" in page.text
    assert "Deadlines of my bookmarks" in page.text
    alerts = _alerts(db)
    assert alerts["project"].frequency == "weekly"
    assert alerts["bookmarks"].frequency == "immediate"
    action = f"/me/alerts/{alerts['project'].id}/frequency"
    answer = browser.submit("/me/alerts", {"frequency": "daily"}, action=action)
    assert answer.status_code == 303
    assert _alerts(db)["project"].frequency == "daily"
    assert _alerts(db)["bookmarks"].frequency == "immediate"
    assert "My alerts" in browser.client.get("/me").text  # the account menu links to it


def test_a_frequency_that_is_not_offered_is_refused(browser, db):
    browser.signup(locale="en")
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    alert = _alerts(db)["search"]
    answer = browser.forge(
        "/me/alerts", {"frequency": "hourly"}, f"/me/alerts/{alert.id}/frequency"
    )
    assert answer.status_code == 400
    assert "Choose how often: immediately, daily, weekly or never." in answer.text
    assert _alerts(db)["search"].frequency == "daily"


def test_deleting_a_saved_search_removes_it_and_its_alert(browser, db):
    browser.signup(locale="en")
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    alert = _alerts(db)["search"]
    answer = browser.submit("/me/alerts", {}, action=f"/me/alerts/{alert.id}/delete")
    assert answer.status_code == 303
    with Session(db) as session:
        assert session.scalars(select(SavedSearch)).all() == []
        assert session.scalars(select(Alert)).all() == []


def test_someone_elses_alert_is_not_found(browser, other_browser, db):
    browser.signup()
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    alert = _alerts(db)["search"]
    other_browser.signup(email="binta@example.org")
    for action in (f"/me/alerts/{alert.id}/frequency", f"/me/alerts/{alert.id}/delete"):
        answer = other_browser.forge("/me/alerts", {"frequency": "none"}, action)
        assert answer.status_code == 404
    assert _alerts(db)["search"].frequency == "daily"


def test_alerts_are_for_entrepreneurs(client):
    assert client.get("/me/alerts", follow_redirects=False).status_code == 303


def test_the_unsubscribe_link_asks_then_stops_only_its_alert(browser, client, db, settings):
    browser.signup(locale="en")
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    browser.submit(SEARCH, {"name": "Other"}, action="/me/searches")
    with Session(db) as session:
        first, _second = session.scalars(select(Alert).order_by(Alert.id))
    link = f"/alerts/unsubscribe/{_token(settings, first.id)}"
    # Opened without signing in: a page that asks, changing nothing.
    page = client.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Stop this alert" in page.text
    assert _frequencies(db) == ["daily", "daily"]
    # Its button posts with no session and no CSRF token: the signed link is enough.
    form = re.search(r'<form method="post" action="([^"]+)">', page.text).group(1)
    assert form == link
    done = Browser(client).submit(link, {}, headers={"Accept-Language": "en"})
    assert done.status_code == 200 and "Your other alerts are unchanged." in done.text
    assert _frequencies(db) == ["none", "daily"]


def test_a_mail_clients_one_click_post_stops_the_alert(client, browser, db, settings):
    browser.signup()
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    alert = _alerts(db)["search"]
    link = f"/alerts/unsubscribe/{_token(settings, alert.id)}"
    answer = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert _frequencies(db) == ["none"]


def test_a_forged_or_altered_token_changes_nothing(client, browser, db, settings):
    browser.signup()
    browser.submit(SEARCH, {"name": "SN"}, action="/me/searches")
    alert = _alerts(db)["search"]
    token = _token(settings, alert.id)
    forged = service.unsubscribe_token("another secret entirely", alert.id)
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x" * 20):
        assert client.post(f"/alerts/unsubscribe/{bad}").status_code == 404
        assert client.get(f"/alerts/unsubscribe/{bad}").status_code == 404
    assert _frequencies(db) == ["daily"]


def _frequencies(db) -> list[str]:
    with Session(db) as session:
        return [a.frequency for a in session.scalars(select(Alert).order_by(Alert.id))]


def test_the_data_download_lists_saved_searches_and_alerts(browser, db):
    browser.signup()
    browser.submit(SEARCH, {"name": "Agriculture au Sénégal"}, action="/me/searches")
    data = browser.client.get("/me/data.json").json()
    (saved,) = data["saved_searches"]
    assert (saved["name"], saved["query"]) == ("Agriculture au Sénégal", SEARCH.split("?")[1])
    by_kind = {alert["kind"]: alert for alert in data["alerts"]}
    assert by_kind["search"]["saved_search_id"] == saved["id"]
    assert by_kind["search"]["frequency"] == "daily"
