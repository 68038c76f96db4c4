"""The in-memory browse index follows every change to the catalogue."""

from datetime import date

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.schemas import OfferRecord
from services_catalog.search import OfferFilters, search_offers
from services_catalog.service import catalogue_version
from services_catalog.workflow import archive, confirm_accurate, create_offer


def record(key, **fields):
    return {
        "id": key,
        "title": f"Offre {key}",
        "description": "Accompagnement des créateurs.",
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
        **fields,
    }


def counts(result, facet):
    return {value.code: value.count for value in result.facets[facet]}


def test_a_change_committed_elsewhere_shows_in_the_next_search(db, session):
    import_offers(session, [(1, record("a", countries="SN")), (2, record("b", countries="ML"))])
    session.commit()
    assert counts(search_offers(session, OfferFilters()), "country") == {"SN": 1, "ML": 1}

    with Session(db) as other:  # another request, or another process
        import_offers(other, [(1, record("b", countries="CI"))])
        other.commit()

    session.rollback()  # the next request starts a new transaction
    result = search_offers(session, OfferFilters(country=["CI"]))
    assert [o.external_id for o in result.offers] == ["b"]
    assert counts(search_offers(session, OfferFilters()), "country") == {"SN": 1, "CI": 1}


def test_drafts_stay_out_of_the_catalogue_but_staff_can_browse_them(session):
    import_offers(session, [(1, record("published"))])
    create_offer(session, OfferRecord.model_validate(record("draft")), actor_id=None)
    session.commit()
    assert search_offers(session, OfferFilters()).total == 1
    drafts = search_offers(session, OfferFilters(), statuses=("draft",))
    assert [o.external_id for o in drafts.offers] == ["draft"]
    assert counts(drafts, "kind") == {"service": 1}


def test_soonest_deadline_first_and_rolling_offers_last(session):
    rows = [
        (1, record("rolling")),
        (2, record("late", deadline="2027-06-30")),
        (3, record("soon", deadline="2027-01-15")),
    ]
    import_offers(session, rows, today=date(2026, 11, 1))
    session.commit()
    result = search_offers(session, OfferFilters(sort="deadline"))
    assert [o.external_id for o in result.offers] == ["soon", "late", "rolling"]


def test_a_text_search_reads_no_terms_and_follows_catalogue_changes(db, session):
    import_offers(session, [(1, record("a", title="Prêt solaire")), (2, record("b"))])
    session.commit()
    search_offers(session, OfferFilters())  # the index is built, with the offers' terms
    reads = []

    def listen(_conn, _cursor, sql, *_args):  # sqlalchemy's before_cursor_execute
        if "offer_search" in sql:
            reads.append(sql)

    event.listen(db, "before_cursor_execute", listen)
    try:
        for country in (None, ["SN"], None):  # refined by a facet, then back
            found = search_offers(session, OfferFilters(q="solaire", country=country or []))
            assert [o.external_id for o in found.offers] == ["a"]
        assert reads == []

        with Session(db) as other:  # the title changes in another request
            import_offers(other, [(1, record("b", title="Chauffe-eau solaire"))])
            other.commit()
        session.rollback()
        found = search_offers(session, OfferFilters(q="solaire"))
        assert sorted(o.external_id for o in found.offers) == ["a", "b"]
    finally:
        event.remove(db, "before_cursor_execute", listen)


def test_every_committed_change_to_the_catalogue_advances_its_version(session):
    import_offers(session, [(1, record("a")), (2, record("b"))], today=date(2026, 11, 1))
    session.commit()
    version = catalogue_version(session)

    def advanced() -> int:
        nonlocal version
        before, version = version, catalogue_version(session)
        return version - before

    session.commit()  # a transaction that only read
    assert advanced() == 0
    offer = session.scalars(select(Offer).where(Offer.external_id == "b")).one()
    confirm_accurate(session, offer, actor_id=None, today=date(2026, 12, 1))
    session.commit()
    assert advanced() == 1
    assert search_offers(session, OfferFilters(sort="verified")).offers[0].external_id == "b"
    offer.organization.name = "Réseau Renommé"
    session.commit()
    assert advanced() == 1
    assert search_offers(session, OfferFilters(q="renomme")).total == 2
    session.delete(offer)
    session.commit()
    assert advanced() == 1
    assert [o.external_id for o in search_offers(session, OfferFilters()).offers] == ["a"]


def test_a_transaction_sees_its_own_changes_and_a_rollback_leaves_no_trace(session):
    import_offers(session, [(1, record("a", countries="SN"))])
    session.commit()
    version = catalogue_version(session)
    import_offers(session, [(1, record("b", countries="ML"))])
    assert search_offers(session, OfferFilters(country=["ML"])).total == 1
    session.rollback()
    session.commit()
    assert catalogue_version(session) == version
    assert search_offers(session, OfferFilters(country=["ML"])).total == 0


def test_a_change_committed_after_a_later_one_is_still_seen(db, session):
    """A transaction may write first and commit last (its timestamps are the older ones):
    its change must not be missed."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    import_offers(session, [(1, record("a")), (2, record("b")), (3, record("c"))])
    session.commit()
    with Session(db) as first, Session(db) as second:
        for other, key in ((first, "a"), (second, "b")):
            archive(
                other, other.scalars(select(Offer).filter_by(external_id=key)).one(), actor_id=None
            )
        second.commit()
        assert search_offers(session, OfferFilters()).total == 2
        session.rollback()
        first.commit()
    assert [o.external_id for o in search_offers(session, OfferFilters()).offers] == ["c"]
