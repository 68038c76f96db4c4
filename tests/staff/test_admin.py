"""Accounts and roles, bulk import and the audit log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services_catalog.models import AuditEntry, Offer
from tests.accounts.conftest import HONOUR_LOAN
from tests.staff.conftest import account, add_account, sign_in_as

EN = {"Accept-Language": "en"}


def change_role(browser, user_id, role):
    return browser.submit("/staff/users", {"role": role}, action=f"/staff/users/{user_id}/role")


def force_role(browser, user_id, role):
    """A role change the page does not offer this person, sent by hand."""
    return browser.forge("/staff/users", {"role": role}, action=f"/staff/users/{user_id}/role")


def test_users_are_listed_and_searched(staff, session):
    add_account(session, "fatou@teranga.example", "provider")
    add_account(session, "moussa@example.org", "entrepreneur")
    found = staff.client.get("/staff/users?q=TERANGA", headers=EN).text
    assert "fatou@teranga.example" in found and "moussa@example.org" not in found
    providers = staff.client.get("/staff/users?role=provider").text
    assert "fatou@teranga.example" in providers and "moussa@" not in providers
    assert staff.client.get("/staff/users?q=%25").status_code == 200


def test_searches_with_control_characters_are_refused(staff):
    """PostgreSQL text cannot hold NUL: a 422, never a database error."""
    assert staff.client.get("/staff/users?q=Dakar%00Thi%C3%A8s").status_code == 422
    assert staff.client.get("/staff/audit?action=x%07").status_code == 422


def test_staff_change_ordinary_roles_only(staff, session):
    moussa = add_account(session, "moussa@example.org", "entrepreneur")
    colleague = add_account(session, "colleague@example.org", "staff")
    change_role(staff, moussa.id, "provider")
    session.expire_all()
    assert account(session, "moussa@example.org").role == "provider"
    assert force_role(staff, moussa.id, "staff").status_code == 303
    assert force_role(staff, colleague.id, "entrepreneur").status_code == 303
    session.expire_all()
    assert account(session, "moussa@example.org").role == "provider"
    assert account(session, "colleague@example.org").role == "staff"
    assert "Only an administrator" in staff.client.get("/staff/users", headers=EN).text
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "user"))
    assert (entry.before, entry.after) == ({"role": "entrepreneur"}, {"role": "provider"})


def test_an_admin_grants_staff_but_never_demotes_themselves(admin, session):
    moussa = add_account(session, "moussa@example.org", "entrepreneur")
    change_role(admin, moussa.id, "staff")
    me = account(session, "admin@example.org")
    assert force_role(admin, me.id, "entrepreneur").status_code == 303
    session.expire_all()
    assert account(session, "moussa@example.org").role == "staff"
    assert account(session, "admin@example.org").role == "admin"
    assert (
        "cannot remove your own administrator role"
        in admin.client.get("/staff/users", headers=EN).text
    )


def test_deactivate_and_reactivate(admin, session, other_browser):
    sign_in_as(other_browser, session, "entrepreneur", "moussa@example.org")
    moussa = account(session, "moussa@example.org")
    admin.submit("/staff/users", {}, action=f"/staff/users/{moussa.id}/active")  # "Deactivate"
    session.expire_all()
    assert account(session, "moussa@example.org").is_active is False
    assert other_browser.client.get("/me", follow_redirects=False).status_code == 303
    assert other_browser.login(email="moussa@example.org").status_code != 303
    admin.submit("/staff/users", {}, action=f"/staff/users/{moussa.id}/active")  # "Reactivate"
    session.expire_all()
    assert account(session, "moussa@example.org").is_active is True
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "user").order_by(AuditEntry.id)
    )
    assert list(actions) == ["deactivate", "activate"]


@pytest.fixture
def other_browser(db, settings):
    from fastapi.testclient import TestClient

    from passerelle.app import create_app
    from tests.accounts.conftest import Browser

    with TestClient(create_app(settings, engine=db)) as client:
        yield Browser(client)


def upload(browser, name: str, content: bytes, **fields):
    """Choose a file on the import page, as pending offers, and send it."""
    chosen = {"file": (name, content, "application/octet-stream"), "status": "pending"}
    return browser.submit("/staff/import", {**chosen, **fields}, headers=EN)


BAD_ROWS = [HONOUR_LOAN, {**HONOUR_LOAN, "id": "bad", "kind": "gift", "countries": ["Atlantis"]}]


def test_an_invalid_file_imports_nothing_and_lists_every_error(staff, session):
    response = upload(staff, "offers.json", json.dumps(BAD_ROWS).encode())
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "<td>2</td><td><code>kind</code></td><td>gift</td>" in response.text
    assert "<code>countries</code>" in response.text and "Atlantis" in response.text
    assert session.scalar(select(Offer)) is None
    assert session.scalar(select(AuditEntry)) is None


def test_an_import_is_stored_and_audited(staff, session):
    response = upload(staff, "offers.json", json.dumps(BAD_ROWS).encode(), skip_invalid=True)
    assert response.status_code == 200 and "The file was imported" in response.text
    assert "1 offer created" in response.text and "1 row skipped" in response.text
    offer = session.scalar(select(Offer))
    assert offer.status == "pending" and offer.created_by_id is not None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "import"))
    assert entry.after["created"] == 1 and entry.after["skipped"] == 1
    assert entry.note == "offers.json" and entry.actor_id == offer.created_by_id


def test_unreadable_and_oversized_files_are_refused(staff, session, monkeypatch):
    wrong = upload(staff, "offers.xlsx", b"PK")
    assert wrong.status_code == 400 and "cannot be read" in wrong.text and ".xlsx" in wrong.text
    from passerelle.staff import importer

    monkeypatch.setattr(importer, "MAX_UPLOAD_BYTES", 10)
    big = upload(staff, "offers.json", json.dumps([HONOUR_LOAN]).encode())
    assert big.status_code == 400 and "larger than" in big.text
    missing = staff.submit("/staff/import", {}, headers=EN)  # no file chosen
    assert missing.status_code == 400 and "Choose a .csv or .json file" in missing.text
    assert session.scalar(select(Offer)) is None


def test_the_audit_log_shows_who_changed_what(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    staff.submit("/staff/review", {}, action=f"/staff/review/{offer_id}/approve")
    log = staff.client.get("/staff/audit?entity=offer", headers=EN).text
    assert "staff@example.org" in log and "<code>approve</code>" in log
    assert "<td>pending</td><td>published</td>" in log
    only_edits = staff.client.get("/staff/audit?action=propose_change").text
    assert "<code>approve</code>" not in only_edits and "propose_change" in only_edits
    assert staff.client.get("/staff/audit?entity=nothing").status_code == 422
