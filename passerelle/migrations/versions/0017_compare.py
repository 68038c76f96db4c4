"""Offers keep their amounts as written in another currency (CFA francs, dirhams…).

Revision ID: 0017_compare
Revises: 0016_bilingual
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_compare"
down_revision = "0016_bilingual"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("offer", "offer_revision"):
        op.add_column(
            table, sa.Column("written_amounts", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    for table in ("offer_revision", "offer"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("written_amounts")
