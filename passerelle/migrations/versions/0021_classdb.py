"""The retrained classifier, stored in the database rather than in a data directory.

Revision ID: 0021_classdb
Revises: 0020_incremental
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_classdb"
down_revision = "0020_incremental"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A `classifier.pickle` left in a data directory by an older installation is not read:
    # the platform answers with the shipped classifier until staff retrain it.
    op.create_table(
        "classifier_model",
        sa.Column("scikit_learn", sa.String(40), nullable=False),
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trained_by", sa.String(200), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("scikit_learn", "generation", name=op.f("pk_classifier_model")),
    )


def downgrade() -> None:
    op.drop_table("classifier_model")
