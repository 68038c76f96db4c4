import os
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE, STDOUT

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, make_url, text
from sqlmodel import SQLModel

from passerelle.db import MIGRATION_LOCK_KEY, create_db_engine, downgrade, is_managed_table, migrate

PASSERELLE = Path(sys.executable).parent / "passerelle"


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": is_managed_table})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrations_go_down_and_up_again(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'updown.db'}")
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    downgrade(engine, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    migrate(engine)
    assert {"offer", "offer_criterion", "organization", "user_account"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_processes_starting_together_migrate_once(engine, database_url, tmp_path):
    """Two `passerelle init` at once on an empty PostgreSQL schema: one migrates, the
    other waits for it, then finds the schema current; both succeed."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the migration lock is PostgreSQL's (set TEST_DATABASE_URL)")
    schema = "concurrent_init"
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    env = os.environ | {
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "PASSERELLE_DATA_DIR": str(tmp_path),
        "PASSERELLE_ENV": "test",
    }
    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND objid = :key AND database = (SELECT oid FROM pg_database"
        " WHERE datname = current_database())"
    )
    with engine.connect() as holder:
        holder.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        holder.execute(text(f"CREATE SCHEMA {schema}"))
        holder.commit()
        # Hold the lock until both processes wait for it, so that they really meet.
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            processes = [
                subprocess.Popen(
                    [PASSERELLE, "init"], env=env, stdout=PIPE, stderr=STDOUT, text=True
                )
                for _ in range(2)
            ]
            deadline = time.monotonic() + 150
            while holder.scalar(waiting, {"key": MIGRATION_LOCK_KEY}) < 2:
                assert time.monotonic() < deadline, "the processes never waited for the lock"
                assert all(p.poll() is None for p in processes), "a process ended unlocked"
                time.sleep(0.2)
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            holder.commit()
        outputs = [process.communicate(timeout=150)[0] for process in processes]
        holder.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        holder.commit()
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sorted("(schema migrated)" in output for output in outputs) == [False, True]
