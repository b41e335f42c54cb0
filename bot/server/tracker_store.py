"""Rasa's SQL tracker store with less work per message.

Same `events` table, same rows and the same trackers as Rasa's
SQLTrackerStore (rasa/core/tracker_store.py); endpoints.yml names this class.
Profiling the server under load (bench/load.py, py-spy) put more than a third
of its main thread in that store: building ORM objects for every stored event,
a second ORM query to count them before each save, and, on SQLite, opening the
database file again for every query. Here:

- reads and writes are plain SQL statements (SQLAlchemy Core) with the same
  filters as Rasa's queries; no ORM objects;
- an SQLite file keeps its connections open in a pool;
- the database work runs in a worker thread, so while one conversation waits
  for the disk or the network, the server goes on with the others. SQLite
  gets one such thread (one writer at a time, as before); PostgreSQL several.
"""
from __future__ import annotations

import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import POSTGRESQL_SCHEMA, SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import sqlite_path
from bot.store.db import sqlite_engine

T = TypeVar("T")
POSTGRES_WORKERS = 4


class FastSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_file = sqlite_path(self.engine.url) is not None
        if in_file:
            self.engine.dispose()
            self.engine = sqlite_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        in_memory = self.engine.dialect.name == "sqlite" and not in_file
        # An in-memory SQLite database exists once per thread: no worker then.
        workers = 0 if in_memory else 1 if self.engine.dialect.name == "sqlite" else POSTGRES_WORKERS
        self._executor = ThreadPoolExecutor(workers, "tracker-store") if workers else None
        if os.environ.get(POSTGRESQL_SCHEMA):
            with self.session_scope():  # Rasa's check that the schema exists, once
                pass
        self._queries = _Queries(self.SQLEvent.__table__)

    async def _in_worker(self, work: Callable[[], T]) -> T:
        if self._executor is None:
            return work()
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        query = self._queries.all_sessions if fetch_events_from_all_sessions else self._queries.latest_session

        def read() -> List[dict]:
            with self.engine.connect() as connection:
                rows = connection.execute(query, {"sender_id": sender_id})
                return [json.loads(data) for (data,) in rows]

        events = await self._in_worker(read)
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id, events = tracker.sender_id, list(tracker.events)

        def write() -> None:
            with self.engine.begin() as connection:
                stored = connection.execute(self._queries.count_latest_session,
                                            {"sender_id": sender_id}).scalar_one()
                rows = [_row(sender_id, event) for event in events[stored:]]
                if rows:
                    connection.execute(self._queries.insert, rows)

        await self._in_worker(write)


def _row(sender_id: Text, event: Any) -> dict:
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class _Queries:
    """Rasa's event queries (SQLTrackerStore._event_query) as Core statements.
    The latest session is every event from the newest `session_started` on,
    or all events when there is none."""

    def __init__(self, events: sa.Table) -> None:
        sender = events.c.sender_id == sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(sender, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        in_latest_session = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        self.all_sessions = sa.select(events.c.data).where(sender).order_by(events.c.id)
        self.latest_session = (
            sa.select(events.c.data).where(sender, in_latest_session).order_by(events.c.id)
        )
        self.count_latest_session = (
            sa.select(sa.func.count()).select_from(events).where(sender, in_latest_session)
        )
        self.insert = events.insert()
