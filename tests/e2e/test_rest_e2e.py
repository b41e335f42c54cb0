"""The product as a newcomer meets it: `bot run` (what `make run` calls),
then a conversation over the REST webhook, stored in SQLite."""
import json
import sqlite3
import urllib.error
import urllib.request
import uuid

import pytest

from tests.conftest import texts


def test_a_conversation_over_rest(server):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    greeting = server.send(sender, "hi")
    assert "automated assistant" in texts(greeting) and "911" in texts(greeting)
    assert greeting[-1]["buttons"], "the greeting offers topics"

    myth = server.send(sender, "is bed rest the best thing for a bad back?")
    assert texts(myth).startswith("Myth:")

    exercise = server.send(sender, "how do I do the knee raise exercise")
    assert "5 times with each leg" in texts(exercise)

    nurse = server.send(sender, "can i speak to a nurse please")
    assert "612-339-3663" in texts(nurse), "custom action answered through the action server"


@pytest.mark.parametrize("message", [
    "", "   ", "asdfghjkl qwerty", "<script>alert(1)</script>", "x" * 5000,
    "¿Dónde está el hospital?", "\u0000\u0001 binary \ufffd", "🙂🙂🙂",
])
def test_odd_input_still_gets_a_reply(server, message):
    replies = server.send(f"odd-{uuid.uuid4().hex[:8]}", message)
    assert replies and texts(replies).strip()


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"message": "hi"}', b'{"sender": "", "message": "hi"}',
    b'{"sender": "x", "message": 5}', json.dumps({"sender": "x", "message": "a" * 20001}).encode(),
])
def test_bad_requests_get_a_clear_http_error(server, body):
    request = urllib.request.Request(f"{server.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code == 400
    assert "error" in json.load(error.value)


def test_every_message_is_stored_in_sql(server):
    sender = f"store-{uuid.uuid4().hex[:8]}"
    server.send(sender, "hello")
    server.send(sender, "ice or heat?")
    with sqlite3.connect(server.db) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    user_texts = [json.loads(data).get("text") for kind, data in rows if kind == "user"]
    bot_texts = [json.loads(data).get("text") for kind, data in rows if kind == "bot"]
    assert user_texts == ["hello", "ice or heat?"]
    assert any("48-72 hours" in (t or "") for t in bot_texts)
