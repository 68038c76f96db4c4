"""Saved searches and alerts of one person: save, list, change frequency, delete,
unsubscribe with a signed link. Services flush; the request (or job) scope commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, select
from sqlmodel import Session

from passerelle.accounts.errors import FormError, NotFoundError
from passerelle.accounts.models import Bookmark, Project, UserAccount
from passerelle.alerts.models import FREQUENCIES, Alert, SavedSearch
from passerelle.db import upsert_insert
from passerelle.i18n import N_
from passerelle.web.browse import query_pairs
from services_catalog.models import utcnow
from services_catalog.search import OfferFilters

# A new project is followed weekly and bookmarked deadlines are recalled, until the person
# says otherwise on "My alerts" or from a mail; a saved search is saved to be followed.
DEFAULT_FREQUENCY = {"project": "weekly", "search": "daily", "bookmarks": "immediate"}
MAX_NAME_LENGTH = 200
UNSUBSCRIBE_SALT = "passerelle.alerts.unsubscribe"


@dataclass(frozen=True)
class AlertRow:
    """An alert as "My alerts" lists it: what it watches, by name."""

    alert: Alert
    name: str
    query: str | None = None  # a saved search's browse query


def search_query(filters: OfferFilters) -> str:
    """The browse query string of `filters` (paging left out), as the browse page reads it."""
    return urlencode(query_pairs(filters))


def save_search(
    session: Session, user: UserAccount, filters: OfferFilters, name: str
) -> SavedSearch:
    """Keep the browse page's filters under a name, with a daily alert on its results."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise FormError("name", N_("Give the search a name of 1 to 200 characters."))
    if not filters.active():
        raise FormError("name", N_("Choose at least one filter or keyword before saving."))
    saved = SavedSearch(owner_id=user.id, name=name, query=search_query(filters))
    session.add(saved)
    session.flush()
    now = utcnow()
    session.add(
        Alert(
            owner_id=user.id,
            kind="search",
            saved_search_id=saved.id,
            frequency=DEFAULT_FREQUENCY["search"],
            checked_until=now,
        )
    )
    session.flush()
    return saved


def ensure_alerts(session: Session, *, owner_id: int | None = None) -> None:
    """Give every project, and every entrepreneur with bookmarks, its alert (default
    frequency, watching from now on). Safe when runs race: conflicts insert nothing."""
    now = utcnow()
    table = Alert.__table__
    projects = select(Project.owner_id, Project.id, Project.created_at).where(
        ~select(Alert.id).where(Alert.project_id == Project.id).exists()
    )
    bookmarkers = (
        select(Bookmark.user_id)
        .where(
            ~select(Alert.id)
            .where(and_(Alert.owner_id == Bookmark.user_id, Alert.kind == "bookmarks"))
            .exists()
        )
        .distinct()
    )
    if owner_id is not None:
        projects = projects.where(Project.owner_id == owner_id)
        bookmarkers = bookmarkers.where(Bookmark.user_id == owner_id)
    rows = [
        {"owner_id": owner, "kind": "project", "project_id": project_id, "saved_search_id": None}
        for owner, project_id, _ in session.execute(projects)
    ] + [
        {"owner_id": owner, "kind": "bookmarks", "project_id": None, "saved_search_id": None}
        for (owner,) in session.execute(bookmarkers)
    ]
    if not rows:
        return
    values = [
        {
            **row,
            "frequency": DEFAULT_FREQUENCY[row["kind"]],
            "checked_until": now,
            "created_at": now,
        }
        for row in rows
    ]
    session.execute(
        upsert_insert(session.get_bind(), table).values(values).on_conflict_do_nothing()
    )


def list_alerts(session: Session, user: UserAccount) -> list[AlertRow]:
    """The person's alerts: projects first, then saved searches, then bookmarks."""
    ensure_alerts(session, owner_id=user.id)
    query = (
        select(Alert, Project.name, SavedSearch.name, SavedSearch.query)
        .outerjoin(Project, Project.id == Alert.project_id)
        .outerjoin(SavedSearch, SavedSearch.id == Alert.saved_search_id)
        .where(Alert.owner_id == user.id)
        .order_by(Alert.kind, Alert.id)
    )
    return [
        AlertRow(alert, project_name or search_name or "", search_query_)
        for alert, project_name, search_name, search_query_ in session.execute(query)
    ]


def get_alert(session: Session, user: UserAccount, alert_id: int) -> Alert:
    """The person's alert, or NotFoundError: another person's alert does not exist here."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.owner_id != user.id:
        raise NotFoundError()
    return alert


def check_frequency(value: str) -> str:
    if value not in FREQUENCIES:
        raise FormError("frequency", N_("Choose how often: immediately, daily, weekly or never."))
    return value


def set_frequency(session: Session, alert: Alert, frequency: str, *, now: datetime) -> Alert:
    """Change how often the alert mails; turned back on, it watches from now on, so that
    it does not send what changed while it was off."""
    frequency = check_frequency(frequency)
    if alert.frequency == "none" and frequency != "none":
        alert.checked_until = now
    alert.frequency = frequency
    session.add(alert)
    session.flush()
    return alert


def delete_alert(session: Session, alert: Alert) -> None:
    """A saved search goes with its alert; a project's or the bookmarks' alert is turned
    off (it follows the project or the bookmarks, which stay)."""
    if alert.saved_search_id is not None:
        session.delete(session.get(SavedSearch, alert.saved_search_id))
    else:
        alert.frequency = "none"
        session.add(alert)
    session.flush()


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret: str, alert_id: int) -> str:
    """A signed token naming one alert; it does not expire, as old mails keep their link."""
    return _serializer(secret).dumps({"alert": alert_id})


def alert_from_token(session: Session, secret: str, token: str) -> Alert:
    """The alert a signed token names, or NotFoundError for a forged or stale token."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        raise NotFoundError() from None
    alert_id = data.get("alert") if isinstance(data, dict) else None
    alert = session.get(Alert, alert_id) if isinstance(alert_id, int) else None
    if alert is None:
        raise NotFoundError()
    return alert


def unsubscribe(session: Session, alert: Alert) -> Alert:
    """Stop this one alert, and nothing else."""
    alert.frequency = "none"
    session.add(alert)
    session.flush()
    return alert


def alert_name(session: Session, alert: Alert) -> str:
    """The project's or saved search's name ("" for the bookmarks' reminders)."""
    if alert.project_id is not None:
        return session.get(Project, alert.project_id).name
    if alert.saved_search_id is not None:
        return session.get(SavedSearch, alert.saved_search_id).name
    return ""
