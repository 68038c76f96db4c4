import pytest

from services_catalog.importing import import_offers


def offer(key, **fields):
    return {
        "id": key,
        "title": f"Offre {key}",
        "description": "Accompagnement des créateurs.",
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


@pytest.fixture
def catalogue(session):
    rows = [
        offer("sn", countries="SN", sectors="agriculture", kind="financing", categories="loan",
              min_project_eur=10_000, max_project_eur=50_000, ticket_max_eur=20_000),
        offer("open"),
        offer("ml", countries="ML", target_groups="women", organization="Autre réseau"),
    ]  # fmt: skip
    import_offers(session, list(enumerate(rows, start=1)))
    import_offers(session, [(1, offer("hidden"))], status="pending")
    session.commit()
    return session


def keys(response):
    return sorted(item["external_id"] for item in response.json()["items"])


def test_taxonomy_has_every_vocabulary_in_both_languages(client):
    body = client.get("/api/v1/taxonomy").json()
    assert [t["code"] for t in body["kinds"]] == ["service", "financing"]
    assert len(body["categories"]) == 21 and len(body["sectors"]) == 15
    honour = next(t for t in body["categories"] if t["code"] == "honour_loan")
    assert (honour["fr"], honour["kind"]) == ("Prêt d'honneur", "financing")
    agriculture = next(t for t in body["sectors"] if t["code"] == "agriculture")
    assert agriculture["isic"] == "A, C10-C12"
    ivory = next(t for t in body["countries"] if t["code"] == "CI")
    assert ivory["fr"] == "Côte d'Ivoire"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ml", "open", "sn"]),
        ("?country=SN", ["open", "sn"]),
        ("?country=Mali&country=SN", ["ml", "open", "sn"]),
        ("?sector=agriculture&kind=financing", ["sn"]),
        ("?category=mentoring", ["ml", "open"]),
        ("?target_group=women", ["ml", "open", "sn"]),
        ("?amount=60000", ["ml", "open"]),
        ("?q=créateurs&country=ML", ["ml", "open"]),
        ("?stage=idea&residence_country=FR", ["ml", "open", "sn"]),
    ],
)
def test_offer_filters_follow_the_contract(client, catalogue, query, expected):
    response = client.get(f"/api/v1/offers{query}")
    assert response.status_code == 200
    assert keys(response) == expected


def test_paging_fields(client, catalogue):
    body = client.get("/api/v1/offers?per_page=2&page=2").json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (3, 2, 2, 1)


def test_offer_detail_and_unpublished_offers(client, catalogue):
    listed = client.get("/api/v1/offers?country=SN&kind=financing").json()["items"][0]
    detail = client.get(f"/api/v1/offers/{listed['id']}").json()
    assert detail["external_id"] == "sn"
    assert detail["countries"] == ["SN"] and detail["categories"] == ["loan"]
    assert detail["organization"] == "Réseau Test"
    assert (detail["min_project_eur"], detail["ticket_max_eur"]) == (10_000, 20_000)
    hidden_id = detail["id"] + 100
    assert client.get(f"/api/v1/offers/{hidden_id}").status_code == 404


def test_organizations(client, catalogue):
    organizations = client.get("/api/v1/organizations").json()
    assert [(o["name"], o["published_offers"]) for o in organizations] == [
        ("Autre réseau", 1),
        ("Réseau Test", 2),
    ]
    detail = client.get(f"/api/v1/organizations/{organizations[1]['id']}").json()
    assert sorted(o["external_id"] for o in detail["offers"]) == ["open", "sn"]
    assert client.get("/api/v1/organizations/999999").json() == {
        "detail": "organisation 999999 not found"
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=Narnia", "country"),
        ("sector=spaceflight", "sector"),
        ("amount=-1", "amount"),
        ("amount=lots", "amount"),
        ("page=0", "page"),
        ("per_page=101", "per_page"),
        ("sort=cheapest", "sort"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_get_a_422_naming_them(client, query, field):
    response = client.get(f"/api/v1/offers?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_openapi_declares_filters_and_errors(client):
    spec = client.get("/openapi.json").json()
    offers = spec["paths"]["/api/v1/offers"]["get"]
    names = {p["name"] for p in offers["parameters"]}
    assert {
        "country",
        "residence_country",
        "sector",
        "category",
        "kind",
        "stage",
        "amount",
        "q",
    } <= names
    assert "422" in offers["responses"]
    assert "404" in spec["paths"]["/api/v1/offers/{offer_id}"]["get"]["responses"]
