"""The permission dependencies: login required, roles, and their JSON answers for the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy import update

from passerelle.accounts.models import UserAccount
from passerelle.app import create_app
from passerelle.deps import CurrentUser, OptionalUser, StaffUser, require_role
from tests.accounts.conftest import Browser

probe = APIRouter()


@probe.get("/api/test-me")
def who(user: CurrentUser) -> dict:
    return {"email": user.email}


@probe.get("/api/test-staff")
def staff_only(user: StaffUser) -> dict:
    return {"role": user.role}


@probe.get("/api/test-optional")
def maybe(user: OptionalUser) -> dict:
    return {"signed_in": user is not None}


@probe.get("/test-admin-page", dependencies=[Depends(require_role("admin"))])
def admin_page() -> dict:
    return {}


def test_roles_and_json_answers(db, settings, session):
    app = create_app(settings, engine=db)
    app.include_router(probe)
    with TestClient(app) as client:
        assert client.get("/api/test-me").json() == {"detail": "Please log in to continue."}
        assert client.get("/api/test-me").status_code == 401
        assert client.get("/api/test-optional").json() == {"signed_in": False}
        assert client.get("/test-admin-page", follow_redirects=False).status_code == 303
        Browser(client).signup(locale="en")
        assert client.get("/api/test-me").json() == {"email": "awa@example.org"}
        assert client.get("/api/test-optional").json() == {"signed_in": True}
        assert client.get("/api/test-staff").status_code == 403
        page = client.get("/test-admin-page", headers={"Accept-Language": "en"})
        assert page.status_code == 403 and "cannot open this page" in page.text
        session.execute(update(UserAccount).values(role="staff"))
        session.commit()
        assert client.get("/api/test-staff").json() == {"role": "staff"}
        assert client.get("/test-admin-page").status_code == 403
