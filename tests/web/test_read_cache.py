"""Anonymous browse pages and API offer lists are answered again from the answer kept for
the same catalogue version, day, language and address, and never once the catalogue has
changed or for a visitor with a session."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from passerelle import api
from passerelle.accounts.sessions import COOKIE_NAME
from passerelle.analytics.models import SearchEvent
from passerelle.web.read_cache import KeptAnswer, ReadCache
from services_catalog import search
from services_catalog.importing import import_offers
from tests.web.conftest import HONOUR_LOAN

MALI_LOAN = {
    **HONOUR_LOAN,
    "id": "web-mali-loan",
    "title": "Prêt d'honneur Kayes",
    "countries": ["ML"],
}


@pytest.fixture
def searches(monkeypatch) -> list[str]:
    """The searches actually run by the browse page and the API, by the path asked for."""
    ran: list[str] = []

    def counting(run):
        def search_offers(session, filters, **options):
            ran.append("search")
            return run(session, filters, **options)

        return search_offers

    monkeypatch.setattr(search, "search_offers", counting(search.search_offers))
    monkeypatch.setattr(api, "search_offers", counting(api.search_offers))
    return ran


@pytest.mark.parametrize("path", ["/offers?country=ML", "/api/v1/offers?country=ML"])
def test_the_same_anonymous_request_is_answered_from_the_kept_answer(
    client, site_catalogue, searches, path
):
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert searches == ["search"]
    assert COOKIE_NAME not in client.cookies  # still anonymous: nothing was personal


@pytest.mark.parametrize("path", ["/offers?country=ML", "/api/v1/offers?country=ML"])
def test_a_catalogue_change_is_seen_by_the_next_request(
    client, session, site_catalogue, searches, path
):
    assert "Kayes" not in client.get(path).text
    assert import_offers(session, [(1, MALI_LOAN)]).applied
    session.commit()
    assert "Kayes" in client.get(path).text
    assert searches == ["search", "search"]


def test_kept_answers_are_logged_as_searches_too(client, session, site_catalogue):
    for _ in range(2):
        client.get("/offers?country=ML&sector=agriculture")
        client.get("/api/v1/offers?country=ML")
    client.app.state.search_log.flush()
    logged = session.scalars(select(SearchEvent.country).order_by(SearchEvent.id)).all()
    assert logged == ["ML"] * 4


def test_each_language_has_its_own_page(client, site_catalogue):
    french = client.get("/offers?country=ML", headers={"Accept-Language": "fr"})
    english = client.get("/offers?country=ML", headers={"Accept-Language": "en"})
    assert '<html lang="fr"' in french.text
    assert '<html lang="en"' in english.text
    assert client.get("/offers?country=ML", headers={"Accept-Language": "fr"}).text == french.text


def test_a_visitor_with_a_session_is_never_answered_from_a_kept_answer(
    client, site_catalogue, searches
):
    anonymous = client.get("/api/v1/offers?country=SN&sector=agriculture")
    client.cookies.set(COOKIE_NAME, "a-session")
    with_session = client.get("/api/v1/offers?country=SN&sector=agriculture")
    client.get("/offers?country=SN")
    client.get("/offers?country=SN")
    assert searches == ["search"] * 4
    # The kept JSON is the one the API answers without keeping anything.
    assert json.loads(anonymous.content) == json.loads(with_session.content)


def answer(size: int) -> KeptAnswer:
    return KeptAnswer(b"x" * size, total=1)


def test_the_cache_drops_the_least_recently_used_answers_past_its_size():
    cache = ReadCache(max_bytes=250)
    for name in ("a", "b", "c"):
        cache.put((1, name), answer(100))  # "a" goes to make room for "c"
    assert cache.get((1, "a")) is None
    assert cache.get((1, "b")) is not None  # now the most recently used
    cache.put((1, "d"), answer(100))
    assert cache.get((1, "c")) is None
    assert cache.get((1, "b")) is not None and cache.get((1, "d")) is not None
    cache.put((1, "huge"), answer(300))
    assert cache.get((1, "huge")) is None


def test_a_newer_version_replaces_every_older_answer():
    cache = ReadCache()
    cache.put((1, "a"), answer(10))
    cache.put((2, "b"), answer(10))
    assert cache.get((1, "a")) is None
    cache.put((1, "late"), answer(10))  # a slow request of the older version ends
    assert cache.get((1, "late")) is None
    assert cache.get((2, "b")) is not None
