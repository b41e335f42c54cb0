"""endpoints.yml plus what the environment adds: a Redis lock store when
REDIS_URL is set (needed as soon as more than one Rasa process serves, so two
messages of one conversation are never processed at the same time).

The password stays an environment reference (${REDIS_PASSWORD}), so no secret
is ever written to disk."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Mapping, Optional
from urllib.parse import unquote, urlsplit

import yaml

from bot import PROJECT_ROOT

BASE = PROJECT_ROOT / "endpoints.yml"
LOCK_KEY_PREFIX = "backpain"
# Rasa's own RedisLockStore is not atomic across processes (see bot/server/lock_store.py).
LOCK_STORE_TYPE = "bot.server.lock_store.AtomicRedisLockStore"


def lock_store_config(redis_url: str) -> Dict:
    """Rasa's `lock_store` section for a redis://[:password@]host[:port][/db] URL."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("REDIS_URL must look like redis://host:6379/0")
    config = {
        "type": LOCK_STORE_TYPE, "url": parts.hostname, "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 0), "key_prefix": LOCK_KEY_PREFIX,
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.password:
        config["password"] = "${REDIS_PASSWORD}"
    return config


def redis_password(redis_url: str) -> Optional[str]:
    password = urlsplit(redis_url).password
    return unquote(password) if password else None


def endpoints_file(env: Mapping[str, str], folder: Path) -> Path:
    """The endpoints file Rasa should read for this environment."""
    if not env.get("REDIS_URL"):
        return BASE
    endpoints = yaml.safe_load(BASE.read_text())
    endpoints["lock_store"] = lock_store_config(env["REDIS_URL"])
    path = folder / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path
