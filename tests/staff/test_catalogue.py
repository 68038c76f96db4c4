"""Staff pages over the catalogue: all offers, archiving, organisations, members, downloads."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from sqlalchemy import select

from passerelle.accounts.models import OrganizationMember
from services_catalog.models import AuditEntry, Offer, Organization
from tests.staff.conftest import add_account


def test_offers_are_filtered_by_status_and_staleness(staff, session, queue):
    growth = session.get(Offer, queue["acc-growth-fund"])
    growth.deadline = date.today() - timedelta(days=1)
    session.commit()
    client = staff.client
    everything = client.get("/staff/offers", headers={"Accept-Language": "en"}).text
    assert "3 offers" in everything
    pending = client.get("/staff/offers?status=pending").text
    assert "Growth fund" not in pending and "Prêt d&#39;honneur Diaspora" in pending
    passed = client.get("/staff/offers?staleness=deadline_passed").text
    assert "Growth fund" in passed and "Prêt d&#39;honneur Diaspora" not in passed
    assert client.get("/staff/offers?status=unknown").status_code == 422
    assert client.get("/staff/offers?page=0").status_code == 422


def test_offers_are_paged(staff, session):
    from services_catalog.importing import import_offers
    from services_catalog.synthetic import synthetic_offers

    import_offers(session, list(enumerate(synthetic_offers(30, seed=3), start=1)))
    session.commit()
    first = staff.client.get("/staff/offers?status=published").text
    assert 'href="/staff/offers?status=published&amp;page=2"' in first
    second = staff.client.get("/staff/offers?status=published&page=2").text
    assert second.count("<tr>") == 6  # the header row and the 5 offers left


def test_archive_takes_an_offer_out_of_the_catalogue(staff, session, queue, client):
    offer_id = queue["acc-growth-fund"]
    response = staff.submit(
        "/staff/offers?status=published", {}, action=f"/staff/offers/{offer_id}/archive"
    )
    assert response.headers["location"] == "/staff/offers?status=published"
    session.expire_all()
    assert session.get(Offer, offer_id).status == "archived"
    assert client.get(f"/offers/{offer_id}").status_code == 404


def test_verify_and_unverify_an_organisation(staff, session, queue):
    organization = session.scalar(
        select(Organization).where(Organization.name == "Teranga Capital")
    )
    action = f"/staff/organizations/{organization.id}/verify"
    staff.submit("/staff/organizations", {}, action=action)  # "Verify"
    session.expire_all()
    assert session.get(Organization, organization.id).verified is True
    page = staff.client.get("/staff/organizations", headers={"Accept-Language": "en"}).text
    assert "Verified organisation" in page and "Withdraw verification" in page
    staff.submit("/staff/organizations", {}, action=action)  # "Withdraw verification"
    session.expire_all()
    assert session.get(Organization, organization.id).verified is False
    query = select(AuditEntry.action).where(AuditEntry.entity == "organization")
    actions = session.scalars(query.order_by(AuditEntry.id))
    assert list(actions) == ["verify", "unverify"]


def test_members_are_added_by_email_and_removed(staff, session, queue):
    organization = session.scalar(
        select(Organization).where(Organization.name == "Teranga Capital")
    )
    provider = add_account(session, "fatou@teranga.example", "provider")
    add_account(session, "moussa@example.org", "entrepreneur")
    page = f"/staff/organizations/{organization.id}/members"
    english = {"Accept-Language": "en"}
    unknown = staff.submit(page, {"email": "nobody@example.org"}, headers=english)
    assert unknown.status_code == 400 and "No account uses this e-mail address." in unknown.text
    wrong_role = staff.submit(page, {"email": "moussa@example.org"}, headers=english)
    assert wrong_role.status_code == 400 and "Only a provider account" in wrong_role.text
    assert staff.submit(page, {"email": "Fatou@Teranga.example"}).status_code == 303
    assert session.get(OrganizationMember, (organization.id, provider.id)) is not None
    twice = staff.submit(page, {"email": "fatou@teranga.example"}, headers=english)
    assert "already a member" in twice.text
    assert "fatou@teranga.example" in staff.client.get(page).text
    staff.submit(page, {}, action=f"{page}/{provider.id}/remove")
    session.expire_all()
    assert session.get(OrganizationMember, (organization.id, provider.id)) is None
    query = select(AuditEntry.action).where(AuditEntry.entity == "organization")
    actions = session.scalars(query.order_by(AuditEntry.id))
    assert list(actions) == ["add_member", "remove_member"]


def test_downloads_of_the_published_catalogue(staff, queue):
    as_json = staff.client.get("/staff/export/json")
    assert "attachment" in as_json.headers["content-disposition"]
    assert [record["id"] for record in as_json.json()] == ["acc-growth-fund"]
    rows = list(csv.DictReader(io.StringIO(staff.client.get("/staff/export/csv").text)))
    assert [row["id"] for row in rows] == ["acc-growth-fund"]
    hsds = json.loads(staff.client.get("/staff/export/hsds").text)
    assert len(hsds["services"]) == 1
    assert staff.client.get("/staff/export/xml").status_code == 422


def test_the_filter_forms_narrow_the_staff_lists(staff, session, queue):
    english = {"Accept-Language": "en"}
    add_account(session, "fatou@teranga.example", "provider")
    add_account(session, "moussa@example.org", "entrepreneur")
    users = staff.form("/staff/users").fill(q="TERANGA", role="provider")
    found = users.submit(staff.client, headers=english).text
    assert "fatou@teranga.example" in found and "moussa@example.org" not in found
    published = staff.form("/staff/offers").fill(status="published")
    listed = published.submit(staff.client, headers=english).text
    assert "Growth fund for Senegalese SMEs" in listed and "Diaspora Sénégal" not in listed
    staff.submit("/staff/review", {}, action=f"/staff/review/{queue['acc-honour-loan']}/approve")
    audit = staff.form("/staff/audit").fill(entity="offer", action="approve")
    log = audit.submit(staff.client, headers=english).text
    assert "<code>approve</code>" in log and "<code>propose_change</code>" not in log
