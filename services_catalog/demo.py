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


def demo_offers() -> list[dict]:
    return json.loads((DATA / "demo_offers.json").read_text(encoding="utf-8"))


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
    return report
