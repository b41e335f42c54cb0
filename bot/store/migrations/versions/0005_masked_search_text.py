"""Search text as nurses see it: phone numbers and e-mail addresses masked, so
a search's hit count cannot confirm a masked identifier (issue 14).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Summaries are derived data: rebuild them all, with the masked search text.
    op.execute("DELETE FROM indexer_state")


def downgrade() -> None:
    op.execute("DELETE FROM indexer_state")
