"""The search log: what visitors asked of the catalogue and how many offers they found.

Each catalogue search and match request becomes one `SearchEvent`, written in the
request's own transaction inside a savepoint, so that a failure to log is rolled back
alone and never fails the search. Only codes and counts are kept: no free text of a
project, no account, no address.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from matching import Profile
from passerelle.analytics.models import SearchEvent
from services_catalog.search import OfferFilters

logger = logging.getLogger(__name__)

SEARCH = "search"
MATCH = "match"


def log_search(session: Session, filters: OfferFilters, total: int) -> None:
    """Record a catalogue search (browse page or offers API) and its number of results.

    Further pages of the same search are not new searches and are not recorded.
    """
    if filters.page > 1:
        return
    query = dict(sorted(filters.active().items()))
    _record(
        session,
        SearchEvent(
            kind=SEARCH,
            country=_only(filters.country),
            sector=_only(filters.sector),
            query=query,
            results=total,
        ),
    )


def log_match(session: Session, profile: Profile, eligible: int) -> None:
    """Record a match request: the profile's codes (never its description) and the
    number of offers it is eligible for."""
    asked = {
        "country": [profile.target_country],
        "residence_country": [profile.residence_country],
        "sector": [profile.sector],
        "stage": [profile.stage],
        "applicant_type": [profile.applicant_type],
        "target_group": sorted(profile.groups or ()),
        "category": sorted(profile.needs or ()),
    }
    query = {name: codes for name, codes in sorted(asked.items()) if codes}
    _record(
        session,
        SearchEvent(
            kind=MATCH,
            country=profile.target_country,
            sector=profile.sector,
            query=query,
            results=eligible,
        ),
    )


def _only(codes: list[str]) -> str | None:
    return codes[0] if len(codes) == 1 else None


def _record(session: Session, event: SearchEvent) -> None:
    try:
        with session.begin_nested():
            session.add(event)
    except Exception:
        # Whatever went wrong, the search has its answer: losing one line of statistics
        # is the lesser harm. The savepoint has undone the insert and nothing else.
        logger.warning("search event not recorded", exc_info=True)
