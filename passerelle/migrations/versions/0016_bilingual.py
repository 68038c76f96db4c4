"""A short title and summary of each offer in French and in English.

Existing offers keep them empty: the pages fall back to the other language, then to the
title and the start of the description.

Revision ID: 0016_bilingual
Revises: 0015_calendar
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_bilingual"
down_revision = "0015_calendar"
branch_labels = None
depends_on = None

COLUMNS = ("title_fr", "title_en", "summary_fr", "summary_en")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("offer", sa.Column(name, sa.String(400), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
