"""Country and vocabulary variants in the API's filters and the profile page's query."""

from __future__ import annotations

import pytest

from services_catalog.importing import import_offers

BURKINA_TRADE = {
    "id": "bf-trade",
    "title": "Fonds commerce Burkina",
    "description": "Un fonds pour les commerçants.",
    "organization": "Fonds Sahel",
    "kind": "financing",
    "categories": ["grant"],
    "countries": ["BF"],
    "sectors": ["trade"],
}
MALI_HEALTH = BURKINA_TRADE | {"id": "ml-health", "countries": ["ML"], "sectors": ["health"]}


@pytest.fixture
def catalogue(session):
    assert import_offers(session, [(1, BURKINA_TRADE), (2, MALI_HEALTH)]).applied
    session.commit()


@pytest.mark.parametrize(
    "query",
    [
        "country=Burkina&sector=Commerce",
        "country=burkina faso&sector=le commerce",
        "country=BFA&sector=Trade",
        "country=Haute-Volta&sector=Négoce",
    ],
)
def test_api_filters_read_variants(client, catalogue, query):
    response = client.get(f"/api/v1/offers?{query}")
    assert response.status_code == 200, response.text
    assert [item["external_id"] for item in response.json()["items"]] == ["bf-trade"]


def test_api_refuses_a_bare_congo_listing_the_candidates(client, catalogue):
    response = client.get("/api/v1/offers?country=Congo")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "country"
    assert "CD (Democratic Republic of the Congo) or CG (Republic of the Congo)" in problem["msg"]


def test_the_profile_page_reads_variants_in_its_query(client, catalogue):
    query = (
        "residence_country=la France&target_country=Burkina&sector=Commerce"
        "&stage=Démarrage&applicant_type=Entreprise&project_eur=20000&project_currency=EUR"
    )
    page = client.get(f"/find-support?{query}", headers={"Accept-Language": "fr"}).text
    assert '<option value="BF" selected>' in page and '<option value="FR" selected>' in page
    assert '<option value="trade" selected>' in page
    assert "Fonds commerce Burkina" in page
