"""Full-text documents re-indexed with the thesaurus's phrases (services_catalog.thesaurus).

Revision ID: 0019_understand
Revises: 0018_alerts
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

from services_catalog import search_index
from services_catalog.analysis import index_terms
from services_catalog.thesaurus import document_terms

revision = "0019_understand"
down_revision = "0018_alerts"
branch_labels = None
depends_on = None


def _reindex(terms) -> None:
    connection = op.get_bind()
    offers = connection.execute(
        text(
            "SELECT offer.id, offer.title, offer.description, organization.name FROM offer"
            " JOIN organization ON organization.id = offer.organization_id"
        )
    )
    search_index.upsert_many(
        connection, [(i, title, f"{desc} {name}") for i, title, desc, name in offers], terms
    )


def upgrade() -> None:
    _reindex(document_terms)


def downgrade() -> None:
    # The previous index held the words' stems only.
    _reindex(index_terms)
