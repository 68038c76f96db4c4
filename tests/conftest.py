"""Shared fixtures: one migrated database per run, emptied after each test.

The database is a SQLite file by default, or the PostgreSQL database named by
TEST_DATABASE_URL (its public schema is dropped and rebuilt by migrating).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text, update
from sqlmodel import Session, SQLModel

from passerelle.app import create_app
from passerelle.db import create_db_engine, migrate
from passerelle.settings import Settings, get_settings, normalize_database_url
from services_catalog.following import catch_up
from services_catalog.models import CatalogueVersion
from tests.forms import DESELECTED


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        stash = items[0].config.stash
        stash[DESELECTED] = stash.get(DESELECTED, 0) + len(items)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that judge what the whole run did (form coverage) go after all the others."""
    items.sort(key=lambda item: item.get_closest_marker("after_the_suite") is not None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalize_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table is not CatalogueVersion.__table__:
                connection.execute(table.delete())
        connection.execute(text("DELETE FROM offer_search"))  # FTS5 has no foreign key
        # Written outside a session: say so, or the next test would browse stale indexes.
        connection.execute(update(CatalogueVersion).values(version=CatalogueVersion.version + 1))
    catch_up(engine)  # as a commit through a session does


@pytest.fixture(scope="session")
def empty_database(engine: Engine):
    """A function that empties every table, for fixtures wider than one test."""
    return lambda: _empty_tables(engine)


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied once the test is over."""
    yield engine
    _empty_tables(engine)


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    with Session(db, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(database_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at the test database, also seen by the CLI through the environment."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PASSERELLE_ENV", "test")
    monkeypatch.setenv("PASSERELLE_BASE_URL", "http://testserver")  # the test client's host
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def client(db: Engine, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=db)) as client:
        yield client


@pytest.fixture(scope="module")
def fresh_database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """An empty database for processes that build their own schema, kept for one module.

    With TEST_DATABASE_URL, a new PostgreSQL schema of that database (dropped afterwards),
    named in the URL's search path; without it None: SQLite, wherever the code puts it.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield None
        return
    schema = "fresh_" + request.module.__name__.rsplit(".", 1)[-1].lower()
    engine = create_db_engine(normalize_database_url(url))
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    yield f"{normalize_database_url(url)}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
