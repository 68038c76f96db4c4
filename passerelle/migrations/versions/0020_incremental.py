"""The catalogue's change log: which offers each catalogue version changed.

Revision ID: 0020_incremental
Revises: 0019_understand
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_incremental"
down_revision = "0019_understand"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Versions before this one have no rows: a reader that far behind rebuilds everything.
    op.create_table(
        "catalogue_change",
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("offer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("version", "offer_id", name=op.f("pk_catalogue_change")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_change")
