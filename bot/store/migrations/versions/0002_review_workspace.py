"""The nurses' review workspace: accounts, sessions, conversation summaries,
reviews, notes, tags, corrections and the append-only audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SENDER = sa.String(255)


def upgrade() -> None:
    op.create_table(
        "nurses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("nurse_id", sa.Integer, sa.ForeignKey("nurses.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_sessions_nurse_id", "login_sessions", ["nurse_id"])

    op.create_table(
        "conversation_summaries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", SENDER, nullable=False, unique=True),
        sa.Column("channel", sa.String(50)),
        sa.Column("started_at", sa.DateTime),
        sa.Column("last_at", sa.DateTime),
        sa.Column("user_turns", sa.Integer, nullable=False),
        sa.Column("triage_level", sa.String(20)),
        sa.Column("level_rank", sa.Integer, nullable=False),
        sa.Column("min_confidence", sa.Float),
        sa.Column("fallback", sa.Boolean, nullable=False),
        sa.Column("red_flag_codes", sa.String(500), nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
    )
    for column in ("channel", "started_at", "last_at", "level_rank"):
        op.create_index(f"ix_conversation_summaries_{column}", "conversation_summaries", [column])
    op.create_table(
        "conversation_red_flags",
        sa.Column("sender_id", SENDER, primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
    )
    op.create_index("ix_conversation_red_flags_code", "conversation_red_flags", ["code"])
    op.create_table(
        "conversation_intents",
        sa.Column("sender_id", SENDER, primary_key=True),
        sa.Column("intent", sa.String(100), primary_key=True),
    )
    op.create_index("ix_conversation_intents_intent", "conversation_intents", ["intent"])
    op.create_table(
        "indexer_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("last_event_id", sa.Integer, nullable=False),
    )

    op.create_table(
        "reviews",
        sa.Column("sender_id", SENDER, primary_key=True),
        sa.Column("reviewed_by", sa.String(80), nullable=False),
        sa.Column("reviewed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", SENDER, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_notes_sender_id", "notes", ["sender_id"])
    op.create_table(
        "tags",
        sa.Column("sender_id", SENDER, primary_key=True),
        sa.Column("tag", sa.String(40), primary_key=True),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_tags_tag", "tags", ["tag"])
    op.create_table(
        "corrections",
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sender_id", SENDER, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("predicted_intent", sa.String(100)),
        sa.Column("correct_intent", sa.String(100), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_corrections_sender_id", "corrections", ["sender_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("sender_id", SENDER),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_sender_id", "audit_log", ["sender_id"])
    _make_audit_append_only()


def _make_audit_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("audit_log", "corrections", "tags", "notes", "reviews", "indexer_state",
                  "conversation_intents", "conversation_red_flags", "conversation_summaries",
                  "login_sessions", "nurses"):
        op.drop_table(table)
