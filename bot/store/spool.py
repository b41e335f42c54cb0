"""What the database could not take, kept on local disk until it can.

When the conversation database is locked, read-only or gone, a person's
message, the replies and any handoff must not be lost. They go into a spool:
a small SQLite file of its own, one per database (SPOOL_PATH, or beside an
SQLite database, or var/spool-<hash of the URL>.db), written with a full
sync, read back in the order written. Whoever writes to the
database next hands the spooled rows over first (the tracker store its
events, the actions their handoffs) and removes them once the database has
committed them. Each kind of row is spooled under a key (a conversation id),
so one conversation's rows keep their order.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

from bot.settings import VAR_DIR, sqlite_path

_SCHEMA = """CREATE TABLE IF NOT EXISTS spooled (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    item TEXT NOT NULL
)"""


def spool_path(database_url: str) -> Path:
    """The spool of one database: its rows must never reach another."""
    if os.environ.get("SPOOL_PATH"):
        return Path(os.environ["SPOOL_PATH"])
    db_file = sqlite_path(database_url)
    if db_file:
        return Path(f"{db_file}.spool")
    from sqlalchemy.engine import make_url

    same = make_url(database_url).render_as_string(hide_password=False)  # one spelling per database
    return VAR_DIR / f"spool-{hashlib.sha256(same.encode()).hexdigest()[:12]}.db"


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._connection: Optional[sqlite3.Connection] = None
        self._empty: Optional[bool] = None  # known empty: no disk read per message

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False,
                                               isolation_level=None)
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute(_SCHEMA)
        return self._connection

    def add(self, kind: str, key: str, items: Iterable[dict]) -> int:
        rows = [(kind, key, json.dumps(item)) for item in items]
        if not rows:
            return 0
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT INTO spooled (kind, key, item) VALUES (?, ?, ?)", rows)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._empty = False
        return len(rows)

    def pending(self, kind: str, key: Optional[str] = None) -> List[Tuple[int, str, dict]]:
        """(id, key, item) in the order spooled; all keys when `key` is None."""
        with self._lock:
            if self._empty:
                return []
            query = "SELECT id, key, item FROM spooled WHERE kind = ?"
            params: tuple = (kind,)
            if key is not None:
                query += " AND key = ?"
                params += (key,)
            rows = self._db().execute(query + " ORDER BY id", params).fetchall()
            if key is None and not rows:
                self._empty = not self._db().execute("SELECT 1 FROM spooled LIMIT 1").fetchone()
        return [(row_id, row_key, json.loads(item)) for row_id, row_key, item in rows]

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._lock:
            self._db().executemany("DELETE FROM spooled WHERE id = ?", [(i,) for i in ids])
