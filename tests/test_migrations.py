import json
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from passerelle.db import alembic_config, create_db_engine, downgrade, is_managed_table, migrate
from services_catalog.taxonomy import fold


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
