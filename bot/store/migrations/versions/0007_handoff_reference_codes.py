"""Warm handoff: each handoff's reference code, which a CareLine nurse types
into the review workspace to see where the assistant stopped (issue 15).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("reference_code", sa.String(12)))
        batch.create_index("ix_handoffs_reference_code", ["reference_code"])


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_reference_code")
        batch.drop_column("reference_code")
