"""'Download my data': everything the platform keeps about an account, as JSON.

Each section is one function of the account. API tokens appear by their name and dates:
their secret is never stored, and their hash is no one's business.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from passerelle.accounts import projects, tokens
from passerelle.accounts.models import UserAccount
from passerelle.accounts.schemas import AccountPublic, BookmarkPublic, ProjectPublic
from passerelle.alerts.models import Alert, SavedSearch
from passerelle.deadlines.models import CalendarFeed
from passerelle.interest import service as interest
from passerelle.provider import membership
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


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _interest_requests(session: Session, user: UserAccount) -> list[dict]:
    """The requests the account sent: its message, the project as sent, and the answer."""
    return [
        {
            "id": request.id,
            "offer_id": offer.id,
            "offer_title": offer.title,
            "project": request.project_summary,
            "message": request.message,
            "status": request.status,
            "reply": request.reply,
            "sent_at": _when(request.created_at),
            "read_at": _when(request.read_at),
            "answered_at": _when(request.answered_at),
            "closed_at": _when(request.closed_at),
        }
        for request, offer in interest.sent_requests(session, user)
    ]


def _replies(session: Session, user: UserAccount) -> list[dict]:
    """The answers the account wrote, as a provider's member, to entrepreneurs' requests."""
    return [
        {
            "request_id": request.id,
            "offer_title": offer.title,
            "reply": request.reply,
            "answered_at": _when(request.answered_at),
        }
        for request, offer in interest.written_replies(session, user)
    ]


def _organizations(session: Session, user: UserAccount) -> list[dict]:
    return [
        {"id": organization.id, "name": organization.name}
        for organization in membership.member_organizations(session, user)
    ]


def _api_tokens(session: Session, user: UserAccount) -> list[dict]:
    return [
        {
            "name": token.name,
            "created_at": _when(token.created_at),
            "last_used_at": _when(token.last_used_at),
            "revoked_at": _when(token.revoked_at),
        }
        for token in tokens.list_tokens(session, user, revoked=True)
    ]


def _calendar_feed(session: Session, user: UserAccount) -> dict | None:
    """That the account has a calendar address, and since when (its secret is not kept)."""
    feed = session.get(CalendarFeed, user.id)
    return {"created_at": _when(feed.created_at)} if feed is not None else None


def _saved_searches(session: Session, user: UserAccount) -> list[dict]:
    searches = session.scalars(
        select(SavedSearch).where(SavedSearch.owner_id == user.id).order_by(SavedSearch.id)
    )
    return [
        {"id": s.id, "name": s.name, "query": s.query, "created_at": _when(s.created_at)}
        for s in searches
    ]


def _alerts(session: Session, user: UserAccount) -> list[dict]:
    """What the person is told about and how often, and when they were last mailed."""
    alerts = session.scalars(select(Alert).where(Alert.owner_id == user.id).order_by(Alert.id))
    return [
        {
            "kind": alert.kind,
            "project_id": alert.project_id,
            "saved_search_id": alert.saved_search_id,
            "frequency": alert.frequency,
            "last_sent_at": _when(alert.last_sent_at),
            "created_at": _when(alert.created_at),
        }
        for alert in alerts
    ]


SECTIONS: dict[str, Callable[[Session, UserAccount], object]] = {
    "account": _account,
    "projects": _projects,
    "bookmarks": _bookmarks,
    "interest_requests": _interest_requests,
    "replies": _replies,
    "organizations": _organizations,
    "api_tokens": _api_tokens,
    "calendar_feed": _calendar_feed,
    "saved_searches": _saved_searches,
    "alerts": _alerts,
}


def account_data(session: Session, user: UserAccount) -> dict:
    """The account's data, section by section, with the moment it was exported."""
    data: dict[str, object] = {"exported_at": utcnow().isoformat()}
    for name, section in SECTIONS.items():
        data[name] = section(session, user)
    return data
