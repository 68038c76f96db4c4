"""POST /api/v1/classify: proposed kind, categories and sectors of an offer's text."""

from __future__ import annotations

import pytest

from services_catalog.classify import Classifier
from services_catalog.importing import import_offers

URL = "/api/v1/classify"


def test_french_text(client):
    response = client.post(
        URL, json={"text": "Prêt d'honneur à taux zéro pour créer votre entreprise"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"kind", "categories", "sectors"}
    assert body["kind"]["code"] == "financing"
    assert body["kind"]["fr"] == "Offre de financement"
    assert body["categories"][0]["code"] == "honour_loan"
    assert body["categories"][0]["en"] == "Honour loan (interest-free, personal)"
    assert body["sectors"] == []


def test_english_text(client):
    text = "Incubation programme for tech startups in Lagos with mentoring"
    body = client.post(URL, json={"text": text}).json()
    assert body["kind"]["code"] == "service"
    assert {"incubation", "mentoring"} <= {item["code"] for item in body["categories"]}
    assert body["sectors"][0] == {
        "code": "digital",
        "confidence": body["sectors"][0]["confidence"],
        "en": "Digital, ICT & tech",
        "fr": "Numérique, TIC et tech",
    }
    items = [body["kind"], *body["categories"], *body["sectors"]]
    assert all(0.0 <= item["confidence"] <= 1.0 for item in items)


def test_the_longest_accepted_text(client):
    response = client.post(URL, json={"text": "subvention " * 909 + "x"})  # 10,000 characters
    assert response.status_code == 200
    assert len(response.json()["categories"]) >= 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   \n "},
        {"text": "x" * 10_001},
        {"text": 42},
        {"text": None},
        {"text": ["Prêt d'honneur"]},
    ],
)
def test_a_bad_text_gets_a_422_naming_it(client, body):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]


def test_unknown_fields_are_refused(client):
    response = client.post(URL, json={"text": "Prêt d'honneur", "lang": "fr"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "lang"]


def test_a_body_that_is_not_json_gets_a_422(client):
    response = client.post(URL, content=b"text=hello", headers={"content-type": "text/plain"})
    assert response.status_code == 422
    assert "detail" in response.json()


def count_training(monkeypatch) -> list[int]:
    """Replace `Classifier.train` by a wrapper that counts its calls."""
    calls: list[int] = []
    train = Classifier.train.__func__

    def counted(cls, *args, **kwargs):
        calls.append(1)
        return train(cls, *args, **kwargs)

    monkeypatch.setattr(Classifier, "train", classmethod(counted))
    return calls


def test_requests_never_retrain(client, monkeypatch):
    loaded = client.app.state.classifiers.current()
    calls = count_training(monkeypatch)
    for text in ("Prêt d'honneur", "Coworking in Dakar", "Subvention pour une école"):
        assert client.post(URL, json={"text": text}).status_code == 200
    assert calls == []
    assert client.app.state.classifiers.current() is loaded


def test_start_up_trains_once_per_process(db, settings, monkeypatch):
    from fastapi.testclient import TestClient

    from passerelle.app import create_app
    from services_catalog import classify

    classify._default_classifier.cache_clear()  # as in a fresh process
    calls = count_training(monkeypatch)
    with TestClient(create_app(settings, engine=db)) as first:
        first.post(URL, json={"text": "Prêt d'honneur"})
    with TestClient(create_app(settings, engine=db)) as second:
        second.post(URL, json={"text": "Prêt d'honneur"})
    assert len(calls) == 1
    assert second.app.state.classifiers.current() is Classifier.default()


def test_openapi_declares_the_endpoint(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][URL]["post"]
    assert {"200", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert schemas["ClassifyRequest"]["properties"]["text"]["maxLength"] == 10_000
    assert set(schemas["ClassifyResponse"]["required"]) == {"kind", "categories", "sectors"}


def publish_xalis(session) -> None:
    """One published offer with words no shipped example has, to tell a retrained model."""
    report = import_offers(session, [(1, {
        "title": "Tontine numérique Xalis", "organization": "Xalis",
        "description": "Xalis tontine digitale pour commerçantes du marché Sandaga.",
        "kind": "financing", "categories": ["microcredit"], "sectors": ["trade"],
    })])  # fmt: skip
    assert not report.errors
    session.commit()
