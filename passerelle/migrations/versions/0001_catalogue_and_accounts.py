"""Catalogue (organisations, offers, eligibility lists) and user accounts.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("website", sa.String(500), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("name_key", name=op.f("uq_organization_name_key")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("locale", sa.String(2), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("min_project_eur", sa.BigInteger(), nullable=True),
        sa.Column("max_project_eur", sa.BigInteger(), nullable=True),
        sa.Column("ticket_min_eur", sa.BigInteger(), nullable=True),
        sa.Column("ticket_max_eur", sa.BigInteger(), nullable=True),
        sa.Column("opens", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("review_flag", sa.String(300), nullable=True),
        sa.Column("last_verified_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_offer_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_offer_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
        sa.UniqueConstraint("external_id", name=op.f("uq_offer_external_id")),
    )
    for column in ("deadline", "kind", "organization_id", "status"):
        op.create_index(op.f(f"ix_offer_{column}"), "offer", [column])
    op.create_table(
        "offer_criterion",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offer.id"],
            name=op.f("fk_offer_criterion_offer_id_offer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", "field", "code", name=op.f("pk_offer_criterion")),
    )
    op.create_index(
        "ix_offer_criterion_field_code", "offer_criterion", ["field", "code", "offer_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_offer_criterion_field_code", table_name="offer_criterion")
    op.drop_table("offer_criterion")
    for column in ("deadline", "kind", "organization_id", "status"):
        op.drop_index(op.f(f"ix_offer_{column}"), table_name="offer")
    op.drop_table("offer")
    op.drop_table("user_account")
    op.drop_table("organization")
