"""A verified organisation's new name waits for staff before it goes live.

Revision ID: 0013_public
Revises: 0012_search
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_public"
down_revision = "0012_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organization", sa.Column("pending_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("pending_name")
