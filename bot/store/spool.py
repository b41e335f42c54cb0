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

Several threads and processes may hand the same rows over (a server's own
next write, another conversation's, the action server's next handoff), so a
row is first claimed: only one of them gets it. The claim ends with the row's
removal once the database committed it, or with its release when the database
failed again; a claim older than CLAIM_SECONDS (its holder died) lapses.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

from bot.settings import VAR_DIR, sqlite_path

_SCHEMA = """CREATE TABLE IF NOT EXISTS spooled (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    item TEXT NOT NULL,
    claimed_at REAL
)"""
CLAIM_SECONDS = 60
RECHECK_SECONDS = 5  # how long "the spool is empty" is believed (other processes write too)


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
        self._empty_since: Optional[float] = None  # seen empty then: no disk read per message

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False,
                                               isolation_level=None)
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute(_SCHEMA)
            columns = {row[1] for row in self._connection.execute("PRAGMA table_info(spooled)")}
            if "claimed_at" not in columns:  # a spool from before claims
                self._connection.execute("ALTER TABLE spooled ADD COLUMN claimed_at REAL")
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
            self._empty_since = None
        return len(rows)

    def pending(self, kind: str, key: Optional[str] = None) -> List[Tuple[int, str, dict]]:
        """(id, key, item) in the order spooled, claimed or not; all keys when
        `key` is None."""
        return self._select(kind, key, claimable_only=False)

    def claim(self, kind: str, key: Optional[str] = None) -> List[Tuple[int, str, dict]]:
        """The rows nobody else is handing over, now ours to hand over: remove
        them once written, release them if the write fails."""
        return self._select(kind, key, claimable_only=True)

    def _select(self, kind: str, key: Optional[str], claimable_only: bool) -> List[Tuple[int, str, dict]]:
        now = time.time()
        with self._lock:
            if self._empty_since is not None and now - self._empty_since < RECHECK_SECONDS:
                return []
            db = self._db()
            query = "SELECT id, key, item FROM spooled WHERE kind = ?"
            params: tuple = (kind,)
            if key is not None:
                query += " AND key = ?"
                params += (key,)
            if claimable_only:
                query += " AND (claimed_at IS NULL OR claimed_at < ?)"
                params += (now - CLAIM_SECONDS,)
                db.execute("BEGIN IMMEDIATE")
            try:
                rows = db.execute(query + " ORDER BY id", params).fetchall()
                if claimable_only:
                    db.executemany("UPDATE spooled SET claimed_at = ? WHERE id = ?",
                                   [(now, row[0]) for row in rows])
                    db.execute("COMMIT")
            except BaseException:
                if claimable_only:
                    db.execute("ROLLBACK")
                raise
            if not rows and not db.execute("SELECT 1 FROM spooled LIMIT 1").fetchone():
                self._empty_since = now
        return [(row_id, row_key, json.loads(item)) for row_id, row_key, item in rows]

    def release(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._db().executemany("UPDATE spooled SET claimed_at = NULL WHERE id = ?",
                                   [(i,) for i in ids])

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._lock:
            self._db().executemany("DELETE FROM spooled WHERE id = ?", [(i,) for i in ids])
