from datetime import date

import pytest
from sqlalchemy import select

from services_catalog import search
from services_catalog.errors import CatalogError
from services_catalog.models import AuditEntry, OfferRevision
from services_catalog.schemas import OfferRecord
from services_catalog.workflow import (
    TransitionError,
    approve,
    archive,
    confirm_accurate,
    create_offer,
    edit_offer,
    pending_revision,
    reject,
    review_queue,
    set_organization_verified,
    submit_offer,
)

TODAY = date(2026, 11, 23)


def record(**fields):
    return OfferRecord.model_validate(
        {
            "title": "Prêt d'honneur Dakar",
            "description": "Un prêt sans intérêt pour créer son entreprise au Sénégal.",
            "organization": "Réseau Passerelle Test",
            "kind": "financing",
            "categories": ["honour_loan"],
            "countries": ["SN"],
            "ticket_max_eur": 15000,
            **fields,
        }
    )


def published_titles(session):
    result = search.search_offers(session, search.OfferFilters())
    return [offer.title for offer in result.offers]


def actions(session, offer_id):
    query = select(AuditEntry).where(AuditEntry.entity_id == offer_id).order_by(AuditEntry.id)
    return [entry.action for entry in session.scalars(query)]


def test_a_draft_goes_through_review_to_the_catalogue(session):
    offer = create_offer(session, record(), actor_id=None, today=TODAY)
    assert offer.status == "draft"
    assert published_titles(session) == []

    submit_offer(session, offer, actor_id=None)
    assert [o.id for o, _ in review_queue(session)] == [offer.id]

    approve(session, offer, actor_id=None, today=TODAY)
    assert offer.status == "published"
    assert offer.last_verified_on == TODAY
    assert published_titles(session) == ["Prêt d'honneur Dakar"]
    assert review_queue(session) == []
    assert actions(session, offer.id) == ["create", "submit", "approve"]


def test_a_rejection_keeps_its_reason_and_the_provider_can_resubmit(session):
    offer = create_offer(session, record(), actor_id=None)
    submit_offer(session, offer, actor_id=None)
    with pytest.raises(CatalogError, match="reason"):
        reject(session, offer, actor_id=None, reason="   ")
    reject(session, offer, actor_id=None, reason="Le lien vers le règlement manque.")
    assert (offer.status, offer.review_note) == ("rejected", "Le lien vers le règlement manque.")

    edit_offer(session, offer, record(url="https://example.org/reglement"), actor_id=None)
    submit_offer(session, offer, actor_id=None)
    assert offer.status == "pending"
    assert offer.url == "https://example.org/reglement"


def test_editing_a_published_offer_waits_for_review_and_the_old_version_stays(session):
    offer = create_offer(session, record(), actor_id=None)
    submit_offer(session, offer, actor_id=None)
    approve(session, offer, actor_id=None)

    revision = edit_offer(session, offer, record(title="Prêt d'honneur Thiès"), actor_id=None)
    assert revision is not None
    assert offer.title == "Prêt d'honneur Dakar"
    assert published_titles(session) == ["Prêt d'honneur Dakar"]
    # A second edit before review replaces the first one.
    edit_offer(session, offer, record(title="Prêt d'honneur Saint-Louis"), actor_id=None)
    assert len(session.scalars(select(OfferRevision)).all()) == 1
    assert [(o.id, r is not None) for o, r in review_queue(session)] == [(offer.id, True)]

    approve(session, offer, actor_id=None)
    assert published_titles(session) == ["Prêt d'honneur Saint-Louis"]
    assert pending_revision(session, offer.id) is None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "approve_change")).one()
    assert entry.before == {"title": "Prêt d'honneur Dakar"}
    assert entry.after == {"title": "Prêt d'honneur Saint-Louis"}


def test_a_rejected_change_leaves_the_published_offer_as_it_was(session):
    offer = create_offer(session, record(), actor_id=None)
    submit_offer(session, offer, actor_id=None)
    approve(session, offer, actor_id=None)
    edit_offer(session, offer, record(countries=["CI"]), actor_id=None)
    reject(session, offer, actor_id=None, reason="Le programme ne couvre que le Sénégal.")
    assert offer.status == "published"
    assert offer.codes("countries") == ["SN"]
    assert offer.review_note == "Le programme ne couvre que le Sénégal."
    assert pending_revision(session, offer.id) is None


def test_steps_out_of_order_are_refused(session):
    offer = create_offer(session, record(), actor_id=None)
    with pytest.raises(TransitionError, match="approve"):
        approve(session, offer, actor_id=None)
    with pytest.raises(TransitionError):
        reject(session, offer, actor_id=None, reason="non")
    archive(session, offer, actor_id=None)
    with pytest.raises(TransitionError):
        edit_offer(session, offer, record(), actor_id=None)
    with pytest.raises(TransitionError):
        submit_offer(session, offer, actor_id=None)


def test_an_offer_without_categories_cannot_be_published(session):
    offer = create_offer(session, record(categories=[]), actor_id=None)
    submit_offer(session, offer, actor_id=None)
    with pytest.raises(CatalogError, match="categories"):
        approve(session, offer, actor_id=None)
    assert offer.status == "pending"


def test_confirming_accuracy_and_verifying_an_organisation_are_logged(session):
    offer = create_offer(session, record(), actor_id=None, today=date(2025, 1, 1))
    confirm_accurate(session, offer, actor_id=None, today=TODAY)
    assert offer.last_verified_on == TODAY
    set_organization_verified(session, offer.organization, True, actor_id=None)
    set_organization_verified(session, offer.organization, True, actor_id=None)  # no change
    assert offer.organization.verified
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.entity, e.action) for e in entries] == [
        ("offer", "create"),
        ("offer", "confirm_accurate"),
        ("organization", "verify"),
    ]
    assert entries[1].before == {"last_verified_on": "2025-01-01"}
