"""More than one Rasa server: `bot run --servers 2` with PostgreSQL as the
shared tracker store, the Redis lock store and Debian's nginx in front, run
with the shipped deploy/nginx.conf. Turns of each conversation go to
alternating servers, several conversations at once; every conversation must
stay consistent and keep each message exactly once. Through nginx: round
robin, only the widget and SMS public, a per-address rate limit, a body
limit, an access log without ids; with TLS (deploy/nginx-tls.conf) and the
workspace's own server block (deploy/nginx-review.conf), private addresses only."""
import http.client
import json
import shutil
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import pytest
import sqlalchemy as sa
import yaml

from bot.eval import vignette_runner
from bot.ops import nginx
from bot.ops.serve import free_port
from bot.settings import VAR_DIR
from tests.conftest import RunningBot
from tests.services import REDIS_URL, fresh_postgres_database, need, need_redis
from tests.sets import VIGNETTES


def need_nginx():
    need("nginx", nginx.find_nginx() is not None, "./scripts/install-nginx.sh installs it")


@pytest.fixture(scope="module")
def cluster(trained_model):
    need_redis()
    need_nginx()
    with fresh_postgres_database() as url:
        bot = RunningBot(args=["--servers", "2"], DATABASE_URL=url, REDIS_URL=REDIS_URL)
        port = int(bot.env["RASA_PORT"])
        bot.servers = [f"http://127.0.0.1:{port + 1}", f"http://127.0.0.1:{port + 2}"]
        bot.access_log = VAR_DIR / f"nginx-{port}" / "access.log"
        # nginx answers as soon as one server does; the tests talk to each.
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


def status_of(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def widget_message(cluster, session, text="ice or heat?"):
    return status_of(f"{cluster.url}/webhooks/widget/webhook", method="POST",
                     data=json.dumps({"session_id": session, "message": text}).encode(),
                     headers={"Content-Type": "application/json"})


def new_session():
    return "web-" + uuid.uuid4().hex


def test_nginx_spreads_widget_messages_over_both_servers_and_logs_no_ids(cluster):
    sessions = [new_session() for _ in range(6)]
    for session in sessions:
        assert widget_message(cluster, session) == 200
    assert status_of(f"{cluster.url}/webhooks/widget/history?session_id={sessions[0]}") == 200
    log = eventually_logged(cluster, 7)
    webhook_lines = [line for line in log if '"POST /webhooks/widget/webhook"' in line][-6:]
    upstreams = Counter(line.rsplit("upstream=", 1)[1].strip() for line in webhook_lines)
    assert upstreams == {server.replace("http://", ""): 3 for server in cluster.servers}
    text = "\n".join(log)
    assert not any(session in text for session in sessions), "no session id (query strings) logged"
    assert "ice or heat" not in text


def eventually_logged(cluster, lines, seconds=10):
    deadline = time.monotonic() + seconds
    while True:  # nginx writes its access log line after the answer
        log = cluster.access_log.read_text().splitlines()
        if len(log) >= lines or time.monotonic() > deadline:
            return log
        time.sleep(0.2)


def test_only_the_widget_and_sms_are_public_through_nginx(cluster):
    token = cluster.env["RASA_AUTH_TOKEN"]
    sender = f"locked-{uuid.uuid4().hex[:6]}"
    for path in (f"/conversations/{sender}/tracker?token={token}", f"/model/parse?token={token}",
                 f"/status?token={token}", "/", "/webhooks/rest/"):
        assert status_of(cluster.url + path) == 404, path
    rest = json.dumps({"sender": sender, "message": "hi"}).encode()
    assert status_of(f"{cluster.url}/webhooks/rest/webhook", data=rest,
                     headers={"Content-Type": "application/json"}) == 404
    assert status_of(f"{cluster.url}/webhooks/widget/demo") == 200
    # The SMS webhook reaches the assistant, which refuses an unsigned request itself.
    assert status_of(f"{cluster.url}/webhooks/sms/webhook", data=b"From=%2B16125550100&Body=hi",
                     headers={"Content-Type": "application/x-www-form-urlencoded"}) == 403
    # Behind nginx, the Rasa servers' own API still wants the token.
    assert status_of(f"{cluster.servers[0]}/conversations/{sender}/tracker") == 401


def test_an_oversized_body_is_refused_by_nginx(cluster):
    big = json.dumps({"session_id": new_session(), "message": "x" * 300_000}).encode()
    assert status_of(f"{cluster.url}/webhooks/widget/webhook", data=big, method="POST",
                     headers={"Content-Type": "application/json"}) == 413


def test_a_burst_from_one_address_gets_429_then_the_limit_recovers(cluster):
    url = f"{cluster.url}/webhooks/widget/"
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = Counter(pool.map(lambda _: status_of(url), range(120)))
    assert set(codes) == {200, 429} and codes[429] >= 40, codes
    time.sleep(5)  # 10 a second refills the burst of 40 in 4 s
    assert status_of(url) == 200


@pytest.fixture(scope="module")
def tls_nginx(cluster, tmp_path_factory):
    """A second nginx with TLS and the workspace's server block, in front of
    the same servers: the documented production layout."""
    openssl = shutil.which("openssl")
    need("openssl", openssl is not None, "apt-get install openssl")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    public_port, review_port = free_port(), free_port()
    prefix = folder / "nginx"
    top = nginx.prepare(
        prefix,
        public={"PUBLIC_LISTEN": f"127.0.0.1:{public_port} ssl",
                "RASA_SERVERS": nginx.upstream_servers([s.replace("http://", "") for s in cluster.servers])},
        review={"REVIEW_LISTEN": f"127.0.0.1:{review_port} ssl",
                "REVIEW_SERVER": cluster.review_url.replace("http://", "")},
        tls={"TLS_CERT": str(cert), "TLS_KEY": str(key)})
    process = subprocess.Popen(nginx.command(nginx.find_nginx(), prefix, top),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        cluster.wait_until(lambda: https_status(public_port, "/webhooks/widget/") == 200, seconds=30)
        yield public_port, review_port
    finally:
        process.terminate()
        process.wait(timeout=30)


def https_status(port, path, source="127.0.0.1"):
    """The status over TLS from the address `source`, or None when nothing answers."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # a throwaway certificate
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context,
                                             source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


def test_tls_termination_with_the_shipped_snippet(tls_nginx):
    public_port, _ = tls_nginx
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen(f"https://127.0.0.1:{public_port}/webhooks/widget/",
                                context=context, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "nginx/" not in response.headers.get("Server", ""), "no version shown"
    assert https_status(public_port, "/conversations/x/tracker") == 404


def test_the_workspace_block_answers_private_addresses_only(tls_nginx):
    _, review_port = tls_nginx
    assert https_status(review_port, "/login") == 200
    # 127.0.0.2 is loopback too, but not on the allow list: like an outside address.
    assert https_status(review_port, "/login", source="127.0.0.2") == 403
