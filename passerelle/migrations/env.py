"""Alembic environment: runs migrations on the engine the platform hands over."""

from alembic import context
from sqlmodel import SQLModel

from passerelle.db import is_managed_table  # which also declares every table

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand: use the platform's settings
    from passerelle.db import create_db_engine
    from passerelle.settings import get_settings

    engine = create_db_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=is_managed_table,
    )
    with context.begin_transaction():
        context.run_migrations()
