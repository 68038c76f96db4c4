"""Pending changes keep the organisation they name by id (a rename no longer moves the offer).

Revision ID: 0008_journeys
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from services_catalog.taxonomy import fold

revision = "0008_journeys"
down_revision = "0007"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_offer_revision_organization_id_organization"


def upgrade() -> None:
    with op.batch_alter_table("offer_revision") as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f(FOREIGN_KEY), "organization", ["organization_id"], ["id"], ondelete="SET NULL"
        )
    _link_stored_changes()


def _link_stored_changes() -> None:
    """A change stored by name gets the organisation of that name or, when none bears it
    any more (renamed while the change waited), the offer's own organisation."""
    organization = sa.table("organization", sa.column("id"), sa.column("name_key"))
    offer = sa.table("offer", sa.column("id"), sa.column("organization_id"))
    change = sa.table(
        "offer_revision",
        sa.column("id"),
        sa.column("offer_id"),
        sa.column("record", sa.JSON),
        sa.column("organization_id"),
    )
    connection = op.get_bind()
    by_key = dict(connection.execute(sa.select(organization.c.name_key, organization.c.id)).all())
    stored = connection.execute(
        sa.select(change.c.id, change.c.record, offer.c.organization_id).join(
            offer, offer.c.id == change.c.offer_id
        )
    ).all()
    for change_id, record, offer_organization_id in stored:
        named = by_key.get(fold(record.get("organization") or ""), offer_organization_id)
        connection.execute(
            sa.update(change).where(change.c.id == change_id).values(organization_id=named)
        )


def downgrade() -> None:
    with op.batch_alter_table("offer_revision") as batch:
        batch.drop_constraint(op.f(FOREIGN_KEY), type_="foreignkey")
        batch.drop_column("organization_id")
