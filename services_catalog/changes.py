"""Which offers changed between two catalogue versions, read from the change log.

The in-memory indexes of every process keep the version they were built at; on a newer
one they reload only the offers named here and patch themselves, or rebuild everything
when the log cannot tell (see CatalogueChange).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services_catalog.models import (
    NO_OFFER,
    CatalogueChange,
    changed_offer_ids,
    changes_catalogue,
)
from services_catalog.service import catalogue_version

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


class Versioned(Protocol):
    @property
    def version(self) -> int:
        """The catalogue version it shows."""


V = TypeVar("V", bound=Versioned)


class Following(Generic[V]):
    """Per engine, something built from the catalogue (an index, a vocabulary), brought up
    to the catalogue's version whenever it is read.

    One request at a time updates an engine's, without holding up the others: they keep
    reading the one they had until the new one takes its place. A transaction that has
    changed the catalogue itself gets one of its own view, kept by nobody else.
    """

    def __init__(self) -> None:
        self._kept: weakref.WeakKeyDictionary[Engine, V] = weakref.WeakKeyDictionary()
        self._updating: weakref.WeakKeyDictionary[Engine, threading.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        # Called with the catalogue version and the seconds taken after each shared
        # rebuild or patch (the platform's metrics follow them).
        self.listeners: list[Callable[[int, float], None]] = []

    def current(self, session: Session, follow: Callable[[V | None, Session, int], V]) -> V:
        """This session's database's one at the catalogue's version: `follow(kept, session,
        version)` makes it from the one kept (None at first), patched or rebuilt."""
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        version = catalogue_version(session)  # flushes pending changes first
        with self._lock:
            kept = self._kept.get(engine)
            updating = self._updating.setdefault(engine, threading.Lock())
        if changes_catalogue(session):
            return follow(kept, session, version)
        if kept is not None and kept.version == version:
            return kept
        if not updating.acquire(blocking=kept is None):
            return kept  # another request is updating it
        try:
            with self._lock:  # it may have been updated while this request waited
                kept = self._kept.get(engine)
            if kept is not None and kept.version == version:
                return kept
            started = time.perf_counter()
            kept = follow(kept, session, version)
            with self._lock:
                self._kept[engine] = kept
            for listener in self.listeners:
                listener(version, time.perf_counter() - started)
            return kept
        finally:
            updating.release()
