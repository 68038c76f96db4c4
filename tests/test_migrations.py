import subprocess
import sys
import textwrap

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from passerelle.db import create_db_engine, downgrade, is_managed_table, migrate


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
