"""HTTP protections: JSON read strictly, bodies capped, large input never echoed, security
headers, Host values and forwarded addresses trusted only as configured."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.accounts import ratelimit, tokens
from passerelle.accounts.models import RateCounter, UserAccount
from passerelle.app import create_app

PROFILE = '{"residence_country": "FR", "target_country": "SN", "sector": "agriculture", '
BAD_BODIES = {
    "NaN": b'{"project_eur": NaN, "text": NaN, "title": NaN}',
    "Infinity": b'{"project_eur": -Infinity, "text": Infinity, "title": Infinity}',
    "1e999": b'{"project_eur": 1e999, "text": 1e999, "title": 1e999}',
    "non-UTF-8 text": b'{"project_eur": 1, "text": "caf\xe9", "title": "caf\xe9"}',
    "non-UTF-8 start": b"\xff\xfe{}",
}


@pytest.fixture
def staff_token(session) -> dict:
    user = UserAccount(email="api@example.org", password_hash="-", role="staff")
    session.add(user)
    session.commit()
    _token, secret = tokens.create_token(session, user, "test")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize("path", ["/api/v1/match", "/api/v1/classify", "/api/v1/offers"])
def test_json_that_is_not_standard_gets_422(client, staff_token, path, body):
    headers = {"content-type": "application/json", **staff_token}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_an_offer_with_a_nul_in_its_text_gets_422(client, staff_token):
    offer = {"title": "Prêt\u0000", "description": "Un prêt.", "organization": "Initiative"}
    response = client.post(
        "/api/v1/offers", json={**offer, "kind": "financing"}, headers=staff_token
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]


def test_large_numbers_written_without_exponent_are_refused_too(client):
    huge = PROFILE.encode() + b'"stage": "startup", "project_eur": 1' + b"0" * 5000 + b"}"
    response = client.post(
        "/api/v1/match", content=huge, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500


def test_a_body_over_the_limit_gets_413_before_it_is_read(client, settings):
    limit = settings.max_body_bytes
    body = b'{"description": "' + b"x" * limit + b'"}'
    declared = client.post(
        "/api/v1/match", content=body, headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json() == {
        "detail": f"the request body is larger than the limit of {limit} bytes"
    }

    def chunks():  # no Content-Length: counted as it arrives
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    streamed = client.post(
        "/api/v1/match", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413 and str(limit) in streamed.json()["detail"]
    form = client.post("/account/login", data={"email": "x" * limit, "password": "p"})
    assert form.status_code == 413


def test_a_validation_error_never_sends_a_large_input_back(client):
    long_text = "A" * 100_000
    body = f'{{"residence_country": "{long_text}", "extra": {{"big": "{long_text}"}}}}'
    response = client.post(
        "/api/v1/match", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert len(response.content) < 5_000 and long_text not in response.text
    shown = {str(error.get("input")) for error in response.json()["detail"]}
    assert any(value.startswith("AAAA") and value.endswith("…") for value in shown)


def test_security_headers_on_pages_api_and_errors(client):
    for path in ("/", "/offers", "/api/v1/offers", "/no-such-page", "/account/login"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
        assert "script-src" not in policy  # no script runs on the site
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in response.headers  # plain http outside production


def test_the_site_ships_no_script_so_its_policy_breaks_nothing(client):
    for path in ("/", "/offers", "/find-support", "/organizations", "/account/signup"):
        page = client.get(path).text
        assert not re.search(r"<script|\son[a-z]+=|javascript:", page, re.IGNORECASE), path


def test_swagger_ui_gets_its_own_policy(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_production_adds_hsts(db, settings):
    production = settings.model_copy(update={"environment": "production"})
    with TestClient(create_app(production, engine=db), base_url="https://testserver") as client:
        response = client.get("/")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_an_unknown_host_is_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "testserver"}).status_code == 200


def _wrong_password_from(client: TestClient, forwarded_for: str) -> None:
    page = client.get("/account/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = {"email": "awa@example.org", "password": "wrong password", "csrf_token": token}
    client.post("/account/login", data=form, headers={"x-forwarded-for": forwarded_for})


@pytest.mark.parametrize(
    ("trusted", "counted"), [("", "testclient"), ("testclient", "203.0.113.9")]
)
def test_forwarded_addresses_count_only_from_trusted_proxies(
    db, settings, session, trusted, counted
):
    configured = settings.model_copy(update={"trusted_proxies": trusted})
    with TestClient(create_app(configured, engine=db)) as client:
        _wrong_password_from(client, "203.0.113.9")
    counted_key = ratelimit._key(ratelimit.LOGIN_PER_ADDRESS, (counted,))
    assert session.scalar(select(RateCounter.count).where(RateCounter.key == counted_key)) == 1
