from datetime import date

import pytest

from matching import NeedsModel, Profile
from passerelle.recommender import Recommender
from services_catalog.importing import import_offers


def offer(key, **fields):
    return {
        "id": key,
        "title": f"Offre {key}",
        "description": "Accompagnement des créateurs d'entreprise.",
        "organization": "Réseau Test",
        "kind": "financing",
        "categories": ["loan"],
        **fields,
    }


CATALOGUE = [
    offer("sn-agri", countries="SN", sectors="agriculture", target_groups="diaspora",
          title="Prêt agricole diaspora", min_project_eur=10_000, max_project_eur=100_000,
          ticket_min_eur=5_000, ticket_max_eur=30_000),
    offer("anywhere", kind="service", categories="mentoring;business_plan"),
    offer("ml-only", countries="ML"),
    offer("later", countries="SN", opens="2027-02-01", title="Appel 2027"),
    offer("big", countries="SN", min_project_eur=500_000),
]  # fmt: skip

PROFILE = {
    "residence_country": "France",
    "target_country": "Sénégal",
    "sector": "agriculture",
    "stage": "startup",
    "project_eur": 40_000,
    "funding_need_eur": 20_000,
    "groups": ["diaspora"],
    "needs": ["loan"],
    "as_of": "2026-11-23",
}


@pytest.fixture
def catalogue(session):
    import_offers(session, list(enumerate(CATALOGUE, start=1)))
    import_offers(session, [(1, offer("pending-one", countries="SN"))], status="pending")
    session.commit()
    return session


def test_match_returns_only_eligible_offers_best_first_with_reasons(client, catalogue):
    response = client.post("/api/v1/match", json=PROFILE)
    assert response.status_code == 200
    body = response.json()
    assert [r["external_id"] for r in body["results"]] == ["sn-agri", "anywhere"]
    best = body["results"][0]
    assert set(best) >= {"offer_id", "external_id", "title", "organization", "score", "reasons"}
    assert any("Senegal" in reason for reason in best["reasons"])
    assert body["inferred_needs"] is None
    missing = {m["external_id"]: m["missing"] for m in body["near_misses"]}
    assert set(missing) == {"later", "big", "ml-only"}
    assert "1 February 2027" in missing["later"]


def test_reasons_follow_the_requested_language(client, catalogue):
    body = client.post("/api/v1/match", json=PROFILE | {"lang": "fr"}).json()
    assert any("Sénégal" in reason for reason in body["results"][0]["reasons"])


def test_needs_are_inferred_from_the_description(client, catalogue):
    profile = PROFILE | {"needs": [], "description": "J'ai besoin d'un prêt bancaire pour ma ferme"}
    body = client.post("/api/v1/match", json=profile).json()
    assert "loan" in body["inferred_needs"]


def test_as_of_opens_the_window(client, catalogue):
    body = client.post("/api/v1/match", json=PROFILE | {"as_of": "2027-02-01"}).json()
    assert "later" in [r["external_id"] for r in body["results"]]


def test_top_limits_the_results(client, catalogue):
    body = client.post("/api/v1/match", json=PROFILE | {"top": 1}).json()
    assert len(body["results"]) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_country": "Atlantis"}, "target_country"),
        ({"sector": "spaceflight"}, "sector"),
        ({"stage": None}, "stage"),
        ({"project_eur": -5}, "project_eur"),
        ({"groups": ["aliens"]}, "groups"),
        ({"needs": "loan;magic"}, "needs"),
        ({"top": 0}, "top"),
        ({"as_of": "tomorrow"}, "as_of"),
        ({"lang": "de"}, "lang"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_profiles_get_a_422_naming_the_field(client, change, field):
    response = client.post("/api/v1/match", json=PROFILE | change)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


def test_the_index_follows_catalogue_changes_made_elsewhere(db, session):
    """Two platform processes share one database: each sees the other's writes."""
    first = Recommender(db, NeedsModel.default(), recheck_seconds=0)
    second = Recommender(db, NeedsModel.default(), recheck_seconds=0)
    profile = Profile("FR", "SN", "agriculture", "startup", 40_000)
    assert first.recommend(profile, as_of=date(2026, 11, 23)).results == []
    import_offers(session, list(enumerate(CATALOGUE, start=1)))
    session.commit()
    found = second.recommend(profile, as_of=date(2026, 11, 23)).results
    assert [r.external_id for r in found] == [r.external_id for r in first.recommend(
        profile, as_of=date(2026, 11, 23)).results] != []  # fmt: skip
    import_offers(session, [(1, offer("anywhere", kind="service", categories="mentoring"))],
                  status="pending")  # fmt: skip
    session.commit()
    after = {r.external_id for r in first.recommend(profile, as_of=date(2026, 11, 23)).results}
    assert "anywhere" not in after
