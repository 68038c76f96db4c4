"""Writes through the API (contract section 5): offers created, edited, submitted, reviewed.

Every call needs a personal API token (`Authorization: Bearer`); the account's role and
memberships decide what it may do. Errors are `{"detail": ...}` naming the field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from passerelle.api import Id
from passerelle.deps import ApiStaff, ApiWriter, SessionDep
from passerelle.offer_versions import etag, if_match_version
from passerelle.schemas import ErrorMessage, OfferPublic
from passerelle.security import StrictJsonRoute
from passerelle.staff import offer_writes
from services_catalog import workflow
from services_catalog.models import Offer
from services_catalog.schemas import OfferRecord

router = APIRouter(prefix="/api/v1", tags=["offers (write)"], route_class=StrictJsonRoute)


def _error(description: str) -> dict:
    return {"model": ErrorMessage, "description": description}


UNAUTHENTICATED = {401: _error("No valid personal API token was sent.")}
FORBIDDEN = {403: _error("The token's account may not do this.")}
NOT_FOUND = {404: _error("No such offer among those the account may write.")}
CONFLICT = {
    409: _error(
        "The offer's status does not allow this step, the id is taken, or the offer changed "
        "since the version named in If-Match."
    )
}
REFUSED = {400: _error("The offer cannot take this step as it is (the field is named).")}


class OfferWritten(BaseModel):
    """The offer after the write; a published offer's change waits for review."""

    offer: OfferPublic
    change_pending_review: bool = Field(
        description="True when the offer is published and the change awaits staff review."
    )
    version: int = Field(
        description="The offer's version after the write, also sent as the ETag header."
    )

    @classmethod
    def of(cls, offer: Offer, pending: bool, response: Response) -> OfferWritten:
        response.headers["ETag"] = etag(offer)
        return cls(
            offer=OfferPublic.of(offer), change_pending_review=pending, version=offer.version
        )


# Optional, so that clients written before versions keep working: without it the step
# applies to the offer as it is when the request arrives (still one writer at a time).
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The offer\'s ETag (like "3") as last read: the write is refused with '
        "409 if the offer has changed since. Without it, the write applies to the current "
        "version.",
    ),
]


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(
        min_length=1, max_length=5000, description="What the provider must correct."
    )


@router.post(
    "/offers",
    name="api_create_offer",
    status_code=201,
    responses=UNAUTHENTICATED | FORBIDDEN | CONFLICT,
)
def create_offer(
    record: OfferRecord,
    user: ApiWriter,
    session: SessionDep,
    response: Response,
    submit: Annotated[bool, Query(description="Send the new draft for review at once.")] = False,
) -> OfferWritten:
    """Create a draft offer in the exchange format (a provider: for its own organisation)."""
    offer = offer_writes.create(session, user, record, submit=submit)
    return OfferWritten.of(offer, False, response)


@router.put(
    "/offers/{offer_id}",
    name="api_edit_offer",
    responses=UNAUTHENTICATED | FORBIDDEN | NOT_FOUND | CONFLICT,
)
def edit_offer(
    offer_id: Id,
    record: OfferRecord,
    user: ApiWriter,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferWritten:
    """Replace an offer's content; a published offer's change waits for staff review."""
    offer = offer_writes.writable_offer(session, user, offer_id)
    revision = offer_writes.edit(session, user, offer, record, version=if_match_version(if_match))
    return OfferWritten.of(offer, revision is not None, response)


@router.post(
    "/offers/{offer_id}/submit",
    name="api_submit_offer",
    responses=UNAUTHENTICATED | FORBIDDEN | NOT_FOUND | CONFLICT,
)
def submit_offer(
    offer_id: Id, user: ApiWriter, session: SessionDep, response: Response, if_match: IfMatch = None
) -> OfferWritten:
    """Send a draft (or a corrected rejected offer) to the review queue."""
    offer = offer_writes.writable_offer(session, user, offer_id)
    workflow.submit_offer(session, offer, actor_id=user.id, version=if_match_version(if_match))
    return OfferWritten.of(offer, False, response)


@router.post(
    "/offers/{offer_id}/approve",
    name="api_approve_offer",
    responses=REFUSED | UNAUTHENTICATED | FORBIDDEN | NOT_FOUND | CONFLICT,
)
def approve_offer(
    offer_id: Id, user: ApiStaff, session: SessionDep, response: Response, if_match: IfMatch = None
) -> OfferWritten:
    """Staff: publish a pending offer, or apply a published offer's pending change."""
    offer = offer_writes.awaiting_review(session, user, offer_id, "approve")
    workflow.approve(session, offer, actor_id=user.id, version=if_match_version(if_match))
    return OfferWritten.of(offer, False, response)


@router.post(
    "/offers/{offer_id}/reject",
    name="api_reject_offer",
    responses=UNAUTHENTICATED | FORBIDDEN | NOT_FOUND | CONFLICT,
)
def reject_offer(
    offer_id: Id,
    rejection: Rejection,
    user: ApiStaff,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferWritten:
    """Staff: send a pending offer back, or turn down a published offer's change."""
    offer = offer_writes.awaiting_review(session, user, offer_id, "reject")
    version = if_match_version(if_match)
    workflow.reject(session, offer, actor_id=user.id, reason=rejection.reason, version=version)
    return OfferWritten.of(offer, False, response)
