"""The atomic Redis lock store on the machine's Redis: two stores (as two Rasa
processes would have) never hold one conversation's lock at once."""
import asyncio
import uuid

import pytest

from bot.server.lock_store import AtomicRedisLockStore
from tests.services import REDIS_URL, need_redis


@pytest.fixture
def stores():
    need_redis()
    import redis

    clients = [redis.Redis.from_url(REDIS_URL) for _ in range(2)]
    prefix = f"test{uuid.uuid4().hex[:8]}"
    yield [AtomicRedisLockStore(client=c, key_prefix=prefix) for c in clients]
    for client in clients:
        client.close()


async def test_only_one_holder_at_a_time(stores):
    holding, most, done = 0, 0, []

    async def handle(store, n):
        nonlocal holding, most
        async with store.lock("conversation-1"):
            holding += 1
            most = max(most, holding)
            await asyncio.sleep(0.01)  # a message being handled
            holding -= 1
            done.append(n)

    await asyncio.gather(*(handle(stores[n % 2], n) for n in range(20)))
    assert most == 1 and sorted(done) == list(range(20))


async def test_other_conversations_do_not_wait(stores):
    async with stores[0].lock("conversation-a"):
        await asyncio.wait_for(_hold(stores[1], "conversation-b"), timeout=1)


async def _hold(store, conversation):
    async with store.lock(conversation):
        pass


async def test_a_crashed_holders_lock_expires_and_cannot_delete_the_next_one(stores):
    first, second = stores
    holder = first.lock("conversation-1", lock_lifetime=0.3)
    await holder.__aenter__()  # and never leaves: the process died
    await asyncio.wait_for(_hold(second, "conversation-1"), timeout=2)
    async with second.lock("conversation-1", lock_lifetime=5):
        await holder.__aexit__(None, None, None)  # the late release must not free it
        assert second.red.get(second.key_prefix + "conversation-1") is not None
