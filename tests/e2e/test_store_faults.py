"""Nothing a person wrote is lost when the database cannot write (issue 14,
finding 2): while another writer holds the database locked, or the database
is read-only with its connections cut, the person still gets their replies
(911 for a red flag), and once it takes writes again every message, reply and
handoff is in the database once, in order."""
import json
import sqlite3
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from bot.devtools.sms_sim import send_inbound
from bot.server.channels.sms import sender_key
from tests.conftest import SMS_TEST_ENV, RunningBot, eventually, texts
from tests.services import POSTGRES_URL, fresh_postgres_database

MESSAGES = ["hi", "i wet myself and my back hurts", "its probably nothing", "ok i will call"]
LOCKED = slice(1, 3)  # the messages sent while the database is locked


@contextmanager
def sqlite_locked(url):
    """Another writer holding the SQLite file (WAL mode: readers still read)."""
    connection = sqlite3.connect(sa.engine.make_url(url).database, timeout=30, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@contextmanager
def postgres_locked(url):
    """Another session holding the tables in EXCLUSIVE mode: reads go on, writes wait."""
    engine = sa.create_engine(url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(sa.text("LOCK TABLE events, handoffs IN EXCLUSIVE MODE"))
    try:
        yield
    finally:
        transaction.rollback()
        connection.close()
        engine.dispose()


@contextmanager
def postgres_read_only(url):
    """The database turned read-only, its open connections cut (as a failover
    to a read replica would): every write fails until it is writable again."""
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")

    def set_read_only(on):
        with admin.connect() as connection:
            connection.execute(sa.text(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = {"on" if on else "off"}'))
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name})

    set_read_only(True)
    try:
        yield
    finally:
        set_read_only(False)
        admin.dispose()


def stored(url, sender):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            events = connection.execute(sa.text(
                "SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
            handoffs = connection.execute(sa.text(
                "SELECT level FROM handoffs WHERE conversation_id = :s"), {"s": sender}).scalars().all()
    finally:
        engine.dispose()
    users = [json.loads(data)["text"] for kind, data in events if kind == "user"]
    # what the assistant said after each message, as the turns are stored
    answered = [kind for kind, _ in events if kind in ("user", "bot")]
    return users, answered, handoffs


def conversation_through_a_lock(bot, lock, sms_phone):
    sender = f"web-{uuid.uuid4().hex}"  # a widget session: its id must not reach the logs
    replies = [bot.send(sender, MESSAGES[0])]
    with lock(bot.database_url):
        for text in MESSAGES[LOCKED]:
            replies.append(bot.send(sender, text))
        # and a text message, whose webhook must still answer Twilio at once
        assert send_inbound(f"{bot.url}/webhooks/sms/webhook", SMS_TEST_ENV["TWILIO_AUTH_TOKEN"],
                            sms_phone, MESSAGES[1]) == 200
    replies.append(bot.send(sender, MESSAGES[-1]))
    return sender, replies


FAULTS = {"sqlite locked": sqlite_locked, "postgresql locked": postgres_locked,
          "postgresql read-only": postgres_read_only}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_database_that_cannot_write_loses_nothing(trained_model, tmp_path, fake_twilio, fault):
    with (fresh_postgres_database() if "postgresql" in fault else _sqlite_url(tmp_path)) as url:
        bot = RunningBot(DATABASE_URL=url, **SMS_TEST_ENV, TWILIO_API_BASE=fake_twilio.url)
        phone = f"+1612{uuid.uuid4().int % 8_000_000 + 2_000_000}"
        try:
            lock = FAULTS[fault]
            sender, replies = conversation_through_a_lock(bot, lock, phone)
            assert "911" in texts(replies[1]), "the red flag was answered while the database was locked"
            assert all(texts(r).strip() for r in replies)
            # The conversation went on from the red flag, not from before it.
            assert "911" in texts(replies[2])
            complete = eventually(lambda: stored(url, sender)[0] == MESSAGES and stored(url, sender)[2])
            users, turns, handoffs = stored(url, sender)
            assert users == MESSAGES, ("every message stored once, in order", _dump(url, sender))
            assert complete and handoffs.count("emergency") == 1, "the handoff stored once"
            # each message is followed by the assistant's replies to it
            assert all(turns[i + 1:i + 2] == ["bot"] for i, kind in enumerate(turns) if kind == "user")
            # The text message: 911 by SMS, and stored once.
            assert "911" in " ".join(fake_twilio.wait_for(phone, quiet=1))
            key = sender_key(phone, SMS_TEST_ENV["SMS_SENDER_KEY"])
            assert eventually(lambda: stored(url, key)[0] == [MESSAGES[1]])
            assert stored(url, key)[2] == ["emergency"]
            log = "".join(bot.output)
            assert "the events are in the spool" in log, "the fault did happen"
            assert sender not in log and phone not in log and "wet myself" not in log
        finally:
            assert bot.stop() == 0


@contextmanager
def _sqlite_url(tmp_path):
    yield f"sqlite:///{tmp_path / 'rasa.db'}"


def _dump(url, sender):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
    engine.dispose()
    return [(r[0], r[1], r[2], json.loads(r[3]).get("text") or json.loads(r[3]).get("name")) for r in rows]
