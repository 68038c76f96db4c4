"""Memberships of organisations: which accounts manage an organisation and write its offers.

The one owner of `OrganizationMember`. Services flush; the request (or command) commits.
Staff changes to a membership go to the organisation's audit log.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts import service as accounts
from passerelle.accounts.errors import ForbiddenError, FormError, NotFoundError
from passerelle.accounts.models import STAFF_ROLES, UserAccount
from passerelle.i18n import N_
from passerelle.provider.models import OrganizationMember
from services_catalog import workflow
from services_catalog.models import Organization


def is_staff(user: UserAccount) -> bool:
    return user.role in STAFF_ROLES


def is_member(session: Session, user_id: int, organization_id: int) -> bool:
    return session.get(OrganizationMember, (organization_id, user_id)) is not None


def may_write_for(session: Session, user: UserAccount, organization_id: int) -> bool:
    """Staff write for every organisation; a provider for those it is a member of."""
    if is_staff(user):
        return True
    return user.role == "provider" and is_member(session, user.id, organization_id)


def organization_for(session: Session, user: UserAccount, organization_id: int) -> Organization:
    """An organisation `user` may manage: theirs, or any for staff.

    NotFoundError when it does not exist, ForbiddenError when it is someone else's.
    """
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFoundError()
    if not is_staff(user) and not is_member(session, user.id, organization_id):
        raise ForbiddenError()
    return organization


def member_organizations(session: Session, user: UserAccount) -> list[Organization]:
    """The organisations `user` belongs to, by name."""
    query = (
        select(Organization)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(OrganizationMember.user_id == user.id)
        .order_by(Organization.name_key)
    )
    return list(session.scalars(query))


def _members_query(organization_id: int):
    return (
        select(UserAccount)
        .join(OrganizationMember, OrganizationMember.user_id == UserAccount.id)
        .where(OrganizationMember.organization_id == organization_id)
    )


def has_members(session: Session, organization_id: int) -> bool:
    query = select(func.count()).where(OrganizationMember.organization_id == organization_id)
    return bool(session.scalar(query))


def members(session: Session, organization_id: int) -> list[UserAccount]:
    """Every member account of the organisation, by e-mail address (the staff's list)."""
    return list(session.scalars(_members_query(organization_id).order_by(UserAccount.email)))


def active_members(session: Session, organization_id: int) -> list[UserAccount]:
    """The active member accounts, oldest first: those who are told about the organisation."""
    query = _members_query(organization_id).where(UserAccount.is_active)
    return list(session.scalars(query.order_by(UserAccount.id)))


def add_member(session: Session, organization: Organization, user: UserAccount) -> bool:
    """Make `user` a member of `organization`; an entrepreneur account becomes a provider
    (staff and admin accounts keep their role). Adding someone twice changes nothing.

    True when a membership was added."""
    added = not is_member(session, user.id, organization.id)
    if added:
        session.add(OrganizationMember(organization_id=organization.id, user_id=user.id))
    if user.role == "entrepreneur":
        user.role = "provider"
    session.flush()
    return added


def remove_member(session: Session, organization: Organization, user: UserAccount) -> bool:
    """End a membership; True when there was one to end."""
    membership = session.get(OrganizationMember, (organization.id, user.id))
    if membership is None:
        return False
    session.delete(membership)
    session.flush()
    return True


def add_member_by_email(
    session: Session, organization: Organization, email: str, *, actor_id: int | None
) -> UserAccount:
    """Staff make the provider account with this e-mail address a member (audited)."""
    user = accounts.get_by_email(session, email) if email.strip() else None
    if user is None:
        raise FormError("email", N_("No account uses this e-mail address."))
    if user.role != "provider":
        raise FormError("email", N_("Only a provider account can be a member of an organisation."))
    if not add_member(session, organization, user):
        raise FormError("email", N_("This account is already a member of the organisation."))
    _audit(session, organization, "add_member", actor_id=actor_id, after={"member": user.email})
    return user


def remove_member_by_id(
    session: Session, organization: Organization, user_id: int, *, actor_id: int | None
) -> None:
    """Staff end a membership (audited); removing someone who is not a member changes nothing."""
    user = session.get(UserAccount, user_id)
    if user is None or not remove_member(session, organization, user):
        return
    _audit(session, organization, "remove_member", actor_id=actor_id, before={"member": user.email})


def _audit(session: Session, organization: Organization, action: str, **change) -> None:
    workflow.audit(
        session, entity="organization", entity_id=organization.id, action=action, **change
    )
    session.flush()
