"""Start a symptom check, and give the disposition when it is complete."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.triage_state import FORM_SLOTS, announce, assess
from bot.contact_replies import careline_numbers
from bot.triage.disposition import level_rank


class ActionStartSymptomCheck(Action):
    def name(self) -> Text:
        return "action_start_symptom_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_start_symptom_check")
        # A new check starts from empty answers; red flags already found still count.
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("triage_level", None)]


class ActionGiveDisposition(Action):
    def name(self) -> Text:
        return "action_give_disposition"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        facts, disposition = assess(tracker)
        given = tracker.get_slot("triage_level")
        if given in ("urgent", "emergency") and level_rank(disposition.level) <= level_rank(given):
            # The handoff was given mid-check and nothing new raised it: a short reminder.
            line = "call 911 now" if given == "emergency" else f"call {careline_numbers()} now"
            dispatcher.utter_message(text=f"Thank you. Please don't wait: {line}.")
            return [SlotSet("red_flags", sorted(disposition.red_flags))]
        return announce(dispatcher, tracker, facts, disposition)
