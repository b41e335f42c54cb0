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

And nothing is lost when the database cannot write (locked, read-only, gone):
the conversation's events go to the spool (bot/store/spool.py), the
conversation goes on from them, and the next write hands them over, once each
(an event already in the table, same type and timestamp, is not written
again). A write waits at most LOCK_WAIT_SECONDS (bot/store/db.py) for a
lock before it spools.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional, Text, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import POSTGRESQL_SCHEMA, SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import sqlite_path
from bot.store.db import server_engine, sqlite_engine
from bot.store.handoffs import hand_over_spooled_handoffs
from bot.store.spool import Spool, spool_path

T = TypeVar("T")
POSTGRES_WORKERS = 4
EVENTS = "event"  # the spool's kind for tracker events
HANDOVER_WAIT_SECONDS = 10
logger = logging.getLogger(__name__)


class FastSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_file = sqlite_path(self.engine.url) is not None
        if in_file:
            self.engine.dispose()
            self.engine = sqlite_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        elif self.engine.dialect.name == "postgresql" and not os.environ.get(POSTGRESQL_SCHEMA):
            self.engine.dispose()  # Rasa's waits for a lock for ever
            self.engine = server_engine(self.engine.url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        in_memory = self.engine.dialect.name == "sqlite" and not in_file
        # An in-memory SQLite database exists once per thread: no worker then.
        workers = 0 if in_memory else 1 if self.engine.dialect.name == "sqlite" else POSTGRES_WORKERS
        self._executor = ThreadPoolExecutor(workers, "tracker-store") if workers else None
        if os.environ.get(POSTGRESQL_SCHEMA):
            with self.session_scope():  # Rasa's check that the schema exists, once
                pass
        self._queries = _Queries(self.SQLEvent.__table__)
        self._url = self.engine.url.render_as_string(hide_password=False)
        self._spool = Spool(spool_path(self._url))

    async def _in_worker(self, work: Callable[[], T]) -> T:
        if self._executor is None:
            return work()
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        query = self._queries.all_sessions if fetch_events_from_all_sessions else self._queries.latest_session

        def read() -> List[dict]:
            try:
                with self.engine.connect() as connection:
                    rows = connection.execute(query, {"sender_id": sender_id})
                    stored = [json.loads(data) for (data,) in rows]
            except sa.exc.SQLAlchemyError as error:
                logger.error("tracker store: cannot read the database (%s); going on from the spool",
                             type(error).__name__)
                stored = []
            return _with_spooled(stored, [json.loads(row["data"]) for _, _, row in
                                          self._spool.pending(EVENTS, sender_id)])

        events = await self._in_worker(read)
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id, events = tracker.sender_id, list(tracker.events)

        def write() -> None:
            spooled = self._claim_all(sender_id)
            try:
                with self.engine.begin() as connection:
                    self._hand_over(connection, spooled)
                    stored = connection.execute(self._queries.count_latest_session,
                                                {"sender_id": sender_id}).scalar_one()
                    rows = [_row(sender_id, event) for event in events[stored:]]
                    if rows:
                        connection.execute(self._queries.insert, rows)
            except BaseException:
                self._spool.release(row_id for row_id, _, _ in spooled)
                raise
            self._spool.remove(row_id for row_id, _, _ in spooled)

        def spool() -> None:
            kept = {(row["type_name"], row["timestamp"]) for _, _, row in self._spool.pending(EVENTS, sender_id)}
            self._spool.add(EVENTS, sender_id, [
                row for row in (_row(sender_id, event) for event in events)
                if (row["type_name"], row["timestamp"]) not in kept])

        try:
            await self._in_worker(write)
        except sa.exc.SQLAlchemyError as error:
            logger.error("tracker store: cannot write to the database (%s); the events are in the spool",
                         type(error).__name__)
            await self._in_worker(spool)
            return
        await self._in_worker(self._hand_over_the_rest)

    def _claim_all(self, sender_id: Text) -> List[tuple]:
        """All of this conversation's spooled events, claimed. Rows another
        thread or process is handing over right now must reach the table
        before we count what it holds, or they would be written twice."""
        deadline = time.monotonic() + HANDOVER_WAIT_SECONDS
        while True:
            claimed = self._spool.claim(EVENTS, sender_id)
            if len(claimed) == len(self._spool.pending(EVENTS, sender_id)) or time.monotonic() > deadline:
                return claimed
            self._spool.release(row_id for row_id, _, _ in claimed)
            time.sleep(0.05)

    def _hand_over(self, connection: Any, spooled: List[tuple]) -> None:
        """Write spooled rows the table does not hold yet, in spool order."""
        for _, _, row in spooled:
            there = connection.execute(self._queries.has_event, {
                "sender_id": row["sender_id"], "type_name": row["type_name"],
                "timestamp": row["timestamp"]}).first()
            if not there:
                connection.execute(self._queries.insert, [row])

    def _hand_over_the_rest(self) -> None:
        """Other conversations' spooled events, and spooled handoffs, once the
        database takes writes again."""
        by_sender: dict = {}
        for spooled in self._spool.claim(EVENTS):
            by_sender.setdefault(spooled[1], []).append(spooled)
        for spooled in by_sender.values():
            try:
                with self.engine.begin() as connection:
                    self._hand_over(connection, spooled)
            except sa.exc.SQLAlchemyError as error:
                logger.error("tracker store: spooled events not handed over yet (%s)", type(error).__name__)
                self._spool.release(row_id for row_id, _, _ in spooled)
            else:
                self._spool.remove(row_id for row_id, _, _ in spooled)
        hand_over_spooled_handoffs(self._spool, self._url)


def _with_spooled(stored: List[dict], spooled: List[dict]) -> List[dict]:
    """The stored events, then the spooled ones the table does not hold yet."""
    there = {(event.get("event"), event.get("timestamp")) for event in stored}
    return stored + [event for event in spooled
                     if (event.get("event"), event.get("timestamp")) not in there]


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
        self.has_event = sa.select(events.c.id).where(
            sender, events.c.type_name == sa.bindparam("type_name"),
            events.c.timestamp == sa.bindparam("timestamp")).limit(1)
