"""More than one Rasa server: `bot run --servers 2` with PostgreSQL as the
shared tracker store, the Redis lock store and our proxy in front. Turns of
each conversation go to alternating servers, several conversations at once;
every conversation must stay consistent and keep each message exactly once."""
import json
import threading
import urllib.request
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import pytest
import sqlalchemy as sa
import yaml

from bot.eval import vignette_runner
from tests.conftest import RunningBot
from tests.services import REDIS_URL, fresh_postgres_database, need_redis
from tests.sets import VIGNETTES


@pytest.fixture(scope="module")
def cluster(trained_model):
    need_redis()
    with fresh_postgres_database() as url:
        bot = RunningBot(args=["--servers", "2"], DATABASE_URL=url, REDIS_URL=REDIS_URL)
        port = int(bot.env["RASA_PORT"])
        bot.servers = [f"http://127.0.0.1:{port + 1}", f"http://127.0.0.1:{port + 2}"]
        # The proxy answers as soon as one server does; the tests talk to each.
        bot.wait_until(lambda: all(bot._answers(bot.api(server, "/status")) for server in bot.servers))
        try:
            yield bot
        finally:
            assert bot.stop() == 0


class AlternatingClient:
    """eval_triage's client, sending each conversation's turns to the servers
    in turn (A, B, A, ...) and remembering what it sent."""

    def __init__(self, servers: List[str], token: str):
        self.clients = [vignette_runner.Client(url, token) for url in servers]
        self.sent: Dict[str, List[str]] = defaultdict(list)
        self.served: Dict[str, List[int]] = defaultdict(list)
        self._lock = threading.Lock()

    def send(self, sender: str, text: str) -> List[Dict]:
        with self._lock:
            turn = len(self.sent[sender])
            self.sent[sender].append(text)
            self.served[sender].append(turn % len(self.clients))
        return self.clients[turn % len(self.clients)].send(sender, text)

    def slots(self, sender: str) -> Dict:
        # Read back from the server that did *not* take the last turn.
        turn = len(self.sent[sender])
        return self.clients[turn % len(self.clients)].slots(sender)


def user_texts(cluster, server_url: str, sender: str) -> List[str]:
    with urllib.request.urlopen(cluster.api(server_url, f"/conversations/{sender}/tracker"),
                                timeout=30) as r:
        return [e["text"] for e in json.load(r)["events"] if e["event"] == "user"]


def some_vignettes() -> List[Dict]:
    vignettes = yaml.safe_load(VIGNETTES.read_text())["vignettes"]
    by_level = defaultdict(list)
    for vignette in vignettes:
        by_level[vignette["expected"]].append(vignette)
    return [v for level in sorted(by_level) for v in by_level[level][:3]]


def test_interleaved_conversations_on_alternating_servers_stay_consistent(cluster):
    client = AlternatingClient(cluster.servers, cluster.env["RASA_AUTH_TOKEN"])
    vignettes = some_vignettes()
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda v: vignette_runner.play(client, v), vignettes))
    # The same triage as on one server, for every level.
    assert [(o.id, o.given) for o in outcomes] == [(v["id"], v["expected"]) for v in vignettes]
    # Emergencies end after one message; the others are real multi-turn checks.
    assert sum(len(texts) >= 5 for texts in client.sent.values()) >= 6
    for sender, texts in client.sent.items():
        assert len(texts) == 1 or set(client.served[sender]) == {0, 1}
        # Every message stored once, in order, and both servers see the same story.
        assert user_texts(cluster, cluster.servers[0], sender) == texts
        assert user_texts(cluster, cluster.servers[1], sender) == texts

    engine = sa.create_engine(cluster.database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT sender_id, type_name, timestamp, data FROM events WHERE type_name = 'user'"
        )).all()
    engine.dispose()
    stored = Counter(r.sender_id for r in rows)
    assert {s: stored[s] for s in client.sent} == {s: len(t) for s, t in client.sent.items()}
    assert len(rows) == len(set(rows))  # no event written twice


def test_two_messages_of_one_conversation_at_once_are_taken_in_turn(cluster):
    sender = f"race-{uuid.uuid4().hex[:8]}"
    messages = [f"ice or heat? ({n})" for n in range(8)]
    barrier = threading.Barrier(2)

    answers = {}

    def send(pair_index: int, which: int):
        barrier.wait()
        text = messages[2 * pair_index + which]
        answers[text] = vignette_runner.Client(cluster.servers[which]).send(sender, text)

    for pair in range(4):  # both servers get one message of the pair at the same moment
        threads = [threading.Thread(target=send, args=(pair, which)) for which in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    with urllib.request.urlopen(cluster.api(cluster.servers[0], f"/conversations/{sender}/tracker")) as r:
        events = [e for e in json.load(r)["events"] if e["event"] in ("user", "bot")]
    kinds = [e["event"] for e in events]
    assert sorted(answers) == sorted(messages) and all(answers.values()), answers
    assert sorted(e["text"] for e in events if e["event"] == "user") == sorted(messages)
    # The lock store serialised them: each message is answered before the next one starts.
    assert "user" not in [kinds[i + 1] for i, kind in enumerate(kinds[:-1]) if kind == "user"]


def test_the_proxy_spreads_requests_over_both_servers(cluster):
    served = []
    for _ in range(6):
        request = urllib.request.Request(
            f"{cluster.url}/webhooks/rest/webhook",
            data=json.dumps({"sender": f"p-{uuid.uuid4().hex[:6]}", "message": "hi"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert json.load(response)
            served.append(response.headers["X-Served-By"])
    assert Counter(served) == {cluster.servers[0]: 3, cluster.servers[1]: 3}
