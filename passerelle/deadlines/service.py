"""Calendar feeds: a secret address per person, and the offers whose dates it carries.

The token is random and only its SHA-256 is stored, as for API tokens: the address is
shown once, when made; making a new one replaces the hash, so the old address answers
404 from then on. Services flush; the request scope commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from passerelle.accounts import projects
from passerelle.accounts.models import UserAccount
from passerelle.deadlines.models import CalendarFeed
from passerelle.recommender import Recommender
from services_catalog.models import Offer, utcnow

# "psc_" tells a leaked feed address apart from other random strings (logs, scanners).
TOKEN_PREFIX = "psc_"
# A project's matches carried by the feed: the first ones its page shows.
MATCHES_IN_FEED = 10


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def feed_of(session: Session, user: UserAccount) -> CalendarFeed | None:
    return session.get(CalendarFeed, user.id)


def new_feed_token(session: Session, user: UserAccount) -> str:
    """A new secret for the person's feed, replacing (revoking) any earlier one."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed = session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=token_hash(secret))
    else:
        feed.token_hash, feed.created_at = token_hash(secret), utcnow()
    session.add(feed)
    session.flush()
    return secret


def revoke_feed(session: Session, user: UserAccount) -> None:
    """Stop the person's feed address from working, without making another."""
    feed = session.get(CalendarFeed, user.id)
    if feed is not None:
        session.delete(feed)
        session.flush()


def feed_owner(session: Session, secret: str) -> UserAccount | None:
    """The active account whose live feed address carries `secret`, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(secret)))
    if feed is None:
        return None
    user = session.get(UserAccount, feed.user_id)
    return user if user is not None and user.is_active else None


def feed_offers(
    session: Session, recommender: Recommender, user: UserAccount, today: date
) -> list[Offer]:
    """The published offers of the person's bookmarks, then of each project's top matches."""
    offers = [
        offer
        for _bookmark, offer in projects.bookmarked_offers(session, user)
        if offer.status == "published"
    ]
    matched: list[int] = []
    for project in projects.list_projects(session, user):
        profile = projects.project_profile(project)
        result = recommender.recommend(profile, as_of=today, top=MATCHES_IN_FEED)
        matched.extend(found.offer_id for found in result.results)
    if matched:
        # The matcher's index may lag a change by a moment: what is no longer published goes.
        found = session.scalars(
            select(Offer).where(Offer.id.in_(matched), Offer.status == "published")
        )
        by_id = {offer.id: offer for offer in found}
        offers.extend(by_id[offer_id] for offer_id in matched if offer_id in by_id)
    return offers
