"""Full-text index of offers: FTS5 on SQLite, a weighted tsvector with GIN on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
from sqlalchemy import text

from services_catalog import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    search_index.create_table(connection)
    offers = connection.execute(
        text(
            "SELECT offer.id, offer.title, offer.description, organization.name FROM offer"
            " JOIN organization ON organization.id = offer.organization_id"
        )
    )
    search_index.upsert_many(
        connection, [(i, title, f"{desc} {name}") for i, title, desc, name in offers]
    )


def downgrade() -> None:
    op.execute("DROP TABLE offer_search")
