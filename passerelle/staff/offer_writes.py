"""Offer writes on behalf of an account (the API's write endpoints): who may write what.

Staff write every offer; a provider writes the offers of the organisations it is a member
of, and only for those. Every change goes through the review workflow, so it is audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.models import UserAccount
from passerelle.provider.membership import is_member, is_staff, may_write_for
from services_catalog import service, workflow
from services_catalog.errors import CatalogError, NotFoundError
from services_catalog.models import Offer, OfferRevision, Organization
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import fold


class WriteForbiddenError(CatalogError):
    status_code = 403


class IdConflictError(CatalogError):
    status_code = 409


def writable_offer(session: Session, user: UserAccount, offer_id: int) -> Offer:
    """The offer if this account may write it; someone else's offer is not found."""
    offer = session.get(Offer, offer_id)
    if offer is None or not may_write_for(session, user, offer.organization_id):
        raise NotFoundError(f"offer {offer_id} not found")
    return offer


def awaiting_review(session: Session, user: UserAccount, offer_id: int, step: str) -> Offer:
    """A pending offer, or a published one with a change waiting (else a 409 naming why)."""
    offer = writable_offer(session, user, offer_id)
    if offer.status != "pending" and workflow.pending_revision(session, offer.id) is None:
        raise workflow.TransitionError(
            f"nothing to {step}: the offer is {offer.status!r} with no change waiting"
        )
    return offer


def _check_organization(session: Session, user: UserAccount, name: str) -> None:
    """A provider names an organisation it is a member of (staff may name a new one)."""
    if is_staff(user):
        return
    query = select(Organization).where(Organization.name_key == fold(name))
    organization = session.scalar(query)
    if organization is None or not is_member(session, user.id, organization.id):
        raise WriteForbiddenError(f"organization: you are not a member of {name!r}")


def _check_external_id(session: Session, record: OfferRecord, offer: Offer | None) -> None:
    if record.id is None:
        return
    existing = service.offers_by_external_id(session, [record.id]).get(record.id)
    if existing is not None and existing is not offer:
        raise IdConflictError(f"id: {record.id!r} is already the id of offer {existing.id}")


def create(session: Session, user: UserAccount, record: OfferRecord, *, submit: bool) -> Offer:
    """A new draft offer, sent for review at once when `submit` is set."""
    _check_organization(session, user, record.organization)
    _check_external_id(session, record, None)
    offer = workflow.create_offer(session, record, actor_id=user.id)
    if submit:
        workflow.submit_offer(session, offer, actor_id=user.id)
    return offer


def edit(
    session: Session, user: UserAccount, offer: Offer, record: OfferRecord, *, version: int | None
) -> OfferRevision | None:
    """Change an offer; a published one keeps its content until staff approve the change.
    `version` is the one the client read (None: the current one)."""
    _check_organization(session, user, record.organization)
    _check_external_id(session, record, offer)
    return workflow.edit_offer(session, offer, record, actor_id=user.id, version=version)
