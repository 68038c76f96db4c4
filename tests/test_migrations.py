import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from subprocess import PIPE, STDOUT

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlmodel import SQLModel

from passerelle.db import (
    MIGRATION_LOCK_KEY,
    alembic_config,
    create_db_engine,
    downgrade,
    is_managed_table,
    migrate,
)
from services_catalog.taxonomy import fold

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


# A fresh interpreter, as a command or worker starts: this test process imports everything.
TABLES_SEEN_BY_A_COMMAND = textwrap.dedent(
    """
    import sys

    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    from passerelle.db import create_db_engine, is_managed_table, migrate

    known = set(SQLModel.metadata.tables)
    engine = create_db_engine(sys.argv[1])
    migrate(engine)
    created = {
        name for name in inspect(engine).get_table_names()
        if name != "alembic_version" and is_managed_table(name, "table", {})
    }
    assert created - known == set(), f"tables without their model: {sorted(created - known)}"
    """
)


def test_whoever_opens_the_database_knows_every_table(tmp_path):
    ran = subprocess.run(
        [sys.executable, "-c", TABLES_SEEN_BY_A_COMMAND, f"sqlite:///{tmp_path / 'cmd.db'}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr


def _insert(connection, table: str, **values) -> None:
    columns = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"),
        values,
    )


def test_changes_stored_by_organisation_name_get_its_id(db):
    """A change that named a since-renamed organisation stays with the offer's own."""
    before = ScriptDirectory.from_config(alembic_config(db)).get_revision("0008_journeys")
    downgrade(db, before.down_revision)
    now = datetime.now(UTC)
    with db.begin() as connection:
        for id_, name in ((1, "Teranga Capital"), (2, "Sun Hub Dakar")):
            _insert(connection, "organization", id=id_, name=name, name_key=fold(name),
                    description="", type="investor", countries="[]", verified=False,
                    created_at=now, updated_at=now)  # fmt: skip
        for id_ in (1, 2):
            _insert(connection, "offer", id=id_, title="Prêt", description="Un prêt.", lang="fr",
                    organization_id=1, kind="financing", status="published",
                    created_at=now, updated_at=now)  # fmt: skip
        # Proposed under the organisation's former name; and moving to another organisation.
        for id_, name in ((1, "Teranga Invest"), (2, "SUN HUB Dakar")):
            record = json.dumps({"title": "Prêt", "organization": name})
            _insert(connection, "offer_revision", id=id_, offer_id=id_, record=record,
                    submitted_at=now)  # fmt: skip
    migrate(db)
    with db.connect() as connection:
        linked = connection.execute(text("SELECT id, organization_id FROM offer_revision"))
        assert sorted(linked) == [(1, 1), (2, 2)]


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
