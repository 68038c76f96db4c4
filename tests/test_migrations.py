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
