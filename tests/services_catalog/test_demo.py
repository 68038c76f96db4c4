from collections import Counter
from datetime import date

from sqlalchemy import func, select

from services_catalog.demo import (
    demo_offers,
    demo_organizations,
    demo_verification_days,
    load_demo,
)
from services_catalog.importing import validate_rows
from services_catalog.models import Offer, Organization
from services_catalog.taxonomy import ORGANIZATION_TYPES


def test_demo_offers_pass_the_import_validation():
    valid, report = validate_rows(list(enumerate(demo_offers(), start=1)))
    assert report.errors == []
    assert len(valid) == len(demo_offers()) >= 60


def test_demo_catalogue_is_varied_and_sourced():
    offers = demo_offers()
    languages = Counter(o["lang"] for o in offers)
    assert min(languages["fr"], languages["en"]) >= len(offers) * 0.4
    assert all(o["url"].startswith(("https://", "http://")) for o in offers)
    kinds = Counter(o["kind"] for o in offers)
    assert kinds["service"] >= 20 and kinds["financing"] >= 25
    project_countries = {c for o in offers for c in o["countries"]}
    assert len(project_countries) >= 15
    assert {g for o in offers for g in o["target_groups"]} == {
        "diaspora", "returnee", "women", "youth",
    }  # fmt: skip


def test_every_offer_names_a_described_organisation():
    organizations = {o["name"]: o for o in demo_organizations()}
    assert {o["organization"] for o in demo_offers()} <= set(organizations)
    assert all(o["type"] in ORGANIZATION_TYPES for o in organizations.values())


def test_loading_twice_adds_nothing(session):
    first = load_demo(session)
    session.commit()
    second = load_demo(session)
    session.commit()
    assert first.created == len(demo_offers())
    assert (second.created, second.updated) == (0, 0)
    assert session.scalar(select(func.count()).select_from(Offer)) == len(demo_offers())
    organizations = session.scalar(select(func.count()).select_from(Organization))
    assert organizations == len(demo_organizations())
    assert session.scalar(select(func.count()).select_from(Offer).where(
        Offer.status != "published")) == 0  # fmt: skip


def test_demo_offers_keep_the_day_they_were_checked_not_the_loading_day(session):
    load_demo(session, today=date(2030, 1, 1))
    session.commit()
    checked = demo_verification_days()
    assert set(checked) == {o["id"] for o in demo_offers()}
    stored = dict(session.execute(select(Offer.external_id, Offer.last_verified_on)).all())
    assert stored == checked
    assert max(checked.values()) < date(2030, 1, 1)
