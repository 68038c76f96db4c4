"""Which offers changed between two catalogue versions, read from the change log.

The in-memory indexes of every process keep the version they were built at; on a newer
one they reload only the offers named here and patch themselves, or rebuild everything
when the log cannot tell (see CatalogueChange).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.models import (
    NO_OFFER,
    CatalogueChange,
    changed_offer_ids,
    changes_catalogue,
)

# Past this many offers a patch costs about as much as a rebuild (reading them is most of
# either), and a rebuild also drops what patches leave behind.
MAX_PATCHED_OFFERS = 5_000


def offers_changed(session: Session, since: int, until: int) -> frozenset[int] | None:
    """The offers changed by versions `since` (excluded) to `until`, plus those this
    session's own transaction changed; None when everything must be reloaded."""
    if until < since:
        return None  # the database was replaced under the index
    own = changed_offer_ids(session) if changes_catalogue(session) else frozenset()
    if own is None:
        return None
    if until == since:
        return own
    limit = MAX_PATCHED_OFFERS + (until - since) + 1
    rows = session.execute(
        select(CatalogueChange.version, CatalogueChange.offer_id)
        .where(CatalogueChange.version > since, CatalogueChange.version <= until)
        .limit(limit)
    ).all()
    listed_versions = {version for version, _ in rows}
    offer_ids = {offer_id for _, offer_id in rows} - {NO_OFFER}
    if len(rows) == limit or len(listed_versions) != until - since:
        return None  # too many, or a version that did not list its offers
    offer_ids |= own
    return frozenset(offer_ids) if len(offer_ids) <= MAX_PATCHED_OFFERS else None
