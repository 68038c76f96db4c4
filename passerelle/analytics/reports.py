"""The dashboard's other reports: searches that found nothing, deadlines, stale offers,
and how quickly providers answer interest requests. Read-only queries."""

from __future__ import annotations

import itertools
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, case, cast, func, or_, select
from sqlmodel import Session

from passerelle.analytics.models import SearchEvent
from passerelle.interest.models import InterestRequest
from services_catalog.freshness import STALE_AFTER
from services_catalog.models import Offer, Organization

STALE_AFTER_DAYS = STALE_AFTER.days
# Verification age bands, in days, for the chart of the whole published catalogue.
AGE_BANDS = (182, 365, 730)


@dataclass(frozen=True)
class EmptySearch:
    """Searches or match requests asking the same thing, that all found nothing."""

    kind: str
    query: dict
    times: int
    last_at: datetime


def empty_searches(session: Session, *, since: datetime, limit: int = 50) -> list[EmptySearch]:
    """Recent searches with no result, grouped by what was asked, most frequent first."""
    asked = cast(SearchEvent.query, String)
    last_at = func.max(SearchEvent.at)
    query = (
        select(SearchEvent.kind, asked, func.count(), last_at)
        .where(SearchEvent.results == 0, SearchEvent.at >= since)
        .group_by(SearchEvent.kind, asked)
        .order_by(func.count().desc(), last_at.desc())
        .limit(limit)
    )
    return [
        EmptySearch(kind, json.loads(text), times, at)
        for kind, text, times, at in session.execute(query)
    ]


@dataclass(frozen=True)
class OfferLine:
    """An offer as a report lists it: with a date (its deadline or last verification)."""

    id: int
    title: str
    organization: str
    day: date | None


def _offer_lines(session: Session, day_column, *conditions, order_by) -> list[OfferLine]:
    query = (
        select(Offer.id, Offer.title, Organization.name, day_column)
        .join(Organization, Organization.id == Offer.organization_id)
        .where(Offer.status == "published", *conditions)
        .order_by(*order_by)
    )
    return [OfferLine(*row) for row in session.execute(query)]


def upcoming_deadlines(session: Session, *, today: date, days: int = 30) -> list[OfferLine]:
    """Published offers closing between today and `days` days from now, soonest first."""
    return _offer_lines(
        session,
        Offer.deadline,
        Offer.deadline >= today,
        Offer.deadline <= today + timedelta(days=days),
        order_by=(Offer.deadline, Offer.title),
    )


def stale_offers(session: Session, *, today: date) -> list[OfferLine]:
    """Published offers not verified for a year (or never), the longest unverified first."""
    cutoff = today - timedelta(days=STALE_AFTER_DAYS)
    return _offer_lines(
        session,
        Offer.last_verified_on,
        or_(Offer.last_verified_on.is_(None), Offer.last_verified_on < cutoff),
        order_by=(Offer.last_verified_on.asc().nulls_first(), Offer.title),
    )


def verification_ages(session: Session, *, today: date) -> list[int]:
    """Published offers per age band of their last verification; the last band is never."""
    verified = Offer.last_verified_on
    limits = [None, *(today - timedelta(days=days) for days in AGE_BANDS), None]
    bands = []
    for newest, oldest in itertools.pairwise(limits):  # from the most recent band back
        condition = verified.is_not(None)
        if newest is not None:
            condition &= verified < newest
        if oldest is not None:
            condition &= verified >= oldest
        bands.append(condition)
    bands.append(verified.is_(None))
    counts = [func.sum(case((condition, 1), else_=0)) for condition in bands]
    row = session.execute(select(*counts).where(Offer.status == "published")).one()
    return [int(n or 0) for n in row]


@dataclass(frozen=True)
class ResponseTimes:
    """How one organisation answers the interest requests it receives."""

    organization_id: int
    organization: str
    answered: int
    unanswered: int
    median: timedelta | None  # from sending to answer, over the answered requests


def response_times(session: Session) -> list[ResponseTimes]:
    """Per organisation with requests: the most left unanswered first, then the slowest."""
    query = select(
        InterestRequest.organization_id,
        Organization.name,
        InterestRequest.created_at,
        InterestRequest.answered_at,
    ).join(Organization, Organization.id == InterestRequest.organization_id)
    delays: dict[tuple[int, str], list[float]] = defaultdict(list)
    waiting: dict[tuple[int, str], int] = defaultdict(int)
    for organization_id, name, created_at, answered_at in session.execute(query):
        key = (organization_id, name)
        if answered_at is None:
            waiting[key] += 1
        else:
            delays[key].append((answered_at - created_at).total_seconds())
    rows = [
        ResponseTimes(
            organization_id=key[0],
            organization=key[1],
            answered=len(delays[key]),
            unanswered=waiting[key],
            median=timedelta(seconds=statistics.median(delays[key])) if delays[key] else None,
        )
        for key in set(delays) | set(waiting)
    ]
    slowest = timedelta.max
    return sorted(
        rows,
        key=lambda r: (-r.unanswered, -(r.median or slowest).total_seconds(), r.organization),
    )
