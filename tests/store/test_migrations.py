"""The database schema: Alembic migrations, the events index, the append-only
audit log and the SMS records, each on SQLite and on the machine's PostgreSQL."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.review import audit, retention
from bot.store import migrate
from bot.store.db import session_scope
from bot.store.models import Base
from tests.review.conversations import NOW, T0, add, convo


def test_migrations_reach_head_and_match_the_models(db_url):
    assert migrate.current_revision(db_url) == migrate.head_revision()
    migrate.upgrade(db_url)  # a second run changes nothing
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    # Rasa's events table is not in our models; everything else must match.
    assert [d for d in diff if "events" not in str(d)] == []


def test_a_database_from_before_migrations_upgrades(empty_db_url):
    """Earlier versions made `handoffs` with create_all, and Rasa made `events`."""
    old_handoffs = sa.Table(  # as create_all made it then
        "handoffs", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("red_flags_json", sa.Text, nullable=False),
        sa.Column("reasons_json", sa.Text, nullable=False), sa.Column("channel", sa.String(50)))
    engine = sa.create_engine(empty_db_url)
    old_handoffs.create(engine)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"))
        connection.execute(old_handoffs.insert(), [dict(
            conversation_id="old", created_at=NOW, level="urgent", red_flags_json="[]",
            reasons_json="[]")])
    migrate.upgrade(empty_db_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT conversation_id FROM handoffs")).scalar() == "old"
        indexes = {ix["name"] for ix in sa.inspect(connection).get_indexes("events")}
    engine.dispose()
    assert "ix_events_sender_id_timestamp" in indexes


def test_downgrade_and_upgrade_again(db_url):
    migrate.downgrade(db_url, "0001")
    engine = sa.create_engine(db_url)
    assert "nurses" not in sa.inspect(engine).get_table_names()
    migrate.upgrade(db_url)
    assert "nurses" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_transcript_reads_use_the_sender_timestamp_index(db_url):
    add(db_url, "c1", convo(T0))
    engine = sa.create_engine(db_url)
    query = "SELECT * FROM events WHERE sender_id = 'c1' ORDER BY timestamp"
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in connection.execute(sa.text("EXPLAIN QUERY PLAN " + query)))
        else:  # a tiny table is scanned anyway unless the planner is told not to
            connection.execute(sa.text("SET enable_seqscan = off"))
            plan = " ".join(str(r) for r in connection.execute(sa.text("EXPLAIN " + query)))
    engine.dispose()
    assert "ix_events_sender_id_timestamp" in plan


def test_the_audit_log_refuses_updates_and_deletes(db_url):
    with session_scope(db_url) as session:
        audit.record(session, "ann", "view", "c1")
    engine = sa.create_engine(db_url)
    for statement in ("UPDATE audit_log SET actor = 'eve'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(sa.text(statement))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT actor FROM audit_log")).scalar() == "ann"
    engine.dispose()


def test_sms_records_dedupe_opt_out_and_menus(db_url):
    from bot.store import sms

    assert sms.first_delivery("SM1", "sms-abc", db_url)
    assert not sms.first_delivery("SM1", "sms-abc", db_url)
    sms.set_opted_out("sms-abc", True, db_url)
    sms.set_opted_out("sms-abc", True, db_url)  # twice is fine
    assert sms.is_opted_out("sms-abc", db_url) and not sms.is_opted_out("sms-other", db_url)
    sms.save_menu("sms-abc", [("Myths", "/myths_overview")], db_url)
    assert sms.last_menu("sms-abc", db_url) == [("Myths", "/myths_overview")]
    sms.save_menu("sms-abc", [], db_url)
    assert sms.last_menu("sms-abc", db_url) == []
    add(db_url, "sms-abc", convo(T0 - 40 * 86400))
    with session_scope(db_url) as session:
        retention.purge(session, 30, now=NOW)
    assert sms.is_opted_out("sms-abc", db_url)  # a STOP outlives the conversation
    assert sms.first_delivery("SM1", "sms-abc", db_url)  # delivery records went with it
    sms.set_opted_out("sms-abc", False, db_url)
    assert not sms.is_opted_out("sms-abc", db_url)
