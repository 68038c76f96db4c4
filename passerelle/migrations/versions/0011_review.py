"""Offers carry a version, checked by every write, so that no change is silently lost.

Revision ID: 0011_review
Revises: 0010_secreq
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_review"
down_revision = "0010_secreq"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("version")
