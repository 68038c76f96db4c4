"""Saved searches and alerts: per project, per saved search and for bookmarked deadlines.

Revision ID: 0018_alerts
Revises: 0017_compare
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_alerts"
down_revision = "0017_compare"
branch_labels = None
depends_on = None

TARGET = (
    "(kind = 'project' AND project_id IS NOT NULL AND saved_search_id IS NULL)"
    " OR (kind = 'search' AND saved_search_id IS NOT NULL AND project_id IS NULL)"
    " OR (kind = 'bookmarks' AND project_id IS NULL AND saved_search_id IS NULL)"
)


def _owned(table: str, column: str, target: str, *, nullable: bool = False) -> list:
    return [
        sa.Column(column, sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint(
            [column],
            [f"{target}.id"],
            name=op.f(f"fk_{table}_{column}_{target}"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        *_owned("saved_search", "owner_id", "user_account"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    op.create_index(op.f("ix_saved_search_owner_id"), "saved_search", ["owner_id"])
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        *_owned("alert", "owner_id", "user_account"),
        sa.Column("kind", sa.String(20), nullable=False),
        *_owned("alert", "project_id", "project", nullable=True),
        *_owned("alert", "saved_search_id", "saved_search", nullable=True),
        sa.Column("frequency", sa.String(20), nullable=False),
        sa.Column("checked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(TARGET, name=op.f("ck_alert_target")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("project_id", name=op.f("uq_alert_project_id")),
        sa.UniqueConstraint("saved_search_id", name=op.f("uq_alert_saved_search_id")),
    )
    op.create_index(op.f("ix_alert_owner_id"), "alert", ["owner_id"])
    op.create_index("ix_alert_frequency", "alert", ["frequency"])
    op.create_index(
        "uq_alert_bookmarks",
        "alert",
        ["owner_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'bookmarks'"),
        postgresql_where=sa.text("kind = 'bookmarks'"),
    )


def downgrade() -> None:
    op.drop_table("alert")
    op.drop_table("saved_search")
