"""'Did you mean' follows the catalogue: new titles' words are offered, withdrawn ones not.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""

from datetime import date

import pytest
from sqlalchemy import select

from services_catalog import spelling
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.service import catalogue_version
from services_catalog.workflow import archive

TODAY = date(2026, 11, 23)


def offer(key, title):
    return {
        "id": key,
        "title": title,
        "description": "Conseils pratiques.",
        "organization": "Réseau Test",
        "kind": "service",
        "categories": ["mentoring"],
    }


def publish(session, *offers):
    assert import_offers(session, list(enumerate(offers, 1)), today=TODAY).applied
    session.commit()


def withdraw(session, external_id, how):
    found = session.scalars(select(Offer).where(Offer.external_id == external_id)).one()
    if how == "unpublished":
        archive(session, found, actor_id=None)
    else:
        session.delete(found)
    session.commit()


def patched(session) -> bool:
    """Whether the current vocabulary was patched since it was last read whole."""
    vocabulary = spelling.vocabulary(session)
    assert vocabulary.version == catalogue_version(session)
    return vocabulary.built_at < vocabulary.version


def test_a_newly_published_title_word_is_offered_by_a_patch(session):
    publish(session, offer("volailles", "Élevage de volailles"))
    assert spelling.corrected(session, "héliciculure") is None
    publish(session, offer("escargots", "Héliciculture en Casamance"))
    assert spelling.corrected(session, "héliciculure") == "héliciculture"
    assert patched(session)


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_a_word_no_published_title_uses_any_more_is_not_offered(session, how):
    publish(
        session,
        offer("escargots", "Héliciculture en Casamance"),
        offer("escargots-2", "Héliciculture au Sahel"),
        offer("volailles", "Élevage de volailles"),
    )
    assert spelling.corrected(session, "héliciculure") == "héliciculture"
    withdraw(session, "escargots", how)
    assert spelling.corrected(session, "héliciculure") == "héliciculture"  # one offer left
    withdraw(session, "escargots-2", how)
    assert spelling.corrected(session, "héliciculure") is None
    assert spelling.corrected(session, "volaile") == "volaille"
    assert patched(session)


def test_a_word_is_offered_as_most_titles_write_it(session):
    publish(
        session,
        offer("a", "Sériciculture de quartier"),
        offer("b", "Sericiculture solidaire"),
        offer("c", "Sériciculture rurale"),
    )
    assert spelling.corrected(session, "Sericiculture") is None  # the same word, folded
    assert spelling.corrected(session, "sericulture") == "sériciculture"
    withdraw(session, "a", "deleted")
    withdraw(session, "c", "deleted")
    assert spelling.corrected(session, "sericulture") == "sericiculture"


def test_a_transaction_sees_its_own_offers_without_sharing_them(session, db):
    publish(session, offer("volailles", "Élevage de volailles"))
    assert spelling.corrected(session, "héliciculure") is None
    import_offers(session, [(1, offer("escargots", "Héliciculture en Casamance"))], today=TODAY)
    assert spelling.corrected(session, "héliciculure") == "héliciculture"
    session.rollback()
    assert spelling.corrected(session, "héliciculure") is None
