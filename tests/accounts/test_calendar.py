"""Deadlines in calendars: an offer's `.ics` file and the person's secret feed, read back
with the icalendar library."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from passerelle.app import create_app
from passerelle.deadlines.models import CalendarFeed
from services_catalog.importing import import_offers
from services_catalog.models import Offer

TODAY = date.today()
SOON = TODAY + timedelta(days=12)
LATER = TODAY + timedelta(days=40)
CLOSES = TODAY + timedelta(days=90)

# The project below fits "loan" alone: a Senegalese agriculture start-up, living in France.
PROJECT = {
    "name": "Ferme avicole à Thiès",
    "residence_country": "FR",
    "target_country": "SN",
    "sector": "agriculture",
    "stage": "startup",
    "applicant_type": "individual",
    "project_eur": "40 000 €",
    "funding_need_eur": "",
    "groups": ["diaspora"],
    "description": "Un élevage de poulets",
}


def offer(key: str, **fields) -> dict:
    return {
        "id": key,
        "title": f"Offre {key}",
        "description": "Accompagnement des créateurs.",
        "organization": "Réseau Calendrier",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


@pytest.fixture
def dated(session) -> dict[str, int]:
    rows = [
        offer(
            "loan",
            kind="financing",
            categories=["honour_loan"],
            countries=["SN"],
            sectors=["agriculture"],
            deadline=SOON.isoformat(),
        ),
        offer("upcoming", countries=["CM"], opens=LATER.isoformat(), deadline=CLOSES.isoformat()),
        offer("rolling", countries=["CM"]),
        offer("closed", countries=["CM"], deadline=(TODAY - timedelta(days=3)).isoformat()),
    ]
    assert import_offers(session, list(enumerate(rows, start=1))).applied
    session.commit()
    return {o.external_id: o.id for o in session.scalars(select(Offer))}


def events(body: bytes) -> dict[str, tuple[date, str]]:
    """The calendar's events by UID: their day and summary."""
    calendar = Calendar.from_ical(body)
    return {
        str(event["UID"]): (event.decoded("DTSTART"), str(event["SUMMARY"]))
        for event in calendar.walk("VEVENT")
    }


def ics_link(page: str) -> str:
    found = re.search(r'<a href="([^"]+\.ics)" download>', page)
    assert found, "no .ics link on the page"
    return html.unescape(found.group(1))


def test_offer_ics_has_the_opening_and_closing_days(client, dated):
    page = client.get(f"/offers/{dated['upcoming']}", headers={"Accept-Language": "en"})
    link = ics_link(page.text)
    response = client.get(link, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    found = events(response.content)
    offer_id = dated["upcoming"]
    assert found == {
        f"offer-{offer_id}-opens@testserver": (LATER, "Applications open: Offre upcoming"),
        f"offer-{offer_id}-deadline@testserver": (CLOSES, "Deadline: Offre upcoming"),
    }
    deadline = next(e for e in calendar.walk("VEVENT") if "deadline" in str(e["UID"]))
    assert deadline.decoded("DTEND") == CLOSES + timedelta(days=1)  # one whole day
    assert str(deadline["URL"]) == f"http://testserver/offers/{offer_id}"


def test_offer_ics_in_french_and_only_where_there_are_dates(client, dated):
    response = client.get(
        f"/offers/{dated['loan']}/calendar.ics", headers={"Accept-Language": "fr"}
    )
    assert list(events(response.content).values()) == [(SOON, "Date limite : Offre loan")]
    rolling = client.get(f"/offers/{dated['rolling']}")
    assert ".ics" not in rolling.text
    assert client.get(f"/offers/{dated['rolling']}/calendar.ics").status_code == 404
    assert client.get("/offers/999999/calendar.ics").status_code == 404


def test_the_feed_carries_bookmarks_and_matches_until_revoked(
    browser, settings, db, dated, session
):
    browser.signup(locale="en")
    assert browser.submit("/me/projects/new", PROJECT).status_code == 303
    bookmark = dated["upcoming"]
    browser.form(f"/offers/{bookmark}", action=f"/me/bookmarks/{bookmark}").submit(browser.client)

    made = browser.submit("/me/calendar", {}, action="/me/calendar")
    assert made.status_code == 200
    address = re.search(r'id="calendar-address" type="text" readonly value="([^"]+)"', made.text)
    url = html.unescape(address.group(1))
    assert url.startswith("http://testserver/calendar/psc_") and url.endswith(".ics")
    # Only its hash is kept: the page shows it on this answer alone.
    assert url.split("/")[-1][: -len(".ics")] not in str(
        session.scalars(select(CalendarFeed)).all()
    )
    assert 'id="calendar-address"' not in browser.client.get("/me/calendar").text
    assert browser.client.get("/me/data.json").json()["calendar_feed"]["created_at"]

    path = url.removeprefix("http://testserver")
    with TestClient(
        create_app(settings, engine=db)
    ) as calendar_app:  # no cookie: the address alone
        first = calendar_app.get(path)
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/calendar")
        assert "no-store" in first.headers["cache-control"]
        found = events(first.content)
        assert found == {
            f"offer-{bookmark}-opens@testserver": (LATER, "Applications open: Offre upcoming"),
            f"offer-{bookmark}-deadline@testserver": (CLOSES, "Deadline: Offre upcoming"),
            f"offer-{dated['loan']}-deadline@testserver": (SOON, "Deadline: Offre loan"),
        }
        assert calendar_app.get(path).content == first.content  # same UIDs, same stamps

        renewed = browser.submit("/me/calendar", {}, action="/me/calendar")
        assert "Revoke and make a new one" in renewed.text
        new_url = re.search(
            r'id="calendar-address" type="text" readonly value="([^"]+)"', renewed.text
        )
        new_path = html.unescape(new_url.group(1)).removeprefix("http://testserver")
        assert calendar_app.get(path).status_code == 404
        assert set(events(calendar_app.get(new_path).content)) == set(found)

        revoked = browser.submit("/me/calendar", {}, action="/me/calendar/revoke")
        assert revoked.status_code == 303
        assert "it no longer works" in browser.client.get("/me/calendar").text
        assert calendar_app.get(new_path).status_code == 404
        assert calendar_app.get("/calendar/psc_not-a-real-token.ics").status_code == 404


def test_the_calendar_page_is_for_entrepreneurs(client, browser):
    assert client.get("/me/calendar", follow_redirects=False).status_code in (303, 401)
    browser.signup(account_type="provider", locale="fr")
    assert browser.client.get("/me/calendar", follow_redirects=False).status_code == 403
    forged = browser.forge("/me", {}, action="/me/calendar")
    assert forged.status_code == 403


def test_bookmarks_mark_a_closed_offer(browser, dated):
    browser.signup(locale="en")
    for key in ("closed", "loan"):
        offer_id = dated[key]
        browser.form(f"/offers/{offer_id}", action=f"/me/bookmarks/{offer_id}").submit(
            browser.client
        )
    kept = html.unescape(browser.client.get("/me/bookmarks").text)
    assert "Closed on" in kept and "Deadline:" in kept


def test_the_calendar_page_in_french(browser):
    browser.signup(locale="fr")
    page = html.unescape(browser.client.get("/me/calendar").text)
    assert "Mon calendrier des dates limites" in page
    made = html.unescape(browser.submit("/me/calendar", {}, action="/me/calendar").text)
    assert "Copiez-la maintenant" in made and "Révoquer et en créer une nouvelle" in made
