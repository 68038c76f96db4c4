"""'Download my data': everything the platform keeps about an account, as JSON.

Each section is one function of the account; later parts (interest requests to providers)
add theirs to SECTIONS.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from passerelle.accounts import projects
from passerelle.accounts.models import UserAccount
from passerelle.accounts.schemas import AccountPublic, BookmarkPublic, ProjectPublic
from services_catalog.models import utcnow


def _account(session: Session, user: UserAccount) -> dict:
    return AccountPublic.model_validate(user).model_dump(mode="json")


def _projects(session: Session, user: UserAccount) -> list[dict]:
    return [
        ProjectPublic.model_validate(project).model_dump(mode="json")
        for project in projects.list_projects(session, user)
    ]


def _bookmarks(session: Session, user: UserAccount) -> list[dict]:
    return [
        BookmarkPublic(
            offer_id=offer.id, title=offer.title, created_at=bookmark.created_at
        ).model_dump(mode="json")
        for bookmark, offer in projects.bookmarked_offers(session, user)
    ]


SECTIONS: dict[str, Callable[[Session, UserAccount], object]] = {
    "account": _account,
    "projects": _projects,
    "bookmarks": _bookmarks,
}


def account_data(session: Session, user: UserAccount) -> dict:
    """The account's data, section by section, with the moment it was exported."""
    data: dict[str, object] = {"exported_at": utcnow().isoformat()}
    for name, section in SECTIONS.items():
        data[name] = section(session, user)
    return data
