"""When the action server is down, people still get the CareLine (and 911 for
a red flag): the Rasa server runs alone, pointed at an action server that
is not there."""
import uuid

import pytest

from bot import settings
from bot.ops.serve import Stack
from bot.server.failsafe import failsafe_messages
from tests.conftest import RunningBot, free_port, texts


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
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"  # nobody there
    stack = Stack(trained_model, env)
    stack.start(with_actions=False, with_review=False)
    try:
        stack.wait_ready(timeout=300)
        client = RunningBot.__new__(RunningBot)  # reuse its send() without starting `bot run`
        client.url = stack.rasa_url
        yield client
    finally:
        stack.stop()


def send(client, text):
    return client.send(f"fs-{uuid.uuid4().hex[:6]}", text)


def test_a_red_flag_still_gets_911(rasa_without_actions):
    replies = send(rasa_without_actions, "i wet myself and cant feel my legs")
    assert "911" in texts(replies) and "612-339-3663" in texts(replies)
    assert any(r.get("custom", {}).get("handoff") for r in replies)


def test_a_nurse_request_still_gets_careline(rasa_without_actions):
    assert "612-339-3663" in texts(send(rasa_without_actions, "i want to talk to a nurse"))


def test_starting_a_symptom_check_still_gets_careline(rasa_without_actions):
    assert "612-339-3663" in texts(send(rasa_without_actions, "my back hurts"))


def test_plain_answers_still_work(rasa_without_actions):
    assert "48-72 hours" in texts(send(rasa_without_actions, "ice or heat?"))
