"""The PostgreSQL offer_search table only stores the offers' terms: its GIN index goes.

Full-text searches are answered from the browse index in memory (text_index), which reads
the terms of this table when it is built or patched, by offer id; nothing looks terms up
in the table any more, and the GIN index only slowed every write of an offer.

Revision ID: 0022_term_store
Revises: 0021_classdb
Create Date: 2026-12-06
"""

from alembic import op

revision = "0022_term_store"
down_revision = "0021_classdb"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_offer_search_document")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_offer_search_document"
            " ON offer_search USING GIN (document)"
        )
