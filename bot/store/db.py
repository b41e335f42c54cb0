"""Engine and session for the project's tables, from DATABASE_URL."""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import DEFAULTS


@lru_cache(maxsize=None)
def engine_for(url: str) -> sa.engine.Engine:
    """One pooled engine per URL. The schema comes from `bot db upgrade`
    (bot/store/migrate.py), never from create_all."""
    return sa.create_engine(url, future=True, pool_pre_ping=True)


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
