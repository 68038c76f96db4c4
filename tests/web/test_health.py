"""Health checks answer at once, whatever the catalogue's size and the request pool's load."""

from __future__ import annotations

from contextlib import ExitStack

from fastapi.testclient import TestClient
from sqlalchemy import event

from passerelle.app import create_app
from passerelle.db import create_db_engine
from services_catalog.importing import import_offers
from services_catalog.synthetic import synthetic_offers


def test_healthz_says_the_database_answers_without_counting_the_catalogue(client, session, db):
    import_offers(session, list(enumerate(synthetic_offers(5), start=1)))
    session.commit()
    statements = []

    def remember(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db, "before_cursor_execute", remember)
    try:
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    finally:
        event.remove(db, "before_cursor_execute", remember)
    assert statements == []  # not one query on the request pool's engine


def test_liveness_and_readiness(client):
    assert client.get("/livez").json() == {"status": "ok"}
    assert client.app.state.recommender.wait_warm(timeout=30)
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "match_index": "ok"}


def test_healthz_answers_while_every_pooled_connection_is_taken(database_url, db, settings):
    engine = create_db_engine(database_url, pool_size=2, max_overflow=1, pool_timeout=0.2)
    app = create_app(settings.model_copy(update={"warm_index": False}), engine=engine)
    try:
        with TestClient(app) as client, ExitStack() as taken:
            for _ in range(3):
                taken.enter_context(engine.connect())
            assert engine.pool.checkedout() == 3
            assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
            assert client.get("/livez").status_code == 200
            # A page that needs a connection says the server is busy: no 500, no 30 s wait.
            page = client.get("/offers", headers={"Accept-Language": "en"})
            assert page.status_code == 503 and page.headers["Retry-After"] == "2"
            assert "The site is very busy right now" in page.text
            api = client.get("/api/v1/offers")
            assert api.status_code == 503 and "Retry-After" in api.headers
            assert api.json()["detail"].startswith("the server is busy")
    finally:
        engine.dispose()
