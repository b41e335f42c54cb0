"""Start a symptom check, and give the disposition when it is complete."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.answers import asked_beside_pain, usual_answer
from actions.lib.dispatch import send
from actions.lib.triage_state import announce, assess
from bot.core.levels import escalates, level_rank
from bot.core.answers import prefill
from bot.core.slots import ESCALATION_IN_FORCE, FOR_SELF, FORM_SLOTS, RED_FLAGS, TRIAGE_LEVEL
from bot.core.triage_replies import handoff_reminder


class ActionStartSymptomCheck(Action):
    def name(self) -> Text:
        return "action_start_symptom_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        # A question asked beside the pain report is answered first.
        send(dispatcher, usual_answer(asked_beside_pain(message)))
        dispatcher.utter_message(response="utter_start_symptom_check")
        # A new check starts from what this message already said, the rest empty
        # (never the last screen); red flags already found still count.
        known = prefill(message.get("text") or "")
        # Someone else's advice was given; the writer's own check is what goes on now.
        return ([SlotSet(slot, known.get(slot)) for slot in FORM_SLOTS]
                + [SlotSet(TRIAGE_LEVEL, None), SlotSet(ESCALATION_IN_FORCE, None)])


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
            return [SlotSet(RED_FLAGS, sorted(disposition.red_flags)), SlotSet(ESCALATION_IN_FORCE, FOR_SELF)]
        events = announce(dispatcher, tracker, facts, disposition)
        if disposition.is_escalation:
            events.append(SlotSet(ESCALATION_IN_FORCE, FOR_SELF))
        return events
