"""In-memory indexes that follow the catalogue version, updated off the request path.

A process keeps each index as an immutable value and swaps in the next one when it is
ready. A reader that finds its index behind the catalogue takes the one there is (stale
by at most one update) and starts a background update; only the first build makes
readers wait. After a commit that changed the catalogue, the committing process brings
its indexes up to date before the commit returns, so a writer reads its own change at
once; other processes follow through their readers' background updates.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import nullcontext
from typing import Generic, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services_catalog.changes import offers_changed
from services_catalog.models import catalogue_commit_listeners, changes_catalogue, engine_of
from services_catalog.service import catalogue_version

logger = logging.getLogger(__name__)

T = TypeVar("T")
# build(session, version) makes an index anew; patch(session, index, version, offer_ids)
# makes the one at `version` from `index`, the offers `offer_ids` read again.
Build = Callable[[Session, int], T]
Patch = Callable[[Session, T, int, frozenset[int]], T]
# After a failed background update, readers wait this long before starting another (a
# database that is down is not asked again by every request).
RETRY_SECONDS = 1.0


class Follower(Generic[T]):
    """One index of one database in this process, kept at the catalogue's version.

    An update patches the index with the offers the change log names (see `follow`);
    `on_update(version, seconds)` is told of each new index. One update runs at a time;
    readers are never held up by one, except while there is no index at all.
    """

    def __init__(
        self,
        engine: Engine,
        name: str,
        build: Build[T],
        patch: Patch[T],
        on_update: Callable[[int, float], None],
    ) -> None:
        # Weak: a follower kept in a table keyed by its engine must not keep the engine.
        self._engine = weakref.ref(engine)
        self.name = name
        self._build = build
        self._patch = patch
        self._on_update = on_update
        self._lock = threading.Lock()  # guards the fields below, held only to read or swap
        self._updating = threading.Lock()  # held by the one update running
        self._index: T | None = None
        self._version: int | None = None
        self._thread: threading.Thread | None = None
        self._failed_at = float("-inf")
        with _registry_lock:
            _followers.setdefault(engine, weakref.WeakSet()).add(self)

    @property
    def index(self) -> T | None:
        """The latest index, None before the first build."""
        return self._index

    @property
    def version(self) -> int | None:
        """The catalogue version the latest index shows, None before the first build."""
        return self._version

    def update(self, session: Session | None = None) -> T:
        """The index brought up to the catalogue's version now, waiting for an update
        already running; read through `session` (a reader's, for the first build) or a
        session of its own."""
        with self._updating:
            engine = self._engine()
            if session is None and engine is None:
                raise RuntimeError(f"the database of the {self.name} is gone")
            with Session(engine) if session is None else nullcontext(session) as reading:
                version = catalogue_version(reading)
                with self._lock:
                    index, since = self._index, self._version
                if index is not None and since == version:
                    return index
                started = time.perf_counter()
                index = follow(reading, index, since, version, self._build, self._patch)
            with self._lock:
                self._index, self._version = index, version
            self._on_update(version, time.perf_counter() - started)
            return index

    def update_in_background(self) -> None:
        """Start an update in a background thread, unless one is running or the last one
        failed less than RETRY_SECONDS ago."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            if time.monotonic() - self._failed_at < RETRY_SECONDS:
                return
            self._thread = threading.Thread(
                target=self._update_logged,
                name=f"{self.name.replace(' ', '-')}-update",
                daemon=True,
            )
            self._thread.start()

    def _update_logged(self) -> None:
        try:
            self.update()
        except Exception:
            # Readers keep the index they have; a later one starts the next attempt.
            logger.exception("the %s could not follow the catalogue", self.name)
            with self._lock:
                self._failed_at = time.monotonic()


def follow(
    session: Session,
    index: T | None,
    since: int | None,
    version: int,
    build: Build[T],
    patch: Patch[T],
) -> T:
    """The index at `version` from `index` (at `since`): patched with the offers the change
    log names, or built anew when there is none yet or the log cannot tell."""
    changed = None if index is None else offers_changed(session, since, version)
    if changed is None:
        return build(session, version)
    return patch(session, index, version, changed)


class Versioned(Protocol):
    @property
    def version(self) -> int:
        """The catalogue version it shows."""


V = TypeVar("V", bound=Versioned)


class Followed(Generic[V]):
    """Something built from the catalogue (an index, a vocabulary), one per database in
    this process, each kept by its Follower.

    `build` and `patch` make it (see `follow`); `listeners` are told of each update's
    version and seconds.
    """

    def __init__(
        self,
        name: str,
        build: Build[V],
        patch: Patch[V],
        listeners: list[Callable[[int, float], None]] | None = None,
    ) -> None:
        self.name = name
        self._build = build
        self._patch = patch
        self._followers: weakref.WeakKeyDictionary[Engine, Follower[V]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self.listeners = [] if listeners is None else listeners

    def _observe(self, version: int, seconds: float) -> None:
        for listener in self.listeners:
            listener(version, seconds)

    def _follower(self, engine: Engine) -> Follower[V]:
        with self._lock:
            follower = self._followers.get(engine)
            if follower is None:
                follower = Follower(engine, self.name, self._build, self._patch, self._observe)
                self._followers[engine] = follower
            return follower

    def current(self, session: Session) -> V:
        """The one of this session's database, as up to date as this process has it.

        One behind the catalogue's version is returned as it is, and brought up to date by
        a background update meanwhile; only the first build makes requests wait. A
        transaction that has changed the catalogue itself gets one of its own view, kept
        by nobody else.
        """
        version = catalogue_version(session)  # flushes pending changes first
        follower = self._follower(engine_of(session))
        kept = follower.index
        if changes_catalogue(session):
            since = None if kept is None else kept.version
            return follow(session, kept, since, version, self._build, self._patch)
        if kept is None:
            return follower.update(session)
        if kept.version != version:
            follower.update_in_background()
        return kept


_followers: weakref.WeakKeyDictionary[Engine, weakref.WeakSet[Follower]] = (
    weakref.WeakKeyDictionary()
)
_registry_lock = threading.Lock()


def catch_up(engine: Engine) -> None:
    """Bring this process's built indexes of `engine` up to the catalogue's version now
    (indexes not built yet are left to their first reader). A failure is logged, and the
    index left to its readers' next background update."""
    with _registry_lock:
        followers = list(_followers.get(engine, ()))
    for follower in followers:
        if follower.index is None:
            continue
        try:
            follower.update()
        except Exception:
            logger.exception("the %s could not follow a commit", follower.name)


# Every commit that changes the catalogue brings the committing process's indexes up to
# date before it returns (read-your-writes for the request that made it).
catalogue_commit_listeners.append(catch_up)
