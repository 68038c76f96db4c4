"""A verified organisation's new name waits for staff before it goes live.

Revision ID: 0008_public
Revises: 0008_secdata
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_public"
down_revision = "0008_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organization", sa.Column("pending_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("pending_name")
