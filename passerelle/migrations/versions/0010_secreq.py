"""Server-side sessions: one row per signed-in browser, replacing the session version.

Revision ID: 0010_secreq
Revises: 0009_secdata
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_secreq"
down_revision = "0009_secdata"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_account_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_session")),
    )
    op.create_index(op.f("ix_account_session_user_id"), "account_session", ["user_id"])
    op.create_index(op.f("ix_account_session_created_at"), "account_session", ["created_at"])
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_version")


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.drop_index(op.f("ix_account_session_created_at"), table_name="account_session")
    op.drop_index(op.f("ix_account_session_user_id"), table_name="account_session")
    op.drop_table("account_session")
