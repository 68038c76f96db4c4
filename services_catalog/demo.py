"""The demo catalogue: real programmes and organisations, shipped with the package."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from sqlalchemy.orm import Session

from services_catalog import service
from services_catalog.countries import normalize_country
from services_catalog.importing import ImportReport, import_offers
from services_catalog.taxonomy import normalize_code

DATA = resources.files("services_catalog") / "data"


def demo_organizations() -> list[dict]:
    return json.loads((DATA / "demo_organizations.json").read_text(encoding="utf-8"))


# Each demo offer carries the day its details were last checked against its source; the
# import would stamp the loading day instead.
VERIFIED_FIELD = "last_verified_on"


def _demo_entries() -> list[dict]:
    return json.loads((DATA / "demo_offers.json").read_text(encoding="utf-8"))


def demo_offers() -> list[dict]:
    """The demo offers in the exchange format, their verification days left out."""
    return [{k: v for k, v in entry.items() if k != VERIFIED_FIELD} for entry in _demo_entries()]


def demo_verification_days() -> dict[str, date]:
    """The day each demo offer (by id) was last checked against its source."""
    return {entry["id"]: date.fromisoformat(entry[VERIFIED_FIELD]) for entry in _demo_entries()}


def load_demo(session: Session, *, today: date | None = None) -> ImportReport:
    """Load or refresh the demo organisations and offers; loading twice adds nothing."""
    known = service.organizations_by_key(session)
    for data in demo_organizations():
        organization = service.get_or_create_organization(session, data["name"], known)
        organization.description = data["description"]
        organization.website = data.get("website")
        organization.email = data.get("email")
        organization.type = normalize_code("organization_type", data["type"])
        organization.countries = [normalize_country(c) for c in data.get("countries", [])]
        organization.verified = bool(data.get("verified", False))
    session.flush()
    rows = list(enumerate(demo_offers(), start=1))
    report = import_offers(session, rows, status="published", today=today)
    if report.errors:  # shipped data is checked by the test suite; fail loudly if not
        raise ValueError("the demo catalogue is invalid: " + "; ".join(map(str, report.errors)))
    checked = demo_verification_days()
    for external_id, offer in service.offers_by_external_id(session, checked).items():
        offer.last_verified_on = checked[external_id]
    return report
