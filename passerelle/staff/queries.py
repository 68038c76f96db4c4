"""What the staff pages list and count: offers by status and staleness, organisations,
accounts, the audit log. Read-only; the changes go through `workflow` and `users`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlmodel import Session

from passerelle.accounts.models import UserAccount
from passerelle.provider.models import OrganizationMember
from services_catalog import workflow
from services_catalog.freshness import STALE_AFTER
from services_catalog.models import AuditEntry, Offer, Organization

STALENESS = ("unverified", "deadline_passed")
PER_PAGE = 25


@dataclass(frozen=True)
class Listing:
    """One page of rows and where it sits among the others."""

    rows: list
    total: int
    page: int
    pages: int


def _page_of(session: Session, query: Select, page: int) -> Listing:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = list(session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return Listing([row[0] if len(row) == 1 else tuple(row) for row in rows], total, page, pages)


def _stale(staleness: str, today: date) -> ColumnElement[bool]:
    if staleness == "deadline_passed":
        return Offer.deadline < today
    return or_(Offer.last_verified_on.is_(None), Offer.last_verified_on < today - STALE_AFTER)


def staff_counts(session: Session, today: date) -> dict[str, int]:
    """The numbers on the staff home page."""
    stale = and_(
        Offer.status == "published",
        or_(_stale("unverified", today), _stale("deadline_passed", today)),
    )
    return {
        "reviews": session.scalar(
            select(func.count()).select_from(workflow.review_query().subquery())
        )
        or 0,
        "stale": session.scalar(select(func.count()).select_from(Offer).where(stale)) or 0,
        "unverified": session.scalar(
            select(func.count()).select_from(Organization).where(Organization.verified.is_(False))
        )
        or 0,
    }


def offers(
    session: Session, *, status: str | None, staleness: str | None, page: int, today: date
) -> Listing:
    """Offers of every status, most recently changed first, optionally filtered."""
    query = select(Offer).order_by(Offer.updated_at.desc(), Offer.id.desc())
    if status:
        query = query.where(Offer.status == status)
    if staleness in STALENESS:
        query = query.where(_stale(staleness, today))
    return _page_of(session, query, page)


def review_items(session: Session, *, kind: str | None, page: int) -> Listing:
    """One page of the review queue: (offer, revision) pairs, optionally of one kind."""
    return _page_of(session, workflow.review_query(kind), page)


def organizations(session: Session, *, page: int) -> Listing:
    """Organisations by name, with their offer count (any status) and member count."""
    offer_count = (
        select(func.count()).where(Offer.organization_id == Organization.id).scalar_subquery()
    )
    member_count = (
        select(func.count())
        .where(OrganizationMember.organization_id == Organization.id)
        .scalar_subquery()
    )
    query = select(Organization, offer_count, member_count).order_by(Organization.name_key)
    return _page_of(session, query, page)


def users(session: Session, *, search: str, role: str | None, page: int) -> Listing:
    """Accounts by e-mail address; `search` looks in the address and the name."""
    query = select(UserAccount).order_by(UserAccount.email)
    if search:
        needle = search.strip().lower()
        query = query.where(
            or_(
                func.lower(UserAccount.email).contains(needle, autoescape=True),
                func.lower(UserAccount.display_name).contains(needle, autoescape=True),
            )
        )
    if role:
        query = query.where(UserAccount.role == role)
    return _page_of(session, query, page)


def audit_entries(
    session: Session, *, entity: str | None, action: str | None, page: int
) -> Listing:
    """The audit log, newest first, with the acting account's e-mail address."""
    query = (
        select(AuditEntry, UserAccount.email)
        .outerjoin(UserAccount, UserAccount.id == AuditEntry.actor_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if action:
        query = query.where(AuditEntry.action == action)
    return _page_of(session, query, page)


def audit_actions(session: Session) -> list[str]:
    """Every action the log holds, for the filter's menu."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
