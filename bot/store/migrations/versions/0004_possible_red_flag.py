"""The nurses' net: conversations where a possible red flag was seen but
nothing escalated (bot/core/possible_red_flag.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_summaries") as table:
        table.add_column(sa.Column("possible_red_flag", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        table.create_index("ix_conversation_summaries_possible_red_flag", ["possible_red_flag"])
    # Summaries are derived data: rebuild them all so old conversations are read too.
    op.execute("DELETE FROM indexer_state")


def downgrade() -> None:
    with op.batch_alter_table("conversation_summaries") as table:
        table.drop_index("ix_conversation_summaries_possible_red_flag")
        table.drop_column("possible_red_flag")
