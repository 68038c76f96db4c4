"""The match index is built in the background at start-up, without risk to the app."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from matching import MatchIndex
from passerelle.app import create_app
from services_catalog import service
from services_catalog.importing import import_offers

OPEN_OFFER = {
    "id": "warm-open",
    "title": "Mentoring for every project",
    "description": "Coaching.",
    "organization": "Mentors United",
    "kind": "service",
    "categories": ["mentoring"],
}
SN_OFFER = {**OPEN_OFFER, "id": "warm-sn", "title": "Senegal only", "countries": ["SN"]}
PROFILE = {
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": 40_000,
}


@pytest.fixture
def catalogue(session):
    assert import_offers(session, [(1, OPEN_OFFER)]).applied
    session.commit()


def refuse_to_build(*_args, **_kwargs):
    raise AssertionError("the index was built again")


def test_the_index_is_ready_after_start_up(db, settings, catalogue, monkeypatch):
    with TestClient(create_app(settings, engine=db)) as client:
        recommender = client.app.state.recommender
        assert recommender.wait_warm(timeout=30)
        # The first match uses the index built at start-up: it builds nothing.
        monkeypatch.setattr(MatchIndex, "build", refuse_to_build)
        response = client.post("/api/v1/match", json=PROFILE)
    assert not recommender.warming  # nothing left reading the database after shut-down
    assert response.status_code == 200
    assert [r["external_id"] for r in response.json()["results"]] == ["warm-open"]


def test_a_catalogue_changed_after_start_up_is_followed(db, settings, catalogue, session):
    with TestClient(create_app(settings, engine=db)) as client:
        assert client.app.state.recommender.wait_warm(timeout=30)
        assert import_offers(session, [(1, SN_OFFER)]).applied
        session.commit()
        found = client.post("/api/v1/match", json=PROFILE).json()["results"]
    assert {r["external_id"] for r in found} == {"warm-open", "warm-sn"}


def test_a_failed_warm_up_does_not_stop_the_app(db, settings, catalogue, monkeypatch):
    def broken(_session):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(service, "published_offers_data", broken)
    with TestClient(create_app(settings, engine=db)) as client:
        recommender = client.app.state.recommender
        assert recommender.wait_warm(timeout=30) is False
        assert client.get("/healthz").status_code == 200
        not_ready = client.get("/readyz")
        assert not_ready.status_code == 503 and not_ready.json()["match_index"] == "building"
        monkeypatch.undo()  # the database is back: the first match builds the index
        response = client.post("/api/v1/match", json=PROFILE)
        assert response.status_code == 200 and recommender.ready
        assert client.get("/readyz").json() == {
            "status": "ok",
            "database": "ok",
            "match_index": "ok",
        }


def test_warm_up_can_be_turned_off(db, settings, catalogue):
    settings = settings.model_copy(update={"warm_index": False})
    with TestClient(create_app(settings, engine=db)) as client:
        recommender = client.app.state.recommender
        assert recommender.wait_warm(timeout=0) is False
        assert client.post("/api/v1/match", json=PROFILE).status_code == 200
        assert recommender.ready


def test_the_setting_is_read_from_the_environment(settings, monkeypatch):
    from passerelle.settings import Settings

    assert settings.warm_index is True
    monkeypatch.setenv("PASSERELLE_WARM_INDEX", "false")
    assert Settings().warm_index is False
