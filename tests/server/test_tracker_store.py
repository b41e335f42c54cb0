"""Our SQL tracker store stores and returns exactly what Rasa's SQLTrackerStore
does, on SQLite and PostgreSQL, and each reads what the other wrote."""
import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_ROOT
from bot.server.tracker_store import FastSQLTrackerStore

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def session(start: float, text: str, intent: str):
    """The events of one conversation session, with fixed timestamps."""
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
        UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=start + 1),
        SlotSet("pain_area", "lower back", timestamp=start + 1.1),
        BotUttered("I can help with that.", timestamp=start + 1.2),
        ActionExecuted("action_listen", timestamp=start + 1.3),
    ]


FIRST = session(1_700_000_000.0, "my back hurts", "describe_pain")
SECOND = session(1_700_090_000.0, "is bed rest good?", "myth_rest")


def tracker(sender, events):
    return DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)


def rows(url, sender):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(
                "SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = :s ORDER BY id"), {"s": sender})]
    finally:
        engine.dispose()


@pytest.fixture
def stores(db_url):
    rasa, ours = SQLTrackerStore(domain=DOMAIN, host=db_url), FastSQLTrackerStore(domain=DOMAIN, host=db_url)
    yield rasa, ours
    rasa.engine.dispose()
    ours.engine.dispose()


async def play(store, sender):
    """What the processor does: read, add events, save; a second session."""
    await store.save(tracker(sender, FIRST[:3]))

    async def add(events):
        current = await store.retrieve(sender)
        for event in events:
            current.update(event)
        await store.save(current)
        return current

    await store.save(await add(FIRST[3:]))  # nothing new: nothing stored
    await add(SECOND)
    await add([BotUttered("Bed rest is not best.", timestamp=SECOND[-1].timestamp + 1),
               ActionExecuted("action_listen", timestamp=SECOND[-1].timestamp + 2)])


def test_same_rows_as_rasas_store(stores, db_url):
    rasa, ours = stores
    asyncio.run(play(rasa, "rasa-wrote"))
    asyncio.run(play(ours, "ours-wrote"))
    expected = rows(db_url, "rasa-wrote")
    assert len(expected) == len(FIRST) + len(SECOND) + 2 == len(set(expected))
    assert rows(db_url, "ours-wrote") == expected


@pytest.mark.parametrize("writer", ["rasa", "ours"])
def test_same_trackers_as_rasas_store(stores, writer):
    rasa, ours = stores
    asyncio.run(play(rasa if writer == "rasa" else ours, "conversation"))

    async def read(store):
        latest, full = await store.retrieve("conversation"), await store.retrieve_full_tracker("conversation")
        return latest, full, await store.retrieve("nobody"), await store.retrieve_full_tracker("nobody")

    expected, got = asyncio.run(read(rasa)), asyncio.run(read(ours))
    assert [e.as_dict() for e in got[0].events] == [e.as_dict() for e in expected[0].events]
    assert [e.as_dict() for e in got[1].events] == [e.as_dict() for e in expected[1].events]
    assert got[0].current_slot_values() == expected[0].current_slot_values()
    assert got[2] is None and got[3] is None and expected[2] is None
    # The latest session starts at its SessionStarted; the full one has both.
    assert isinstance(got[0].events[0], SessionStarted) and len(got[1].events) > len(got[0].events)
    assert got[0].latest_message.text == "is bed rest good?"


def test_many_conversations_saved_at_once_are_all_kept(stores, db_url):
    _, ours = stores

    async def many():
        await asyncio.gather(*(ours.save(tracker(f"c{n}", FIRST)) for n in range(20)))
        return await asyncio.gather(*(ours.retrieve(f"c{n}") for n in range(20)))

    trackers = asyncio.run(many())
    assert all(len(t.events) == len(FIRST) - 1 for t in trackers)  # from SessionStarted on
    assert all(len(rows(db_url, f"c{n}")) == len(FIRST) for n in range(20))


def test_in_memory_sqlite_works_without_a_worker_thread():
    store = FastSQLTrackerStore(domain=DOMAIN, host="sqlite://")
    asyncio.run(store.save(tracker("memory", FIRST)))
    assert len(asyncio.run(store.retrieve("memory")).events) == len(FIRST) - 1


def test_rasa_loads_our_store_from_endpoints_yml(tmp_path, monkeypatch):
    """Rasa quietly falls back to an in-memory store (nothing kept) when a
    custom store cannot be loaded; make sure ours is what it gets."""
    from rasa.core.tracker_store import create_tracker_store
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'rasa.db'}")
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    store = create_tracker_store(config, DOMAIN)
    assert type(store) is FastSQLTrackerStore
    assert store.engine.url.database == str(tmp_path / "rasa.db")
    store.engine.dispose()
