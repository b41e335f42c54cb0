"""SMS: delivered MessageSids (dedupe), opt-outs, last numbered menu.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_inbound",
        sa.Column("message_sid", sa.String(64), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_sms_inbound_sender_id", "sms_inbound", ["sender_id"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("opted_out_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sms_menus",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("options_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("sms_menus", "sms_opt_outs", "sms_inbound"):
        op.drop_table(table)
