"""The search log: what visitors asked of the catalogue and how many offers they found.

Each catalogue search and match request becomes one `SearchEvent`. A search writes
nothing itself: its event waits in the process's `SearchLog`, which writes every waiting
event in one INSERT every few seconds and once more when the process stops. Writing a row
per search made every search a write (on SQLite, one at a time). What may be lost: the last
seconds of events when a process is killed without a chance to stop, the events of a
failed write, and the oldest events past `CAPACITY` if the database stays unavailable.
Only codes and counts are kept: no free text of a project, no account, no address.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque

from sqlalchemy import Engine, insert

from matching import Profile
from passerelle.analytics.models import SearchEvent
from services_catalog.search import OfferFilters

logger = logging.getLogger(__name__)

SEARCH = "search"
MATCH = "match"


# Events kept waiting at most: about a minute of searches at full load.
CAPACITY = 20_000


class SearchLog:
    """Search events waiting to be written, in memory; `flush` writes them in one INSERT."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._waiting: deque[dict] = deque(maxlen=CAPACITY)
        self._lock = threading.Lock()

    def add(self, event: SearchEvent) -> None:
        with self._lock:
            self._waiting.append(event.model_dump(exclude={"id"}))

    def flush(self) -> int:
        """Write the waiting events; how many were written."""
        with self._lock:
            batch = list(self._waiting)
            self._waiting.clear()
        if not batch:
            return 0
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(SearchEvent), batch)
        except Exception:
            # Losing statistics is the lesser harm than holding them without bound.
            logger.warning("%d search events not recorded", len(batch), exc_info=True)
            return 0
        return len(batch)

    async def flush_every(self, seconds: float) -> None:
        """Flush in a thread every `seconds`, until cancelled (then the caller flushes)."""
        while True:
            await asyncio.sleep(seconds)
            await asyncio.to_thread(self.flush)


def log_search(log: SearchLog, filters: OfferFilters, total: int) -> None:
    """Record a catalogue search (browse page or offers API) and its number of results.

    Further pages of the same search are not new searches and are not recorded.
    """
    if filters.page > 1:
        return
    query = dict(sorted(filters.active().items()))
    log.add(
        SearchEvent(
            kind=SEARCH,
            country=_only(filters.country),
            sector=_only(filters.sector),
            query=query,
            results=total,
        ),
    )


def log_match(log: SearchLog, profile: Profile, eligible: int) -> None:
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
    log.add(
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
