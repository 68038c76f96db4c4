"""Readers never wait for an index update: they get the index there is, and a background
thread brings it up to date. Changes come here from another engine on the test database,
as from another process (this engine's own commits update its indexes before they return).

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from matching import MatchIndex
from passerelle.db import create_db_engine
from passerelle.recommender import Recommender
from services_catalog import browse_index, following
from services_catalog.importing import import_offers
from services_catalog.models import Offer
from services_catalog.search import _current_index
from services_catalog.synthetic import synthetic_offers
from services_catalog.workflow import archive

TODAY = date(2026, 11, 23)
HELD_AT_MOST = 30  # seconds; a reader that waited for a held update would get the new index


@pytest.fixture
def elsewhere(db: Engine) -> Iterator[Engine]:
    """An engine of its own on the test database, as another process has."""
    engine = create_db_engine(db.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


@pytest.fixture
def catalogue(session) -> None:
    import_offers(session, list(enumerate(synthetic_offers(8, seed=5), 1)), today=TODAY)
    session.commit()


def browse(db: Engine) -> browse_index.BrowseIndex:
    with Session(db) as reader:
        return _current_index(reader)


def archive_first_offer(engine: Engine) -> int:
    with Session(engine) as writer:
        offer = writer.scalars(select(Offer).where(Offer.status == "published")).first()
        archive(writer, offer, actor_id=None)
        writer.commit()
        return offer.id


def background_updates() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith("-index-update")]


def published(index: browse_index.BrowseIndex) -> np.ndarray:
    return index.offer_ids[index.status == "published"]


def test_readers_get_the_index_they_have_while_the_update_runs(
    db, catalogue, elsewhere, monkeypatch
):
    recommender = Recommender(db, needs_model=None, recheck_seconds=0)
    old_match, old_browse = recommender.index(), browse(db)
    release = threading.Event()
    browse_patch, match_patch = browse_index.patch, MatchIndex.patched

    def held_browse_patch(*args, **kwargs):
        release.wait(HELD_AT_MOST)
        return browse_patch(*args, **kwargs)

    def held_match_patch(self, *args, **kwargs):
        release.wait(HELD_AT_MOST)
        return match_patch(self, *args, **kwargs)

    monkeypatch.setattr(browse_index, "patch", held_browse_patch)
    monkeypatch.setattr(MatchIndex, "patched", held_match_patch)
    archived = archive_first_offer(elsewhere)
    assert browse(db) is old_browse
    assert recommender.index() is old_match
    updates = background_updates()
    assert sorted(t.name for t in updates) == ["browse-index-update", "match-index-update"]
    assert all(t.daemon for t in updates)
    assert browse(db) is old_browse  # one update at a time: no second one started
    assert background_updates() == updates
    release.set()
    for update in updates:
        update.join(HELD_AT_MOST)
    assert browse(db).version == old_browse.version + 1
    assert archived in published(old_browse) and archived not in published(browse(db))
    assert archived in old_match.offer_ids and archived not in recommender.index().offer_ids


def test_a_failed_update_is_logged_leaves_the_index_and_is_tried_again(
    db, catalogue, elsewhere, monkeypatch, caplog
):
    old = browse(db)
    browse_patch = browse_index.patch

    attempts = []

    def failing_patch(*_args, **_kwargs):
        attempts.append(True)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(browse_index, "patch", failing_patch)
    monkeypatch.setattr(following, "RETRY_SECONDS", 0)
    archived = archive_first_offer(elsewhere)
    with caplog.at_level(logging.ERROR, logger=following.__name__):
        assert browse(db) is old
        for update in background_updates():
            update.join(HELD_AT_MOST)
    assert "the browse index could not follow the catalogue" in caplog.text
    assert browse(db) is old
    for update in background_updates():
        update.join(HELD_AT_MOST)
    assert len(attempts) == 2  # the next reader started another attempt
    monkeypatch.setattr(browse_index, "patch", browse_patch)
    assert browse(db) is old
    for update in background_updates():
        update.join(HELD_AT_MOST)
    assert archived not in published(browse(db))
