"""The machine's PostgreSQL, Redis and Chromium, for the tests that need them.

Without them those tests are skipped with the reason shown in pytest's
summary (-ra). CI sets REQUIRE_SERVICES=1 (.ci/run), which turns a missing
service into a failure instead, so a green CI run always exercised them."""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless as root in a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _listening(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def need(service: str, available: bool, how: str) -> None:
    if available:
        return
    message = f"{service} not available ({how})"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1")
    pytest.skip(message)


def need_postgres() -> None:
    url = sa.engine.make_url(POSTGRES_URL)
    need("PostgreSQL", _listening(url.host or "127.0.0.1", url.port or 5432),
         f"nothing listens at {url.host}:{url.port or 5432}")


def need_redis() -> None:
    need("Redis", _listening("127.0.0.1", 6379), "nothing listens at 127.0.0.1:6379")


def need_chromium() -> None:
    need("Chromium", bool(shutil.which(CHROMIUM)), f"{CHROMIUM} is missing; apt-get install chromium")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    need_postgres()
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from bot.store.db import engine_for

        engine_for(url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
