"""Answer a red flag in the same turn it is disclosed, wherever it comes up."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.triage_state import announce, assess
from bot.core.levels import URGENT
from bot.core.slots import RED_FLAG_SCREEN, REQUESTED_SLOT, SYMPTOM_FORM


class ActionHandleRedFlag(Action):
    def name(self) -> Text:
        return "action_handle_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        facts, disposition = assess(tracker)
        events = announce(dispatcher, tracker, facts, disposition)

        screen_done = tracker.get_slot(RED_FLAG_SCREEN) is not None
        if tracker.get_slot(REQUESTED_SLOT) == RED_FLAG_SCREEN:
            # The red flag was their answer to the screening question.
            events.append(SlotSet(RED_FLAG_SCREEN, tracker.latest_message.get("text")))
            screen_done = True

        if disposition.level == URGENT and not screen_done:
            # Before they go: the form asks one question to catch an emergency we
            # don't know about (action_ask_red_flag_screen, short version).
            return events + [ActiveLoop(SYMPTOM_FORM)]
        if tracker.active_loop.get("name") == SYMPTOM_FORM:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events
