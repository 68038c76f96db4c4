"""Rate counters, counted atomically, replace the failed sign-in log.

Revision ID: 0009_secdata
Revises: 0008_journeys
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_secdata"
down_revision = "0008_journeys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counter",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_counter")),
    )
    op.create_index(op.f("ix_rate_counter_window_start"), "rate_counter", ["window_start"])
    # Failures in the old log are at most 15 minutes' worth: nothing worth carrying over.
    op.drop_index("ix_login_attempt_email_created_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_address_created_at", table_name="login_attempt")
    op.drop_table("login_attempt")


def downgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index(
        "ix_login_attempt_address_created_at", "login_attempt", ["address", "created_at"]
    )
    op.create_index("ix_login_attempt_email_created_at", "login_attempt", ["email", "created_at"])
    op.drop_index(op.f("ix_rate_counter_window_start"), table_name="rate_counter")
    op.drop_table("rate_counter")
