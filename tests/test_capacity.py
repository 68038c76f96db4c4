"""A full server queues what it can and answers the rest 503 with Retry-After, never 500.

The one admitted request is held by holding the only database connection its engine has.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest

from passerelle.app import create_app
from passerelle.db import create_db_engine, migrate
from passerelle.serving import background_server

SETTLE = 0.5  # seconds for a request sent to reach its handler


@pytest.fixture
def held_engine(database_url, tmp_path):
    """An engine of one connection, and a way to take that connection from the test; on
    SQLite, over a database of its own, so that no other connection of the run shares
    its file locks."""
    own = database_url.startswith("sqlite")
    if own:
        database_url = f"sqlite:///{tmp_path / 'held.db'}"
    engine = create_db_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=10)
    if own:
        migrate(engine)
    yield engine
    engine.dispose()


@contextmanager
def limited_server(settings, engine, **limits) -> Iterator[httpx.Client]:
    """A client of a real server (requests in parallel) with these limits."""
    limited = settings.model_copy(update={"warm_index": False, **limits})
    with background_server(create_app(limited, engine=engine)) as url:
        yield httpx.Client(base_url=url, timeout=20)


def test_a_request_beyond_the_limit_and_the_queue_gets_503_at_once(db, settings, held_engine):
    limits = {"max_concurrency": 1, "max_queue": 0}
    with limited_server(settings, held_engine, **limits) as client, ThreadPoolExecutor(1) as pool:
        with held_engine.connect():
            first = pool.submit(client.get, "/api/v1/offers")  # admitted, waits for the DB
            time.sleep(SETTLE)
            started = time.monotonic()
            page = client.get("/offers", headers={"Accept-Language": "fr"})
            api = client.get("/api/v1/offers?country=SN")
            waited = time.monotonic() - started
            health = client.get("/healthz")
        assert first.result().status_code == 200  # served once the connection was free
    assert waited < 2
    assert page.status_code == 503 and page.headers["Retry-After"] == "2"
    assert "Le site est très sollicité" in page.text
    assert api.status_code == 503 and api.headers["Retry-After"] == "2"
    assert health.status_code == 200


def test_a_queued_request_waits_for_its_turn_within_the_queue_timeout(db, settings, held_engine):
    limits = {"max_concurrency": 1, "max_queue": 5, "queue_timeout": 2}
    with limited_server(settings, held_engine, **limits) as client, ThreadPoolExecutor(2) as pool:
        with held_engine.connect():
            first = pool.submit(client.get, "/api/v1/offers")
            time.sleep(SETTLE)
            too_long = client.get("/api/v1/offers?country=SN")  # the turn never comes
            queued = pool.submit(client.get, "/api/v1/offers?country=ML")
            time.sleep(SETTLE)
        statuses = [first.result().status_code, queued.result().status_code]
    assert too_long.status_code == 503 and too_long.headers["Retry-After"] == "2"
    assert statuses == [200, 200]
