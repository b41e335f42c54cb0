"""While the advice to call 911 or a CareLine nurse is in force, every
message gets it again or an answer that ends with it (bot/core/escalation.py)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.answers import asked_beside_pain, usual_answer
from actions.lib.dispatch import send
from bot.core import escalation


class ActionEscalationInForce(Action):
    def name(self) -> Text:
        return "action_escalation_in_force"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return respond_in_force(dispatcher, tracker)


def respond_in_force(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """The advice again, or the answer and a reminder (also used by the red-flag
    action when the net suspects something after the advice was given)."""
    handoff = escalation.last_handoff(
        (event.get("data") or {}).get("custom")
        for event in tracker.events if event.get("event") == "bot")
    if handoff is None:  # nothing to repeat (should not happen): the safe, general reply
        dispatcher.utter_message(response="utter_default")
        return []
    message = tracker.latest_message or {}
    intent = asked_beside_pain(message) or (message.get("intent") or {}).get("name")
    text = message.get("text") or ""
    skip = escalation.NOT_QUESTIONS | (escalation.CONTACT_REQUESTS if escalation.hesitant(text) else set())
    answer = [] if intent in skip else usual_answer(intent)
    send(dispatcher, escalation.reply(text, handoff, answer))
    return []
