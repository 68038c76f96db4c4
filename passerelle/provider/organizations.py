"""Organisations of provider accounts: creation and the editable profile.

Services flush; the request (or command) that called them commits. Changes to an
organisation go to the catalogue's audit log like every other catalogue change.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.errors import FormError
from passerelle.accounts.models import UserAccount
from passerelle.i18n import N_
from passerelle.provider.membership import add_member
from passerelle.provider.schemas import OrganizationIn
from services_catalog.models import Organization, utcnow
from services_catalog.taxonomy import fold
from services_catalog.workflow import audit

PROFILE_FIELDS = ("name", "pending_name", "description", "website", "email", "type", "countries")
NAME_TAKEN = N_(
    "An organisation with this name is already on Passerelle. "
    "To join it, ask the Passerelle team to add you as a member."
)


def _check_name_free(session: Session, name: str, organization_id: int | None = None) -> str:
    key = fold(name)
    other = session.scalar(select(Organization).where(Organization.name_key == key))
    if other is not None and other.id != organization_id:
        raise FormError("name", NAME_TAKEN)
    return key


def create_organization(session: Session, user: UserAccount, data: OrganizationIn) -> Organization:
    """A new, unverified organisation with `user` as its first member."""
    key = _check_name_free(session, data.name)
    organization = Organization(name_key=key, verified=False, **data.model_dump())
    session.add(organization)
    session.flush()
    audit(
        session,
        actor_id=user.id,
        entity="organization",
        entity_id=organization.id,
        action="create",
        after=_profile(organization),
    )
    add_member(session, organization, user)
    return organization


def update_organization(
    session: Session, organization: Organization, data: OrganizationIn, *, actor_id: int | None
) -> bool:
    """Change an organisation's public profile; `verified` is not part of it. A verified
    organisation's new name waits for staff (True when it does); the rest is live at once."""
    key = _check_name_free(session, data.name, organization.id)
    before = _profile(organization)
    changes = data.model_dump()
    renamed = changes["name"] != organization.name
    held = organization.verified and renamed
    if held:
        organization.pending_name = changes.pop("name")
    else:
        organization.name_key = key
        organization.pending_name = None
    for name, value in changes.items():
        setattr(organization, name, value)
    organization.updated_at = utcnow()
    session.flush()
    audit(
        session,
        actor_id=actor_id,
        entity="organization",
        entity_id=organization.id,
        action="edit",
        before=before,
        after=_profile(organization),
    )
    session.flush()
    return held


def _profile(organization: Organization) -> dict:
    return {name: getattr(organization, name) for name in PROFILE_FIELDS}


def profile_values(organization: Organization) -> dict:
    """The organisation as its profile form shows it."""
    values = _profile(organization)
    values["name"] = organization.pending_name or organization.name  # what the provider asked
    return {name: value if value is not None else "" for name, value in values.items()}
