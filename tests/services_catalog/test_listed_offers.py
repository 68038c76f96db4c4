"""Offers read as plain rows for result lists show what the ORM offers show."""

from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import LIST_FIELDS, Offer
from services_catalog.service import SCALAR_FIELDS, listed_offers

RECORDS = [
    {
        "id": "pret",
        "title": "Prêt d'honneur",
        "description": "Un prêt sans intérêts pour créer son entreprise.",
        "organization": "Initiative Dakar",
        "kind": "financing",
        "categories": ["honour_loan", "loan"],
        "countries": ["SN"],
        "sectors": ["agriculture", "trade"],
        "ticket_min_eur": 2_000,
        "ticket_max_eur": 15_000,
        "deadline": "2027-03-31",
    },
    {
        "id": "mentorat",
        "title": "Mentorat",
        "description": "Accompagnement par des pairs.",
        "organization": "Réseau Diaspora",
        "kind": "service",
        "categories": ["mentoring"],
    },
]


def test_listed_offers_match_the_stored_offers_in_the_order_asked(session):
    assert not import_offers(session, list(enumerate(RECORDS, start=1))).errors
    session.commit()
    offers = {o.external_id: o for o in session.scalars(select(Offer))}
    ids = [offers["mentorat"].id, 999_999, offers["pret"].id]
    listed = listed_offers(session, ids)
    assert [o.external_id for o in listed] == ["mentorat", "pret"]
    for shown in listed:
        stored = offers[shown.external_id]
        names = ("id", "status", "last_verified_on", "updated_at", *SCALAR_FIELDS)
        assert {n: getattr(shown, n) for n in names} == {n: getattr(stored, n) for n in names}
        assert (shown.organization.name, shown.organization_id) == (
            stored.organization.name,
            stored.organization_id,
        )
        assert shown.lists() == stored.lists()
        assert all(shown.codes(name) == stored.codes(name) for name in LIST_FIELDS)
    assert listed[1].codes("countries") == ["SN"]
    assert listed[0].codes("countries") == []  # open to every country


def test_listed_offers_can_keep_to_some_statuses(session):
    assert not import_offers(session, list(enumerate(RECORDS, start=1)), status="pending").errors
    session.commit()
    ids = list(session.scalars(select(Offer.id)))
    assert listed_offers(session, ids, statuses=("published",)) == []
    assert len(listed_offers(session, ids, statuses=("pending",))) == 2
