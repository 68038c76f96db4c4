"""Personal API tokens and the API's offer writes, for every role."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from passerelle.accounts import tokens
from passerelle.accounts.models import ApiToken
from passerelle.provider.models import OrganizationMember
from services_catalog.following import Follower
from services_catalog.models import AuditEntry, Offer, OfferRevision, Organization
from tests.accounts.conftest import GROWTH_FUND, HONOUR_LOAN
from tests.staff.conftest import add_account

NEW_OFFER = {**HONOUR_LOAN, "id": "api-new-offer", "title": "Mentorat diaspora Sénégal"}


def bearer(session, email: str, role: str, organization: str | None = None) -> dict:
    """The header of a fresh token of a new account with this role (member of `organization`)."""
    user = add_account(session, email, role)
    if organization:
        found = session.scalar(select(Organization).where(Organization.name == organization))
        session.add(OrganizationMember(organization_id=found.id, user_id=user.id))
    _token, secret = tokens.create_token(session, user, "test")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def provider(session, queue) -> dict:
    return bearer(session, "fatou@initiative.example", "provider", "Initiative Diaspora")


@pytest.fixture
def staff_token(session, queue) -> dict:
    return bearer(session, "staff@example.org", "staff")


def test_tokens_are_made_shown_once_listed_and_revoked(staff, session):
    page = staff.submit("/me/account", {"name": "import script"}, action="/me/account/tokens")
    assert page.status_code == 200
    secret = re.search(r'id="new-token-secret" type="text" readonly value="([^"]+)"', page.text)[1]
    stored = session.scalar(select(ApiToken))
    assert stored.token_hash == tokens.token_hash(secret) and secret not in stored.token_hash
    later = staff.client.get("/me/account").text
    assert "import script" in later and secret not in later
    header = {"Authorization": f"Bearer {secret}"}
    assert staff.client.post("/api/v1/offers", json=NEW_OFFER, headers=header).status_code == 201
    session.expire_all()
    assert session.scalar(select(ApiToken)).last_used_at is not None
    staff.submit("/me/account", {}, action=f"/me/account/tokens/{stored.id}/revoke")
    assert staff.client.post("/api/v1/offers", json=NEW_OFFER, headers=header).status_code == 401
    empty = staff.submit("/me/account", {"name": " "}, action="/me/account/tokens")
    assert empty.status_code == 400


def test_someone_elses_token_cannot_be_revoked(staff, session):
    other = add_account(session, "other@example.org", "provider")
    token, _secret = tokens.create_token(session, other, "theirs")
    session.commit()
    response = staff.forge("/me/account", {}, action=f"/me/account/tokens/{token.id}/revoke")
    assert response.status_code == 404
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None


def test_writes_need_a_valid_token(client, queue):
    offer_id = queue["acc-honour-loan"]
    for method, path in [
        ("post", "/api/v1/offers"),
        ("put", f"/api/v1/offers/{offer_id}"),
        ("post", f"/api/v1/offers/{offer_id}/submit"),
        ("post", f"/api/v1/offers/{offer_id}/approve"),
        ("post", f"/api/v1/offers/{offer_id}/reject"),
    ]:
        for headers in ({}, {"Authorization": "Bearer pst_wrong"}, {"Authorization": "Basic x"}):
            response = client.request(method, path, json=NEW_OFFER, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert "Bearer" in response.json()["detail"]
            assert response.headers["www-authenticate"] == "Bearer"


def test_an_entrepreneur_cannot_write(client, session, queue):
    header = bearer(session, "awa@example.org", "entrepreneur")
    response = client.post("/api/v1/offers", json=NEW_OFFER, headers=header)
    assert response.status_code == 403 and "provider" in response.json()["detail"]


def test_a_deactivated_account_token_stops_working(client, session, queue):
    header = bearer(session, "gone@example.org", "staff")
    user = session.scalar(select(ApiToken)).user_id
    from passerelle.accounts.models import UserAccount

    session.get(UserAccount, user).is_active = False
    session.commit()
    assert client.post("/api/v1/offers", json=NEW_OFFER, headers=header).status_code == 401


def test_a_provider_creates_and_submits_for_its_own_organisation(client, session, provider):
    created = client.post("/api/v1/offers?submit=true", json=NEW_OFFER, headers=provider)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["offer"]["status"] == "pending" and body["offer"]["external_id"] == "api-new-offer"
    other = {**NEW_OFFER, "id": "api-other", "organization": "Teranga Capital"}
    refused = client.post("/api/v1/offers", json=other, headers=provider)
    assert refused.status_code == 403 and "organization" in refused.json()["detail"]
    unknown = {**NEW_OFFER, "id": "api-new", "organization": "A brand new organisation"}
    assert client.post("/api/v1/offers", json=unknown, headers=provider).status_code == 403
    again = client.post("/api/v1/offers", json=NEW_OFFER, headers=provider)
    assert again.status_code == 409 and again.json()["detail"].startswith("id:")
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_id == body["offer"]["id"])
        .order_by(AuditEntry.id)
    )
    assert list(actions) == ["create", "submit"]


def test_bad_bodies_name_the_field(client, provider):
    response = client.post("/api/v1/offers", json={**NEW_OFFER, "kind": "gift"}, headers=provider)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "kind"


def test_a_provider_edits_only_its_organisations_offers(client, session, queue, provider):
    own, other = queue["acc-honour-loan"], queue["acc-growth-fund"]
    edited = client.put(
        f"/api/v1/offers/{own}", json={**HONOUR_LOAN, "title": "New"}, headers=provider
    )
    assert edited.status_code == 200 and edited.json()["offer"]["title"] == "New"
    assert edited.json()["change_pending_review"] is False
    hidden = client.put(f"/api/v1/offers/{other}", json=GROWTH_FUND, headers=provider)
    assert hidden.status_code == 404
    assert client.post(f"/api/v1/offers/{other}/submit", headers=provider).status_code == 404
    assert (
        client.put("/api/v1/offers/999999", json=HONOUR_LOAN, headers=provider).status_code == 404
    )
    moved = {**HONOUR_LOAN, "organization": "Teranga Capital"}
    assert client.put(f"/api/v1/offers/{own}", json=moved, headers=provider).status_code == 403


def test_a_published_offer_edit_waits_for_review(client, session, queue, staff_token):
    offer_id = queue["acc-growth-fund"]
    session.execute(delete(OfferRevision))
    session.commit()
    response = client.put(
        f"/api/v1/offers/{offer_id}", json={**GROWTH_FUND, "title": "Renamed"}, headers=staff_token
    )
    assert response.status_code == 200 and response.json()["change_pending_review"] is True
    assert response.json()["offer"]["title"] == "Growth fund for Senegalese SMEs"
    approved = client.post(f"/api/v1/offers/{offer_id}/approve", headers=staff_token)
    assert approved.json()["offer"]["title"] == "Renamed"
    nothing = client.post(f"/api/v1/offers/{offer_id}/approve", headers=staff_token)
    assert nothing.status_code == 409 and "nothing to approve" in nothing.json()["detail"]


def test_only_staff_approve_and_reject(client, session, queue, provider, staff_token):
    offer_id = queue["acc-honour-loan"]
    assert client.post(f"/api/v1/offers/{offer_id}/approve", headers=provider).status_code == 403
    reason = {"reason": "Add the deadline."}
    rejected = client.post(f"/api/v1/offers/{offer_id}/reject", json=reason, headers=provider)
    assert rejected.status_code == 403
    empty = client.post(
        f"/api/v1/offers/{offer_id}/reject", json={"reason": " "}, headers=staff_token
    )
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"][-1] == "reason"
    done = client.post(f"/api/v1/offers/{offer_id}/reject", json=reason, headers=staff_token)
    assert done.json()["offer"]["status"] == "rejected"
    session.expire_all()
    assert session.get(Offer, offer_id).review_note == "Add the deadline."
    resubmitted = client.post(f"/api/v1/offers/{offer_id}/submit", headers=provider)
    assert resubmitted.json()["offer"]["status"] == "pending"
    twice = client.post(f"/api/v1/offers/{offer_id}/submit", headers=provider)
    assert twice.status_code == 409
    published = client.post(f"/api/v1/offers/{offer_id}/approve", headers=staff_token)
    assert published.status_code == 200 and published.json()["offer"]["status"] == "published"
    unclassified = queue["staff-unclassified"]
    refused = client.post(f"/api/v1/offers/{unclassified}/approve", headers=staff_token)
    assert refused.status_code == 400 and refused.json()["detail"].startswith("categories:")


def test_the_openapi_document_declares_the_token_and_the_errors(client):
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["PersonalToken"]["scheme"] == "bearer"
    create = document["paths"]["/api/v1/offers"]["post"]
    assert {"401", "403", "409", "422"} <= set(create["responses"])
    assert create["security"] == [{"PersonalToken": []}]
    put = document["paths"]["/api/v1/offers/{offer_id}"]["put"]
    assert {"401", "403", "404", "409", "422"} <= set(put["responses"])


def test_an_approval_shows_in_search_and_matches_on_the_next_request(
    client, session, queue, staff_token, monkeypatch
):
    """The committing process updates its indexes before answering, with no help from
    the background updates readers start (stopped here)."""
    search = {"country": "SN", "per_page": 50}
    profile = {
        "residence_country": "FR",
        "target_country": "SN",
        "sector": "agriculture",
        "stage": "startup",
        "project_eur": 40_000,
        "as_of": "2026-11-23",
    }
    before = client.get("/api/v1/offers", params=search).json()["items"]
    matched = client.post("/api/v1/match", json=profile).json()["results"]
    assert "acc-honour-loan" not in [o["external_id"] for o in before]
    assert "acc-honour-loan" not in [r["external_id"] for r in matched]
    monkeypatch.setattr(Follower, "update_in_background", lambda _follower: None)
    offer_id = queue["acc-honour-loan"]
    approved = client.post(f"/api/v1/offers/{offer_id}/approve", headers=staff_token)
    assert approved.status_code == 200
    after = client.get("/api/v1/offers", params=search).json()["items"]
    matched = client.post("/api/v1/match", json=profile).json()["results"]
    assert "acc-honour-loan" in [o["external_id"] for o in after]
    assert "acc-honour-loan" in [r["external_id"] for r in matched]
