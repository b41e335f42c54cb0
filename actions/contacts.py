"""Actions that give the health plan's phone numbers (hours-aware)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import contact_replies


def _send(dispatcher: CollectingDispatcher, messages) -> None:
    for message in messages:
        dispatcher.utter_message(**message)


class ActionTalkToPerson(Action):
    def name(self) -> Text:
        return "action_talk_to_person"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        _send(dispatcher, contact_replies.talk_to_person())
        return []


class ActionBenefits(Action):
    def name(self) -> Text:
        return "action_benefits"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        _send(dispatcher, contact_replies.benefits())
        return []
