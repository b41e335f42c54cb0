"""When the action server is down or hangs, people still get the CareLine (and
911 for a red flag): the Rasa server runs alone, pointed at an action server
that is not there, or that never answers."""
import json
import socket
import threading
import urllib.request
import uuid

import pytest

from bot import settings
from bot.ops.serve import Stack
from bot.server.channels.rest import FAILSAFE_REASON
from bot.server.failsafe import failsafe_messages
from bot.store import migrate
from bot.store.handoffs import handoffs_for
from tests.conftest import RunningBot, eventually, free_port, texts


def test_failsafe_reply_without_red_flag_gives_careline():
    (message,) = failsafe_messages("what exercises help")
    assert "612-339-3663" in message["text"] and "custom" not in message


def test_failsafe_reply_with_emergency_gives_911_and_a_card():
    (message,) = failsafe_messages("i cant feel my legs")
    assert "911" in message["text"] and message["custom"]["handoff"]["level"] == "emergency"


@pytest.fixture(scope="module")
def rasa_without_actions(trained_model, tmp_path_factory):
    env = settings.runtime_env()
    env.update(RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
               DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('failsafe') / 'rasa.db'}")
    migrate.upgrade(env["DATABASE_URL"])
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"  # nobody there
    stack = Stack(trained_model, env)
    stack.start(with_actions=False, with_review=False)
    try:
        stack.wait_ready(timeout=300)
        client = RunningBot.__new__(RunningBot)  # reuse its send() without starting `bot run`
        client.url, client.env = stack.rasa_url, env
        yield client
    finally:
        stack.stop()


def send(client, text):
    return client.send(f"fs-{uuid.uuid4().hex[:6]}", text)


def test_a_red_flag_still_gets_911_and_reaches_the_nurses_queue(rasa_without_actions):
    sender = f"fs-{uuid.uuid4().hex[:6]}"
    replies = rasa_without_actions.send(sender, "i wet myself and cant feel my legs")
    assert "911" in texts(replies) and "612-339-3663" in texts(replies)
    (card,) = [r["custom"]["handoff"] for r in replies if r.get("custom", {}).get("handoff")]
    assert wait_for_handoff(rasa_without_actions, sender) == ["emergency"]
    # Stored under the reference code the person was shown, for a CareLine nurse.
    (stored,) = handoffs_for(sender, rasa_without_actions.env["DATABASE_URL"])
    assert stored["reference_code"] == card["code"].replace("-", "")


def wait_for_handoff(client, sender, seconds=20):
    return eventually(lambda: [h["level"] for h in handoffs_for(sender, client.env["DATABASE_URL"])
                               if FAILSAFE_REASON in h["reasons"]], seconds)


def test_a_nurse_request_still_gets_careline(rasa_without_actions):
    assert "612-339-3663" in texts(send(rasa_without_actions, "i want to talk to a nurse"))


def test_starting_a_symptom_check_still_gets_careline(rasa_without_actions):
    assert "612-339-3663" in texts(send(rasa_without_actions, "my back hurts"))


def test_plain_answers_still_work(rasa_without_actions):
    assert "48-72 hours" in texts(send(rasa_without_actions, "ice or heat?"))


# --- an action server that hangs (issue 14, finding 1) ---------------------
# It accepts the connection and never answers, like a process stopped with
# SIGSTOP. Rasa's action call times out after ACTION_TIMEOUT_SECONDS; a red
# flag must not wait for that.
HUNG_ACTION_TIMEOUT = 6
CLIENT_PATIENCE = 3  # seconds: less than the action timeout


class HungServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])  # never read, never answered
            except OSError:
                return


@pytest.fixture(scope="module")
def rasa_with_hung_actions(trained_model, tmp_path_factory):
    hung = HungServer()
    env = settings.runtime_env()
    env.update(RASA_PORT=str(free_port()), ACTION_TIMEOUT_SECONDS=str(HUNG_ACTION_TIMEOUT),
               DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('hung') / 'rasa.db'}",
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{hung.port}/webhook")
    migrate.upgrade(env["DATABASE_URL"])
    stack = Stack(trained_model, env)
    stack.start(with_actions=False, with_review=False)
    try:
        stack.wait_ready(timeout=300)
        client = RunningBot.__new__(RunningBot)
        client.url, client.env = stack.rasa_url, env
        yield client
    finally:
        stack.stop()
        hung.sock.close()


def send_within(client, sender, text, seconds):
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{client.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=seconds) as response:  # raises when later
        return json.load(response)


def stored_user_texts(client, sender):
    return [e["text"] for e in client.tracker(sender)["events"] if e["event"] == "user"]


def test_a_red_flag_gets_911_before_the_hung_action_server_times_out(rasa_with_hung_actions):
    sender = f"hung-{uuid.uuid4().hex[:6]}"
    replies = send_within(rasa_with_hung_actions, sender, "i wet myself and my back hurts",
                          CLIENT_PATIENCE)
    assert "911" in texts(replies) and replies[0]["custom"]["handoff"]["level"] == "emergency"
    # The message was not dropped with the late reply: it is stored, once.
    assert eventually(lambda: stored_user_texts(rasa_with_hung_actions, sender),
                      HUNG_ACTION_TIMEOUT * 3) == ["i wet myself and my back hurts"]
    # The action timed out, so the channel put the handoff in the nurses' queue.
    assert wait_for_handoff(rasa_with_hung_actions, sender, HUNG_ACTION_TIMEOUT * 3) == ["emergency"]


def test_without_a_red_flag_the_person_gets_careline_once_the_action_times_out(rasa_with_hung_actions):
    replies = send_within(rasa_with_hung_actions, f"hung-{uuid.uuid4().hex[:6]}", "my back hurts",
                          HUNG_ACTION_TIMEOUT * 3)
    assert "612-339-3663" in texts(replies)
