"""Handoffs table, and the (sender_id, timestamp) index on Rasa's events.

Rasa creates `events` itself on start-up when it is missing; creating it here
first (same columns as rasa/core/tracker_store.py's SQLEvent) lets the index
exist before the first conversation. Databases from before migrations already
have `handoffs` (made by create_all), so each step checks first.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> set:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _indexes(table: str) -> set:
    return {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    tables = _tables()
    if "events" not in tables:
        op.create_table(
            "events",
            sa.Column("id", sa.Integer, sa.Sequence("events_seq", optional=True), primary_key=True),
            sa.Column("sender_id", sa.String(255), nullable=False),
            sa.Column("type_name", sa.String(255), nullable=False),
            sa.Column("timestamp", sa.Float),
            sa.Column("intent_name", sa.String(255)),
            sa.Column("action_name", sa.String(255)),
            sa.Column("data", sa.Text),
        )
        op.create_index("ix_events_sender_id", "events", ["sender_id"])
    if "ix_events_sender_id_timestamp" not in _indexes("events"):
        op.create_index("ix_events_sender_id_timestamp", "events", ["sender_id", "timestamp"])

    if "handoffs" not in tables:
        op.create_table(
            "handoffs",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("conversation_id", sa.String(255), nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("level", sa.String(20), nullable=False),
            sa.Column("red_flags_json", sa.Text, nullable=False),
            sa.Column("reasons_json", sa.Text, nullable=False),
            sa.Column("channel", sa.String(50)),
        )
        op.create_index("ix_handoffs_conversation_id", "handoffs", ["conversation_id"])
        op.create_index("ix_handoffs_created_at", "handoffs", ["created_at"])
        op.create_index("ix_handoffs_level", "handoffs", ["level"])


def downgrade() -> None:
    op.drop_index("ix_events_sender_id_timestamp", table_name="events")
    op.drop_table("handoffs")
