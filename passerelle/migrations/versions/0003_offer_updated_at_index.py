"""Index offers by last change, read by the matcher's freshness check.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_updated_at", "offer", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_offer_updated_at", table_name="offer")
