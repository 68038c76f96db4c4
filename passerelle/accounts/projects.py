"""An entrepreneur's projects and bookmarked offers. Every lookup is scoped to its owner."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from matching import Profile
from passerelle.accounts.errors import NotFoundError
from passerelle.accounts.models import Bookmark, Project, UserAccount
from passerelle.accounts.schemas import ProjectIn
from passerelle.db import upsert_insert
from services_catalog.models import Offer, utcnow

PROJECT_FIELDS = tuple(ProjectIn.model_fields)


def list_projects(session: Session, owner: UserAccount) -> list[Project]:
    query = select(Project).where(Project.owner_id == owner.id).order_by(Project.updated_at.desc())
    return list(session.scalars(query))


def get_project(session: Session, owner: UserAccount, project_id: int) -> Project:
    """The owner's project, or NotFoundError: another person's project does not exist here."""
    project = session.get(Project, project_id)
    if project is None or project.owner_id != owner.id:
        raise NotFoundError()
    return project


def create_project(session: Session, owner: UserAccount, data: ProjectIn) -> Project:
    project = Project(owner_id=owner.id, **data.model_dump(include=set(PROJECT_FIELDS)))
    session.add(project)
    session.flush()
    return project


def update_project(session: Session, project: Project, data: ProjectIn) -> Project:
    for name, value in data.model_dump(include=set(PROJECT_FIELDS)).items():
        setattr(project, name, value)
    project.updated_at = utcnow()
    session.add(project)
    session.flush()
    return project


def delete_project(session: Session, project: Project) -> None:
    session.delete(project)
    session.flush()


def project_profile(project: Project) -> Profile:
    """The matcher's view of a project (contract section 3)."""
    return Profile(
        residence_country=project.residence_country,
        target_country=project.target_country,
        sector=project.sector,
        stage=project.stage,
        project_eur=project.project_eur,
        funding_need_eur=project.funding_need_eur,
        applicant_type=project.applicant_type,
        groups=tuple(project.groups),
        needs=tuple(project.needs),
        description=project.description,
    )


def project_form_values(project: Project) -> dict:
    return {name: getattr(project, name) for name in PROJECT_FIELDS}


def add_bookmark(session: Session, user: UserAccount, offer_id: int) -> None:
    """Keep a published offer; keeping it twice changes nothing."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != "published":
        raise NotFoundError()
    table = Bookmark.__table__
    session.execute(
        upsert_insert(session.get_bind(), table)
        .values(user_id=user.id, offer_id=offer_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.offer_id])
    )


def remove_bookmark(session: Session, user: UserAccount, offer_id: int) -> None:
    session.execute(
        delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.offer_id == offer_id)
    )


def is_bookmarked(session: Session, user_id: int, offer_id: int) -> bool:
    return session.get(Bookmark, (user_id, offer_id)) is not None


def bookmarked_offers(session: Session, user: UserAccount) -> list[tuple[Bookmark, Offer]]:
    """The user's bookmarks with their offers, latest first (unpublished ones included)."""
    query = (
        select(Bookmark, Offer)
        .join(Offer, Offer.id == Bookmark.offer_id)
        .where(Bookmark.user_id == user.id)
        .order_by(Bookmark.created_at.desc())
    )
    return [(bookmark, offer) for bookmark, offer in session.execute(query)]
