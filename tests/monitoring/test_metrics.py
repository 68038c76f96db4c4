"""/metrics: request counts and latencies by route template, index figures, access rules."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from passerelle.app import create_app
from passerelle.settings import Settings
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the exposition text, None when absent."""
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if not match or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match[2] or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match[3])
    return None


def test_requests_are_counted_by_route_template_not_path(client, session):
    import_offers(session, list(enumerate(synthetic_offers(3), start=1)))
    session.commit()
    offer_ids = [offer["id"] for offer in client.get("/api/v1/offers").json()["items"]]
    before = _sample(
        client.get("/metrics").text,
        "passerelle_http_requests_total",
        method="GET",
        route="/api/v1/offers/{offer_id}",
        status="200",
    )
    for offer_id in offer_ids:
        assert client.get(f"/api/v1/offers/{offer_id}").status_code == 200
    client.get("/no/such/page")

    text = client.get("/metrics").text
    counted = _sample(
        text,
        "passerelle_http_requests_total",
        method="GET",  # earlier tests in this process may have PUT to the same route
        route="/api/v1/offers/{offer_id}",
        status="200",
    )
    assert counted == (before or 0) + len(offer_ids)
    assert f"/api/v1/offers/{offer_ids[0]}" not in text
    assert _sample(text, "passerelle_http_requests_total", route="(unmatched)", status="404")
    assert _sample(
        text,
        "passerelle_http_request_duration_seconds_count",
        method="GET",
        route="/api/v1/offers/{offer_id}",
    ) >= len(offer_ids)


def test_static_files_share_one_route(client):
    assert client.get("/static/css/passerelle.css").status_code == 200
    text = client.get("/metrics").text
    assert _sample(text, "passerelle_http_requests_total", route="/static/{path}", status="200")


def test_index_rebuilds_report_version_and_time(client, session):
    import_offers(session, list(enumerate(synthetic_offers(3), start=1)))
    session.commit()
    client.get("/offers")  # the browse page builds its index
    client.post("/api/v1/match", json={"project_country": "SN"})  # and the matcher its own
    text = client.get("/metrics").text
    for index in ("browse", "match"):
        assert _sample(text, "passerelle_catalogue_index_version", index=index) is not None
        assert _sample(text, "passerelle_catalogue_index_build_seconds_count", index=index) >= 1


def _client(db, settings: Settings, **changes) -> TestClient:
    # Plain-text logs: JSON ones would replace the test run's own log handlers.
    changes = {"log_format": "text", **changes}
    return TestClient(create_app(settings.model_copy(update=changes), engine=db))


def test_metrics_do_not_exist_in_production_unless_configured(db, settings):
    with _client(db, settings, environment="production") as client:
        assert client.get("/metrics").status_code == 404


def test_metrics_token_is_required_when_set(db, settings):
    with _client(
        db, settings, environment="production", metrics_token=SecretStr("s3cret-token")
    ) as client:
        assert client.get("/metrics").status_code == 403
        wrong = {"Authorization": "Bearer other"}
        assert client.get("/metrics", headers=wrong).status_code == 403
        right = {"Authorization": "Bearer s3cret-token"}
        answer = client.get("/metrics", headers=right)
        assert answer.status_code == 200
        assert "passerelle_http_requests_total" in answer.text


def test_metrics_allowed_networks(db, settings):
    # The test client's address is "testclient", not an IP address: refused unless listed.
    with _client(db, settings, metrics_allow="10.0.0.0/8, ::1") as client:
        assert client.get("/metrics").status_code == 403
    with (
        _client(db, settings, metrics_allow="10.0.0.0/8, ::1") as client,
        TestClient(client.app, client=("10.1.2.3", 5000)) as inside,
    ):
        assert inside.get("/metrics").status_code == 200


def test_a_bad_allowed_network_is_named(monkeypatch):
    monkeypatch.setenv("PASSERELLE_METRICS_ALLOW", "10.0.0.0/8, not-a-net")
    with pytest.raises(ValueError, match="PASSERELLE_METRICS_ALLOW: 'not-a-net'"):
        Settings()
