"""Full-text documents re-indexed under French and English stems (services_catalog.analysis).

Revision ID: 0012_search
Revises: 0011_review
Create Date: 2026-12-05
"""

from alembic import op
from sqlalchemy import text

from services_catalog import search_index
from services_catalog.analysis import fold_words, index_terms

revision = "0012_search"
down_revision = "0011_review"
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
    _reindex(index_terms)


def downgrade() -> None:
    # The previous index held every folded word as written.
    _reindex(fold_words)
