"""Interest requests: an entrepreneur writes to an offer's provider about one project.

    sent ──opened by a member──▶ read ──reply──▶ answered
      └──────────────── close (either side) ──────────────▶ closed

Services flush; the request scope commits. Every lookup checks who is asking.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts import ratelimit
from passerelle.accounts.errors import AccountError, NotFoundError
from passerelle.accounts.models import Project, UserAccount
from passerelle.accounts.projects import get_project
from passerelle.i18n import N_
from passerelle.interest.models import InterestRequest
from passerelle.provider.membership import has_members, organization_for
from services_catalog.models import Offer, utcnow

# The project as the provider reads it, copied when the request is sent.
SUMMARY_FIELDS = ("name", "residence_country", "target_country", "sector", "stage",
                  "project_eur", "funding_need_eur", "applicant_type", "groups", "needs",
                  "description")  # fmt: skip


class ClosedRequestError(AccountError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__(N_("This request is closed: it can no longer be answered."))


def receives_requests(session: Session, organization_id: int) -> bool:
    """Whether someone at the organisation reads requests (it has a member account)."""
    return has_members(session, organization_id)


def contactable_offer(session: Session, offer_id: int) -> Offer:
    """A published offer whose organisation receives requests, else NotFoundError."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != "published":
        raise NotFoundError()
    if not receives_requests(session, offer.organization_id):
        raise NotFoundError()
    return offer


def project_summary(project: Project) -> dict:
    return {name: getattr(project, name) for name in SUMMARY_FIELDS}


def send_request(
    session: Session, sender: UserAccount, offer: Offer, project_id: int, message: str,
    *, address: str,
) -> InterestRequest:  # fmt: skip
    """A new request about `offer`, carrying a copy of one of the sender's projects.

    Each request mails the provider's members: TooManyAttemptsError past the limits, for
    the sender's `address` and for this sender writing to this organisation.
    """
    project = get_project(session, sender, project_id)
    ratelimit.hit(session, ratelimit.INTEREST_PER_ADDRESS, address)
    pair = (sender.id, offer.organization_id)
    ratelimit.hit(session, ratelimit.INTEREST_PER_SENDER_AND_ORGANIZATION, *pair)
    request = InterestRequest(
        sender_id=sender.id,
        offer_id=offer.id,
        organization_id=offer.organization_id,
        project_id=project.id,
        project_summary=project_summary(project),
        message=message,
    )
    session.add(request)
    session.flush()
    return request


def sent_requests(session: Session, sender: UserAccount) -> list[tuple[InterestRequest, Offer]]:
    """The sender's requests with their offers, latest first."""
    query = (
        select(InterestRequest, Offer)
        .join(Offer, Offer.id == InterestRequest.offer_id)
        .where(InterestRequest.sender_id == sender.id)
        .order_by(InterestRequest.created_at.desc(), InterestRequest.id.desc())
    )
    return [(request, offer) for request, offer in session.execute(query)]


def written_replies(session: Session, member: UserAccount) -> list[tuple[InterestRequest, Offer]]:
    """The requests whose current answer `member` wrote, with their offers, latest first."""
    query = (
        select(InterestRequest, Offer)
        .join(Offer, Offer.id == InterestRequest.offer_id)
        .where(InterestRequest.replied_by_id == member.id)
        .order_by(InterestRequest.answered_at.desc(), InterestRequest.id.desc())
    )
    return [(request, offer) for request, offer in session.execute(query)]


def sender_request(session: Session, sender: UserAccount, request_id: int) -> InterestRequest:
    """One of the sender's requests; anyone else's is a 404."""
    request = session.get(InterestRequest, request_id)
    if request is None or request.sender_id != sender.id:
        raise NotFoundError()
    return request


def organization_requests(
    session: Session, organization_id: int
) -> list[tuple[InterestRequest, Offer, UserAccount]]:
    """An organisation's inbox: open requests first, then the latest."""
    query = (
        select(InterestRequest, Offer, UserAccount)
        .join(Offer, Offer.id == InterestRequest.offer_id)
        .join(UserAccount, UserAccount.id == InterestRequest.sender_id)
        .where(InterestRequest.organization_id == organization_id)
        .order_by(InterestRequest.created_at.desc(), InterestRequest.id.desc())
    )
    rows = list(session.execute(query))
    return sorted(rows, key=lambda row: row[0].status in ("answered", "closed"))


def unread_count(session: Session, organization_id: int) -> int:
    query = select(func.count()).where(
        InterestRequest.organization_id == organization_id, InterestRequest.status == "sent"
    )
    return session.scalar(query) or 0


def member_request(session: Session, member: UserAccount, request_id: int) -> InterestRequest:
    """A request to an organisation `member` manages (404 if missing, 403 if not theirs)."""
    request = session.get(InterestRequest, request_id)
    if request is None:
        raise NotFoundError()
    organization_for(session, member, request.organization_id)
    return request


def mark_read(session: Session, request: InterestRequest) -> None:
    """The provider opened the request: the sender sees it was read."""
    if request.status == "sent":
        request.status = "read"
        request.read_at = utcnow()
        session.flush()


def reply(session: Session, request: InterestRequest, member: UserAccount, text: str) -> None:
    """The provider's answer; a later answer replaces the earlier one."""
    if request.status == "closed":
        raise ClosedRequestError()
    request.read_at = request.read_at or utcnow()
    request.status = "answered"
    request.reply = text
    request.replied_by_id = member.id
    request.answered_at = utcnow()
    session.flush()


def close(session: Session, request: InterestRequest) -> None:
    if request.status != "closed":
        request.status = "closed"
        request.closed_at = utcnow()
        session.flush()
