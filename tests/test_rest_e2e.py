"""The product as a newcomer meets it: `bot run` (what `make run` calls),
then a conversation over the REST webhook, stored in SQLite."""
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from bot import PROJECT_ROOT, settings


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server(trained_model, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "rasa.db"
    env = settings.runtime_env()
    env.update(RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
               DATABASE_URL=f"sqlite:///{db}")
    env.pop("ACTION_ENDPOINT_URL", None)  # derived from ACTION_PORT by `bot run`
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=PROJECT_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{env['RASA_PORT']}"
    deadline = time.monotonic() + 240
    while not _ready(url):
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(1)
    while not port_open(int(env["ACTION_PORT"])):
        time.sleep(0.5)
    yield {"url": url, "db": db, "proc": proc, "env": env}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def _ready(url):
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=2):
            return True
    except OSError:
        return False


def send(server, sender, message):
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{server['url']}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def texts(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_a_conversation_over_rest(server):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    greeting = send(server, sender, "hi")
    assert "automated assistant" in texts(greeting) and "911" in texts(greeting)
    assert greeting[-1]["buttons"], "the greeting offers topics"

    myth = send(server, sender, "is bed rest the best thing for a bad back?")
    assert texts(myth).startswith("Myth:")

    exercise = send(server, sender, "how do I do the knee raise exercise")
    assert "5 times with each leg" in texts(exercise)

    nurse = send(server, sender, "can i speak to a nurse please")
    assert "612-339-3663" in texts(nurse), "custom action answered through the action server"


@pytest.mark.parametrize("message", [
    "", "   ", "asdfghjkl qwerty", "<script>alert(1)</script>", "x" * 5000,
    "¿Dónde está el hospital?", "\u0000\u0001 binary \ufffd", "🙂🙂🙂",
])
def test_odd_input_still_gets_a_reply(server, message):
    replies = send(server, f"odd-{uuid.uuid4().hex[:8]}", message)
    assert replies and texts(replies).strip()


def test_every_message_is_stored_in_sql(server):
    sender = f"store-{uuid.uuid4().hex[:8]}"
    send(server, sender, "hello")
    send(server, sender, "ice or heat?")
    with sqlite3.connect(server["db"]) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    user_texts = [json.loads(data).get("text") for kind, data in rows if kind == "user"]
    bot_texts = [json.loads(data).get("text") for kind, data in rows if kind == "bot"]
    assert user_texts == ["hello", "ice or heat?"]
    assert any("48-72 hours" in (t or "") for t in bot_texts)


def test_sigterm_stops_both_servers(server):
    proc, env = server["proc"], server["env"]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert not port_open(int(env["RASA_PORT"]))
    assert not port_open(int(env["ACTION_PORT"]))
