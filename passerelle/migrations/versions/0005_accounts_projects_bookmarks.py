"""Accounts: session version, failed sign-ins, reset tokens, projects and bookmarks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _owner(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index(
        "ix_login_attempt_address_created_at", "login_attempt", ["address", "created_at"]
    )
    op.create_index("ix_login_attempt_email_created_at", "login_attempt", ["email", "created_at"])
    op.create_table(
        "password_reset_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _owner("password_reset_token", "user_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_token_user_id"), "password_reset_token", ["user_id"])
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("residence_country", sa.String(2), nullable=False),
        sa.Column("target_country", sa.String(2), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("project_eur", sa.BigInteger(), nullable=False),
        sa.Column("funding_need_eur", sa.BigInteger(), nullable=True),
        sa.Column("applicant_type", sa.String(20), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _owner("project", "owner_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    op.create_index(op.f("ix_project_owner_id"), "project", ["owner_id"])
    op.create_table(
        "bookmark",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        _created_at(),
        _owner("bookmark", "user_id", "user_account"),
        _owner("bookmark", "offer_id", "offer"),
        sa.PrimaryKeyConstraint("user_id", "offer_id", name=op.f("pk_bookmark")),
    )
    op.create_index("ix_bookmark_offer_id", "bookmark", ["offer_id"])


def downgrade() -> None:
    op.drop_index("ix_bookmark_offer_id", table_name="bookmark")
    op.drop_table("bookmark")
    op.drop_index(op.f("ix_project_owner_id"), table_name="project")
    op.drop_table("project")
    op.drop_index(op.f("ix_password_reset_token_user_id"), table_name="password_reset_token")
    op.drop_table("password_reset_token")
    op.drop_index("ix_login_attempt_email_created_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_address_created_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_version")
