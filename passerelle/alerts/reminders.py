"""Deadline reminders: 7 days and 1 day before an offer's window closes, for the offers a
person bookmarked and for the top matches of their projects; one mail per offer, person
and threshold, whatever the number of runs, workers, or projects the offer matches."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts.models import Bookmark, Project, UserAccount
from passerelle.alerts.jobs import (
    Changed,
    entry,
    match_index,
    project_matches,
    published_offers_where,
)
from passerelle.alerts.mailing import send_alert_mail
from passerelle.alerts.models import Alert
from passerelle.alerts.service import ensure_alerts
from passerelle.settings import Settings
from services_catalog.models import Offer

REMINDER_DAYS = (7, 1)
# A project's "top matches", as its page shows them.
TOP_MATCHES = 10


def threshold(days_left: int) -> int | None:
    """The reminder a number of days left calls for: a run missed on the very day still
    sends it later, and each threshold is sent once (its dedupe key)."""
    for days in sorted(REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def closing_offers(session: Session, now: datetime) -> dict[int, Changed]:
    """Published offers whose window closes within the longest reminder's horizon."""
    today = now.date()
    return published_offers_where(
        session,
        Offer.deadline >= today,
        Offer.deadline <= today + timedelta(days=max(REMINDER_DAYS)),
    )


def run_reminders(session: Session, settings: Settings, now: datetime) -> int:
    """Queue the reminders due on `now`'s day; returns how many were queued."""
    ensure_alerts(session)
    closing = closing_offers(session, now)
    if not closing:
        return 0
    # (alert, user, offer id, what it is: a bookmark or a project's name)
    due = [
        (alert, user, offer_id, None)
        for alert, user, offer_id in session.execute(
            select(Alert, UserAccount, Bookmark.offer_id)
            .join(UserAccount, UserAccount.id == Alert.owner_id)
            .join(Bookmark, Bookmark.user_id == Alert.owner_id)
            .where(
                Alert.kind == "bookmarks",
                Alert.frequency != "none",
                UserAccount.is_active,
                Bookmark.offer_id.in_(list(closing)),
            )
        )
    ]
    rows = session.execute(
        select(Alert, Project, UserAccount)
        .join(Project, Project.id == Alert.project_id)
        .join(UserAccount, UserAccount.id == Alert.owner_id)
        .where(Alert.kind == "project", Alert.frequency != "none", UserAccount.is_active)
        .order_by(Alert.id)
    ).all()
    index = match_index(session)
    published = index.offer_ids.tolist()
    best = project_matches(session, rows, published, TOP_MATCHES, now.date(), within=closing)
    for (alert, project, user), picks in zip(rows, best, strict=True):
        due.extend((alert, user, pick.offer_id, project.name) for pick in picks)
    queued = 0
    for alert, user, offer_id, project_name in due:
        changed = closing[offer_id]
        days_left = (changed.deadline - now.date()).days
        days = threshold(days_left)
        if days is None:
            continue
        key = f"reminder:{user.id}:offer:{offer_id}:{changed.deadline.isoformat()}:d{days}"
        context = {
            "entry": entry(settings, changed, []),
            "days_left": days_left,
            "project_name": project_name,
        }
        queued += send_alert_mail(
            session, settings, user, alert, "deadline_reminder", context, dedupe_key=key
        )
    return queued
