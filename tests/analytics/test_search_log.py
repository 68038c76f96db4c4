"""Every catalogue search and match request leaves one anonymous line in the search log,
written with the others waiting when the log is flushed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from passerelle.analytics.models import SearchEvent
from passerelle.app import create_app
from services_catalog.importing import import_offers
from tests.analytics.conftest import sign_in_as

SN_LOAN = {
    "id": "log-sn-loan",
    "title": "Prêt d'honneur Sénégal",
    "description": "Un prêt sans intérêt.",
    "organization": "Initiative Diaspora",
    "kind": "financing",
    "categories": ["honour_loan"],
    "sectors": ["agriculture"],
    "countries": ["SN"],
}
OPEN_MENTORING = {
    "id": "log-open-mentoring",
    "title": "Mentoring anywhere",
    "description": "Coaching for every project.",
    "organization": "Mentors United",
    "kind": "service",
    "categories": ["mentoring"],
}
PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": 40_000,
    "groups": ["women"],
    "description": "Mon projet secret de ferme avicole à Thiès.",
}


@pytest.fixture
def catalogue(session):
    assert import_offers(session, list(enumerate([SN_LOAN, OPEN_MENTORING], start=1))).applied
    session.commit()


def events(session, client) -> list[SearchEvent]:
    """The search log once its waiting events are written."""
    client.app.state.search_log.flush()
    session.expire_all()
    return list(session.scalars(select(SearchEvent).order_by(SearchEvent.id)))


def test_browse_page_and_offers_api_searches_are_logged(client, session, catalogue):
    assert client.get("/offers?country=SN&sector=agriculture&kind=financing").status_code == 200
    assert client.get("/api/v1/offers?country=ML&country=SN&q=solaire").status_code == 200
    first, second = events(session, client)
    assert (first.kind, first.country, first.sector, first.results) == (
        "search", "SN", "agriculture", 1,
    )  # fmt: skip
    assert first.query == {"country": ["SN"], "kind": ["financing"], "sector": ["agriculture"]}
    # Two countries asked: no single project country to file the search under.
    assert (second.country, second.sector, second.results) == (None, None, 0)
    assert second.query == {"country": ["ML", "SN"], "q": "solaire"}


def test_further_pages_of_a_search_are_not_new_searches(client, session, catalogue):
    client.get("/offers?per_page=1")
    client.get("/offers?per_page=1&page=2")
    client.get("/api/v1/offers?page=2")
    assert [(e.kind, e.results) for e in events(session, client)] == [("search", 2)]


def test_match_requests_are_logged_without_the_description(client, session, catalogue):
    assert client.post("/api/v1/match", json={**PROFILE, "top": 1}).status_code == 200
    (logged,) = events(session, client)
    assert (logged.kind, logged.country, logged.sector) == ("match", "SN", "agriculture")
    assert logged.results == 2  # every eligible offer, though only one was asked for
    assert logged.query == {
        "applicant_type": ["individual"],
        "country": ["SN"],
        "residence_country": ["FR"],
        "sector": ["agriculture"],
        "stage": ["startup"],
        "target_group": ["women"],
    }
    assert "secret" not in str(logged.query)


def test_find_support_page_logs_only_complete_profiles(client, session, catalogue):
    client.get("/find-support")  # the empty form: nothing asked yet
    assert events(session, client) == []
    query = {**PROFILE, "target_country": "ML", "needs": "mentoring"}
    assert client.get("/find-support", params=query).status_code == 200
    (logged,) = events(session, client)
    assert (logged.kind, logged.country, logged.results) == ("match", "ML", 1)
    assert logged.query["category"] == ["mentoring"]


def test_an_entrepreneurs_project_page_logs_its_matches(browser, session, catalogue):
    sign_in_as(browser, session, "entrepreneur")
    project = {**PROFILE, "name": "Ferme", "project_eur": "40000", "applicant_type": "individual"}
    response = browser.submit("/me/projects/new", project)
    assert response.status_code == 303, response.text
    assert browser.client.get(response.headers["location"]).status_code == 200
    (logged,) = events(session, browser.client)
    assert (logged.kind, logged.country, logged.sector, logged.results) == (
        "match", "SN", "agriculture", 2,
    )  # fmt: skip


def test_a_failure_to_log_does_not_fail_the_search(client, session, db, catalogue):
    def refuse(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO SEARCH_EVENT"):
            raise RuntimeError("the search log is unavailable")

    event.listen(db, "before_cursor_execute", refuse)
    try:
        page = client.get("/offers?country=SN")
        api = client.post("/api/v1/match", json=PROFILE)
        assert client.app.state.search_log.flush() == 0  # logged as a warning, then dropped
    finally:
        event.remove(db, "before_cursor_execute", refuse)
    assert page.status_code == 200 and "Prêt d&#39;honneur Sénégal" in page.text
    assert api.status_code == 200 and len(api.json()["results"]) == 2
    assert events(session, client) == []
    client.get("/offers?country=SN")  # and the next one is logged again
    assert len(events(session, client)) == 1


def test_searches_write_nothing_until_the_log_is_flushed(client, session, db, catalogue):
    inserts = []

    def count_inserts(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO SEARCH_EVENT"):
            inserts.append(statement)

    event.listen(db, "before_cursor_execute", count_inserts)
    try:
        for country in ("SN", "ML", "CI"):
            assert client.get(f"/api/v1/offers?country={country}").status_code == 200
        assert client.post("/api/v1/match", json=PROFILE).status_code == 200
        assert inserts == []  # nothing written while answering
        assert client.app.state.search_log.flush() == 4
    finally:
        event.remove(db, "before_cursor_execute", count_inserts)
    assert len(inserts) == 1  # the four events in one statement
    assert [e.country for e in events(session, client)] == ["SN", "ML", "CI", "SN"]


def test_waiting_events_are_written_when_the_server_stops(db, settings, session, catalogue):
    with TestClient(create_app(settings, engine=db)) as client:
        assert client.get("/offers?country=SN").status_code == 200
    session.expire_all()
    assert [e.country for e in session.scalars(select(SearchEvent))] == ["SN"]
