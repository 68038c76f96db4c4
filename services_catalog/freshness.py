"""How long an offer's facts are trusted: its provider is asked to confirm them after
11 months, and after 12 the offer is flagged to staff and to the public.

An offer counts as verified on its last-verified date (a provider's "still accurate",
an approval, an import); one never verified counts from its creation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_

from services_catalog.models import Offer

REMIND_AFTER = timedelta(days=335)  # about 11 months: the provider is asked to confirm
STALE_AFTER = timedelta(days=365)  # 12 months: flagged to staff and shown to the public


def stale_since(last_verified_on: date | None, today: date) -> date | None:
    """The last-verified date, when it is 12 months old or more (None otherwise, and for
    an offer never verified, which pages already call so)."""
    if last_verified_on is not None and last_verified_on < today - STALE_AFTER:
        return last_verified_on
    return None


def reference_day(offer: Offer) -> date:
    """The day the offer's facts were last known true."""
    return offer.last_verified_on or offer.created_at.date()


def unconfirmed_for(age: timedelta, today: date) -> ColumnElement[bool]:
    """Offers whose facts were last known true more than `age` before `today`."""
    cutoff = today - age
    created_before = datetime.combine(cutoff, time(), tzinfo=UTC)
    return or_(
        Offer.last_verified_on < cutoff,
        and_(Offer.last_verified_on.is_(None), Offer.created_at < created_before),
    )
