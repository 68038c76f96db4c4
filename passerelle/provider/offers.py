"""A provider's offers: listed with their review state, saved and moved through review.

Every change goes through `services_catalog.workflow`, so the audit log stays complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.errors import NotFoundError
from passerelle.accounts.models import UserAccount
from passerelle.provider.membership import organization_for
from services_catalog import workflow
from services_catalog.models import Offer, OfferRevision
from services_catalog.schemas import OfferRecord

# What a provider may do with an offer, by its status.
SUBMITTABLE = ("draft", "rejected")
ARCHIVABLE = ("draft", "pending", "published", "rejected")


@dataclass(frozen=True)
class OfferState:
    """An offer with what the provider needs to know of its review."""

    offer: Offer
    revision: OfferRevision | None

    @property
    def change_pending(self) -> bool:
        return self.revision is not None

    @property
    def can_submit(self) -> bool:
        return self.offer.status in SUBMITTABLE

    @property
    def can_archive(self) -> bool:
        return self.offer.status in ARCHIVABLE

    @property
    def can_edit(self) -> bool:
        return self.offer.status != "archived"


def organization_offers(session: Session, organization_id: int) -> list[OfferState]:
    """Every offer of an organisation, whatever its status, latest change first."""
    query = (
        select(Offer, OfferRevision)
        .outerjoin(OfferRevision, OfferRevision.offer_id == Offer.id)
        .where(Offer.organization_id == organization_id)
        .order_by(Offer.updated_at.desc(), Offer.id.desc())
    )
    return [OfferState(offer, revision) for offer, revision in session.execute(query)]


def offer_for(session: Session, user: UserAccount, offer_id: int) -> OfferState:
    """An offer of an organisation `user` may manage (NotFoundError, ForbiddenError)."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFoundError()
    organization_for(session, user, offer.organization_id)
    return OfferState(offer, workflow.pending_revision(session, offer.id))


def create_offer(
    session: Session, user: UserAccount, record: OfferRecord, *, submit: bool
) -> Offer:
    """A new draft, sent for review at once when `submit`."""
    offer = workflow.create_offer(session, record, actor_id=user.id)
    if submit:
        workflow.submit_offer(session, offer, actor_id=user.id)
    return offer


def save_offer(
    session: Session,
    user: UserAccount,
    offer: Offer,
    record: OfferRecord,
    *,
    submit: bool,
    version: int | None,
) -> OfferRevision | None:
    """Change an offer: in place until it is published, as a revision for review after.

    `submit` also sends a draft or rejected offer for review. Returns the revision, if any.
    `version` is the one the provider's form showed (StaleOfferError when it moved on).
    """
    revision = workflow.edit_offer(session, offer, record, actor_id=user.id, version=version)
    if submit and offer.status in SUBMITTABLE:
        workflow.submit_offer(session, offer, actor_id=user.id)
    return revision
