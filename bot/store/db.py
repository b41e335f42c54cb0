"""Engine and session for the project's tables, from DATABASE_URL."""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import DEFAULTS, sqlite_path


# How long a write waits for another writer's lock before it gives up (and
# what it wanted to write goes to the spool, bot/store/spool.py): a person's
# reply, and the action that answers a red flag, must not wait longer.
LOCK_WAIT_SECONDS = 2


@lru_cache(maxsize=None)
def engine_for(url: str) -> sa.engine.Engine:
    """One pooled engine per URL. The schema comes from `bot db upgrade`
    (bot/store/migrate.py), never from create_all."""
    if sqlite_path(url):
        return sqlite_engine(url, future=True)
    return server_engine(url, future=True)


def server_engine(url: str | sa.engine.URL, **options) -> sa.engine.Engine:
    """A database server's engine (PostgreSQL): checked connections, and a
    lock wait of LOCK_WAIT_SECONDS."""
    connect_args = {}
    if sa.engine.make_url(url).get_backend_name() == "postgresql":
        connect_args["options"] = f"-c lock_timeout={LOCK_WAIT_SECONDS * 1000}"
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)


def sqlite_engine(url: str | sa.engine.URL, **options) -> sa.engine.Engine:
    """An SQLite file with pooled connections, in WAL mode.

    SQLAlchemy 1.4 opens the file anew for every session (NullPool), which
    showed up in profiles under load. A connection is only ever used by one
    thread at a time, hence check_same_thread off. In WAL mode readers do not
    block the writer (the Rasa server, the action server and the review
    workspace share the file), and a commit is one sync of the log instead of
    several; synchronous stays FULL, so a committed message survives a power
    cut. A write waits LOCK_WAIT_SECONDS for another writer's lock."""
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=5, max_overflow=10,
                              connect_args={"check_same_thread": False, "timeout": LOCK_WAIT_SECONDS},
                              **options)
    sa.event.listen(engine, "connect", _wal_mode)
    return engine


def _wal_mode(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULTS["DATABASE_URL"])


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    session = sessionmaker(bind=engine_for(url or database_url()), future=True)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
