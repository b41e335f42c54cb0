"""Create and upgrade the schema with Alembic (`bot db upgrade`).

`bot run` and `bot review` upgrade before they start, so a fresh clone and a
deployment after `git pull` both end up at the newest revision. The version is
kept in Alembic's `alembic_version` table.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.settings import sqlite_path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Optional[sa.engine.Connection] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(url: str) -> Optional[str]:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@contextmanager
def _transaction(url: str) -> Iterator[sa.engine.Connection]:
    """One connection in one transaction: a failed migration leaves nothing half-done
    (on PostgreSQL; SQLite cannot roll back every schema change)."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    _ensure_database(url)
    with _transaction(url) as connection:
        command.upgrade(_config(connection), revision)


def downgrade(url: str, revision: str) -> None:
    with _transaction(url) as connection:
        command.downgrade(_config(connection), revision)


def _ensure_database(url: str) -> None:
    """Create the SQLite folder or the PostgreSQL database when missing, so a
    new machine needs no manual step (Rasa itself would wait forever)."""
    db_file = sqlite_path(url)
    if db_file:
        Path(db_file).parent.mkdir(parents=True, exist_ok=True)
        return
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).scalar()
            if not exists:
                quoted = admin.dialect.identifier_preparer.quote(parsed.database)
                connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()
