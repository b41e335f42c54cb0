"""The widget channel's pure parts: the greeting, the history and phone
numbers given once per escalation, without a server."""
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.core.contact_replies import careline_numbers
from bot.core.contacts import CARELINE
from bot.server.channels.widget import greeting_messages, history_messages, numbers_once

GREET_BUTTONS = [{"title": "Myths", "payload": "/myths_overview"},
                 {"title": "Home care", "payload": "/home_care"}]
RESPONSES = {"utter_greet": [{"text": "Hi! What would you like to know?", "buttons": GREET_BUTTONS}],
             "utter_goodbye": [{"text": "Take care!"}]}
CARD = {"handoff": {"level": "emergency", "line": "911",
                    "phones": ["911", *CARELINE.phones], "tty": CARELINE.tty, "reasons": ["x"]}}


def test_the_greeting_is_utter_greet_with_its_buttons():
    assert greeting_messages(RESPONSES) == [
        {"text": "Hi! What would you like to know?", "buttons": GREET_BUTTONS}]
    assert greeting_messages({"utter_greet": [{"text": "Hi!"}]}) == [{"text": "Hi!"}]
    assert greeting_messages({}) == []


def test_the_domain_greeting_has_topic_buttons(domain):
    [message] = greeting_messages(domain["responses"])
    assert message["text"].startswith("Hi!")
    assert {"title": "Myths", "payload": "/myths_overview"} in message["buttons"]


def test_history_shows_a_greeting_chip_by_its_title():
    events = [ActionExecuted("action_listen"), UserUttered("/myths_overview"),
              BotUttered("Myth: you need bed rest.")]
    assert history_messages(events, GREET_BUTTONS)[0] == {"from": "user", "text": "Myths"}
    # without the greeting's buttons the payload is all there is
    assert history_messages(events)[0] == {"from": "user", "text": "/myths_overview"}


def test_a_reply_with_a_call_card_gives_the_careline_numbers_once():
    text = f"If you are not sure what to do, call {careline_numbers()}."
    reply = [{"recipient_id": "web-1", "text": "Call 911 now."},
             {"recipient_id": "web-1", "custom": CARD},
             {"recipient_id": "web-1", "text": text}]
    shown = numbers_once(reply)
    assert shown[2]["text"] == ("If you are not sure what to do, call CareLine nurses 24/7 "
                                "(numbers in the call card).")
    assert shown[:2] == reply[:2]
    assert CARELINE.phones[0] not in " ".join(m.get("text", "") for m in shown)
    assert reply[2]["text"] == text, "the server's messages are not changed in place"


def test_a_reply_without_a_call_card_keeps_its_numbers():
    reply = [{"text": f"To talk with a nurse, call {careline_numbers()}."}]
    assert numbers_once(reply) == reply


def test_history_gives_the_numbers_once_per_reply_with_a_card():
    with_numbers = f"Call {careline_numbers()}."
    events = [UserUttered("hello"), BotUttered(with_numbers),
              UserUttered("i wet myself"), BotUttered("Call 911 now.", {"custom": CARD}),
              BotUttered(with_numbers),
              UserUttered("thanks"), BotUttered(with_numbers)]
    texts = [m.get("text") for m in history_messages(events)]
    assert texts == ["hello", with_numbers,
                     "i wet myself", "Call 911 now.", None,
                     "Call CareLine nurses 24/7 (numbers in the call card).",
                     "thanks", with_numbers]
