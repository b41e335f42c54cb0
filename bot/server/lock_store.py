"""A Redis lock store that really excludes: one conversation, one message at a time,
across any number of Rasa processes.

Rasa Open Source 3.6's RedisLockStore issues its tickets with a plain
read-modify-write of one Redis key. Two servers receiving messages of the same
conversation at the same moment can both create the lock, both hold
"ticket 0", handle the messages at once and save over each other: a message
is answered but lost from the tracker (tests/cluster/test_cluster.py caught it; the
atomic fix went into Rasa Pro, RasaHQ/rasa#11256). Here the lock is a single
`SET key token NX PX lifetime`, released by a compare-and-delete script, so
only one holder can exist; a crashed holder's lock expires after its lifetime.

Configured by bot/ops/endpoints.py as `lock_store: type: bot.server.lock_store.AtomicRedisLockStore`.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Optional, Text

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.02
_RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('del', KEYS[1]) else return 0 end")


class AtomicRedisLockStore(LockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None,
                 client: Optional[redis.Redis] = None, key_prefix: str = "backpain") -> None:
        if client is None:
            kwargs = dict(endpoint_config.kwargs) if endpoint_config else {}
            client = redis.Redis(
                host=(endpoint_config.url if endpoint_config else None) or "localhost",
                port=int(kwargs.get("port", 6379)), db=int(kwargs.get("db", 0)),
                password=kwargs.get("password"), ssl=bool(kwargs.get("use_ssl", False)),
                socket_timeout=10,
            )
            key_prefix = str(kwargs.get("key_prefix", key_prefix))
        self.red = client
        self.key_prefix = f"{key_prefix}:lock:"
        self._release = self.red.register_script(_RELEASE)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[None, None]:
        """Hold the conversation's lock; wait for it at most `lock_lifetime`."""
        key, token = self.key_prefix + conversation_id, uuid.uuid4().hex
        deadline = time.monotonic() + lock_lifetime
        while not self.red.set(key, token, nx=True, px=int(lock_lifetime * 1000)):
            if time.monotonic() > deadline:
                raise LockError(f"Could not acquire the lock for a conversation in "
                                f"{lock_lifetime:.0f}s")
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield None
        finally:
            if not self._release(keys=[key], args=[token]):
                logger.warning("A conversation lock expired before its message was finished")

    # The ticket-lock interface of Rasa's LockStore is not used with this store.
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return None

    def delete_lock(self, conversation_id: Text) -> None:
        self.red.delete(self.key_prefix + conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore has no ticket locks")
