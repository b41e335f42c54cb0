"""Actions that give the health plan's phone numbers (hours-aware)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.dispatch import send
from bot.core import contact_replies


class ActionTalkToPerson(Action):
    def name(self) -> Text:
        return "action_talk_to_person"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        send(dispatcher, contact_replies.talk_to_person())
        return []


class ActionBenefits(Action):
    def name(self) -> Text:
        return "action_benefits"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        send(dispatcher, contact_replies.benefits())
        return []
