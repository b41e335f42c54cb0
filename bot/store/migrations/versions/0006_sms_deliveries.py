"""SMS: what became of each text we sent (Twilio's status callbacks), so a
failed or undelivered escalation text reaches the nurses' queue (issue 15).
Summaries are rebuilt: the fallback mark now counts only the fallback reply.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_deliveries",
        sa.Column("message_sid", sa.String(64), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("escalation", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error_code", sa.String(10)),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_sms_deliveries_sender_id", "sms_deliveries", ["sender_id"])
    op.execute("DELETE FROM indexer_state")  # summaries are derived data: rebuild them


def downgrade() -> None:
    op.drop_table("sms_deliveries")
    op.execute("DELETE FROM indexer_state")
