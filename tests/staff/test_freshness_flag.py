"""At 12 months without verification an offer is flagged to staff; at 11 it is not yet."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer


def publish(session, key: str, days_ago: int) -> None:
    row = {
        "id": key,
        "title": f"Offer verified {days_ago} days ago",
        "description": "Coaching.",
        "organization": "Réseau Fraîcheur",
        "kind": "service",
        "categories": ["mentoring"],
    }
    assert import_offers(session, [(1, row)]).applied
    offer = session.scalar(select(Offer).where(Offer.external_id == key))
    offer.last_verified_on = date.today() - timedelta(days=days_ago)
    session.commit()


def test_offers_unverified_for_twelve_months_are_flagged(staff, session):
    publish(session, "old", 400)
    publish(session, "reminded", 340)
    home = staff.client.get("/staff", headers={"Accept-Language": "en"}).text
    assert "1 published offer may be out of date" in home
    flagged = staff.client.get("/staff/offers?status=published&staleness=unverified").text
    assert "Offer verified 400 days ago" in flagged
    assert "Offer verified 340 days ago" not in flagged
