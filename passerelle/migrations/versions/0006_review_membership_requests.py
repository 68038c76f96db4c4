"""Review workflow, audit log, organisation members, interest requests, API tokens, search log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))
    op.create_table(
        "offer_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        _timestamp("submitted_at"),
        _fk("offer_revision", "offer_id", "offer", "CASCADE"),
        _fk("offer_revision", "submitted_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_revision")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_offer_revision_offer_id")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _fk("audit_entry", "actor_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity", "entity_id"])
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.create_table(
        "organization_member",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _fk("organization_member", "organization_id", "organization", "CASCADE"),
        _fk("organization_member", "user_id", "user_account", "CASCADE"),
        sa.PrimaryKeyConstraint("organization_id", "user_id", name=op.f("pk_organization_member")),
    )
    op.create_table(
        "interest_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("project_summary", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_by_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("read_at", nullable=True),
        _timestamp("answered_at", nullable=True),
        _timestamp("closed_at", nullable=True),
        _fk("interest_request", "sender_id", "user_account", "CASCADE"),
        _fk("interest_request", "offer_id", "offer", "CASCADE"),
        _fk("interest_request", "organization_id", "organization", "CASCADE"),
        _fk("interest_request", "project_id", "project", "SET NULL"),
        _fk("interest_request", "replied_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_request")),
    )
    for column in ("sender_id", "offer_id", "organization_id", "project_id"):
        op.create_index(op.f(f"ix_interest_request_{column}"), "interest_request", [column])
    op.create_index(
        "ix_interest_request_organization_status",
        "interest_request",
        ["organization_id", "status"],
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_used_at", nullable=True),
        _timestamp("revoked_at", nullable=True),
        _fk("api_token", "user_id", "user_account", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_table(
        "search_event",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("sector", sa.String(40), nullable=True),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_event")),
    )
    op.create_index("ix_search_event_kind_at", "search_event", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_search_event_kind_at", table_name="search_event")
    op.drop_table("search_event")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_interest_request_organization_status", table_name="interest_request")
    for column in ("sender_id", "offer_id", "organization_id", "project_id"):
        op.drop_index(op.f(f"ix_interest_request_{column}"), table_name="interest_request")
    op.drop_table("interest_request")
    op.drop_table("organization_member")
    op.drop_index("ix_audit_entry_at", table_name="audit_entry")
    op.drop_index("ix_audit_entry_entity", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("offer_revision")
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("review_note")
