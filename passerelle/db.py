"""Database engine, sessions and schema migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, create_engine

from passerelle import models  # noqa: F401  (every table, before any session opens)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_db_engine(url: str, **pool: float) -> Engine:
    """An engine for `url`; SQLite gets its data directory, foreign keys, WAL and secure
    deletion.

    `pool` sizes the connection pool (`pool_size`, `max_overflow`, `pool_timeout`).
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **pool)
    database = url.split("///", 1)[-1]
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, not left readable in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def empty_sqlite_log(engine: Engine) -> None:
    """On SQLite, move the write-ahead log into the database and empty the log file: the
    copies it keeps of pages as they were before a deletion go with it."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def upsert_insert(engine: Engine, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT on `table` that takes ON CONFLICT clauses, in the engine's dialect.

    Inserting with ON CONFLICT, rather than looking first, stays right when requests race.
    """
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    return insert(table)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block succeeds, rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def release_connection(session: Session) -> None:
    """End a read-only request's transaction before its page renders, so that its
    connection goes back to the pool meanwhile; the request's own commit then finds
    nothing to do, and anything read later opens a new transaction."""
    session.commit()


def is_managed_table(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Tell Alembic's comparison to leave alone what migrations write by hand (the FTS index)."""
    return not (type_ == "table" and name and name.startswith("offer_search"))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> bool:
    """Create the schema or bring it up to `revision`; running it twice changes nothing.

    Processes starting together on PostgreSQL take turns: the first migrates, the others
    then find the schema current. True when a migration ran.
    """
    with _migration_lock(engine):
        before = _current_revisions(engine)
        command.upgrade(alembic_config(engine), revision)
        return _current_revisions(engine) != before


# The key of the PostgreSQL advisory lock held while migrating ("psrl").
MIGRATION_LOCK_KEY = 0x7073_726C


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield  # SQLite: one file on one machine, migrated by `passerelle init` before serving
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            # A session-level lock outlives the connection's return to the pool.
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})


def _current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def schema_is_current(engine: Engine) -> bool:
    """Whether the database has the schema of the latest migration."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    return _current_revisions(engine) == heads
