"""A verified organisation's new name waits for staff; the badge stays with the approved name."""

from __future__ import annotations

import html
import re

from sqlalchemy import update

from passerelle.accounts.models import UserAccount
from services_catalog.models import Organization
from tests.provider.conftest import ORGANIZATION

NEW_NAME = "Teranga Capital Partners"


def _verify(session, organization_id: int) -> None:
    session.execute(
        update(Organization).where(Organization.id == organization_id).values(verified=True)
    )
    session.commit()


def _public_header(client, organization_id: int) -> str:
    page = html.unescape(client.get(f"/organizations/{organization_id}").text)
    header = page[page.index('<header class="org-header">') :]
    return header[: header.index("</header>")]


def _rename(provider, organization_id: int):
    page = f"/provider/organizations/{organization_id}/profile"
    return provider.submit(page, {**ORGANIZATION, "name": NEW_NAME})


def test_renaming_a_verified_organisation_waits_for_staff(
    provider, other_browser, organization_id, session
):
    _verify(session, organization_id)
    answer = _rename(provider, organization_id)
    assert answer.status_code == 303
    notice = provider.client.get(answer.headers["location"]).text
    assert "once the Passerelle team approves it" in html.unescape(notice)
    header = _public_header(other_browser.client, organization_id)
    assert "<h1>Teranga Invest</h1>" in header and "badge-verified" in header
    assert NEW_NAME not in header
    # The provider's form shows the name asked for.
    profile = provider.client.get(f"/provider/organizations/{organization_id}/profile").text
    assert f'value="{NEW_NAME}"' in profile

    # Staff see the request on their organisations page and approve it with its form.
    other_browser.signup(email="staff@example.org", locale="en")
    session.execute(
        update(UserAccount).where(UserAccount.email == "staff@example.org").values(role="staff")
    )
    session.commit()
    listing = other_browser.client.get("/staff/organizations")
    assert f"Asks to be renamed “{NEW_NAME}”" in html.unescape(listing.text)
    action = f"/staff/organizations/{organization_id}/rename"
    assert "Approve the name" in listing.text
    approved = other_browser.submit("/staff/organizations", {"approve": "1"}, action=action)
    assert approved.status_code == 303
    header = _public_header(other_browser.client, organization_id)
    assert f"<h1>{NEW_NAME}</h1>" in header and "badge-verified" in header


def test_staff_can_turn_a_new_name_down(provider, other_browser, organization_id, session):
    _verify(session, organization_id)
    _rename(provider, organization_id)
    other_browser.signup(email="staff@example.org", locale="en")
    session.execute(
        update(UserAccount).where(UserAccount.email == "staff@example.org").values(role="staff")
    )
    session.commit()
    listing = other_browser.client.get("/staff/organizations")
    assert "Turn it down" in listing.text
    action = f"/staff/organizations/{organization_id}/rename"
    assert other_browser.submit("/staff/organizations", {"approve": "0"}, action=action)
    session.expire_all()
    organization = session.get(Organization, organization_id)
    assert (organization.name, organization.pending_name) == ("Teranga Invest", None)
    assert "Asks to be renamed" not in other_browser.client.get("/staff/organizations").text


def test_an_unverified_organisation_is_renamed_at_once(provider, organization_id, session):
    assert _rename(provider, organization_id).status_code == 303
    session.expire_all()
    organization = session.get(Organization, organization_id)
    assert (organization.name, organization.pending_name) == (NEW_NAME, None)
    assert re.search(
        r"<h1>Teranga Capital Partners</h1>",
        provider.client.get(f"/organizations/{organization_id}").text,
    )
