"""Mark unrestricted eligibility fields with an explicit open-to-all row.

An offer that restricts nothing on a field (sector, country, residence country, stage,
applicant type, target group) gets one `offer_criterion` row with code "*", which makes
browse filters and facet counts single index scans.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RESTRICTIONS = (
    "sector", "country", "residence_country", "stage", "applicant_type", "target_group",
)  # fmt: skip


def upgrade() -> None:
    for field in RESTRICTIONS:
        op.execute(
            "INSERT INTO offer_criterion (offer_id, field, code, position) "
            f"SELECT offer.id, '{field}', '*', 0 FROM offer WHERE NOT EXISTS ("
            "SELECT 1 FROM offer_criterion c "
            f"WHERE c.offer_id = offer.id AND c.field = '{field}')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM offer_criterion WHERE code = '*'")
