"""`bot run` the way a deployment runs it: conversations in PostgreSQL and
the Redis lock store, on the machine's real servers."""
import threading
import uuid

import pytest
import sqlalchemy as sa

from bot.ops.endpoints import lock_store_config
from bot.store.handoffs import handoffs_for
from tests.conftest import RunningBot, texts
from tests.services import REDIS_URL, fresh_postgres_database, need_redis


def test_lock_store_config_from_redis_url():
    assert lock_store_config("redis://cache.internal:6380/2") == {
        "type": "bot.server.lock_store.AtomicRedisLockStore", "url": "cache.internal", "port": 6380, "db": 2,
        "key_prefix": "backpain", "use_ssl": False}
    with_password = lock_store_config("rediss://:s3cret@cache:6379/0")
    assert with_password["password"] == "${REDIS_PASSWORD}" and with_password["use_ssl"]
    with pytest.raises(ValueError):
        lock_store_config("http://cache:6379")


class RedisWatch:
    """Records the keys Redis is asked to SET while the test runs (MONITOR)."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.keys = []
        self.monitor = self.client.monitor()
        self.monitor.__enter__()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self):
        try:
            for command in self.monitor.listen():
                parts = command["command"].split()
                if parts and parts[0].upper() == "SET":
                    self.keys.append(parts[1])
        except Exception:  # the connection closes when the test ends
            pass

    def close(self):
        self.monitor.connection.disconnect()
        self.client.close()


@pytest.fixture(scope="module")
def deployed(trained_model):
    need_redis()
    with fresh_postgres_database() as url:
        bot = RunningBot(DATABASE_URL=url, REDIS_URL=REDIS_URL)
        try:
            yield bot
        finally:
            assert bot.stop() == 0


def test_conversation_is_stored_in_postgresql_with_redis_locks(deployed):
    watch = RedisWatch(REDIS_URL)
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    try:
        assert "48-72 hours" in texts(deployed.send(sender, "ice or heat?"))
        assert "911" in texts(deployed.send(sender, "i cant control my bladder since this morning"))
    finally:
        watch.close()
    assert any(sender in key and "lock" in key for key in watch.keys), watch.keys[:10]

    engine = sa.create_engine(deployed.database_url)
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.execute(
            sa.text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})]
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert kinds.count("user") == 2 and "bot" in kinds and "slot" in kinds
    assert revision is not None
    assert [h["level"] for h in handoffs_for(sender, deployed.database_url)] == ["emergency"]
