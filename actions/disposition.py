"""Start a symptom check, and give the disposition when it is complete."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.dispatch import send
from actions.lib.triage_state import announce, assess
from bot.core.levels import escalates, level_rank
from bot.core.slots import FORM_SLOTS, RED_FLAGS, TRIAGE_LEVEL
from bot.core.triage_replies import handoff_reminder


class ActionStartSymptomCheck(Action):
    def name(self) -> Text:
        return "action_start_symptom_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_start_symptom_check")
        # A new check starts from empty answers; red flags already found still count.
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet(TRIAGE_LEVEL, None)]


class ActionGiveDisposition(Action):
    def name(self) -> Text:
        return "action_give_disposition"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        facts, disposition = assess(tracker)
        given = tracker.get_slot(TRIAGE_LEVEL)
        if escalates(given) and level_rank(disposition.level) <= level_rank(given):
            # The handoff was given mid-check and nothing new raised it: a short reminder.
            send(dispatcher, handoff_reminder(given))
            return [SlotSet(RED_FLAGS, sorted(disposition.red_flags))]
        return announce(dispatcher, tracker, facts, disposition)
